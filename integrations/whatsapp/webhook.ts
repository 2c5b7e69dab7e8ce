/**
 * WhatsApp webhooks: the signature check and the parser that turns one notification into
 * Findo's items, one per inbound message and one per status, across every entry and change
 * (whatsapp-api-js's own `post()` reads only the first of each).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { fromWhatsAppId } from '../../lib/phone.ts';
import { isBusinessScopedUserId } from '../../lib/whatsapp-user-id.ts';

/**
 * Whether `X-Hub-Signature-256` (`sha256=<hex>`) is the HMAC-SHA256 of the body under the app secret.
 *
 * Meta's docs say it signs "an escaped unicode version of the payload" (`ä` → `\u00e4`). What it
 * sends is that escaped text itself (non-ASCII as `\uXXXX`, `/` as `\/`), so the HMAC of the raw
 * bytes is what matches; re-serialising the parsed JSON is the classic bug (whatsapp-api-js #290,
 * #380; nyaruka/courier verifies the raw body too). A body that reaches us with raw UTF-8 (a relay
 * that decoded it) is also checked in the escaped form the docs describe, as whatsapp-api-js does.
 * Both forms are keyed by the app secret, so accepting either lets no unsigned body in.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match || !appSecret) return false;
  const given = Buffer.from(match[1], 'hex');
  const matches = (bytes: Buffer) => timingSafeEqual(createHmac('sha256', appSecret).update(bytes).digest(), given);
  if (matches(rawBody)) return true;
  const text = rawBody.toString('utf8');
  const escaped = escapeNonAscii(text);
  return escaped !== text && matches(Buffer.from(escaped, 'utf8'));
}

/** Non-ASCII characters as lowercase `\uXXXX` UTF-16 escapes, as Meta writes its payloads. */
export function escapeNonAscii(text: string): string {
  return text.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An inbound message from a WhatsApp user. */
export interface WhatsAppInboundMessage {
  kind: 'whatsapp.message';
  /** `wa:msg:<wamid>`: Meta redelivers, so this is the dedupe key. */
  eventId: string;
  /** The business number it was sent to: routes to the tenant. */
  phoneNumberId: string;
  messageId: string;
  /** Sender, E.164 with `+`; or the business-scoped user id of a user who came by username without a phone. */
  from: string;
  /** The WhatsApp profile name, else the username. */
  profileName?: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  /** Meta's type: text, button, interactive, image, audio, video, document, sticker, location, reaction, unsupported, … */
  type: string;
  /** The text body, a template button's text, an interactive reply's title, or a media caption. */
  text?: string;
  /** A template quick-reply payload, or the id of the interactive reply button/row tapped. */
  replyId?: string;
  /** The message this one quotes or answers. */
  contextMessageId?: string;
  media?: { id: string; mimeType: string };
}

/** A delivery status of a message Findo sent. */
export interface WhatsAppStatusUpdate {
  kind: 'whatsapp.status';
  /** `wa:status:<wamid>:<status>`. */
  eventId: string;
  phoneNumberId: string;
  /** The outbound `wamid.…`. */
  messageId: string;
  /** E.164 with `+`, or the business-scoped user id when the status names no phone. */
  recipient: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** ISO-8601 UTC. */
  timestamp: string;
  /** Why it failed (131047, 131026…); empty unless `failed`. */
  errors: { code: number; title: string; details?: string }[];
  /** The `biz_opaque_callback_data` the message was sent with. */
  callbackData?: string;
}

/** Errors Meta reports for the business number itself (value-level `errors[]`, no message): for staff. */
export interface WhatsAppSystemErrors {
  kind: 'whatsapp.errors';
  /** `wa:errors:<sha256 of the errors>`: a redelivery is the same event. */
  eventId: string;
  phoneNumberId: string;
  errors: { code: number; title: string; details?: string }[];
}

export type WhatsAppWebhookItem = WhatsAppInboundMessage | WhatsAppStatusUpdate | WhatsAppSystemErrors;

/** `ok: false` means authenticated but not understood: the route quarantines it with `reason`. */
export type WhatsAppWebhookParseResult = { ok: true; items: WhatsAppWebhookItem[] } | { ok: false; reason: string };

// Seconds a JavaScript date can hold (±8.64e15 ms): `"99999999999999999999"` is no time at all.
const LATEST_UNIX_SECONDS = 8.64e12;
const unixSeconds = z
  .string()
  .regex(/^\d+$/, 'expected Unix seconds')
  .refine((s) => Number(s) <= LATEST_UNIX_SECONDS, 'Unix seconds out of range');
const media = z.object({ id: z.string().min(1), mime_type: z.string(), caption: z.string().optional() });
const reply = z.object({ id: z.string(), title: z.string() });
const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;

const messageSchema = z.object({
  id: z.string().min(1),
  from: z.string().min(1).optional(),
  /** Username users (2026): the business-scoped user id, often with no `from`. */
  from_user_id: z.string().min(1).optional(),
  timestamp: unixSeconds,
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  interactive: z.object({ type: z.string(), button_reply: reply.optional(), list_reply: reply.optional() }).optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  context: z.object({ id: z.string().optional() }).optional(),
});

const errorSchema = z.object({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const statusSchema = z
  .object({
    id: z.string().min(1),
    status: z.string(),
    timestamp: unixSeconds,
    // Username-only users (2026) come with `recipient_user_id` and no `recipient_id`.
    recipient_id: z.string().min(1).optional(),
    recipient_user_id: z.string().min(1).optional(),
    errors: z.array(errorSchema).optional(),
    biz_opaque_callback_data: z.string().optional(),
  })
  .refine((s) => s.recipient_id !== undefined || s.recipient_user_id !== undefined, 'a status names no recipient_id or recipient_user_id');

const messagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1) }),
  contacts: z
    .array(
      z.object({
        wa_id: z.string().optional(),
        user_id: z.string().optional(),
        profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
      }),
    )
    .optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
  errors: z.array(errorSchema).optional(),
});

const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string(), value: z.unknown() })) })),
});

type ParsedMessage = z.infer<typeof messageSchema>;
type MessagesValue = z.infer<typeof messagesValueSchema>;

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

const isoFromUnix = (seconds: string): string => new Date(Number(seconds) * 1000).toISOString();

/**
 * Turns a verified WhatsApp notification into items. A change whose field is not `messages`
 * (template or quality updates) is skipped. A malformed message or status fails the whole payload:
 * quarantined, it can be replayed once the parser understands it, and no item is half-read.
 * Statuses other than sent/delivered/read/failed (`played` for voice) carry nothing Findo tracks.
 */
export function parseWhatsAppWebhook(body: unknown): WhatsAppWebhookParseResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, reason: `not a WhatsApp notification: ${z.prettifyError(envelope.error)}` };
  if (envelope.data.object !== 'whatsapp_business_account') {
    return { ok: false, reason: `unexpected object "${envelope.data.object}" (want whatsapp_business_account)` };
  }

  const items: WhatsAppWebhookItem[] = [];
  let usableChanges = 0;
  for (const [e, entry] of envelope.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      if (change.field !== 'messages') continue;
      const value = messagesValueSchema.safeParse(change.value);
      if (!value.success) {
        return { ok: false, reason: `entry[${e}].changes[${c}]: ${z.prettifyError(value.error)}` };
      }
      if (!value.data.messages && !value.data.statuses && !value.data.errors) continue;
      usableChanges += 1;
      const phoneNumberId = value.data.metadata.phone_number_id;
      if (value.data.errors?.length) items.push(systemErrors(value.data.errors, phoneNumberId));
      for (const message of value.data.messages ?? []) {
        const item = toInboundMessage(message, value.data, phoneNumberId);
        if (!item) return { ok: false, reason: `message ${message.id} has no sender: no phone number and no business-scoped user id` };
        items.push(item);
      }
      for (const status of value.data.statuses ?? []) {
        if (!STATUSES.has(status.status)) continue;
        items.push({
          kind: 'whatsapp.status',
          eventId: `wa:status:${status.id}:${status.status}`,
          phoneNumberId,
          messageId: status.id,
          recipient: status.recipient_id !== undefined ? fromWhatsAppId(status.recipient_id) : status.recipient_user_id!,
          status: status.status as WhatsAppStatusUpdate['status'],
          timestamp: isoFromUnix(status.timestamp),
          errors: (status.errors ?? []).map(errorItem),
          ...(status.biz_opaque_callback_data !== undefined && { callbackData: status.biz_opaque_callback_data }),
        });
      }
    }
  }
  if (usableChanges === 0) return { ok: false, reason: 'no messages, statuses or errors in any "messages" change' };
  return { ok: true, items };
}

type ParsedError = z.infer<typeof errorSchema>;

const errorItem = (error: ParsedError) => ({
  code: error.code,
  title: error.title ?? error.message ?? '',
  ...(error.error_data?.details && { details: error.error_data.details }),
});

function systemErrors(errors: ParsedError[], phoneNumberId: string): WhatsAppSystemErrors {
  const digest = createHash('sha256')
    .update(JSON.stringify([phoneNumberId, errors]))
    .digest('hex');
  return { kind: 'whatsapp.errors', eventId: `wa:errors:${digest}`, phoneNumberId, errors: errors.map(errorItem) };
}

function toInboundMessage(message: ParsedMessage, value: MessagesValue, phoneNumberId: string): WhatsAppInboundMessage | null {
  const contacts = value.contacts ?? [];
  const only = contacts.length === 1 ? contacts[0] : undefined;
  // Username users (2026) may come without `from`: a wa_id their contact shares, else their
  // business-scoped user id, identifies them (spec §5).
  const waId = message.from ?? only?.wa_id;
  const userId = message.from_user_id ?? only?.user_id;
  const address = waId ? fromWhatsAppId(waId) : userId && isBusinessScopedUserId(userId) ? userId : undefined;
  if (!address) return null;
  const contact = contacts.find((c) => (waId ? c.wa_id === waId : c.user_id === userId)) ?? only;
  const profileName = contact?.profile?.name || contact?.profile?.username;
  const mediaType = MEDIA_TYPES.find((t) => t === message.type);
  const mediaPart = mediaType ? message[mediaType] : undefined;
  const interactiveReply = message.interactive?.button_reply ?? message.interactive?.list_reply;

  const text =
    message.type === 'text'
      ? message.text?.body
      : message.type === 'button'
        ? message.button?.text
        : message.type === 'interactive'
          ? interactiveReply?.title
          : mediaPart?.caption;
  const replyId = message.type === 'button' ? message.button?.payload : message.type === 'interactive' ? interactiveReply?.id : undefined;

  return {
    kind: 'whatsapp.message',
    eventId: `wa:msg:${message.id}`,
    phoneNumberId,
    messageId: message.id,
    from: address,
    ...(profileName && { profileName }),
    timestamp: isoFromUnix(message.timestamp),
    type: message.type,
    ...(text !== undefined && { text }),
    ...(replyId !== undefined && { replyId }),
    ...(message.context?.id && { contextMessageId: message.context.id }),
    ...(mediaPart && { media: { id: mediaPart.id, mimeType: mediaPart.mime_type } }),
  };
}
