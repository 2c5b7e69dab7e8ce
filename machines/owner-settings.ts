/**
 * Settings by chat (SPEC §7 F4): the owner writes `הגדרות`, sees a numbered menu of their settings
 * in plain words, picks one by number and gives its new value. One change per conversation; a
 * value that is not understood gets an example of a good one and changes nothing.
 *
 * Pure, like every machine here: the service restores it per event from the persisted snapshot.
 * Understanding the owner's words (a number, "22:00-07:00", "ראשון") is the service's: it sends
 * `CHOSE` with the item, and `VALUE` with the `key=value` pair it understood, or null.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';

/**
 * Version of this machine's states and context, stored with every snapshot. Bump it on any change
 * that an old snapshot could not be restored into.
 */
export const VERSION = 1;

/** The menu, in its order: menu number N is `SETTING_ITEMS[N - 1]`. Each is a tenant setting key. */
export const SETTING_ITEMS = ['paused', 'quietHours', 'autoReplyMinStars', 'reviewRequestDelay', 'photoRequestDay', 'postDay'] as const;
export type SettingItem = (typeof SETTING_ITEMS)[number];

export interface OwnerSettingsContext {
  /** The item the owner picked, once picked. */
  item?: SettingItem;
}

export type OwnerSettingsEvent =
  /**
   * The owner picked a menu item. `change` is set for an item whose choice is itself the change
   * (pause/resume flips): the `key=value` pair to apply at once.
   */
  | { type: 'CHOSE'; item: SettingItem; change?: string }
  /** The owner gave a value: the `key=value` pair understood from it, or null. */
  | { type: 'VALUE'; change: string | null }
  /** The owner wrote something else (a command): the settings conversation ends, nothing changes. */
  | { type: 'LEFT' };

/** The named actions the service must provide, each with its params. */
export interface OwnerSettingsActionParams {
  /** Send the menu with the current values. */
  showMenu: Record<string, never>;
  /** Ask for the new value of an item, showing its current value and an example. */
  askValue: { item: SettingItem };
  /** Apply one `key=value` change, record it in the activity feed and confirm it to the owner. */
  applySetting: { item: SettingItem; change: string };
  /** The value was not understood: show an example of a good one. */
  explainValue: { item: SettingItem };
}

type Params<K extends keyof OwnerSettingsActionParams> = OwnerSettingsActionParams[K];

const notProvided = (name: string) => (): never => {
  throw new Error(`owner-settings: action "${name}" not provided`);
};

export const ownerSettingsMachine = setup({
  types: {} as {
    context: OwnerSettingsContext;
    events: OwnerSettingsEvent;
  },
  actions: {
    showMenu: notProvided('showMenu') as (_: unknown, p: Params<'showMenu'>) => void,
    askValue: notProvided('askValue') as (_: unknown, p: Params<'askValue'>) => void,
    applySetting: notProvided('applySetting') as (_: unknown, p: Params<'applySetting'>) => void,
    explainValue: notProvided('explainValue') as (_: unknown, p: Params<'explainValue'>) => void,
  },
  guards: {
    changesAtOnce: ({ event }) => event.type === 'CHOSE' && event.change !== undefined,
    understood: ({ event }) => event.type === 'VALUE' && event.change !== null,
  },
}).createMachine({
  id: 'ownerSettings',
  context: {},
  initial: 'menu',
  states: {
    menu: {
      entry: { type: 'showMenu', params: {} },
      on: {
        CHOSE: [
          {
            guard: 'changesAtOnce',
            target: 'changed',
            actions: [
              assign({ item: ({ event }) => event.item }),
              { type: 'applySetting', params: ({ event }) => ({ item: event.item, change: event.change! }) },
            ],
          },
          { target: 'awaitingValue', actions: assign({ item: ({ event }) => event.item }) },
        ],
        LEFT: { target: 'left' },
      },
    },
    awaitingValue: {
      entry: { type: 'askValue', params: ({ context }) => ({ item: context.item! }) },
      on: {
        VALUE: [
          {
            guard: 'understood',
            target: 'changed',
            actions: { type: 'applySetting', params: ({ context, event }) => ({ item: context.item!, change: event.change! }) },
          },
          { actions: { type: 'explainValue', params: ({ context }) => ({ item: context.item! }) } },
        ],
        LEFT: { target: 'left' },
      },
    },
    changed: { type: 'final' },
    left: { type: 'final' },
  },
});

/** The live snapshot, or the persisted JSON the service loads from MongoDB. */
type SnapshotLike = Pick<SnapshotFrom<typeof ownerSettingsMachine>, 'status' | 'value'> | { status: string; value: unknown };

/** Whether the menu is shown and waits for a number. */
export const isAtMenu = (snapshot: SnapshotLike): boolean => snapshot.status === 'active' && snapshot.value === 'menu';

/** Whether a picked item waits for its new value. */
export const isAwaitingValue = (snapshot: SnapshotLike): boolean => snapshot.status === 'active' && snapshot.value === 'awaitingValue';

/** The item whose value is asked for, or null at the menu and after the end. */
export function pickedItemOf(snapshot: SnapshotLike & { context?: OwnerSettingsContext }): SettingItem | null {
  return isAwaitingValue(snapshot) ? (snapshot.context?.item ?? null) : null;
}
