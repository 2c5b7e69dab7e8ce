/** `findo stats`: the last 7 days in numbers, for one tenant or all. */
import { Command } from 'commander';
import type { Model } from 'mongoose';
import {
  EVENT_STATUSES,
  EventModel,
  LeadModel,
  MessageModel,
  ReviewModel,
  ReviewRequestModel,
  type EventStatus,
} from '../../bot/db/models/index.ts';
import { printDetails, printJson, withDatabase } from '../runtime.ts';
import { progress, progressDone, tenantScope } from '../listing.ts';

const WEEK = 7 * 24 * 3_600_000;

/** Outbound statuses that mean WhatsApp accepted the message. */
const SENT_STATUSES = ['sent', 'delivered', 'read'];

export function makeStatsCommand(): Command {
  return new Command('stats')
    .description('counts for the last 7 days: leads, review requests, reviews, replies, messages, events')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo stats --tenant dani-plumbing --json')
    .action(async (o: { tenant?: string; json?: boolean }) => {
      await withDatabase(async () => {
        const scope = await tenantScope(o.tenant);
        const until = new Date();
        const since = new Date(until.getTime() - WEEK);
        const inWeek = { $gte: since, $lte: until };
        // Every count names the tenant, or says explicitly that it spans all of them.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the models differ only in their document type
        const count = (model: Model<any>, filter: Record<string, unknown>) =>
          model.countDocuments({ ...scope.filter, ...filter }).setOptions(scope.options);
        progress('counting…');
        const [
          leads,
          reviewRequestsSent,
          reviewRemindersSent,
          reviews,
          repliesPosted,
          messagesSent,
          messagesFailed,
          messagesReceived,
          ...events
        ] = await Promise.all([
          count(LeadModel, { createdAt: inWeek }),
          count(ReviewRequestModel, { sentAt: inWeek }),
          count(ReviewRequestModel, { remindedAt: inWeek }),
          count(ReviewModel, { createTime: inWeek }),
          count(ReviewModel, { 'reply.postedAt': inWeek }),
          count(MessageModel, { direction: 'out', status: { $in: SENT_STATUSES }, createdAt: inWeek }),
          count(MessageModel, { direction: 'out', status: 'failed', createdAt: inWeek }),
          count(MessageModel, { direction: 'in', createdAt: inWeek }),
          ...EVENT_STATUSES.map((status) => count(EventModel, { status, receivedAt: inWeek })),
        ]);
        progressDone();
        const view = {
          tenantId: scope.tenant ? (scope.tenant.id as string) : null,
          tenantSlug: scope.tenant?.slug ?? null,
          since,
          until,
          leads,
          reviewRequestsSent,
          reviewRemindersSent,
          reviews,
          repliesPosted,
          messagesSent,
          messagesFailed,
          messagesReceived,
          events: Object.fromEntries(EVENT_STATUSES.map((status, i) => [status, events[i]])) as Record<EventStatus, number>,
        };
        if (o.json) return printJson(view);
        process.stdout.write(`${view.tenantSlug ?? 'all tenants'}, ${since.toISOString()} to ${until.toISOString()}\n`);
        const { tenantId: _id, tenantSlug: _slug, since: _since, until: _until, ...numbers } = view;
        printDetails(numbers);
      });
    });
}
