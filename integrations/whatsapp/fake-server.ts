/**
 * A fake of the WhatsApp Cloud API (Graph) as a real HTTP server on 127.0.0.1, for integration
 * tests and the sandbox. Point `WHATSAPP_API_URL` at `url`: it answers Graph's paths with Meta's
 * JSON shapes (sends, mark-as-read, media), records what Findo sent, fails on demand with Meta's
 * error bodies, and posts signed webhooks to Findo the way Meta does.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromWhatsAppId, toWhatsAppId } from '../../lib/phone.ts';
import { isBusinessScopedUserId } from '../../lib/whatsapp-user-id.ts';
import { escapeNonAscii } from './webhook.ts';

/** Options of {@link startFakeWhatsApp}. */
export interface FakeWhatsAppOptions {
  /** App secret used to sign webhooks and check `appsecret_proof`. */
  appSecret: string;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** When set, only this Bearer token is accepted; otherwise any non-empty one. */
  token?: string;
}

/** A message Findo sent, as the fake understood it. */
export interface FakeSentMessage {
  phoneNumberId: string;
  /** E.164 with `+`. */
  to: string;
  /** `text`, `interactive`, `template`, … */
  type: string;
  /** Text body, or the body of an interactive message. */
  text?: string;
  template?: { name: string; language: string; bodyParams: string[]; quickReplyPayloads: string[] };
  buttons?: { id: string; title: string }[];
  replyToMessageId?: string;
  /** The `biz_opaque_callback_data` it was sent with. */
  callbackData?: string;
  /** The wamid the fake answered with. */
  messageId: string;
  /** Bearer token of the request. */
  token: string;
  /** The JSON body as received. */
  request: Record<string, unknown>;
}

/** A send the fake refused because of {@link FakeWhatsApp.failNext}. */
export type FakeRejectedMessage = Omit<FakeSentMessage, 'messageId'> & { errorCode: number };

/** A mark-as-read request. */
export interface FakeReadReceipt {
  phoneNumberId: string;
  messageId: string;
  token: string;
}

/** How {@link FakeWhatsApp.failNext} fails. */
export interface FailOptions {
  /** How many following requests fail; default 1. */
  times?: number;
  /** HTTP status; default Meta's for the code (401 for 190, 5xx for server errors, else 400). */
  httpStatus?: number;
  /** Replaces Meta's message text. */
  message?: string;
  /** Sends a `Retry-After` header. */
  retryAfterSeconds?: number;
  /** Answers an HTML gateway page instead of Graph's JSON. */
  nonJson?: boolean;
  /** Accepts (records) the message first, then fails: the answer is lost, the message is not. */
  afterAccepting?: boolean;
  /** Never answers (the client's timeout ends the request); `code` is then only a label. */
  hang?: boolean;
}

/** An inbound user message to deliver to Findo. Exactly one of text, buttonReply, templateButton, image, document. */
export interface InboundOptions {
  phoneNumberId: string;
  /** Sender: E.164 or `wa_id` digits, or a business-scoped user id (`IL.1349…`) for a user who came by username. */
  from: string;
  /** The username of a user known by business-scoped user id. */
  username?: string;
  text?: string;
  /** A tap on an interactive reply button. */
  buttonReply?: { id: string; title: string };
  /** A tap on a template quick-reply button. */
  templateButton?: { payload: string; text: string };
  image?: { id: string; mimeType: string; caption?: string };
  /** A file, e.g. a photo sent as a document to keep its full quality. */
  document?: { id: string; mimeType: string; filename: string; caption?: string };
  contextMessageId?: string;
  /** Default: a fresh `wamid.…`. */
  messageId?: string;
  profileName?: string;
  /** Default: now. */
  timestamp?: Date;
}

/** A status of a message Findo sent, to deliver to Findo. */
export interface StatusOptions {
  phoneNumberId: string;
  messageId: string;
  /** E.164 or `wa_id` digits. */
  recipient: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** For `failed`; default 131026 (undeliverable). */
  errors?: { code: number; title: string }[];
  timestamp?: Date;
  /** Echo of the send's `biz_opaque_callback_data`. */
  callbackData?: string;
}

/** A webhook body signed like Meta's, ready to POST (or to POST twice). */
export interface SignedWebhook {
  rawBody: Buffer;
  /** The `X-Hub-Signature-256` value. */
  signature: string;
  /** The wamid the payload is about. */
  messageId: string;
}

/** Findo's answer to a delivered webhook. */
export interface WebhookDelivery {
  status: number;
  /** Parsed JSON, or the text when not JSON. */
  body: unknown;
  messageId: string;
}

/** A running fake Graph API. */
export interface FakeWhatsApp {
  /** Base URL, for `WHATSAPP_API_URL`. */
  url: string;
  /** Accepted sends, oldest first. */
  sent: FakeSentMessage[];
  /** Sends answered with an error by {@link failNext}. */
  rejected: FakeRejectedMessage[];
  reads: FakeReadReceipt[];
  /** Resolves with the first accepted send (past or future) matching `predicate`; rejects after `timeoutMs` (default 5000). */
  waitForSent(predicate: (message: FakeSentMessage) => boolean, timeoutMs?: number): Promise<FakeSentMessage>;
  /** Calls `listener` with every send accepted from now on; returns what unsubscribes it. */
  onSent(listener: (message: FakeSentMessage) => void): () => void;
  /** Answers the next message POSTs (sends and mark-as-read) with Meta's error for `code` (131047, 131026, 130429, 131056, 500…). */
  failNext(code: number, options?: FailOptions): void;
  /**
   * Like Meta, posts a signed `sent` status (echoing the callback data) to `webhookUrl` for every
   * accepted message, retrying until Findo answers 200; `undefined` stops.
   */
  sendStatusesTo(webhookUrl: string | undefined): void;
  /** Statuses posted by {@link sendStatusesTo} that Findo answered with 200. */
  statusesDelivered: string[];
  /**
   * Serves media like Graph: metadata at `/<v>/<id>`, bytes at the URL it names (both need the
   * token). With `phoneNumberId`, a lookup that names another number (`?phone_number_id=`) is refused.
   */
  addMedia(id: string, bytes: Buffer, mimeType: string, phoneNumberId?: string): void;
  /** Media lookups and downloads answered, in order (`kind` says which, `status` how). */
  mediaRequests: { kind: 'lookup' | 'download'; id: string; status: number }[];
  /** Signs any payload the way Meta does (escaped non-ASCII and slashes, HMAC of those bytes). */
  signPayload(payload: unknown): { rawBody: Buffer; signature: string };
  /** Meta's `X-Hub-Signature-256` value for exactly these bytes, whatever they hold. */
  signBytes(rawBody: Buffer): string;
  signedInbound(options: InboundOptions): SignedWebhook;
  signedStatus(options: StatusOptions): SignedWebhook;
  /** POSTs a signed body to Findo's webhook URL with Meta's headers. */
  deliver(webhookUrl: string, webhook: SignedWebhook): Promise<WebhookDelivery>;
  deliverInbound(webhookUrl: string, options: InboundOptions): Promise<WebhookDelivery>;
  deliverStatus(webhookUrl: string, options: StatusOptions): Promise<WebhookDelivery>;
  /** Forgets sends, reads, pending failures and media. */
  reset(): void;
  close(): Promise<void>;
}

interface MetaError {
  httpStatus: number;
  message: string;
  details?: string;
}

/** Meta's synchronous error answers, as documented on its error-codes page. */
const META_ERRORS: Record<number, MetaError> = {
  1: { httpStatus: 500, message: 'An unknown error occurred' },
  2: { httpStatus: 503, message: 'An unexpected error has occurred. Please retry your request later.' },
  4: { httpStatus: 400, message: '(#4) Application request limit reached' },
  100: { httpStatus: 400, message: '(#100) Invalid parameter' },
  190: { httpStatus: 401, message: 'Invalid OAuth access token - Cannot parse access token' },
  80007: { httpStatus: 400, message: '(#80007) Rate limit issues' },
  130429: { httpStatus: 400, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131000: { httpStatus: 500, message: '(#131000) Something went wrong', details: 'Something went wrong' },
  131026: { httpStatus: 400, message: '(#131026) Message Undeliverable', details: 'Message Undeliverable.' },
  131047: {
    httpStatus: 400,
    message: '(#131047) Re-engagement message',
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131051: { httpStatus: 400, message: '(#131051) Unsupported message type', details: 'Message type is not currently supported.' },
  131056: {
    httpStatus: 400,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  132000: {
    httpStatus: 400,
    message: '(#132000) Number of parameters does not match the expected number of params',
    details: 'body: number of localizable_params does not match the expected number of params',
  },
};

interface PendingFailure {
  code: number;
  remaining: number;
  options: FailOptions;
}

interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
  /** The business number that received it; Graph serves it to a lookup naming that number only. */
  phoneNumberId?: string;
}

/** The business number as Meta shows it in `metadata` and `context.from` (digits, no `+`). */
const DISPLAY_PHONE_NUMBER = '97233760000';

const newWamid = (): string => `wamid.${randomBytes(24).toString('base64')}`;
const unixSeconds = (date: Date = new Date()): string => String(Math.floor(date.getTime() / 1000));

/** Starts the fake on 127.0.0.1. */
export async function startFakeWhatsApp(options: FakeWhatsAppOptions): Promise<FakeWhatsApp> {
  const { appSecret } = options;
  const sent: FakeSentMessage[] = [];
  const rejected: FakeRejectedMessage[] = [];
  const reads: FakeReadReceipt[] = [];
  const failures: PendingFailure[] = [];
  const media = new Map<string, StoredMedia>();
  const mediaRequests: FakeWhatsApp['mediaRequests'] = [];
  const events = new EventEmitter();
  const statusesDelivered: string[] = [];
  let statusWebhookUrl: string | undefined;
  let baseUrl = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendGraphError(res, { httpStatus: 500, message: `fake WhatsApp: ${(error as Error).message}` }, 1);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || (options.token !== undefined && token !== options.token)) {
      const media = mediaRequestOf(req.method, url);
      if (media) mediaRequests.push({ ...media, status: 401 });
      return sendGraphError(res, META_ERRORS[190], 190);
    }
    const proof = url.searchParams.get('appsecret_proof');
    if (proof !== null && proof !== createHmac('sha256', appSecret).update(token).digest('hex')) {
      return sendGraphError(res, { httpStatus: 400, message: 'Invalid appsecret_proof provided in the API argument' }, 100);
    }

    if (req.method === 'GET' && url.pathname === '/whatsapp_business/attachments/') {
      const id = url.searchParams.get('mid') ?? '';
      const stored = media.get(id);
      mediaRequests.push({ kind: 'download', id, status: stored ? 200 : 404 });
      if (!stored) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': stored.mimeType }).end(stored.bytes);
    }

    const messagesPath = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(url.pathname);
    if (req.method === 'POST' && messagesPath) {
      return handleMessagePost(messagesPath[1], token, await readJson(req), res);
    }

    const mediaPath = /^\/v\d+\.\d+\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && mediaPath) {
      const id = mediaPath[1]!;
      const askedFor = url.searchParams.get('phone_number_id');
      const found = media.get(id);
      // Graph answers another number's media as if it did not exist.
      const stored =
        found && (askedFor === null || found.phoneNumberId === undefined || found.phoneNumberId === askedFor) ? found : undefined;
      mediaRequests.push({ kind: 'lookup', id, status: stored ? 200 : 400 });
      if (!stored) {
        return sendGraphError(
          res,
          {
            httpStatus: 400,
            message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          },
          100,
        );
      }
      return sendJson(res, 200, {
        messaging_product: 'whatsapp',
        url: `${baseUrl}/whatsapp_business/attachments/?mid=${encodeURIComponent(id)}`,
        mime_type: stored.mimeType,
        sha256: createHash('sha256').update(stored.bytes).digest('hex'),
        file_size: stored.bytes.length,
        id,
      });
    }

    sendGraphError(res, { httpStatus: 400, message: `Unknown path components: ${url.pathname}` }, 2500);
  }

  function handleMessagePost(phoneNumberId: string, token: string, body: Record<string, unknown>, res: ServerResponse): void {
    const failure = takeFailure();
    const isRead = body.status === 'read';
    if (failure?.options.afterAccepting && !isRead) accept(phoneNumberId, token, body);
    if (failure?.options.hang) return; // the request stays open until the client gives up
    if (failure) {
      if (!isRead && !failure.options.afterAccepting)
        rejected.push({ ...describeSend(phoneNumberId, token, body), errorCode: failure.code });
      return sendFailure(res, failure);
    }
    if (isRead) {
      reads.push({ phoneNumberId, messageId: String(body.message_id), token });
      return sendJson(res, 200, { success: true });
    }
    // A phone in `to`, or (users known by username) a business-scoped user id in `recipient`.
    const address = typeof body.to === 'string' ? body.to : typeof body.recipient === 'string' ? body.recipient : null;
    if (address === null || typeof body.type !== 'string') {
      return sendGraphError(res, { httpStatus: 400, message: '(#100) The parameter to is required.' }, 100);
    }
    if (typeof body.to !== 'string' && !isBusinessScopedUserId(address)) {
      return sendGraphError(
        res,
        { httpStatus: 400, message: '(#100) Invalid parameter: recipient must be a business-scoped user id.' },
        100,
      );
    }
    const message = accept(phoneNumberId, token, body);
    sendJson(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [typeof body.to === 'string' ? { input: body.to, wa_id: toWhatsAppId(message.to) } : { input: address, user_id: address }],
      messages: [{ id: message.messageId, ...(message.type === 'template' && { message_status: 'accepted' }) }],
    });
  }

  /** Records a message as accepted (and, when asked, reports its `sent` status like Meta). */
  function accept(phoneNumberId: string, token: string, body: Record<string, unknown>): FakeSentMessage {
    const message: FakeSentMessage = { ...describeSend(phoneNumberId, token, body), messageId: newWamid() };
    sent.push(message);
    events.emit('sent', message);
    if (statusWebhookUrl) void reportSent(statusWebhookUrl, message);
    return message;
  }

  async function reportSent(webhookUrl: string, message: FakeSentMessage): Promise<void> {
    const webhook = signedStatus({
      phoneNumberId: message.phoneNumberId,
      messageId: message.messageId,
      recipient: message.to,
      status: 'sent',
      callbackData: message.callbackData,
    });
    // Meta retries a webhook Findo did not take; a bounded version of that here.
    for (let attempt = 0; attempt < 60 && statusWebhookUrl; attempt++) {
      const delivery = await deliver(webhookUrl, webhook).catch(() => undefined);
      if (delivery?.status === 200) return void statusesDelivered.push(message.messageId);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  function takeFailure(): PendingFailure | undefined {
    const failure = failures[0];
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.shift();
    return failure;
  }

  function sendFailure(res: ServerResponse, { code, options: fail }: PendingFailure): void {
    const known = META_ERRORS[code];
    // A bare HTTP code (500, 503…) stands for a Graph outage: Meta's generic error at that status.
    const isHttpCode = !known && code >= 500 && code < 600;
    const metaCode = isHttpCode ? 1 : code;
    const base = known ?? (isHttpCode ? { ...META_ERRORS[1], httpStatus: code } : { httpStatus: 400, message: `(#${code}) Error` });
    const error: MetaError = { ...base, httpStatus: fail.httpStatus ?? base.httpStatus, message: fail.message ?? base.message };
    if (fail.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(fail.retryAfterSeconds));
    if (fail.nonJson) {
      return void res.writeHead(error.httpStatus, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
    }
    sendGraphError(res, error, metaCode);
  }

  function signPayload(payload: unknown): { rawBody: Buffer; signature: string } {
    // Meta's bytes: non-ASCII as \uXXXX and "/" as "\/"; the signature is over exactly these bytes.
    const rawBody = Buffer.from(escapeNonAscii(JSON.stringify(payload)).replace(/\//g, '\\/'), 'utf8');
    return { rawBody, signature: signBytes(rawBody) };
  }

  function signBytes(rawBody: Buffer): string {
    return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
  }

  function signedInbound(inbound: InboundOptions): SignedWebhook {
    const messageId = inbound.messageId ?? newWamid();
    // A user who came by username has no phone in the payload: only the business-scoped user id.
    const byUsername = isBusinessScopedUserId(inbound.from);
    const waId = byUsername ? undefined : toWhatsAppId(inbound.from);
    const message: Record<string, unknown> = {
      ...(byUsername ? { from_user_id: inbound.from } : { from: waId }),
      id: messageId,
      timestamp: unixSeconds(inbound.timestamp),
    };
    if (inbound.contextMessageId) message.context = { from: DISPLAY_PHONE_NUMBER, id: inbound.contextMessageId };
    if (inbound.buttonReply) {
      Object.assign(message, { type: 'interactive', interactive: { type: 'button_reply', button_reply: inbound.buttonReply } });
    } else if (inbound.templateButton) {
      Object.assign(message, { type: 'button', button: inbound.templateButton });
    } else if (inbound.image) {
      const { id, mimeType, caption } = inbound.image;
      Object.assign(message, {
        type: 'image',
        image: { id, mime_type: mimeType, sha256: randomBytes(32).toString('base64'), ...(caption !== undefined && { caption }) },
      });
    } else if (inbound.document) {
      const { id, mimeType, filename, caption } = inbound.document;
      Object.assign(message, {
        type: 'document',
        document: {
          id,
          mime_type: mimeType,
          filename,
          sha256: randomBytes(32).toString('base64'),
          ...(caption !== undefined && { caption }),
        },
      });
    } else {
      Object.assign(message, { type: 'text', text: { body: inbound.text ?? '' } });
    }
    const value = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: inbound.phoneNumberId },
      contacts: [
        byUsername
          ? { profile: { name: inbound.profileName ?? '', username: inbound.username ?? '' }, user_id: inbound.from }
          : { profile: { name: inbound.profileName ?? '' }, wa_id: waId },
      ],
      messages: [message],
    };
    return { ...signPayload(envelope(value)), messageId };
  }

  function signedStatus(update: StatusOptions): SignedWebhook {
    const failed = update.status === 'failed';
    const errors = (update.errors ?? [{ code: 131026, title: 'Message undeliverable' }]).map((e) => ({
      code: e.code,
      title: e.title,
      message: e.title,
      error_data: { details: e.title },
    }));
    const status = {
      id: update.messageId,
      status: update.status,
      timestamp: unixSeconds(update.timestamp),
      recipient_id: toWhatsAppId(update.recipient),
      ...(update.callbackData !== undefined && { biz_opaque_callback_data: update.callbackData }),
      ...(failed ? { errors } : { pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' } }),
    };
    const value = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: update.phoneNumberId },
      statuses: [status],
    };
    return { ...signPayload(envelope(value)), messageId: update.messageId };
  }

  async function deliver(webhookUrl: string, webhook: SignedWebhook): Promise<WebhookDelivery> {
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'facebookexternalua',
        'x-hub-signature-256': webhook.signature,
      },
      body: new Uint8Array(webhook.rawBody),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, messageId: webhook.messageId };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    sent,
    rejected,
    reads,
    waitForSent(predicate, timeoutMs = 15_000) {
      const already = sent.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const onSent = (message: FakeSentMessage) => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          events.off('sent', onSent);
          resolve(message);
        };
        const timer = setTimeout(() => {
          events.off('sent', onSent);
          reject(new Error(`fake WhatsApp: no matching message sent within ${timeoutMs} ms (${sent.length} sent)`));
        }, timeoutMs);
        events.on('sent', onSent);
      });
    },
    onSent(listener) {
      events.on('sent', listener);
      return () => events.off('sent', listener);
    },
    failNext(code, fail = {}) {
      failures.push({ code, remaining: fail.times ?? 1, options: fail });
    },
    sendStatusesTo(webhookUrl) {
      statusWebhookUrl = webhookUrl;
    },
    statusesDelivered,
    addMedia(id, bytes, mimeType, phoneNumberId) {
      media.set(id, { bytes, mimeType, phoneNumberId });
    },
    mediaRequests,
    signPayload,
    signBytes,
    signedInbound,
    signedStatus,
    deliver,
    deliverInbound: (webhookUrl, inbound) => deliver(webhookUrl, signedInbound(inbound)),
    deliverStatus: (webhookUrl, update) => deliver(webhookUrl, signedStatus(update)),
    reset() {
      sent.length = 0;
      rejected.length = 0;
      reads.length = 0;
      failures.length = 0;
      statusesDelivered.length = 0;
      statusWebhookUrl = undefined;
      media.clear();
      mediaRequests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        statusWebhookUrl = undefined;
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Which media a GET is about, when it is a media lookup (`/<v>/<digits>`) or download. */
function mediaRequestOf(method: string | undefined, url: URL): { kind: 'lookup' | 'download'; id: string } | undefined {
  if (method !== 'GET') return undefined;
  if (url.pathname === '/whatsapp_business/attachments/') return { kind: 'download', id: url.searchParams.get('mid') ?? '' };
  const lookup = /^\/v\d+\.\d+\/(\d+)$/.exec(url.pathname);
  return lookup ? { kind: 'lookup', id: lookup[1]! } : undefined;
}

function envelope(value: object): object {
  return { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value }] }] };
}

/** Reads a send request into the recorded shape. */
function describeSend(phoneNumberId: string, token: string, body: Record<string, unknown>): Omit<FakeSentMessage, 'messageId'> {
  const type = String(body.type);
  const context = body.context as { message_id?: string } | undefined;
  const described: Omit<FakeSentMessage, 'messageId'> = {
    phoneNumberId,
    to: typeof body.to === 'string' ? fromWhatsAppId(body.to) : String(body.recipient),
    type,
    token,
    request: body,
    ...(context?.message_id && { replyToMessageId: context.message_id }),
    ...(typeof body.biz_opaque_callback_data === 'string' && { callbackData: body.biz_opaque_callback_data }),
  };
  if (type === 'text') {
    described.text = (body.text as { body: string }).body;
  } else if (type === 'interactive') {
    const interactive = body.interactive as {
      body?: { text: string };
      action?: { buttons?: { reply: { id: string; title: string } }[] };
    };
    described.text = interactive.body?.text;
    described.buttons = interactive.action?.buttons?.map((b) => ({ id: b.reply.id, title: b.reply.title }));
  } else if (type === 'template') {
    const template = body.template as {
      name: string;
      language: { code: string };
      components?: { type: string; sub_type?: string; parameters: { text?: string; payload?: string }[] }[];
    };
    const components = template.components ?? [];
    described.template = {
      name: template.name,
      language: template.language.code,
      bodyParams: components.filter((c) => c.type === 'body').flatMap((c) => c.parameters.map((p) => p.text ?? '')),
      quickReplyPayloads: components
        .filter((c) => c.type === 'button' && c.sub_type === 'quick_reply')
        .map((c) => c.parameters[0]?.payload ?? ''),
    };
  }
  return described;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed: unknown = text ? JSON.parse(text) : {};
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Meta's error body: `{ error: { message, type, code, error_data, fbtrace_id } }`. */
function sendGraphError(res: ServerResponse, error: MetaError, code: number): void {
  sendJson(res, error.httpStatus, {
    error: {
      message: error.message,
      type: 'OAuthException',
      code,
      ...(error.details && { error_data: { messaging_product: 'whatsapp', details: error.details } }),
      fbtrace_id: randomBytes(12).toString('base64url'),
    },
  });
}
