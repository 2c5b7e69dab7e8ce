/**
 * Review approval (SPEC §7 F3): the owner approves, skips or rewrites an AI draft reply to a
 * low-star Google review, on WhatsApp.
 *
 * Pure, like every machine here: the service restores it per event from the persisted snapshot,
 * sends one event, persists, and runs the named actions from its outbox. The reminder is an
 * Agenda job that sends `REMINDER_DUE`; posting is a job that sends `REPLY_POSTED` or
 * `POST_FAILED` (it retries transient failures itself). Any event in a state that does not expect
 * it is ignored, so a second approval never posts twice.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';

/**
 * Version of this machine's states and context, stored with every snapshot. Bump it on any change
 * that an old snapshot could not be restored into.
 */
export const VERSION = 1;

/** What the service passes when it creates (or restores) the actor. */
export interface ReviewApprovalInput {
  /** Findo's id of the review (the service's key, not necessarily Google's). */
  reviewId: string;
  /** The AI draft reply shown to the owner. */
  draft: string;
}

export interface ReviewApprovalContext {
  reviewId: string;
  draft: string;
  /** The text being or already posted: the draft, or the owner's own text. */
  replyText?: string;
  /** Whether the one reminder has been sent. */
  reminded: boolean;
}

export type ReviewApprovalEvent =
  /** The owner replied `1`/`אשר`/…: post the draft. */
  | { type: 'OWNER_APPROVED' }
  /** The owner replied `2`/`דלג`/…: post nothing. */
  | { type: 'OWNER_SKIPPED' }
  /** The owner sent their own text: post it instead of the draft. */
  | { type: 'OWNER_WROTE'; text: string }
  /** From the reminder job. */
  | { type: 'REMINDER_DUE' }
  /** From the posting job: Google accepted the reply. */
  | { type: 'REPLY_POSTED' }
  /**
   * From the posting job. `permanent: false` is informational: the job retries with backoff and
   * the machine stays in `posting`; `permanent: true` gives up.
   */
  | { type: 'POST_FAILED'; permanent: boolean };

/** How an approval ended, as told to the owner. */
export type ReviewApprovalOutcome = 'posted' | 'skipped' | 'failed';

/** The named actions the service must provide, each with its params. */
export interface ReviewApprovalActionParams {
  /** Send the review and the draft to the owner, with approve/skip buttons. */
  sendDraftToOwner: { reviewId: string; draft: string };
  /** Schedule the one reminder job (`reviewReminderDelay`-style wait lives in the job). */
  scheduleReminder: { reviewId: string };
  /** Remind the owner of the pending draft. */
  remindOwner: { reviewId: string; draft: string };
  /** Post the reply to Google (a job with an idempotency key per review). */
  postReply: { reviewId: string; text: string };
  /** Tell the owner how it ended. */
  confirmToOwner: { reviewId: string; outcome: ReviewApprovalOutcome };
}

type Params<K extends keyof ReviewApprovalActionParams> = ReviewApprovalActionParams[K];

const notProvided = (name: string) => (): never => {
  throw new Error(`review-approval: action "${name}" not provided`);
};

export const reviewApprovalMachine = setup({
  types: {} as {
    context: ReviewApprovalContext;
    events: ReviewApprovalEvent;
    input: ReviewApprovalInput;
  },
  actions: {
    sendDraftToOwner: notProvided('sendDraftToOwner') as (_: unknown, p: Params<'sendDraftToOwner'>) => void,
    scheduleReminder: notProvided('scheduleReminder') as (_: unknown, p: Params<'scheduleReminder'>) => void,
    remindOwner: notProvided('remindOwner') as (_: unknown, p: Params<'remindOwner'>) => void,
    postReply: notProvided('postReply') as (_: unknown, p: Params<'postReply'>) => void,
    confirmToOwner: notProvided('confirmToOwner') as (_: unknown, p: Params<'confirmToOwner'>) => void,
  },
  guards: {
    notYetReminded: ({ context }) => !context.reminded,
    /** An empty (or whitespace-only) text is no reply to post. */
    wroteSomething: ({ event }) => event.type === 'OWNER_WROTE' && event.text.trim() !== '',
    isPermanent: ({ event }) => event.type === 'POST_FAILED' && event.permanent,
  },
}).createMachine({
  id: 'reviewApproval',
  context: ({ input }) => ({ reviewId: input.reviewId, draft: input.draft, reminded: false }),
  initial: 'awaitingOwner',
  states: {
    awaitingOwner: {
      entry: [
        {
          type: 'sendDraftToOwner',
          params: ({ context }) => ({ reviewId: context.reviewId, draft: context.draft }),
        },
        { type: 'scheduleReminder', params: ({ context }) => ({ reviewId: context.reviewId }) },
      ],
      on: {
        OWNER_APPROVED: {
          target: 'posting',
          actions: assign({ replyText: ({ context }) => context.draft }),
        },
        OWNER_WROTE: {
          guard: 'wroteSomething',
          target: 'posting',
          actions: assign({
            replyText: ({ event }) => (event.type === 'OWNER_WROTE' ? event.text.trim() : ''),
          }),
        },
        OWNER_SKIPPED: { target: 'skipped' },
        REMINDER_DUE: {
          guard: 'notYetReminded',
          actions: [
            assign({ reminded: true }),
            {
              type: 'remindOwner',
              params: ({ context }) => ({ reviewId: context.reviewId, draft: context.draft }),
            },
          ],
        },
      },
    },
    posting: {
      entry: {
        type: 'postReply',
        params: ({ context }) => ({ reviewId: context.reviewId, text: context.replyText ?? context.draft }),
      },
      on: {
        REPLY_POSTED: { target: 'posted' },
        // A transient failure is the job's to retry: nothing changes here.
        POST_FAILED: { guard: 'isPermanent', target: 'failed' },
      },
    },
    posted: {
      type: 'final',
      entry: {
        type: 'confirmToOwner',
        params: ({ context }) => ({ reviewId: context.reviewId, outcome: 'posted' as const }),
      },
    },
    skipped: {
      type: 'final',
      entry: {
        type: 'confirmToOwner',
        params: ({ context }) => ({ reviewId: context.reviewId, outcome: 'skipped' as const }),
      },
    },
    failed: {
      type: 'final',
      entry: {
        type: 'confirmToOwner',
        params: ({ context }) => ({ reviewId: context.reviewId, outcome: 'failed' as const }),
      },
    },
  },
});

/** The live snapshot, or the persisted JSON the service loads from MongoDB. */
type SnapshotLike =
  | Pick<SnapshotFrom<typeof reviewApprovalMachine>, 'status' | 'value'>
  | {
      status: string;
      value: unknown;
    };

/** Whether the approval has ended (posted, skipped or failed). */
export function isFinished(snapshot: SnapshotLike): boolean {
  return snapshot.status === 'done';
}

/**
 * Whether the draft still waits for the owner's answer: such approvals are the "pending drafts"
 * that an owner's `#N` reply chooses between.
 */
export function isAwaitingOwner(snapshot: SnapshotLike): boolean {
  return snapshot.status === 'active' && snapshot.value === 'awaitingOwner';
}

/** How the approval ended, or null while it is open. */
export function outcomeOf(snapshot: SnapshotLike): ReviewApprovalOutcome | null {
  if (snapshot.status !== 'done') return null;
  const v = snapshot.value;
  return v === 'posted' || v === 'skipped' || v === 'failed' ? v : null;
}
