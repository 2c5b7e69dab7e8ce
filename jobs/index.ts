/**
 * The job registry: every Agenda job Findo runs (delays, schedules, retries of business steps;
 * webhook events go through the inbox, bot/inbox/), registered with its own concurrency and retry
 * policy. Handlers get validated data and the service bag; a running job renews its lock.
 */
import type { Agenda, Job } from 'agenda';
import type { Services } from '../bot/services.ts';
import { JOB_LOCK_LIFETIME } from '../bot/agenda.ts';
import { jobRuns } from '../bot/metrics.ts';
import type { JobDefinition } from './define.ts';
import { leadSilenceCheckJob } from './lead-silence-check.ts';
import { missedCallFollowupJob } from './missed-call-followup.ts';
import { WEEKLY_DIGEST_SCHEDULE, WEEKLY_DIGEST_TIMEZONE, weeklyDigestJob } from './weekly-digest.ts';
import { reviewRequestJob } from './review-request.ts';
import { approvalReminderJob } from './approval-reminder.ts';
import { postReviewReplyJob } from './post-review-reply.ts';
import { reviewCheckDueJob, reviewCheckJob, scheduleReviewChecks } from './review-check.ts';
import { sendMessageJob } from './send-message.ts';
import { sweepStaleEventsJob, SWEEP_INTERVAL } from './sweep-stale-events.ts';
import { ownerWelcomeJob } from './owner-welcome.ts';

export const ALL_JOBS: JobDefinition[] = [
  sweepStaleEventsJob, sendMessageJob, missedCallFollowupJob, leadSilenceCheckJob, reviewRequestJob,
  reviewCheckDueJob, reviewCheckJob, postReviewReplyJob, approvalReminderJob, weeklyDigestJob, ownerWelcomeJob,
] as JobDefinition[];

/** Periodic jobs: `every` upserts by name, so any number of workers schedule them once. */
export async function scheduleRecurringJobs(agenda: Agenda): Promise<void> {
  await agenda.every(SWEEP_INTERVAL, sweepStaleEventsJob.name, {}, { skipImmediate: true });
  await scheduleReviewChecks(agenda);
  await agenda.every(WEEKLY_DIGEST_SCHEDULE, weeklyDigestJob.name, {}, { timezone: WEEKLY_DIGEST_TIMEZONE, skipImmediate: true });
}

export function registerJobs(agenda: Agenda, services: Services, jobs: JobDefinition[] = ALL_JOBS): void {
  for (const definition of jobs) {
    agenda.define(
      definition.name,
      async (job: Job) => {
        const parsed = definition.schema.safeParse(job.attrs.data);
        if (!parsed.success) {
          // A malformed payload never becomes valid by retrying: record it and stop.
          jobRuns.inc({ job: definition.name, outcome: 'invalid' });
          services.logger.error({ job: definition.name, issues: parsed.error.issues }, 'job payload rejected');
          return;
        }
        // A long run keeps its short lock alive; a dead worker's lock lapses within the lifetime.
        const renewal = setInterval(() => {
          job.touch().catch((error: Error) => services.logger.warn({ job: definition.name, err: error.message }, 'job lock renewal failed'));
        }, JOB_LOCK_LIFETIME / 4);
        try {
          await definition.handler(parsed.data, services, job);
          jobRuns.inc({ job: definition.name, outcome: 'success' });
        } catch (error) {
          jobRuns.inc({ job: definition.name, outcome: 'failure' });
          services.logger.warn({ job: definition.name, err: (error as Error).message }, 'job failed');
          throw error;
        } finally {
          clearInterval(renewal);
        }
      },
      {
        concurrency: definition.concurrency,
        // Lock no more than can run: a scan leaves the rest to other workers.
        lockLimit: definition.concurrency,
        backoff: definition.backoff,
      },
    );
  }
}
