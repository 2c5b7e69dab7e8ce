/** Assembles the `findo` command tree from one factory per command group. */
import { Command } from 'commander';
import { makeStartCommand } from './commands/start.ts';
import { makeTenantCommand } from './commands/tenant.ts';

export function buildProgram(): Command {
  const program = new Command('findo')
    .description('Findo staff CLI: run the service and manage tenants, leads, reviews and events.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const command of [makeStartCommand(), makeTenantCommand()]) {
    program.addCommand(command);
  }
  // exitOverride is inherited only by commands created after it: apply it to the whole tree.
  const override = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  return program;
}
