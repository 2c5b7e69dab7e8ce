/**
 * Tenant administration: create, find by id or slug, change settings, rotate webhook keys.
 * Every change is one atomic single-document update; a bad value changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import { parseDuration, parseQuietHours } from './durations.ts';
import {
  LANGUAGES,
  TenantModel,
  WEBHOOK_PROVIDERS,
  WEEKDAY_SETTINGS,
  webhookKeyDigest,
  type Language,
  type Tenant,
  type WebhookProvider,
} from './db/models/index.ts';
import { isWhatsAppReachable, toE164 } from '../lib/phone.ts';
import { deleteSecret, putSecret } from './secrets.ts';
import type { Vault } from './vault.ts';

/** A staff mistake in what was asked (bad value, unknown key): reported as a usage error. */
export class TenantInputError extends Error {
  override name = 'TenantInputError';
}

export class TenantNotFoundError extends Error {
  override name = 'TenantNotFoundError';
  constructor(ref: string) {
    super(`no tenant with id or slug "${ref}"`);
  }
}

export type WebhookKeys = Record<WebhookProvider, string>;

/** 24 random bytes (192 bits) per key, URL-safe. */
const newWebhookKey = () => randomBytes(24).toString('base64url');

function newWebhookKeys(): WebhookKeys {
  return Object.fromEntries(WEBHOOK_PROVIDERS.map((p) => [p, newWebhookKey()])) as WebhookKeys;
}

const digestsOf = (keys: WebhookKeys) => Object.fromEntries(Object.entries(keys).map(([p, k]) => [p, webhookKeyDigest(k)])) as WebhookKeys;

export const webhookUrls = (publicUrl: string, keys: WebhookKeys): WebhookKeys =>
  Object.fromEntries(WEBHOOK_PROVIDERS.map((p) => [p, `${publicUrl}/webhooks/${p}/${keys[p]}`])) as WebhookKeys;

/** A readable slug from the name; Hebrew/Arabic names fall back to `business`. */
function slugBase(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return ascii || 'business';
}

async function uniqueSlug(name: string): Promise<string> {
  const base = slugBase(name);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await TenantModel.exists({ slug: candidate }))) return candidate;
  }
}

/** Owner phones: each a number WhatsApp reaches (owners get alerts there), none twice. */
function parseOwnerPhones(values: string[]): string[] {
  const phones = values.map((raw) => {
    const e164 = toE164(raw);
    if (!e164) throw new TenantInputError(`"${raw}" is not a phone number`);
    if (!isWhatsAppReachable(e164))
      throw new TenantInputError(`"${raw}" is a landline: owners get their alerts on WhatsApp, give a mobile`);
    return e164;
  });
  const repeated = phones.find((phone, i) => phones.indexOf(phone) !== i);
  if (repeated) throw new TenantInputError(`owner phone ${repeated} is given twice`);
  return phones;
}

/** A review link goes into WhatsApp templates: https only, and nothing that could be markup. */
const urlValue = z.url({ protocol: /^https$/ }).refine((url) => !/[<>"'`\s]/.test(url), 'must not contain markup, quotes or spaces');
const timezoneValue = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not a known time zone');

export interface CreateTenantInput {
  name: string;
  ownerPhones: string[];
  whatsappNumberId?: string;
  reviewLink?: string;
  language?: string;
  timezone?: string;
}

export async function createTenant(input: CreateTenantInput, vault: Vault): Promise<{ tenant: Tenant; webhookKeys: WebhookKeys }> {
  const name = input.name.trim();
  if (!name) throw new TenantInputError('--name must not be empty');
  if (input.ownerPhones.length === 0) throw new TenantInputError('at least one --owner-phone is required');
  const ownerPhones = parseOwnerPhones(input.ownerPhones);
  const language = (input.language ?? 'he') as Language;
  if (!(LANGUAGES as readonly string[]).includes(language)) throw new TenantInputError(`--language must be one of ${LANGUAGES.join(', ')}`);
  const timezone = input.timezone ?? 'Asia/Jerusalem';
  if (!timezoneValue.safeParse(timezone).success) throw new TenantInputError(`--timezone "${timezone}" is not a known time zone`);
  if (input.reviewLink && !urlValue.safeParse(input.reviewLink).success) throw new TenantInputError(REVIEW_LINK_RULE('--review-link'));
  if (input.whatsappNumberId !== undefined) await assertNumberIdFree(input.whatsappNumberId);

  const webhookKeys = newWebhookKeys();
  const tenant = await TenantModel.create({
    name,
    slug: await uniqueSlug(name),
    language,
    timezone,
    ownerPhones,
    whatsappNumberId: input.whatsappNumberId,
    reviewLink: input.reviewLink,
    webhookKeyDigests: digestsOf(webhookKeys),
  });
  await storeWebhookKeys(tenant.id, webhookKeys, vault);
  return { tenant, webhookKeys };
}

async function storeWebhookKeys(tenantId: string, keys: WebhookKeys, vault: Vault) {
  await putSecret(tenantId, 'webhookKeys', JSON.stringify(keys), vault);
}

async function assertNumberIdFree(whatsappNumberId: string, exceptTenantId?: string) {
  if (!/^\d{5,20}$/.test(whatsappNumberId)) {
    throw new TenantInputError(`whatsappNumberId must be the numeric phone number id from Meta (whatsappNumberId=${CLEAR} removes it)`);
  }
  const other = await TenantModel.findOne({ whatsappNumberId }, { _id: 1 });
  if (other && other.id !== exceptTenantId)
    throw new TenantInputError(`whatsappNumberId ${whatsappNumberId} already belongs to another tenant`);
}

/** The tenant with this id or slug. */
export async function findTenant(ref: string): Promise<Tenant> {
  const tenant =
    isValidObjectId(ref) && /^[0-9a-f]{24}$/i.test(ref)
      ? await TenantModel.findById(ref)
      : await TenantModel.findOne({ slug: ref.toLowerCase() });
  if (!tenant) throw new TenantNotFoundError(ref);
  return tenant;
}

/**
 * How long a process trusts a tenant it looked up by webhook key. Rotating keys or disabling a
 * tenant clears this process's cache at once; other processes see it within this time.
 */
export const TENANT_BY_KEY_TTL_MS = 5_000;

const tenantsByKey = new Map<string, { tenant: Tenant; until: number }>();

/** The tenant whose webhook key for `provider` is `key`, or null. Cached briefly (hot path of every webhook). */
export async function findTenantByWebhookKey(provider: WebhookProvider, key: string): Promise<Tenant | null> {
  if (!key || key.length > 200) return null;
  const digest = webhookKeyDigest(key);
  const cacheKey = `${provider}:${digest}`;
  const cached = tenantsByKey.get(cacheKey);
  if (cached && cached.until > Date.now()) return cached.tenant;
  const tenant = await TenantModel.findOne({ [`webhookKeyDigests.${provider}`]: digest });
  if (tenant) tenantsByKey.set(cacheKey, { tenant, until: Date.now() + TENANT_BY_KEY_TTL_MS });
  else tenantsByKey.delete(cacheKey);
  return tenant;
}

function forgetCachedTenant(tenantId: string) {
  for (const [cacheKey, { tenant }] of tenantsByKey) if (tenant.id === tenantId) tenantsByKey.delete(cacheKey);
}

/** The value that removes an optional setting: `whatsappNumberId=--clear`, `whatsappToken=--clear`. */
export const CLEAR = '--clear';

const REVIEW_LINK_RULE = (name: string) => `${name} must be an https URL without markup, quotes or spaces`;

export const SETTABLE_KEYS = [
  'name',
  'language',
  'timezone',
  'ownerPhones',
  'whatsappNumberId',
  'reviewLink',
  'whatsappToken',
  'leadFollowupDelay',
  'leadNudgeDelay',
  'reviewRequestDelay',
  'reviewReminderDelay',
  'reviewRequestCooldown',
  'reviewRequestMaxAge',
  'autoReplyMinStars',
  'quietHours',
  'observeShabbat',
  'ownerAlertsAnytime',
  'paused',
  'photoBatchWindow',
  'photoRequestDay',
  'postDay',
] as const;
type SettableKey = (typeof SETTABLE_KEYS)[number];

const DURATION_KEYS = new Set([
  'leadFollowupDelay',
  'leadNudgeDelay',
  'reviewRequestDelay',
  'reviewReminderDelay',
  'reviewRequestCooldown',
  'reviewRequestMaxAge',
  'photoBatchWindow',
]);
const BOOLEAN_KEYS = new Set(['observeShabbat', 'ownerAlertsAnytime', 'paused']);
const WEEKDAY_KEYS = new Set(['photoRequestDay', 'postDay']);

function parseBoolean(key: string, value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new TenantInputError(`${key} must be true or false`);
}

/**
 * Parses `key=value` pairs into one `$set`/`$unset`; throws on the first unknown key or bad value,
 * before anything is written.
 */
async function settingsUpdate(tenant: Tenant, pairs: string[]) {
  if (pairs.length === 0) throw new TenantInputError('give at least one key=value');
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  /** A new token, or null to remove the tenant's own (the shared WHATSAPP_TOKEN serves again). */
  let whatsappToken: string | null | undefined;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new TenantInputError(`"${pair}" is not key=value`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!(SETTABLE_KEYS as readonly string[]).includes(key)) {
      throw new TenantInputError(`unknown key "${key}" (known: ${SETTABLE_KEYS.join(', ')})`);
    }
    const k = key as SettableKey;
    if (DURATION_KEYS.has(k)) {
      try {
        set[`settings.${k}`] = parseDuration(value);
      } catch (error) {
        throw new TenantInputError(`${k}: ${(error as Error).message}`);
      }
    } else if (BOOLEAN_KEYS.has(k)) {
      set[`settings.${k}`] = parseBoolean(k, value);
    } else if (WEEKDAY_KEYS.has(k)) {
      if (!(WEEKDAY_SETTINGS as readonly string[]).includes(value))
        throw new TenantInputError(`${k} must be one of ${WEEKDAY_SETTINGS.join(', ')}`);
      set[`settings.${k}`] = value;
    } else if (k === 'autoReplyMinStars') {
      // 6 means "never auto-reply": every review goes to the owner.
      if (!/^[1-6]$/.test(value)) throw new TenantInputError('autoReplyMinStars must be a whole number from 1 to 6');
      set['settings.autoReplyMinStars'] = Number(value);
    } else if (k === 'quietHours') {
      try {
        parseQuietHours(value);
      } catch (error) {
        throw new TenantInputError(`quietHours: ${(error as Error).message}`);
      }
      set['settings.quietHours'] = value;
    } else if (k === 'name') {
      if (!value) throw new TenantInputError('name must not be empty');
      set.name = value;
    } else if (k === 'language') {
      if (!(LANGUAGES as readonly string[]).includes(value)) throw new TenantInputError(`language must be one of ${LANGUAGES.join(', ')}`);
      set.language = value;
    } else if (k === 'timezone') {
      if (!timezoneValue.safeParse(value).success) throw new TenantInputError(`timezone "${value}" is not a known time zone`);
      set.timezone = value;
    } else if (k === 'ownerPhones') {
      const phones = parseOwnerPhones(
        value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      );
      if (phones.length === 0) throw new TenantInputError('ownerPhones needs at least one phone');
      set.ownerPhones = phones;
    } else if (k === 'whatsappNumberId') {
      if (value === CLEAR) unset.whatsappNumberId = '';
      else {
        await assertNumberIdFree(value, tenant.id);
        set.whatsappNumberId = value;
      }
    } else if (k === 'reviewLink') {
      if (value === '' || value === CLEAR) unset.reviewLink = '';
      else if (!urlValue.safeParse(value).success) throw new TenantInputError(REVIEW_LINK_RULE('reviewLink'));
      else set.reviewLink = value;
    } else if (k === 'whatsappToken') {
      if (!value) throw new TenantInputError(`whatsappToken must not be empty (whatsappToken=${CLEAR} removes it)`);
      whatsappToken = value === CLEAR ? null : value;
    }
  }
  return { set, unset, whatsappToken };
}

/** Checks `key=value` pairs as `setTenantSettings` would, changing nothing; throws TenantInputError. */
export async function validateTenantSettings(tenant: Tenant, pairs: string[]): Promise<void> {
  await settingsUpdate(tenant, pairs);
}

/** Applies `key=value` pairs atomically; nothing changes when any pair is bad. */
export async function setTenantSettings(tenant: Tenant, pairs: string[], vault: Vault): Promise<Tenant> {
  const { set, unset, whatsappToken } = await settingsUpdate(tenant, pairs);
  if (whatsappToken) await putSecret(tenant.id, 'whatsappToken', whatsappToken, vault);
  else if (whatsappToken === null) await deleteSecret(tenant.id, 'whatsappToken');
  const update: Record<string, unknown> = {};
  if (Object.keys(set).length) update.$set = set;
  if (Object.keys(unset).length) update.$unset = unset;
  if (Object.keys(update).length === 0) return tenant;
  const updated = await TenantModel.findOneAndUpdate({ _id: tenant._id }, update, { returnDocument: 'after', runValidators: true });
  if (!updated) throw new TenantNotFoundError(tenant.id);
  return updated;
}

export async function setTenantDisabled(tenant: Tenant, disabled: boolean): Promise<Tenant> {
  const updated = await TenantModel.findOneAndUpdate({ _id: tenant._id }, { $set: { disabled } }, { returnDocument: 'after' });
  forgetCachedTenant(tenant.id);
  if (!updated) throw new TenantNotFoundError(tenant.id);
  return updated;
}

/** New webhook keys for every provider; the old URLs stop working at once. */
export async function rotateWebhookKeys(tenant: Tenant, vault: Vault): Promise<WebhookKeys> {
  const keys = newWebhookKeys();
  await TenantModel.updateOne({ _id: tenant._id }, { $set: { webhookKeyDigests: digestsOf(keys) } });
  forgetCachedTenant(tenant.id);
  await storeWebhookKeys(tenant.id, keys, vault);
  return keys;
}
