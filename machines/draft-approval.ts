/**
 * Draft approval (SPEC §7 F3, F4): the owner approves, skips or rewrites a draft on WhatsApp
 * before Findo publishes it on Google: an AI reply to a low-star review (`review`), or the weekly
 * local post (`post`). One conversation for both; only the effects differ by subject.
 *
 * Pure, like every machine here: the service restores it per event from the persisted snapshot,
 * sends one event, persists, and runs the named actions from its outbox. The reminder is an
 * Agenda job that sends `REMINDER_DUE`; publishing is a job that sends `PUBLISHED` or
 * `PUBLISH_FAILED` (it retries transient failures itself). Any event in a state that does not
 * expect it is ignored, so a second approval never publishes twice.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';

/**
 * Version of this machine's states and context, stored with every snapshot. Bump it on any change
 * that an old snapshot could not be restored into, and teach `upgradeDraftApproval` the step.
 * 1: review replies only (`reviewId`, `replyText`, action `postReply`); 2: any subject.
 */
export const VERSION = 2;

/** What is being approved: a review's reply or a local post. */
export type DraftSubject = 'review' | 'post';

/** What the service passes when it creates the actor. */
export interface DraftApprovalInput {
  subject: DraftSubject;
  /** Findo's id of the review or post (the service's key, not Google's). */
  subjectId: string;
  /** The draft shown to the owner. */
  draft: string;
}

export interface DraftApprovalContext extends DraftApprovalInput {
  /** The text being or already published: the draft, or the owner's own text. */
  text?: string;
  /** Whether the one reminder has been sent. */
  reminded: boolean;
}

export type DraftApprovalEvent =
  /** The owner replied `1`/`אשר`/…: publish the draft. */
  | { type: 'OWNER_APPROVED' }
  /** The owner replied `2`/`דלג`/…: publish nothing. */
  | { type: 'OWNER_SKIPPED' }
  /** The owner sent their own text: publish it instead of the draft. */
  | { type: 'OWNER_WROTE'; text: string }
  /** From the reminder job. */
  | { type: 'REMINDER_DUE' }
  /** From the publishing job: Google accepted the text. */
  | { type: 'PUBLISHED' }
  /**
   * From the publishing job. `permanent: false` is informational: the job retries with backoff and
   * the machine stays in `posting`; `permanent: true` gives up.
   */
  | { type: 'PUBLISH_FAILED'; permanent: boolean };

/** How an approval ended, as told to the owner. */
export type DraftApprovalOutcome = 'posted' | 'skipped' | 'failed';

interface About {
  subject: DraftSubject;
  subjectId: string;
}

/** The named actions the service must provide, each with its params. */
export interface DraftApprovalActionParams {
  /** Send the draft to the owner, with approve/skip buttons. */
  sendDraftToOwner: About & { draft: string };
  /** Schedule the one reminder job (the wait lives in the job). */
  scheduleReminder: About;
  /** Remind the owner of the pending draft. */
  remindOwner: About & { draft: string };
  /** Publish the text on Google (a job with an idempotency key per subject). */
  publish: About & { text: string };
  /** Tell the owner how it ended. */
  confirmToOwner: About & { outcome: DraftApprovalOutcome };
}

type Params<K extends keyof DraftApprovalActionParams> = DraftApprovalActionParams[K];

const notProvided = (name: string) => (): never => {
  throw new Error(`draft-approval: action "${name}" not provided`);
};

const about = ({ context }: { context: DraftApprovalContext }): About => ({ subject: context.subject, subjectId: context.subjectId });
const ended = (outcome: DraftApprovalOutcome) => ({
  type: 'confirmToOwner' as const,
  params: ({ context }: { context: DraftApprovalContext }) => ({ ...about({ context }), outcome }),
});

export const draftApprovalMachine = setup({
  types: {} as {
    context: DraftApprovalContext;
    events: DraftApprovalEvent;
    input: DraftApprovalInput;
  },
  actions: {
    sendDraftToOwner: notProvided('sendDraftToOwner') as (_: unknown, p: Params<'sendDraftToOwner'>) => void,
    scheduleReminder: notProvided('scheduleReminder') as (_: unknown, p: Params<'scheduleReminder'>) => void,
    remindOwner: notProvided('remindOwner') as (_: unknown, p: Params<'remindOwner'>) => void,
    publish: notProvided('publish') as (_: unknown, p: Params<'publish'>) => void,
    confirmToOwner: notProvided('confirmToOwner') as (_: unknown, p: Params<'confirmToOwner'>) => void,
  },
  guards: {
    notYetReminded: ({ context }) => !context.reminded,
    /** An empty (or whitespace-only) text is nothing to publish. */
    wroteSomething: ({ event }) => event.type === 'OWNER_WROTE' && event.text.trim() !== '',
    isPermanent: ({ event }) => event.type === 'PUBLISH_FAILED' && event.permanent,
  },
}).createMachine({
  id: 'draftApproval',
  context: ({ input }) => ({ subject: input.subject, subjectId: input.subjectId, draft: input.draft, reminded: false }),
  initial: 'awaitingOwner',
  states: {
    awaitingOwner: {
      entry: [
        { type: 'sendDraftToOwner', params: ({ context }) => ({ ...about({ context }), draft: context.draft }) },
        { type: 'scheduleReminder', params: about },
      ],
      on: {
        OWNER_APPROVED: {
          target: 'posting',
          actions: assign({ text: ({ context }) => context.draft }),
        },
        OWNER_WROTE: {
          guard: 'wroteSomething',
          target: 'posting',
          actions: assign({ text: ({ event }) => (event.type === 'OWNER_WROTE' ? event.text.trim() : '') }),
        },
        OWNER_SKIPPED: { target: 'skipped' },
        REMINDER_DUE: {
          guard: 'notYetReminded',
          actions: [
            assign({ reminded: true }),
            { type: 'remindOwner', params: ({ context }) => ({ ...about({ context }), draft: context.draft }) },
          ],
        },
      },
    },
    // State names are kept from version 1, so its snapshots restore with only their context upgraded.
    posting: {
      entry: { type: 'publish', params: ({ context }) => ({ ...about({ context }), text: context.text ?? context.draft }) },
      on: {
        PUBLISHED: { target: 'posted' },
        // A transient failure is the job's to retry: nothing changes here.
        PUBLISH_FAILED: { guard: 'isPermanent', target: 'failed' },
      },
    },
    posted: { type: 'final', entry: ended('posted') },
    skipped: { type: 'final', entry: ended('skipped') },
    failed: { type: 'final', entry: ended('failed') },
  },
});

/** A stored conversation's machine parts, as `upgradeDraftApproval` reads and writes them. */
export interface StoredDraftApproval {
  snapshot: unknown;
  outbox: { type: string; params: unknown; key: string }[];
}

/**
 * Brings a stored version-1 approval (review replies only) to this version: the context's
 * `reviewId` and `replyText` become `subject: 'review'`, `subjectId` and `text`, and a pending
 * `postReply` effect becomes `publish`. Newer stored approvals are returned as they are.
 */
export function upgradeDraftApproval(stored: StoredDraftApproval, fromVersion: number): StoredDraftApproval {
  if (fromVersion >= VERSION) return stored;
  const snapshot = stored.snapshot as { context?: Record<string, unknown> };
  const { reviewId, replyText, ...rest } = snapshot.context ?? {};
  const context = { ...rest, subject: 'review', subjectId: reviewId, ...(replyText === undefined ? {} : { text: replyText }) };
  const outbox = stored.outbox.map((effect) => {
    const { reviewId: id, ...params } = (effect.params ?? {}) as Record<string, unknown>;
    return {
      ...effect,
      type: effect.type === 'postReply' ? 'publish' : effect.type,
      params: { subject: 'review', subjectId: id, ...params },
    };
  });
  return { snapshot: { ...snapshot, context }, outbox };
}

/** The live snapshot, or the persisted JSON the service loads from MongoDB. */
type SnapshotLike =
  | Pick<SnapshotFrom<typeof draftApprovalMachine>, 'status' | 'value'>
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
export function outcomeOf(snapshot: SnapshotLike): DraftApprovalOutcome | null {
  if (snapshot.status !== 'done') return null;
  const v = snapshot.value;
  return v === 'posted' || v === 'skipped' || v === 'failed' ? v : null;
}
