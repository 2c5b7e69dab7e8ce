import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { changeFromWords } from '../../bot/flows/owner-settings.ts';
import { isAtMenu, isAwaitingValue, ownerSettingsMachine, VERSION, type OwnerSettingsEvent } from '../../machines/owner-settings.ts';

type Call = { action: string; params?: unknown };

/** As the service runs it: restore from the persisted JSON per event, send one, persist, stop. */
function settingsConversation() {
  const calls: Call[] = [];
  const record = (action: string) => (_: unknown, params?: unknown) => void calls.push({ action, params });
  const machine = ownerSettingsMachine.provide({
    actions: {
      showMenu: record('showMenu'),
      askValue: record('askValue'),
      applySetting: record('applySetting'),
      explainValue: record('explainValue'),
    },
  });
  const first = createActor(machine).start();
  let stored = JSON.stringify(first.getPersistedSnapshot());
  first.stop();
  return {
    calls,
    send(event: OwnerSettingsEvent) {
      const actor = createActor(machine, { snapshot: JSON.parse(stored) }).start();
      actor.send(event);
      stored = JSON.stringify(actor.getPersistedSnapshot());
      actor.stop();
      return JSON.parse(stored) as { status: string; value: unknown };
    },
    get snapshot() {
      return JSON.parse(stored) as { status: string; value: unknown };
    },
  };
}

describe('owner-settings machine', () => {
  it('has a version', () => expect(VERSION).toBeGreaterThanOrEqual(1));

  it('shows the menu when it starts', () => {
    const c = settingsConversation();
    expect(c.calls).toEqual([{ action: 'showMenu', params: {} }]);
    expect(isAtMenu(c.snapshot)).toBe(true);
  });

  it('pause/resume changes at once and ends: one change per menu', () => {
    const c = settingsConversation();
    const after = c.send({ type: 'CHOSE', item: 'paused', change: 'paused=true' });
    expect(c.calls.slice(1)).toEqual([{ action: 'applySetting', params: { item: 'paused', change: 'paused=true' } }]);
    expect(after.status).toBe('done');
  });

  it('another item asks for its value; a value not understood is explained and changes nothing; a good one is applied', () => {
    const c = settingsConversation();
    c.send({ type: 'CHOSE', item: 'quietHours' });
    expect(isAwaitingValue(c.snapshot)).toBe(true);
    expect(c.calls.at(-1)).toEqual({ action: 'askValue', params: { item: 'quietHours' } });

    c.send({ type: 'VALUE', change: null });
    expect(c.calls.at(-1)).toEqual({ action: 'explainValue', params: { item: 'quietHours' } });
    expect(c.calls.some((call) => call.action === 'applySetting')).toBe(false);
    expect(isAwaitingValue(c.snapshot)).toBe(true);

    const after = c.send({ type: 'VALUE', change: 'quietHours=22:00-07:00' });
    expect(c.calls.at(-1)).toEqual({ action: 'applySetting', params: { item: 'quietHours', change: 'quietHours=22:00-07:00' } });
    expect(after.status).toBe('done');
  });

  it('leaving (a command instead of an answer) ends it with nothing changed, from the menu or a question', () => {
    const atMenu = settingsConversation();
    expect(atMenu.send({ type: 'LEFT' }).status).toBe('done');
    const asked = settingsConversation();
    asked.send({ type: 'CHOSE', item: 'postDay' });
    expect(asked.send({ type: 'LEFT' }).status).toBe('done');
    for (const c of [atMenu, asked]) expect(c.calls.some((call) => call.action === 'applySetting')).toBe(false);
  });

  it('ignores a value while the menu is shown, and a second choice after the change', () => {
    const c = settingsConversation();
    c.send({ type: 'VALUE', change: 'postDay=off' });
    expect(isAtMenu(c.snapshot)).toBe(true);
    c.send({ type: 'CHOSE', item: 'paused', change: 'paused=false' });
    c.send({ type: 'CHOSE', item: 'paused', change: 'paused=true' });
    expect(c.calls.filter((call) => call.action === 'applySetting')).toHaveLength(1);
  });
});

describe('changeFromWords (the owner’s words as a setting)', () => {
  it.each([
    ['quietHours', 'כבוי', 'quietHours=off'],
    ['quietHours', '22:00-07:00', 'quietHours=22:00-07:00'],
    ['quietHours', '22 - 7', 'quietHours=22:00-07:00'],
    ['quietHours', '25:00-07:00', null],
    ['quietHours', 'בערב', null],
    ['autoReplyMinStars', '4', 'autoReplyMinStars=4'],
    ['autoReplyMinStars', 'אף אחת', 'autoReplyMinStars=6'],
    ['autoReplyMinStars', '7', null],
    ['reviewRequestDelay', '3 שעות', 'reviewRequestDelay=3h'],
    ['reviewRequestDelay', 'יומיים', 'reviewRequestDelay=2d'],
    ['reviewRequestDelay', '2 days', 'reviewRequestDelay=2d'],
    ['reviewRequestDelay', '24h', 'reviewRequestDelay=24h'],
    ['reviewRequestDelay', '5', 'reviewRequestDelay=5h'],
    ['reviewRequestDelay', 'מחר', null],
    ['photoRequestDay', 'שלישי', 'photoRequestDay=tue'],
    ['photoRequestDay', 'יום שישי', 'photoRequestDay=fri'],
    ['postDay', 'Thursday', 'postDay=thu'],
    ['postDay', 'الخميس', 'postDay=thu'],
    ['postDay', 'off', 'postDay=off'],
    ['postDay', 'יום הולדת', null],
  ] as const)('%s: "%s" → %s', (item, words, change) => {
    expect(changeFromWords(item, words)).toBe(change);
  });
});
