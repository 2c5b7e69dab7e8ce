import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  VERSION,
  isAwaitingOwner,
  isFinished,
  outcomeOf,
  reviewApprovalMachine,
  type ReviewApprovalEvent,
} from '../../machines/review-approval.ts';

type Call = { action: string; params?: unknown };

function fakeMachine(calls: Call[]) {
  const record = (action: string) => (_: unknown, params?: unknown) => {
    calls.push({ action, params });
  };
  return reviewApprovalMachine.provide({
    actions: {
      sendDraftToOwner: record('sendDraftToOwner'),
      scheduleReminder: record('scheduleReminder'),
      remindOwner: record('remindOwner'),
      postReply: record('postReply'),
      confirmToOwner: record('confirmToOwner'),
    },
  });
}

const input = { reviewId: 'rev-1', draft: 'תודה על המשוב, נשמח לתקן.' };

/** As the service runs it: restore from the persisted JSON per event, send one, persist, stop. */
function approval() {
  let calls: Call[] = [];
  const first = createActor(fakeMachine(calls), { input }).start();
  let stored = JSON.stringify(first.getPersistedSnapshot());
  first.stop();
  const initialCalls = calls;
  return {
    initialCalls,
    send(event: ReviewApprovalEvent): Call[] {
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

describe('review approval', () => {
  it('exports a version number to store with every snapshot', () => {
    expect(VERSION).toBeTypeOf('number');
  });

  it('starts by sending the draft to the owner and scheduling a reminder', () => {
    const a = approval();
    expect(a.initialCalls).toEqual([
      { action: 'sendDraftToOwner', params: { reviewId: 'rev-1', draft: input.draft } },
      { action: 'scheduleReminder', params: { reviewId: 'rev-1' } },
    ]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
  });

  it('approval posts the draft, and the post confirms to the owner', () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_APPROVED' })).toEqual([{ action: 'postReply', params: { reviewId: 'rev-1', text: input.draft } }]);
    expect(a.snapshot.value).toBe('posting');
    expect(isAwaitingOwner(a.snapshot)).toBe(false);
    expect(a.send({ type: 'REPLY_POSTED' })).toEqual([{ action: 'confirmToOwner', params: { reviewId: 'rev-1', outcome: 'posted' } }]);
    expect(isFinished(a.snapshot)).toBe(true);
    expect(outcomeOf(a.snapshot)).toBe('posted');
  });

  it("the owner's own text is posted instead of the draft", () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_WROTE', text: '  מצטערים מאוד, נחזור אליך היום.  ' })).toEqual([
      { action: 'postReply', params: { reviewId: 'rev-1', text: 'מצטערים מאוד, נחזור אליך היום.' } },
    ]);
  });

  it('an empty text from the owner posts nothing', () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_WROTE', text: '   ' })).toEqual([]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
  });

  it('skipping posts nothing and confirms the skip', () => {
    const a = approval();
    expect(a.send({ type: 'OWNER_SKIPPED' })).toEqual([{ action: 'confirmToOwner', params: { reviewId: 'rev-1', outcome: 'skipped' } }]);
    expect(outcomeOf(a.snapshot)).toBe('skipped');
    expect(a.send({ type: 'OWNER_APPROVED' })).toEqual([]);
  });

  it('the owner is reminded once; later reminders are ignored', () => {
    const a = approval();
    expect(a.send({ type: 'REMINDER_DUE' })).toEqual([{ action: 'remindOwner', params: { reviewId: 'rev-1', draft: input.draft } }]);
    expect(a.send({ type: 'REMINDER_DUE' })).toEqual([]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
    // The approval still works after the reminder.
    expect(a.send({ type: 'OWNER_APPROVED' }).map((c) => c.action)).toEqual(['postReply']);
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
    a.send({ type: 'REPLY_POSTED' });
    expect(a.send({ type: 'OWNER_APPROVED' })).toEqual([]);
    expect(outcomeOf(a.snapshot)).toBe('posted');
  });

  it('a transient post failure stays in posting without posting again', () => {
    const a = approval();
    a.send({ type: 'OWNER_APPROVED' });
    expect(a.send({ type: 'POST_FAILED', permanent: false })).toEqual([]);
    expect(a.snapshot.value).toBe('posting');
    expect(a.send({ type: 'REPLY_POSTED' }).map((c) => c.action)).toEqual(['confirmToOwner']);
  });

  it('a permanent post failure ends as failed and tells the owner', () => {
    const a = approval();
    a.send({ type: 'OWNER_APPROVED' });
    expect(a.send({ type: 'POST_FAILED', permanent: true })).toEqual([
      { action: 'confirmToOwner', params: { reviewId: 'rev-1', outcome: 'failed' } },
    ]);
    expect(outcomeOf(a.snapshot)).toBe('failed');
  });

  it('post results before any approval are ignored', () => {
    const a = approval();
    expect(a.send({ type: 'REPLY_POSTED' })).toEqual([]);
    expect(a.send({ type: 'POST_FAILED', permanent: true })).toEqual([]);
    expect(isAwaitingOwner(a.snapshot)).toBe(true);
  });

  it('an action the service forgot to provide fails loudly', () => {
    const actor = createActor(reviewApprovalMachine, { input });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    expect(String(errors[0])).toMatch(/not provided/);
  });
});
