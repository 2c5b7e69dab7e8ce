/**
 * Settings by chat (flow F4), modelled by machines/owner-settings.ts: `הגדרות` opens a persisted
 * conversation that shows the menu; the owner's next messages pick an item and give its value.
 * Each change goes through the same validation as `findo tenant set`, is confirmed and written to
 * the activity feed. A conversation left alone for 30 minutes no longer catches the owner's
 * messages.
 */
import { recordActivity } from '../activity.ts';
import {
  advanceConversation,
  snapshotOf,
  flushOutbox,
  startConversation,
  type ConversationDefinition,
  type EffectHandlers,
  type EffectRun,
} from '../conversations.ts';
import {
  ConversationModel,
  TenantModel,
  WEEKDAY_SETTINGS,
  type Conversation,
  type Tenant,
  type WeekdaySetting,
} from '../db/models/index.ts';
import { parseQuietHours } from '../durations.ts';
import { normalizeForMatch, parseOwnerCommand } from '../intents.ts';
import { withLock } from '../locks.ts';
import { sendMessage } from '../outbound/sender.ts';
import type { Services } from '../services.ts';
import { setTenantSettings, TenantInputError, validateTenantSettings } from '../tenants.ts';
import { t, type Language } from '../texts/index.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';
import {
  isAtMenu,
  ownerSettingsMachine,
  pickedItemOf,
  SETTING_ITEMS,
  VERSION,
  type OwnerSettingsEvent,
  type SettingItem,
} from '../../machines/owner-settings.ts';

export const ownerSettings: ConversationDefinition<typeof ownerSettingsMachine> = {
  kind: 'owner_settings',
  machine: ownerSettingsMachine,
  version: VERSION,
};

/** After this long without an answer, the menu no longer catches the owner's messages. */
export const SETTINGS_IDLE_MS = 30 * 60_000;

const lockKey = (phone: string) => `owner-settings:${phone}`;

/** The owner wrote `הגדרות`: a new settings conversation (any earlier one ends) shows the menu. */
export async function openOwnerSettings(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<void> {
  await withLock(tenant.id, lockKey(item.from), async () => {
    await ConversationModel.updateMany(
      { tenantId: tenant.id, phone: item.from, kind: 'owner_settings', status: 'open' },
      { $set: { status: 'closed', closedAt: new Date(), closedReason: 'reopened' } },
    );
    const started = await startConversation(ownerSettings, { tenantId: tenant.id, phone: item.from }, undefined);
    await flushOutbox(started, effects(services, tenant));
  });
}

/**
 * An owner's message, if it answers an open settings conversation. Returns false to let the
 * owner's commands have it: no conversation, an idle one, or a message that is not an answer
 * (which also ends the conversation).
 */
export async function handleOwnerSettingsReply(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<boolean> {
  const text = item.text?.trim();
  if (!text) return false;
  return withLock(tenant.id, lockKey(item.from), async () => {
    const conversation = await ConversationModel.findOne({
      tenantId: tenant.id,
      phone: item.from,
      kind: 'owner_settings',
      status: 'open',
    }).sort({ createdAt: -1 });
    if (!conversation || conversation.machineVersion !== VERSION) return false;
    if (Date.now() - conversation.updatedAt.getTime() > SETTINGS_IDLE_MS) {
      await ConversationModel.updateOne(
        { tenantId: tenant.id, _id: conversation._id },
        { $set: { status: 'closed', closedAt: new Date(), closedReason: 'idle' } },
      );
      return false;
    }
    const event = await eventFor(tenant, conversation, text);
    await advanceConversation(ownerSettings, conversation, event, `wa:${item.messageId}`, effects(services, tenant));
    return event.type !== 'LEFT';
  });
}

/** What the owner's words mean to the conversation in its current state. */
async function eventFor(tenant: Tenant, conversation: Conversation, text: string): Promise<OwnerSettingsEvent> {
  const snapshot = snapshotOf(conversation);
  if (parseOwnerCommand(text) !== null) return { type: 'LEFT' };
  if (isAtMenu(snapshot)) {
    const number = /^\s*(\d)\s*$/.exec(text)?.[1];
    const item = number ? SETTING_ITEMS[Number(number) - 1] : undefined;
    if (!item) return { type: 'LEFT' };
    if (item === 'paused') return { type: 'CHOSE', item, change: `paused=${!tenant.settings.paused}` };
    return { type: 'CHOSE', item };
  }
  const item = pickedItemOf(snapshot);
  if (item) {
    const change = changeFromWords(item, text);
    if (!change) return { type: 'VALUE', change: null };
    try {
      await validateTenantSettings(tenant, [change]);
      return { type: 'VALUE', change };
    } catch (error) {
      if (error instanceof TenantInputError) return { type: 'VALUE', change: null };
      throw error;
    }
  }
  return { type: 'LEFT' };
}

const OFF_WORDS = new Set(
  ['כבוי', 'כבויות', 'בטל', 'ביטול', 'לא', 'off', 'none', 'no', 'ايقاف', 'لا', 'لا شيء', 'متوقف'].map(normalizeForMatch),
);
const NO_STARS_WORDS = new Set(['אף אחת', 'אף אחד', 'אף ביקורת', 'none', 'no', 'never', 'لا شيء', 'ولا واحد', '0'].map(normalizeForMatch));

/** Weekday names as owners write them, in each language, to the setting's code. */
const DAY_WORDS: ReadonlyMap<string, WeekdaySetting> = new Map(
  (
    [
      ['sun', ['ראשון', 'יום ראשון', 'א', 'sun', 'sunday', 'الاحد', 'احد']],
      ['mon', ['שני', 'יום שני', 'ב', 'mon', 'monday', 'الاثنين', 'اثنين']],
      ['tue', ['שלישי', 'יום שלישי', 'ג', 'tue', 'tuesday', 'الثلاثاء', 'ثلاثاء']],
      ['wed', ['רביעי', 'יום רביעי', 'ד', 'wed', 'wednesday', 'الاربعاء', 'اربعاء']],
      ['thu', ['חמישי', 'יום חמישי', 'ה', 'thu', 'thursday', 'الخميس', 'خميس']],
      ['fri', ['שישי', 'יום שישי', 'ו', 'fri', 'friday', 'الجمعه', 'جمعه']],
      ['sat', ['שבת', 'יום שבת', 'ש', 'sat', 'saturday', 'السبت', 'سبت']],
    ] as const
  ).flatMap(([day, words]) => words.map((w) => [normalizeForMatch(w), day] as const)),
);

/** Duration units as owners write them, to the `findo tenant set` suffix. */
const UNIT_WORDS: ReadonlyMap<string, 'm' | 'h' | 'd'> = new Map(
  (
    [
      ['m', ['m', 'min', 'mins', 'minute', 'minutes', 'דקה', 'דקות', 'دقيقه', 'دقائق']],
      ['h', ['h', 'hour', 'hours', 'שעה', 'שעות', 'ساعه', 'ساعات']],
      ['d', ['d', 'day', 'days', 'יום', 'ימים', 'يوم', 'ايام']],
    ] as const
  ).flatMap(([unit, words]) => words.map((w) => [normalizeForMatch(w), unit] as const)),
);

/** Words that are themselves an amount: "שעתיים", "יומיים", "a day". */
const AMOUNT_WORDS: ReadonlyMap<string, string> = new Map(
  (
    [
      ['1h', ['שעה', 'an hour', 'ساعه']],
      ['2h', ['שעתיים', 'ساعتين']],
      ['1d', ['יום', 'a day', 'يوم']],
      ['2d', ['יומיים', 'يومين']],
    ] as const
  ).flatMap(([amount, words]) => words.map((w) => [normalizeForMatch(w), amount] as const)),
);

/**
 * The `key=value` pair an owner's words mean for an item, or null when they are not understood.
 * The pair is then checked by the same validation as `findo tenant set`.
 */
export function changeFromWords(item: SettingItem, text: string): string | null {
  const words = normalizeForMatch(text);
  switch (item) {
    case 'paused':
      return null;
    case 'quietHours': {
      if (OFF_WORDS.has(words)) return 'quietHours=off';
      const hours = /^(\d{1,2})(?:[:.](\d{2}))?\s*[-–—]\s*(\d{1,2})(?:[:.](\d{2}))?$/.exec(text.trim().replace(/\s+/g, ' '));
      if (!hours) return null;
      const [, fromH, fromM = '00', toH, toM = '00'] = hours;
      const value = `${fromH.padStart(2, '0')}:${fromM}-${toH.padStart(2, '0')}:${toM}`;
      try {
        parseQuietHours(value);
      } catch {
        return null;
      }
      return `quietHours=${value}`;
    }
    case 'autoReplyMinStars':
      if (NO_STARS_WORDS.has(words)) return 'autoReplyMinStars=6';
      return /^[1-5]$/.test(words) ? `autoReplyMinStars=${words}` : null;
    case 'reviewRequestDelay': {
      const amount = AMOUNT_WORDS.get(words);
      if (amount) return `reviewRequestDelay=${amount}`;
      const counted = /^(\d{1,4}) ?(.*)$/.exec(words);
      if (!counted) return null;
      // A bare number is hours: "3" after "how long to wait?" means three hours.
      const unit = counted[2] ? UNIT_WORDS.get(counted[2]) : 'h';
      return unit ? `reviewRequestDelay=${counted[1]}${unit}` : null;
    }
    case 'photoRequestDay':
    case 'postDay': {
      const day = OFF_WORDS.has(words) ? 'off' : (DAY_WORDS.get(words) ?? (WEEKDAY_SETTINGS as readonly string[]).find((d) => d === words));
      return day ? `${item}=${day}` : null;
    }
  }
}

/** A duration in plain words: the largest whole unit ("3 שעות", "2 days"). */
function durationInWords(language: Language, ms: number): string {
  const units = [
    ['words.days', 86_400_000],
    ['words.hours', 3_600_000],
    ['words.minutes', 60_000],
  ] as const;
  for (const [key, size] of units) if (ms % size === 0) return t(language, key, { n: ms / size });
  return t(language, 'words.seconds', { n: Math.round(ms / 1000) });
}

/** Each menu item's current value, in plain words. */
function currentValues(tenant: Tenant): Record<SettingItem, string> {
  const language = tenant.language;
  const s = tenant.settings;
  const day = (value: string) => t(language, `day.${value as WeekdaySetting}`);
  return {
    paused: t(language, s.paused ? 'owner.settings.value.paused' : 'owner.settings.value.running'),
    quietHours: s.quietHours === 'off' ? t(language, 'owner.settings.value.off') : s.quietHours,
    autoReplyMinStars:
      s.autoReplyMinStars >= 6
        ? t(language, 'owner.settings.value.starsNone')
        : t(language, 'owner.settings.value.starsFrom', { stars: s.autoReplyMinStars }),
    reviewRequestDelay: durationInWords(language, s.reviewRequestDelay),
    photoRequestDay: day(s.photoRequestDay),
    postDay: day(s.postDay),
  };
}

/** The numbered settings, one line each, as the menu and a confirmation show them. */
function settingsLines(tenant: Tenant): string {
  const v = currentValues(tenant);
  return t(tenant.language, 'owner.settings.lines', {
    paused: v.paused,
    quietHours: v.quietHours,
    stars: v.autoReplyMinStars,
    delay: v.reviewRequestDelay,
    photoDay: v.photoRequestDay,
    postDay: v.postDay,
  });
}

/** The settings machine's effects; every message is keyed by its effect. */
function effects(services: Services, tenant: Tenant): EffectHandlers<typeof ownerSettingsMachine> {
  const language = tenant.language;
  const toOwner = ({ key, conversation }: EffectRun, text: string) =>
    sendMessage(services, {
      tenantId: tenant.id,
      phone: conversation.phone,
      audience: 'owner',
      idempotencyKey: key,
      conversationId: conversation.id,
      content: { kind: 'text', text },
    });
  // Read afresh: the menu and the confirmation show the settings as they are now.
  const current = async () => (await TenantModel.findById(tenant._id)) ?? tenant;
  return {
    showMenu: async (_, run) => {
      await toOwner(run, t(language, 'owner.settings.menu', { lines: settingsLines(await current()) }));
    },
    askValue: async ({ item }, run) => {
      if (item === 'paused') return;
      await toOwner(run, t(language, `owner.settings.ask.${item}`, { current: currentValues(await current())[item] }));
    },
    explainValue: async ({ item }, run) => {
      if (item === 'paused') return;
      await toOwner(run, t(language, `owner.settings.example.${item}`));
    },
    applySetting: async ({ change }, run) => {
      // Idempotent: a replayed outbox sets the same value again.
      const updated = await setTenantSettings(await current(), [change], services.vault);
      await recordActivity(
        tenant.id,
        'tenant.changed',
        `owner ${run.conversation.phone} changed ${change} by WhatsApp`,
        run.conversation.id,
      );
      await toOwner(run, t(language, 'owner.settings.changed', { lines: settingsLines(updated) }));
    },
  };
}
