import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  VERSION,
  freeTextAnswer,
  isFinished,
  isHandedOff,
  leadCaptureMachine,
  outcomeOf,
  type LeadCaptureEvent,
  type LeadCaptureInput,
  type Understood,
} from '../../machines/lead-capture.ts';

type Call = { action: string; params?: unknown };

/** The machine with every action recording into `calls`, as the service's outbox would. */
function fakeMachine(calls: Call[]) {
  const record = (action: string) => (_: unknown, params?: unknown) => {
    calls.push(params === undefined ? { action } : { action, params });
  };
  return leadCaptureMachine.provide({
    actions: {
      say: record('say'),
      saveLead: record('saveLead'),
      notifyOwner: record('notifyOwner'),
      scheduleSilenceCheck: record('scheduleSilenceCheck'),
      cancelSilenceCheck: record('cancelSilenceCheck'),
    },
  });
}

/**
 * One conversation as the service runs it: no actor in memory; per event, restore from the
 * persisted JSON snapshot, send one event, persist, stop. `calls` holds the effects of the last step.
 */
function conversation(input: LeadCaptureInput) {
  let calls: Call[] = [];
  const machine = fakeMachine(calls);
  const first = createActor(machine, { input }).start();
  let stored = JSON.stringify(first.getPersistedSnapshot());
  first.stop();
  const initialCalls = calls;
  return {
    initialCalls,
    send(event: LeadCaptureEvent): Call[] {
      calls = [];
      const m = fakeMachine(calls);
      const actor = createActor(m, { snapshot: JSON.parse(stored), input }).start();
      actor.send(event);
      stored = JSON.stringify(actor.getPersistedSnapshot());
      actor.stop();
      return calls;
    },
    get snapshot() {
      return JSON.parse(stored) as { status: string; value: unknown; context: Record<string, unknown> };
    },
  };
}

const msg = (text: string, understood: Partial<Understood> = {}): LeadCaptureEvent => ({
  type: 'CUSTOMER_MESSAGE',
  text,
  understood: { intent: 'none', ...understood },
});

const keys = (calls: Call[]) => calls.map((c) => (c.action === 'say' ? `say:${(c.params as { key: string }).key}` : c.action));

describe('lead capture', () => {
  it('exports a version number to store with every snapshot', () => {
    expect(VERSION).toBeTypeOf('number');
  });

  it('a missed-call conversation waits for the reply and checks for silence from the start', () => {
    const c = conversation({ origin: 'missed_call' });
    expect(c.snapshot.value).toBe('awaitingReply');
    expect(keys(c.initialCalls)).toEqual(['scheduleSilenceCheck']);
  });

  it('an inbound conversation starts silently, then greets and asks the name', () => {
    const c = conversation({ origin: 'inbound' });
    expect(c.initialCalls).toEqual([]);
    const calls = c.send(msg('היי'));
    expect(keys(calls)).toEqual(['say:lead.greeting', 'say:lead.askName', 'scheduleSilenceCheck']);
    expect(c.snapshot.value).toBe('askingName');
  });

  it('an all-in-one Hebrew first answer completes at once', () => {
    const c = conversation({ origin: 'missed_call' });
    const calls = c.send(
      msg('אני דנה, צריכה תיקון לדוד שמש, מחר בבוקר', {
        name: 'דנה',
        need: 'תיקון לדוד שמש',
        preferredTime: 'מחר בבוקר',
      }),
    );
    const lead = { name: 'דנה', need: 'תיקון לדוד שמש', preferredTime: 'מחר בבוקר' };
    expect(calls).toEqual([
      { action: 'say', params: { key: 'lead.thanks', vars: { name: 'דנה' } } },
      { action: 'saveLead', params: { status: 'complete', ...lead } },
      { action: 'notifyOwner', params: { kind: 'lead', ...lead } },
      { action: 'cancelSilenceCheck' },
    ]);
    expect(c.snapshot.status).toBe('done');
    expect(outcomeOf(c.snapshot)).toBe('completed');
  });

  it('an inbound first message with everything is greeted and thanked at once', () => {
    const c = conversation({ origin: 'inbound' });
    const calls = c.send(msg('…', { name: 'Dana', need: 'a boiler fix', preferredTime: 'tomorrow' }));
    expect(keys(calls)).toEqual(['say:lead.greeting', 'say:lead.thanks', 'saveLead', 'notifyOwner', 'cancelSilenceCheck']);
  });

  it('step by step: name, then need, then time, each as plain free text', () => {
    const c = conversation({ origin: 'missed_call' });
    expect(keys(c.send(msg('שלום')))).toEqual(['say:lead.askName', 'scheduleSilenceCheck']);

    expect(c.send(msg('  משה  כהן '))).toEqual([
      { action: 'say', params: { key: 'lead.askNeed', vars: { name: 'משה כהן' } } },
      { action: 'scheduleSilenceCheck' },
    ]);
    expect(c.snapshot.value).toBe('askingNeed');

    expect(keys(c.send(msg('נזילה במטבח')))).toEqual(['say:lead.askTime', 'scheduleSilenceCheck']);
    expect(c.snapshot.value).toBe('askingTime');

    const calls = c.send(msg('מחר אחרי 16:00'));
    expect(calls).toContainEqual({
      action: 'saveLead',
      params: { status: 'complete', name: 'משה כהן', need: 'נזילה במטבח', preferredTime: 'מחר אחרי 16:00' },
    });
    expect(outcomeOf(c.snapshot)).toBe('completed');
  });

  it('details extracted out of order fill their fields and skip those questions', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('צריך אינסטלטור', { need: 'אינסטלטור' }));
    expect(c.snapshot.value).toBe('askingName');
    // Asked for the name, the customer gives it and a time; the need is not asked again.
    const calls = c.send(msg('יוסי, אפשר ביום ראשון', { name: 'יוסי', preferredTime: 'ביום ראשון' }));
    expect(keys(calls)).toContain('saveLead');
    expect(outcomeOf(c.snapshot)).toBe('completed');
  });

  it('an implausible answer re-asks the same question', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('hi'));
    expect(keys(c.send(msg('👍')))).toEqual(['say:lead.askName', 'scheduleSilenceCheck']);
    expect(keys(c.send(msg('why do you need my name?')))).toEqual(['say:lead.askName', 'scheduleSilenceCheck']);
    expect(c.snapshot.value).toBe('askingName');
  });

  it('an answer never overwrites a detail already given', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('Dana', { name: 'Dana' }));
    c.send(msg('for Ruth, a boiler fix', { name: 'Ruth', need: 'a boiler fix' }));
    expect(c.snapshot.context).toMatchObject({ name: 'Dana', need: 'a boiler fix' });
  });

  it('"who is this?" mid-flow introduces the business and re-asks the same question', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('Dana', { name: 'Dana' }));
    expect(c.snapshot.value).toBe('askingNeed');
    const calls = c.send(msg('מי זה?', { intent: 'who_is_this' }));
    expect(calls).toEqual([
      { action: 'say', params: { key: 'lead.whoAreWe', vars: {} } },
      { action: 'say', params: { key: 'lead.askNeed', vars: { name: 'Dana' } } },
      { action: 'scheduleSilenceCheck' },
    ]);
    // The question was not taken as the answer.
    expect(c.snapshot.context.need).toBeUndefined();
    expect(c.snapshot.value).toBe('askingNeed');
  });

  it('"who is this?" as the first reply to a missed call introduces us, then asks the name', () => {
    const c = conversation({ origin: 'missed_call' });
    expect(keys(c.send(msg('who is this', { intent: 'who_is_this' })))).toEqual([
      'say:lead.whoAreWe',
      'say:lead.askName',
      'scheduleSilenceCheck',
    ]);
  });

  it('asking for a human hands off to the owner, and the bot is silent afterwards', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('Dana', { name: 'Dana' }));
    const calls = c.send(msg('נציג', { intent: 'human' }));
    expect(calls).toEqual([
      { action: 'say', params: { key: 'lead.handoff', vars: {} } },
      { action: 'saveLead', params: { status: 'handoff', name: 'Dana' } },
      { action: 'notifyOwner', params: { kind: 'handoff', name: 'Dana' } },
      { action: 'cancelSilenceCheck' },
    ]);
    expect(isFinished(c.snapshot)).toBe(true);
    expect(isHandedOff(c.snapshot)).toBe(true);

    expect(c.send(msg('hello?'))).toEqual([]);
    expect(c.send({ type: 'SILENCE_TIMEOUT', windowOpen: true })).toEqual([]);
    expect(outcomeOf(c.snapshot)).toBe('handedOff');
  });

  it('silence: one nudge inside the window, then the conversation closes with a partial lead', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('Dana', { name: 'Dana' }));
    expect(c.send({ type: 'SILENCE_TIMEOUT', windowOpen: true })).toEqual([
      { action: 'say', params: { key: 'lead.nudge', vars: {} } },
      { action: 'scheduleSilenceCheck' },
    ]);
    expect(c.snapshot.value).toBe('askingNeed');
    expect(c.snapshot.context.nudged).toBe(true);

    expect(c.send({ type: 'SILENCE_TIMEOUT', windowOpen: true })).toEqual([
      { action: 'saveLead', params: { status: 'partial', name: 'Dana' } },
      { action: 'notifyOwner', params: { kind: 'partial_lead', name: 'Dana' } },
      { action: 'cancelSilenceCheck' },
    ]);
    expect(outcomeOf(c.snapshot)).toBe('closed');
  });

  it('a reply after the nudge continues, and later silence closes without a second nudge', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('Dana', { name: 'Dana' }));
    c.send({ type: 'SILENCE_TIMEOUT', windowOpen: true });
    expect(keys(c.send(msg('a boiler fix')))).toEqual(['say:lead.askTime', 'scheduleSilenceCheck']);
    expect(keys(c.send({ type: 'SILENCE_TIMEOUT', windowOpen: true }))).toEqual(['saveLead', 'notifyOwner', 'cancelSilenceCheck']);
  });

  it('silence with the 24-hour window closed closes at once, keeping a partial lead', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('Dana', { name: 'Dana' }));
    const calls = c.send({ type: 'SILENCE_TIMEOUT', windowOpen: false });
    expect(keys(calls)).toEqual(['saveLead', 'notifyOwner', 'cancelSilenceCheck']);
    expect(calls[0]).toEqual({ action: 'saveLead', params: { status: 'partial', name: 'Dana' } });
    expect(outcomeOf(c.snapshot)).toBe('closed');
  });

  it('a missed caller who never replies is closed as a partial lead with nothing learnt', () => {
    const c = conversation({ origin: 'missed_call' });
    expect(c.send({ type: 'SILENCE_TIMEOUT', windowOpen: false })).toEqual([
      { action: 'saveLead', params: { status: 'partial' } },
      { action: 'notifyOwner', params: { kind: 'partial_lead' } },
      { action: 'cancelSilenceCheck' },
    ]);
  });

  it('opting out ends quietly: no message, no lead, no alert', () => {
    const c = conversation({ origin: 'missed_call' });
    c.send(msg('Dana', { name: 'Dana' }));
    expect(c.send({ type: 'OPTED_OUT' })).toEqual([{ action: 'cancelSilenceCheck' }]);
    expect(outcomeOf(c.snapshot)).toBe('optedOut');
    expect(c.send(msg('a boiler fix'))).toEqual([]);
  });

  it('a snapshot persisted after a step restores into a new actor and continues', () => {
    const calls: Call[] = [];
    const machine = fakeMachine(calls);
    const input = { origin: 'inbound' } as const;
    const a = createActor(machine, { input }).start();
    a.send(msg('שלום'));
    a.send(msg('רונית'));
    const persisted = JSON.parse(JSON.stringify(a.getPersistedSnapshot()));
    a.stop();
    expect(persisted.value).toBe('askingNeed');

    calls.length = 0;
    const b = createActor(machine, { snapshot: persisted, input }).start();
    // Restoring re-runs no entry actions: nothing is asked twice.
    expect(calls).toEqual([]);
    b.send(msg('ניקיון דירה'));
    expect(b.getSnapshot().value).toBe('askingTime');
    b.send(msg('יום חמישי'));
    expect(b.getSnapshot().status).toBe('done');
    expect(calls).toContainEqual({
      action: 'saveLead',
      params: { status: 'complete', name: 'רונית', need: 'ניקיון דירה', preferredTime: 'יום חמישי' },
    });
    b.stop();
  });

  it('an action the service forgot to provide fails loudly', () => {
    const actor = createActor(leadCaptureMachine, { input: { origin: 'missed_call' } });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    expect(String(errors[0])).toMatch(/not provided/);
  });
});

describe('free-text answers', () => {
  it('takes a short name of letters, and refuses questions, numbers and sentences', () => {
    expect(freeTextAnswer('name', ' דנה ')).toBe('דנה');
    expect(freeTextAnswer('name', 'أحمد خليل')).toBe('أحمد خليل');
    expect(freeTextAnswer('name', 'למה?')).toBeUndefined();
    expect(freeTextAnswer('name', '0521234567')).toBeUndefined();
    expect(freeTextAnswer('name', 'I need someone to fix my boiler please')).toBeUndefined();
    expect(freeTextAnswer('name', '🙂')).toBeUndefined();
  });

  it('takes any need with words, and a short time', () => {
    expect(freeTextAnswer('need', 'x'.repeat(600))).toHaveLength(500);
    expect(freeTextAnswer('need', '!!!')).toBeUndefined();
    expect(freeTextAnswer('preferredTime', '17:00')).toBe('17:00');
    expect(freeTextAnswer('preferredTime', 'מחר '.repeat(50))).toBeUndefined();
  });
});
