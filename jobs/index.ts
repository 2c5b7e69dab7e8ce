/**
 * The job registry: the handler of every Agenda job Findo runs (delays, schedules, retries of
 * business steps; webhook events go through the inbox, bot/inbox/), registered with the
 * concurrency and retry policy of its catalog entry (jobs/catalog.ts). Handlers get validated data
 * and the service bag; a running job renews its lock.
 */
import type { Agenda, Job } from 'agenda';
import type { Services } from '../bot/services.ts';
import { JOB_LOCK_LIFETIME, scheduleEvery } from '../bot/agenda.ts';
import { jobRuns } from '../bot/metrics.ts';
import { JOBS, type JobData, type JobSpec } from './catalog.ts';
import type { JobHandler } from './define.ts';
import { retryStrategy } from './retry.ts';
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
import { photoBatchTimerJob } from './photo-batch-timer.ts';
import { photoRequestJob, photoRequestOptions } from './photo-request.ts';
import { uploadPhotoJob } from './upload-photo.ts';
import { postDraftDueJob, postDraftJob, schedulePostDrafts } from './post-draft.ts';
import { publishPostJob } from './publish-post.ts';
import { checkPostJob } from './check-post.ts';

const ALL_JOBS: JobHandler[] = [
  sweepStaleEventsJob,
  sendMessageJob,
  missedCallFollowupJob,
  leadSilenceCheckJob,
  reviewRequestJob,
  reviewCheckDueJob,
  reviewCheckJob,
  postReviewReplyJob,
  approvalReminderJob,
  weeklyDigestJob,
  ownerWelcomeJob,
  photoBatchTimerJob,
  uploadPhotoJob,
  photoRequestJob,
  postDraftDueJob,
  postDraftJob,
  publishPostJob,
  checkPostJob,
];

/** Periodic jobs: scheduled by name, so any number of workers schedule them once. */
export async function scheduleRecurringJobs(agenda: Agenda): Promise<void> {
  await scheduleEvery(agenda, SWEEP_INTERVAL, sweepStaleEventsJob.name, { skipImmediate: true });
  await scheduleReviewChecks(agenda);
  await scheduleEvery(agenda, WEEKLY_DIGEST_SCHEDULE, weeklyDigestJob.name, { timezone: WEEKLY_DIGEST_TIMEZONE, skipImmediate: true });
  await scheduleEvery(agenda, photoRequestOptions.every, photoRequestJob.name, { skipImmediate: false });
  await schedulePostDrafts(agenda);
}

export function registerJobs(agenda: Agenda, services: Services, jobs: JobHandler[] = ALL_JOBS): void {
  for (const { name, run } of jobs) {
    const spec: JobSpec = JOBS[name];
    agenda.define(
      name,
      async (job: Job) => {
        const parsed = spec.schema.safeParse(job.attrs.data);
        if (!parsed.success) {
          // A malformed payload never becomes valid by retrying: record it and stop.
          jobRuns.inc({ job: name, outcome: 'invalid' });
          services.logger.error({ job: name, issues: parsed.error.issues }, 'job payload rejected');
          return;
        }
        // A recurring job's next run was moved on as this run started: should the worker die
        // mid-run, the job would wait for that next run (a week for the digest). So the run stays
        // due while it lasts, and the next run is written back as it ends (Agenda saves it then).
        const nextRunAt = job.attrs.repeatInterval ? job.attrs.nextRunAt : undefined;
        // A long run keeps its short lock alive; a dead worker's lock lapses within the lifetime.
        const renewal = setInterval(() => {
          job.touch().catch((error: Error) => services.logger.warn({ job: name, err: error.message }, 'job lock renewal failed'));
        }, JOB_LOCK_LIFETIME / 4);
        try {
          if (nextRunAt) {
            job.attrs.nextRunAt = job.attrs.lastRunAt ?? new Date();
            await job.touch();
          }
          await run(parsed.data as JobData<typeof name>, services);
          jobRuns.inc({ job: name, outcome: 'success' });
        } catch (error) {
          jobRuns.inc({ job: name, outcome: 'failure' });
          services.logger.warn({ job: name, err: (error as Error).message }, 'job failed');
          throw error;
        } finally {
          clearInterval(renewal);
          if (nextRunAt) job.attrs.nextRunAt = nextRunAt;
        }
      },
      {
        concurrency: spec.concurrency,
        // Lock no more than can run: a scan leaves the rest to other workers.
        lockLimit: spec.concurrency,
        backoff: spec.retry && retryStrategy(() => JOBS[name].retry!),
      },
    );
  }
}
