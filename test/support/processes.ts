/** Runs `findo start --role …` as a real child process (for crash and scale-out tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/findo.js', import.meta.url));

export interface FindoProcess {
  child: ChildProcess;
  /** The base URL of a `web` process. */
  url?: string;
  /** Everything it logged so far. */
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

/** Starts a process and resolves once it logged "Findo started". */
export function startFindoProcess(role: 'web' | 'worker' | 'all', env: Record<string, string>): Promise<FindoProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start', '--role', role], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The process logs once its database, indexes, workers and server are up.
      if (!output.includes('Findo started')) return;
      const url = /"url":"([^"]+)"/.exec(output)?.[1];
      resolve({
        child,
        url,
        output: () => output,
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`findo ${role} exited early (${code}): ${output}`)));
  });
}
