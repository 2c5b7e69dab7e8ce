/**
 * `findo activity`: the activity feed, newest last; `--follow` keeps printing new lines.
 *
 * Following polls an indexed query on `at` once a second rather than opening a change stream:
 * change streams need a replica set, and polling works on every MongoDB deployment.
 */
import { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActivityModel } from '../../bot/db/models/index.ts';
import { printJson, withDatabase } from '../runtime.ts';
import { DEFAULT_LIMIT, orNull, parseLimit, tenantScope, tenantSlugs, type TenantScope } from '../listing.ts';

/** How often `--follow` asks for new lines. */
const POLL_INTERVAL = 1_000;

/**
 * How far back each poll looks again. A writer stamps `at` just before its insert commits, and
 * writers run on other machines, so a line can appear with an `at` slightly older than lines
 * already printed. Lines seen in this window are remembered by id so none is printed twice.
 */
const LOOKBACK = 5_000;

/** Lines fetched per poll; a bigger backlog is read in several polls without waiting. */
const BATCH = 1_000;

interface ActivityLike {
  _id: unknown;
  tenantId: string;
  at: Date;
  type: string;
  text: string;
  ref?: string | null;
}

/** The stable JSON form of an activity line. */
export function activityView(line: ActivityLike) {
  return {
    id: String(line._id),
    tenantId: line.tenantId,
    at: line.at,
    type: line.type,
    text: line.text,
    ref: orNull(line.ref),
  };
}

type ActivityView = ReturnType<typeof activityView>;

/** Prints lines for humans or, one JSON object per line, for `--follow --json`. */
class FeedPrinter {
  private slugs = new Map<string, string>();

  constructor(private readonly json: boolean) {}

  async print(lines: ActivityView[]): Promise<void> {
    if (lines.length === 0) return;
    if (this.json) {
      process.stdout.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      return;
    }
    // A tenant created while following is not in the map yet.
    if (lines.some((line) => !this.slugs.has(line.tenantId))) this.slugs = await tenantSlugs();
    process.stdout.write(
      lines.map((l) => `${l.at.toISOString()}  ${this.slugs.get(l.tenantId) ?? l.tenantId}  ${l.type}  ${l.text}\n`).join(''),
    );
  }
}

const newest = (scope: TenantScope, limit: number) =>
  ActivityModel.find(scope.filter).setOptions(scope.options).sort({ at: -1, _id: -1 }).limit(limit).lean();

const since = (scope: TenantScope, from: Date, limit: number) =>
  ActivityModel.find({ ...scope.filter, at: { $gte: from } })
    .setOptions(scope.options)
    .sort({ at: 1, _id: 1 })
    .limit(limit)
    .lean();

/** Resolves when the user presses Ctrl-C (or the process is told to stop, or stdout closes). */
function untilStopped(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `findo activity --follow | head` closes the pipe: stop quietly.
  process.stdout.once('error', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stdout.off('error', stop);
    },
  };
}

async function follow(scope: TenantScope, printer: FeedPrinter, printed: ActivityView[]): Promise<void> {
  let cursor = printed.length ? printed[printed.length - 1].at : new Date(0);
  // Lines remembered from the lookback window, by id, with their time so they can be forgotten.
  const seen = new Map<string, number>();
  // The window before the first poll holds lines older than the ones printed that `--limit` left
  // out on purpose: mark them seen, or the first poll would print them. Only those: a line newer
  // than the last one printed arrived since, and is printed.
  for (const line of await since(scope, new Date(cursor.getTime() - LOOKBACK), BATCH)) {
    if (line.at <= cursor) seen.set(String(line._id), line.at.getTime());
  }
  const { signal, dispose } = untilStopped();
  try {
    while (!signal.aborted) {
      const found = await since(scope, new Date(cursor.getTime() - LOOKBACK), BATCH);
      const fresh = found.filter((line) => !seen.has(String(line._id))).map(activityView);
      for (const line of fresh) {
        seen.set(line.id, line.at.getTime());
        if (line.at > cursor) cursor = line.at;
      }
      if (!signal.aborted) await printer.print(fresh);
      const horizon = cursor.getTime() - LOOKBACK;
      for (const [id, at] of seen) if (at < horizon) seen.delete(id);
      // A full batch means a backlog: read on at once.
      if (found.length < BATCH) await sleep(POLL_INTERVAL, undefined, { signal }).catch(() => {});
    }
  } finally {
    dispose();
  }
}

export function makeActivityCommand(): Command {
  return new Command('activity')
    .description('the activity feed, newest last')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--follow', 'keep printing new lines (once a second) until Ctrl-C')
    .option('--limit <n>', `how many recent lines to start with (default ${DEFAULT_LIMIT})`, parseLimit)
    .option('--json', 'print JSON: one array; with --follow, one JSON object per line instead')
    .addHelpText(
      'after',
      '\nWith --follow --json the output is not one JSON document but JSON Lines: every activity line,\n' +
        'the recent ones first, is printed as one JSON object on its own line as it arrives.\n\n' +
        'Examples:\n  findo activity --tenant dani-plumbing --limit 20\n  findo activity --follow --json | jq .text',
    )
    .action(async (o: { tenant?: string; follow?: boolean; limit?: number; json?: boolean }) => {
      await withDatabase(async () => {
        const scope = await tenantScope(o.tenant);
        const recent = (await newest(scope, o.limit ?? DEFAULT_LIMIT)).reverse().map(activityView);
        if (o.json && !o.follow) return printJson(recent);
        if (!o.json && !o.follow && recent.length === 0) {
          process.stdout.write('(no activity yet)\n');
          return;
        }
        const printer = new FeedPrinter(Boolean(o.json));
        await printer.print(recent);
        if (o.follow) await follow(scope, printer, recent);
      });
    });
}
