/** Assembles the `findo` command tree from one factory per command group. */
import { Command } from 'commander';
import { makeStartCommand } from './commands/start.ts';
import { makeTenantCommand } from './commands/tenant.ts';
import { makeLeadsCommand } from './commands/leads.ts';
import { makeConversationsCommand } from './commands/conversations.ts';
import { makeEventsCommand } from './commands/events.ts';
import { makeJobsCommand } from './commands/jobs.ts';
import { makeActivityCommand } from './commands/activity.ts';
import { makeStatsCommand } from './commands/stats.ts';
import { makeTemplatesCommand } from './commands/templates.ts';
import { makeCustomerCommand } from './commands/customer.ts';
import { makeGoogleCommand } from './commands/google.ts';
import { makeReviewsCommand } from './commands/reviews.ts';

export function buildProgram(): Command {
  const program = new Command('findo')
    .description('Findo staff CLI: run the service and manage tenants, leads, reviews and events.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const command of [
    makeStartCommand(), makeTenantCommand(), makeLeadsCommand(), makeConversationsCommand(), makeEventsCommand(),
    makeJobsCommand(), makeActivityCommand(), makeStatsCommand(), makeTemplatesCommand(), makeCustomerCommand(),
    makeGoogleCommand(), makeReviewsCommand(),
  ]) {
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
