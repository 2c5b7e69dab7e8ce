/**
 * Connecting Google from the owner's chat (SPEC §7 F4): `גוגל` gets a personal consent link; its
 * OAuth `state` is signed, names the tenant and owner phone, expires in 30 minutes and works once
 * (its nonce is consumed atomically); PKCE (S256) keeps the verifier on the server. The callback
 * exchanges the code, stores the tokens in the vault and lists the locations: one is linked at
 * once, several are offered to the owner as a numbered list to answer on WhatsApp. A failure
 * changes nothing and is told to the owner (and shown in the browser).
 */
import { randomBytes } from 'node:crypto';
import { recordActivity } from '../activity.ts';
import { GoogleConnectModel, TenantModel, type Tenant } from '../db/models/index.ts';
import { googleOAuth } from '../google-clients.ts';
import { OAUTH_STATE_KEY_PURPOSE, OAUTH_STATE_LIFETIME_MS, signOAuthState, verifyOAuthState } from '../oauth/state.ts';
import { replyToOwner } from '../outbound/owner-alerts.ts';
import { sendMessage } from '../outbound/sender.ts';
import type { Services } from '../services.ts';
import { t, type Language } from '../texts/index.ts';
import { isIntegrationError } from '../../integrations/errors.ts';
import type { GoogleLocation } from '../../integrations/google/client.ts';
import { newPkcePair } from '../../integrations/google/oauth.ts';
import { mongoTokenStore } from '../google-token-store.ts';
import type { WhatsAppInboundMessage } from '../../integrations/whatsapp/webhook.ts';

/** How long the owner has to pick one of several locations by number. */
export const LOCATION_PICK_LIFETIME_MS = 30 * 60_000;

/** A location with the account that manages it: what linking needs. */
export type LocationChoice = Pick<GoogleLocation, 'name' | 'title' | 'placeId' | 'newReviewUri'> & { accountName: string };

/** How a callback ended. Every outcome but the first three changed nothing. */
export type ConnectOutcome =
  'connected' | 'awaiting_pick' | 'no_locations' | 'denied' | 'tampered' | 'expired' | 'used' | 'missing_code' | 'refused';

/** What the browser is shown, in the tenant's language (Hebrew when the state cannot be trusted). */
export interface ConnectResult {
  outcome: ConnectOutcome;
  language: Language;
}

/** The link that opens Google's "write a review" dialog for a location, or null. */
export function reviewLinkFor(location: Pick<GoogleLocation, 'placeId' | 'newReviewUri'>): string | null {
  if (location.placeId) return `https://search.google.com/local/writereview?placeid=${encodeURIComponent(location.placeId)}`;
  return location.newReviewUri ?? null;
}

/**
 * Binds a location to the tenant (and derives the review link when none is set); its first review
 * check is due at once. Shared by `findo google link` and the owner's chat.
 */
export async function linkGoogleLocation(
  tenant: Tenant,
  location: LocationChoice,
  by: string,
): Promise<{ tenant: Tenant; reviewLinkDerived: boolean }> {
  const derived = tenant.reviewLink ? null : reviewLinkFor(location);
  const updated = await TenantModel.findOneAndUpdate(
    { _id: tenant._id },
    {
      $set: {
        'google.accountName': location.accountName,
        'google.locationName': location.name,
        'google.connected': true,
        'google.nextCheckAt': new Date(),
        ...(derived ? { reviewLink: derived } : {}),
      },
    },
    { returnDocument: 'after' },
  );
  await recordActivity(
    tenant.id,
    'tenant.changed',
    `Google location ${location.name} (${location.title ?? 'untitled'}) linked to ${tenant.slug} by ${by}`,
  );
  return { tenant: updated ?? tenant, reviewLinkDerived: derived !== null };
}

/**
 * A new personal consent link for an owner phone. `now` is when it was made: it works until
 * `now` + 30 minutes.
 */
export async function createGoogleConnectLink(services: Services, tenant: Tenant, ownerPhone: string, now = new Date()): Promise<string> {
  const oauth = googleOAuth(services.config);
  const nonce = randomBytes(18).toString('base64url');
  const pkce = newPkcePair();
  const expiresAt = new Date(now.getTime() + OAUTH_STATE_LIFETIME_MS);
  await GoogleConnectModel.create({
    tenantId: tenant.id,
    nonce,
    ownerPhone,
    expiresAt,
    codeVerifier: services.vault.encrypt(pkce.codeVerifier),
  });
  const state = signOAuthState(services.vault.deriveKey(OAUTH_STATE_KEY_PURPOSE), { tenantId: tenant.id, ownerPhone, nonce, expiresAt });
  return oauth.consentUrl(state, pkce.codeChallenge);
}

/** The owner wrote `גוגל`: answer with a personal link (or say that Google is not set up). */
export async function sendGoogleConnectLink(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<void> {
  const language = tenant.language;
  let text: string;
  try {
    text = t(language, 'owner.google.link', { link: await createGoogleConnectLink(services, tenant, item.from) });
  } catch (error) {
    if (!isIntegrationError(error) || error.details.code !== 'not_connected') throw error;
    services.logger.warn({ tenantId: tenant.id, reason: error.message }, 'owner asked to connect Google, but OAuth is not configured');
    text = t(language, 'owner.google.unavailable');
  }
  await replyToOwner(services, tenant, item, text);
}

/** The query Google's redirect brings to the callback. */
export interface CallbackQuery {
  state?: string;
  code?: string;
  error?: string;
}

/** Finishes a connect from Google's redirect; see {@link ConnectOutcome}. */
export async function finishGoogleConnect(services: Services, query: CallbackQuery, now = new Date()): Promise<ConnectResult> {
  const state = query.state ? verifyOAuthState(services.vault.deriveKey(OAUTH_STATE_KEY_PURPOSE), query.state) : null;
  // Nothing in a forged state is trusted, not even whom to tell.
  if (!state) return { outcome: 'tampered', language: 'he' };
  const tenant = await TenantModel.findById(state.tenantId);
  if (!tenant) return { outcome: 'tampered', language: 'he' };
  const language = tenant.language;
  const end = async (outcome: ConnectOutcome, ownerText: string | null): Promise<ConnectResult> => {
    await GoogleConnectModel.updateOne({ tenantId: tenant.id, nonce: state.nonce }, { $set: { outcome } });
    if (ownerText) await tellOwner(services, tenant, state.ownerPhone, `google-connect:${state.nonce}:${outcome}`, ownerText);
    return { outcome, language };
  };

  if (now.getTime() > state.expiresAt.getTime()) return end('expired', t(language, 'owner.google.expired'));
  const link = await GoogleConnectModel.findOneAndUpdate(
    { tenantId: tenant.id, nonce: state.nonce, usedAt: { $exists: false } },
    { $set: { usedAt: now } },
    { returnDocument: 'after' },
  );
  // A second visit must not tell the owner again what the first one told.
  if (!link) return { outcome: 'used', language };
  if (query.error) return end('denied', t(language, 'owner.google.denied'));
  if (!query.code) return end('missing_code', t(language, 'owner.google.failed'));

  let tokens;
  try {
    const box = link.codeVerifier;
    const verifier =
      box?.keyId && box.iv && box.tag && box.data
        ? services.vault.decrypt({ keyId: box.keyId, iv: box.iv, tag: box.tag, data: box.data })
        : undefined;
    tokens = await googleOAuth(services.config).exchangeCode(query.code, verifier);
  } catch (error) {
    services.logger.warn({ tenantId: tenant.id, reason: (error as Error).message }, 'Google refused the code of an owner connect');
    return end('refused', t(language, 'owner.google.failed'));
  }
  await mongoTokenStore({ tenantId: tenant.id, vault: services.vault }).save(tokens);
  await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'google.connected': true } });
  await recordActivity(
    tenant.id,
    'google.connected',
    `Google Business Profile connected for ${tenant.slug} by the owner ${state.ownerPhone}`,
  );

  let choices: LocationChoice[];
  try {
    choices = await locationChoices(services, tenant);
  } catch (error) {
    services.logger.warn({ tenantId: tenant.id, reason: (error as Error).message }, 'locations of a new Google grant not listed');
    choices = [];
  }
  if (choices.length === 0) return end('no_locations', t(language, 'owner.google.noLocations'));
  if (choices.length === 1) {
    const { tenant: linked } = await linkGoogleLocation(tenant, choices[0], `the owner ${state.ownerPhone}`);
    return end('connected', connectedText(linked, choices[0]));
  }
  await GoogleConnectModel.updateOne(
    { tenantId: tenant.id, nonce: state.nonce },
    { $set: { choices, pickUntil: new Date(now.getTime() + LOCATION_PICK_LIFETIME_MS) } },
  );
  const list = choices.map((c, i) => `${i + 1}. ${c.title ?? c.name}`).join('\n');
  await end('awaiting_pick', t(language, 'owner.google.pickLocation', { list }));
  // The browser's part is done: the Google account is connected.
  return { outcome: 'awaiting_pick', language };
}

/**
 * The owner's answer to the numbered list of locations, if one is open for them. Returns true when
 * the message was that answer (a number), false to let other handlers have it.
 */
export async function handleLocationPick(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<boolean> {
  const number = /^\s*(\d{1,3})\s*$/.exec(item.text ?? '')?.[1];
  if (!number) return false;
  const now = new Date();
  const open = await GoogleConnectModel.findOne({ tenantId: tenant.id, ownerPhone: item.from, pickUntil: { $gt: now } }).sort({
    pickUntil: -1,
  });
  if (!open?.choices?.length) return false;
  const language = tenant.language;
  const reply = (text: string) => replyToOwner(services, tenant, item, text);
  const choice = open.choices[Number(number) - 1];
  if (!choice) {
    await reply(t(language, 'owner.google.pickInvalid', { max: open.choices.length }));
    return true;
  }
  // Closed before linking: a second answer (or a redelivery) finds nothing open.
  const claimed = await GoogleConnectModel.updateOne(
    { tenantId: tenant.id, _id: open._id, pickUntil: { $gt: now } },
    { $unset: { pickUntil: '' } },
  );
  if (claimed.modifiedCount === 0) return true;
  const picked: LocationChoice = {
    accountName: choice.accountName,
    name: choice.name,
    title: choice.title ?? null,
    placeId: choice.placeId ?? null,
    newReviewUri: choice.newReviewUri ?? null,
  };
  const { tenant: linked } = await linkGoogleLocation(tenant, picked, `the owner ${item.from}`);
  await reply(connectedText(linked, picked));
  return true;
}

async function locationChoices(services: Services, tenant: Tenant): Promise<LocationChoice[]> {
  const google = await services.googleFor(tenant);
  const choices: LocationChoice[] = [];
  for (const account of await google.listAccounts()) {
    for (const l of await google.listLocations(account.name)) {
      choices.push({ accountName: account.name, name: l.name, title: l.title, placeId: l.placeId, newReviewUri: l.newReviewUri });
    }
  }
  return choices;
}

const connectedText = (tenant: Tenant, location: LocationChoice) =>
  t(tenant.language, 'owner.google.connected', { title: location.title ?? location.name });

async function tellOwner(services: Services, tenant: Tenant, phone: string, key: string, text: string) {
  await sendMessage(services, { tenantId: tenant.id, phone, audience: 'owner', idempotencyKey: key, content: { kind: 'text', text } });
}
