/**
 * Assembles the `findo` command tree from one factory per command group. Only the group being run
 * is loaded (some pull in the Google and Anthropic SDKs, which take a second to import); help with
 * no group named loads them all.
 */
import { Command } from 'commander';

const GROUPS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.ts')).makeStartCommand(),
  tenant: async () => (await import('./commands/tenant.ts')).makeTenantCommand(),
  google: async () => (await import('./commands/google.ts')).makeGoogleCommand(),
  reviews: async () => (await import('./commands/reviews.ts')).makeReviewsCommand(),
  posts: async () => (await import('./commands/posts.ts')).makePostsCommand(),
  leads: async () => (await import('./commands/leads.ts')).makeLeadsCommand(),
  conversations: async () => (await import('./commands/conversations.ts')).makeConversationsCommand(),
  events: async () => (await import('./commands/events.ts')).makeEventsCommand(),
  jobs: async () => (await import('./commands/jobs.ts')).makeJobsCommand(),
  activity: async () => (await import('./commands/activity.ts')).makeActivityCommand(),
  stats: async () => (await import('./commands/stats.ts')).makeStatsCommand(),
  templates: async () => (await import('./commands/templates.ts')).makeTemplatesCommand(),
  customer: async () => (await import('./commands/customer.ts')).makeCustomerCommand(),
  photos: async () => (await import('./commands/photos.ts')).makePhotosCommand(),
  try: async () => (await import('./commands/try.ts')).makeTryCommand(),
};

export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('findo')
    .description('Findo staff CLI: run the service and manage tenants, leads, reviews and events.')
    .version('0.1.0')
    // Commander's own usage errors in Findo's one-line form (`findo: …`, exit code 2).
    .configureOutput({ outputError: (message, write) => write(`findo: ${message.replace(/^error: /, '')}`) });
  const named = argv[2];
  const groups = named && named in GROUPS ? [named] : Object.keys(GROUPS);
  for (const group of groups) program.addCommand(await GROUPS[group]());
  // exitOverride and the output format are inherited only by commands created after them.
  const configure = (command: Command) => {
    command.exitOverride();
    command.configureOutput(program.configureOutput());
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}
