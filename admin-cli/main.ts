/**
 * The `findo` program: staff run the platform with it (spec §7 F5). Exit codes: 0 ok, 1 failed,
 * 2 usage.
 */
import { buildProgram } from './program.ts';
import { errorLine, exitCodeFor } from './runtime.ts';

try {
  await (await buildProgram(process.argv)).parseAsync(process.argv);
} catch (error) {
  const line = errorLine(error);
  if (line) process.stderr.write(`${line}\n`);
  process.exitCode = exitCodeFor(error);
}
