/** `findo try`: see Findo work in a minute, on this machine, with no WhatsApp, Google or Claude account. */
import { createReadStream, existsSync } from 'node:fs';
import { Command } from 'commander';
import { errorLine, exitCodeFor, UsageError } from '../runtime.ts';

export function makeTryCommand(): Command {
  return new Command('try')
    .description(
      'a demo: chat with Findo as a customer and as the owner, on a throwaway database, against local fakes of WhatsApp and Google',
    )
    .option('--script <file>', 'read the chat lines from a file instead of the keyboard (also: lines on stdin when it is not a terminal)')
    .addHelpText('after', '\nIn the chat, /help lists the commands. Ctrl-C stops everything.')
    .action(async (options: { script?: string }) => {
      if (options.script && !existsSync(options.script)) throw new UsageError(`--script: no file ${options.script}`);
      const { startSandbox } = await import('../try/sandbox.ts');
      const { runChat } = await import('../try/chat.ts');
      const interactive = !options.script && Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const input = options.script ? createReadStream(options.script, 'utf8') : process.stdin;
      // Ctrl-C while everything starts (a first FerretDB build takes minutes) stops it once started.
      let interrupted = false;
      const interrupt = () => (interrupted = true);
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      process.stdout.write('findo try: starting Findo, its database and the fakes…\n');
      const sandbox = await startSandbox();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      let failure: unknown;
      try {
        if (!interrupted) await runChat(sandbox, { input, output: process.stdout, interactive, columns: process.stdout.columns || 80 });
      } catch (error) {
        failure = error;
      }
      process.stdout.write('findo try: stopping…\n');
      await sandbox.stop();
      process.stdout.write('findo try: stopped; nothing is left running.\n');
      if (failure) process.stderr.write(`${errorLine(failure)}\n`);
      // Everything the demo started is stopped, but Agenda's job-lock checks and the failed mongod
      // download leave timers of up to a minute behind: do not wait for them, as `findo start` does not.
      process.exit(failure ? exitCodeFor(failure) : 0);
    });
}
