import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  VERSION,
  draftApprovalMachine,
  isAwaitingOwner,
  isFinished,
  outcomeOf,
  upgradeDraftApproval,
  type DraftApprovalEvent,
  type DraftSubject,
} from '../../machines/draft-approval.ts';

type Call = { action: string; params?: unknown };

function fakeMachine(calls: Call[]) {
  const record = (action: string) => (_: unknown, params?: unknown) => {
    calls.push({ action, params });
  };
  return draftApprovalMachine.provide({
    actions: {
      sendDraftToOwner: record('sendDraftToOwner'),
      scheduleReminder: record('scheduleReminder'),
      remindOwner: record('remindOwner'),
      publish: record('publish'),
      confirmToOwner: record('confirmToOwner'),
    },
  });
}

/** As the service runs it: restore from the persisted JSON per event, send one, persist, stop. */
function run(input: { subject: DraftSubject; subjectId: string; draft: string }) {
  let calls: Call[] = [];
  const first = createActor(fakeMachine(calls), { input }).start();
  let stored = JSON.stringify(first.getPersistedSnapshot());
  first.stop();
  const initialCalls = calls;
  return {
    initialCalls,
    send(event: DraftApprovalEvent): Call[] {
      calls = [];
      const actor = createActor(fakeMachine(calls), { snapshot: JSON.parse(stored), input }).start();
      actor.send(event);
      stored = JSON.stringify(actor.getPersistedSnapshot());
      actor.stop();
      return calls;
    },
    get snapshot() {
      return JSON.parse(stored) as { status: string; value: unknown };
    },
  };
}

const cases = [
  { subject: 'review' as const, subjectId: 'rev-1', draft: 'תודה על המשוב, נשמח לתקן.' },
  { subject: 'post' as const, subjectId: 'post-1', draft: 'חג שמח מכל הצוות! השבוע התקנו שלושה דודי שמש חדשים.' },
];

describe.each(cases)('draft approval of a $subject', (input) => {
  const approval = () => run(input);
  const id = { subject: input.subject, subjectId: input.subjectId };

  it('exports a version number to store with every snapshot', () => {
    expect(VERSION).toBeTypeOf('number');
  });

  it('starts by sending the draft to the owner and scheduling a reminder', () => {
    const a = approval();
    expect(a.initialCalls).toEqual([
      { action: 'sendDraftToOwner', params: { ...id, draft: input.draft } },
      { action: 'scheduleReminder', params: id },
    ]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
  });

  it('approval posts the draft, and the post confirms to the owner', () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_APPROVED' })).toEqual([{ action: 'publish', params: { ...id, text: input.draft } }]);
    expect(a.snapshot.value).toBe('posting');
    expect(isAwaitingOwner(a.snapshot)).toBe(false);
    expect(a.send({ type: 'PUBLISHED' })).toEqual([{ action: 'confirmToOwner', params: { ...id, outcome: 'posted' } }]);
    expect(isFinished(a.snapshot)).toBe(true);
    expect(outcomeOf(a.snapshot)).toBe('posted');
  });

  it("the owner's own text is posted instead of the draft", () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_WROTE', text: '  מצטערים מאוד, נחזור אליך היום.  ' })).toEqual([
      { action: 'publish', params: { ...id, text: 'מצטערים מאוד, נחזור אליך היום.' } },
    ]);
  });

  it('an empty text from the owner posts nothing', () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_WROTE', text: '   ' })).toEqual([]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
  });

  it('skipping posts nothing and confirms the skip', () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_SKIPPED' })).toEqual([{ action: 'confirmToOwner', params: { ...id, outcome: 'skipped' } }]);
    expect(outcomeOf(a.snapshot)).toBe('skipped');
    expect(a.send({ type: 'OWNER_APPROVED' })).toEqual([]);
  });

  it('the owner is reminded once; later reminders are ignored', () => {
    const a = approval();
    expect(a.send({ type: 'REMINDER_DUE' })).toEqual([{ action: 'remindOwner', params: { ...id, draft: input.draft } }]);
    expect(a.send({ type: 'REMINDER_DUE' })).toEqual([]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
    // The approval still works after the reminder.
    expect(a.send({ type: 'OWNER_APPROVED' }).map((c) => c.action)).toEqual(['publish']);
  });

  it('a reminder after the owner answered is ignored', () => {
    const a = approval();
    a.send({ type: 'OWNER_APPROVED' });
    expect(a.send({ type: 'REMINDER_DUE' })).toEqual([]);
  });

  it('a second approval never posts twice', () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_APPROVED' })).toHaveLength(1);
    expect(a.send({ type: 'OWNER_APPROVED' })).toEqual([]);
    expect(a.send({ type: 'OWNER_WROTE', text: 'other text' })).toEqual([]);
    a.send({ type: 'PUBLISHED' });
    expect(a.send({ type: 'OWNER_APPROVED' })).toEqual([]);
    expect(outcomeOf(a.snapshot)).toBe('posted');
  });

  it('a transient post failure stays in posting without posting again', () => {
    const a = approval();
    a.send({ type: 'OWNER_APPROVED' });
    expect(a.send({ type: 'PUBLISH_FAILED', permanent: false })).toEqual([]);
    expect(a.snapshot.value).toBe('posting');
    expect(a.send({ type: 'PUBLISHED' }).map((c) => c.action)).toEqual(['confirmToOwner']);
  });

  it('a permanent post failure ends as failed and tells the owner', () => {
    const a = approval();
    a.send({ type: 'OWNER_APPROVED' });
    expect(a.send({ type: 'PUBLISH_FAILED', permanent: true })).toEqual([
      { action: 'confirmToOwner', params: { ...id, outcome: 'failed' } },
    ]);
    expect(outcomeOf(a.snapshot)).toBe('failed');
  });

  it('post results before any approval are ignored', () => {
    const a = approval();
    expect(a.send({ type: 'PUBLISHED' })).toEqual([]);
    expect(a.send({ type: 'PUBLISH_FAILED', permanent: true })).toEqual([]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
  });

  it('an action the service forgot to provide fails loudly', () => {
    const actor = createActor(draftApprovalMachine, { input });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    expect(String(errors[0])).toMatch(/not provided/);
  });
});

describe('a stored version-1 review approval', () => {
  // As version 1 persisted it: review replies only, keyed by reviewId.
  const v1 = {
    snapshot: {
      status: 'active',
      value: 'awaitingOwner',
      historyValue: {},
      children: {},
      context: { reviewId: 'rev-9', draft: 'תודה רבה!', reminded: true },
    },
    outbox: [{ type: 'postReply', params: { reviewId: 'rev-9', text: 'תודה רבה!' }, key: 'c:2:0' }],
  };

  it('upgrades to a review subject and goes on where it stopped', () => {
    const upgraded = upgradeDraftApproval(v1, 1);
    expect(upgraded.outbox).toEqual([
      { type: 'publish', params: { subject: 'review', subjectId: 'rev-9', text: 'תודה רבה!' }, key: 'c:2:0' },
    ]);
    const calls: Call[] = [];
    const actor = createActor(fakeMachine(calls), { snapshot: upgraded.snapshot as never, input: cases[0]! }).start();
    actor.send({ type: 'REMINDER_DUE' }); // reminded in version 1 already: no second reminder
    actor.send({ type: 'OWNER_APPROVED' });
    expect(calls).toEqual([{ action: 'publish', params: { subject: 'review', subjectId: 'rev-9', text: 'תודה רבה!' } }]);
  });

  it('leaves current approvals alone', () => {
    expect(upgradeDraftApproval(v1, VERSION)).toBe(v1);
  });
});
