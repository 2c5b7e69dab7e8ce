/**
 * Findo's port to the WhatsApp Cloud API, implemented on whatsapp-api-js.
 *
 * The library hard-codes `https://graph.facebook.com/<v>/…`, so a fetch wrapper moves requests to
 * `apiUrl` keeping Graph's paths (tests and the sandbox point it at the local fake). The library
 * also resolves API errors as values instead of throwing; every call here turns them into an
 * {@link IntegrationError} through {@link classifyWhatsAppError}.
 */
import { createHash, createHmac } from 'node:crypto';
import { WhatsAppAPI } from 'whatsapp-api-js';
import {
  ActionButtons,
  Body,
  BodyComponent,
  BodyParameter,
  Button,
  Interactive,
  Language,
  PayloadComponent,
  Template,
  Text,
} from 'whatsapp-api-js/messages';
import type { ClientMessage } from 'whatsapp-api-js/types';
import { IntegrationError } from '../errors.ts';
import { classifyWhatsAppError } from './errors.ts';
import { isBusinessScopedUserId } from '../../lib/whatsapp-user-id.ts';

/** The Graph API version used unless `WHATSAPP_API_VERSION` says otherwise. */
export const DEFAULT_WHATSAPP_API_VERSION = 'v24.0';

/** Template languages Findo has approved translations for. */
export type TemplateLanguage = 'he' | 'en' | 'ar';

/** One interactive reply button: `id` comes back in the reply, `title` (≤ 20 chars) is shown. */
export interface ReplyButton {
  id: string;
  title: string;
}

/** An approved template to send. */
export interface TemplateMessage {
  name: string;
  language: TemplateLanguage;
  /** Values for the body's `{{1}}`, `{{2}}`…, in order. */
  bodyParams: string[];
  /** Payloads for the template's quick-reply buttons, in button order; they come back on a tap. */
  quickReplyPayloads?: string[];
}

export interface SendOptions {
  /** Quote this inbound message (WhatsApp's `context.message_id`). */
  replyToMessageId?: string;
  /**
   * Meta's `biz_opaque_callback_data` (≤ 512 bytes): echoed in this message's status webhooks, so
   * a send whose answer was lost can still be recognised by its statuses.
   */
  callbackData?: string;
}

/** Meta's limit for `biz_opaque_callback_data`. */
export const CALLBACK_DATA_MAX_BYTES = 512;

/** Graph accepted the message (not yet delivered: statuses arrive by webhook). */
export interface SentMessage {
  /** The `wamid.…` that statuses and replies refer to. */
  messageId: string;
}

export interface DownloadedMedia {
  data: Buffer;
  mimeType: string;
  /** SHA-256 of the bytes, hex, as Graph announced it (and the download matched). */
  sha256: string;
}

/**
 * Everything Findo asks of WhatsApp. Every method throws {@link IntegrationError} on failure
 * (`permanent`, `rate_limited` or `transient`), never a raw library or network error.
 */
export interface WhatsAppPort {
  /** Free-form text; only inside the customer's 24-hour window. */
  sendText(phoneNumberId: string, toE164: string, text: string, options?: SendOptions): Promise<SentMessage>;
  /** Body text with 1–3 reply buttons; only inside the 24-hour window. */
  sendButtons(phoneNumberId: string, toE164: string, bodyText: string, buttons: ReplyButton[], options?: SendOptions): Promise<SentMessage>;
  /** An approved template; the only kind allowed outside the 24-hour window. */
  sendTemplate(phoneNumberId: string, toE164: string, template: TemplateMessage, options?: SendOptions): Promise<SentMessage>;
  /** Marks an inbound message read (blue ticks). */
  markRead(phoneNumberId: string, messageId: string): Promise<void>;
  /**
   * Downloads media received on `phoneNumberId` by id: metadata first (Graph refuses another
   * number's media), then the short-lived URL, both with the token. Bytes that do not match the
   * announced SHA-256 are a transient failure (a cut download).
   */
  downloadMedia(phoneNumberId: string, mediaId: string): Promise<DownloadedMedia>;
}

/** Options of {@link createWhatsAppClient}. */
export interface WhatsAppClientOptions {
  /** Graph base URL (`WHATSAPP_API_URL`); default `https://graph.facebook.com`. */
  apiUrl?: string;
  /** Graph version (`WHATSAPP_API_VERSION`); default `v24.0`. */
  apiVersion?: string;
  /** Access token: `WHATSAPP_TOKEN`, or a tenant's own. One client per token. */
  token: string;
  /**
   * App secret. When given, every Graph request carries `appsecret_proof`, which apps with
   * "Require App Secret" enabled must send.
   */
  appSecret?: string;
  /** Per-request timeout in ms (every Graph request, so a hanging one never holds a worker); default 15 000. */
  timeoutMs?: number;
}

/** Graph's host as whatsapp-api-js writes it. */
const GRAPH_ORIGIN = 'https://graph.facebook.com';

/** What the fetch wrapper learned about an answer the library parsed: HTTP status and wait hints. */
interface AnswerInfo {
  httpStatus: number;
  retryAfterMs?: number;
}

/** Thrown by the fetch wrapper when Graph answers with something that is not JSON (a gateway page). */
class NonJsonAnswerError extends Error {
  constructor(readonly info: AnswerInfo) {
    super(`HTTP ${info.httpStatus} with a non-JSON body`);
  }
}

/** Creates a {@link WhatsAppPort} for one access token. */
export function createWhatsAppClient(options: WhatsAppClientOptions): WhatsAppPort {
  return new WhatsAppClient(options);
}

class WhatsAppClient implements WhatsAppPort {
  private readonly api: WhatsAppAPI;
  private readonly token: string;
  private readonly apiVersion: string;
  /** Keyed by the parsed body the library hands back, so each answer keeps its own HTTP facts. */
  private readonly answers = new WeakMap<object, AnswerInfo>();

  constructor({
    apiUrl = GRAPH_ORIGIN,
    apiVersion = DEFAULT_WHATSAPP_API_VERSION,
    token,
    appSecret,
    timeoutMs = 15_000,
  }: WhatsAppClientOptions) {
    this.token = token;
    this.apiVersion = apiVersion;
    this.api = new WhatsAppAPI({
      token,
      v: apiVersion,
      // Findo verifies webhook signatures itself (webhook.ts); this instance only calls Graph.
      secure: false,
      ponyfill: { fetch: this.graphFetch(apiUrl, appSecret, timeoutMs) },
    });
  }

  async sendText(phoneNumberId: string, toE164: string, text: string, options: SendOptions = {}): Promise<SentMessage> {
    const message = this.build('sendText', () => new Text(text));
    return this.send('sendText', phoneNumberId, toE164, message, options);
  }

  async sendButtons(
    phoneNumberId: string,
    toE164: string,
    bodyText: string,
    buttons: ReplyButton[],
    options: SendOptions = {},
  ): Promise<SentMessage> {
    const message = this.build('sendButtons', () => {
      const [first, ...rest] = buttons.map((b) => new Button(b.id, b.title));
      if (!first) throw new Error('at least one button is required');
      return new Interactive(new ActionButtons(first, ...rest), new Body(bodyText));
    });
    return this.send('sendButtons', phoneNumberId, toE164, message, options);
  }

  async sendTemplate(phoneNumberId: string, toE164: string, template: TemplateMessage, options: SendOptions = {}): Promise<SentMessage> {
    const message = this.build('sendTemplate', () => {
      const [firstParam, ...restParams] = template.bodyParams.map((p) => new BodyParameter(p));
      const components = [
        ...(firstParam ? [new BodyComponent(firstParam, ...restParams)] : []),
        ...(template.quickReplyPayloads ?? []).map((payload) => new PayloadComponent(payload)),
      ];
      return new Template(template.name, new Language(template.language), ...components);
    });
    return this.send('sendTemplate', phoneNumberId, toE164, message, options);
  }

  async markRead(phoneNumberId: string, messageId: string): Promise<void> {
    await this.call('markRead', () => this.api.markAsRead(phoneNumberId, messageId));
  }

  async downloadMedia(phoneNumberId: string, mediaId: string): Promise<DownloadedMedia> {
    const media = await this.call('downloadMedia', () => this.api.retrieveMedia(mediaId, phoneNumberId));
    if (!('url' in media) || !media.url) {
      throw new IntegrationError('WhatsApp downloadMedia failed: Graph returned no media URL', 'transient', {
        provider: 'whatsapp',
      });
    }
    let response: Response;
    try {
      // fetchMedia attaches the token, as the media URL requires.
      response = await this.api.fetchMedia(media.url);
    } catch (error) {
      throw classifyWhatsAppError(error, { operation: 'downloadMedia', secrets: [this.token] });
    }
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => undefined);
      const graphError = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
      throw classifyWhatsAppError(graphError, {
        operation: 'downloadMedia',
        httpStatus: response.status,
        secrets: [this.token],
      });
    }
    const data = Buffer.from(await response.arrayBuffer());
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (media.sha256 && media.sha256 !== sha256) {
      throw new IntegrationError('WhatsApp downloadMedia failed: the bytes do not match the announced SHA-256', 'transient', {
        provider: 'whatsapp',
        code: 'media_checksum',
      });
    }
    return { data, mimeType: media.mime_type, sha256 };
  }

  /** Builds a library message; its limit checks (4096 chars, ≤ 3 buttons, title ≤ 20) are permanent errors. */
  private build(operation: string, make: () => ClientMessage): ClientMessage {
    try {
      return make();
    } catch (error) {
      throw new IntegrationError(`WhatsApp ${operation} failed: invalid message: ${(error as Error).message}`, 'permanent', {
        provider: 'whatsapp',
        code: 'invalid_message',
      });
    }
  }

  private async send(
    operation: string,
    phoneNumberId: string,
    toE164: string,
    message: ClientMessage,
    { replyToMessageId, callbackData }: SendOptions,
  ): Promise<SentMessage> {
    const toUser = isBusinessScopedUserId(toE164);
    if (!toUser && !/^\+[1-9]\d{6,14}$/.test(toE164)) {
      throw new IntegrationError(`WhatsApp ${operation} failed: recipient is neither E.164 nor a business-scoped user id`, 'permanent', {
        provider: 'whatsapp',
        code: 'invalid_recipient',
      });
    }
    if (callbackData !== undefined && Buffer.byteLength(callbackData) > CALLBACK_DATA_MAX_BYTES) {
      throw new IntegrationError(`WhatsApp ${operation} failed: callback data over ${CALLBACK_DATA_MAX_BYTES} bytes`, 'permanent', {
        provider: 'whatsapp',
        code: 'invalid_message',
      });
    }
    // `to` keeps its `+`: without it Meta may prepend the business number's country code.
    const answer = await this.call(operation, () =>
      toUser
        ? this.sendToUserId(phoneNumberId, toE164, message, { replyToMessageId, callbackData })
        : this.api.sendMessage(phoneNumberId, toE164, message, replyToMessageId, callbackData),
    );
    const messageId = 'messages' in answer ? answer.messages[0]?.id : undefined;
    if (!messageId) {
      throw new IntegrationError(`WhatsApp ${operation} failed: Graph accepted the request but returned no message id`, 'transient', {
        provider: 'whatsapp',
      });
    }
    return { messageId };
  }

  /**
   * A send to a user known only by username: Graph takes the business-scoped user id in `recipient`
   * instead of `to` (Meta's business-scoped user id guide). whatsapp-api-js 6.2 only writes `to`.
   */
  private async sendToUserId(
    phoneNumberId: string,
    userId: string,
    message: ClientMessage,
    { replyToMessageId, callbackData }: SendOptions,
  ) {
    const type = message._type;
    const request = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: userId,
      type,
      [type]: message,
      ...(replyToMessageId && { context: { message_id: replyToMessageId } }),
      ...(callbackData !== undefined && { biz_opaque_callback_data: callbackData }),
    };
    const response = await this.api.$$apiFetch$$(`${GRAPH_ORIGIN}/${this.apiVersion}/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    return (await response.json()) as Awaited<ReturnType<WhatsAppAPI['sendMessage']>>;
  }

  /** Runs one library call; a thrown failure or an `{ error }` answer becomes an IntegrationError. */
  private async call<T extends object>(operation: string, request: () => Promise<T>): Promise<Exclude<T, { error: object }>> {
    let answer: T;
    try {
      answer = await request();
    } catch (error) {
      const info = error instanceof NonJsonAnswerError ? error.info : {};
      throw classifyWhatsAppError(error, { operation, ...info, secrets: [this.token] });
    }
    const graphError = (answer as { error?: unknown }).error;
    if (graphError !== undefined) {
      throw classifyWhatsAppError(graphError, { operation, ...this.answers.get(answer), secrets: [this.token] });
    }
    return answer as Exclude<T, { error: object }>;
  }

  /**
   * The fetch the library uses: moves Graph URLs to `apiUrl`, adds `appsecret_proof` and a timeout,
   * and remembers each answer's HTTP status and wait hints, which the library drops.
   */
  private graphFetch(apiUrl: string, appSecret: string | undefined, timeoutMs: number): typeof fetch {
    const base = new URL(apiUrl);
    const proof = appSecret ? createHmac('sha256', appSecret).update(this.token).digest('hex') : undefined;
    return async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin === GRAPH_ORIGIN) {
        url.protocol = base.protocol;
        url.host = base.host;
        url.pathname = base.pathname.replace(/\/$/, '') + url.pathname;
        if (proof) url.searchParams.set('appsecret_proof', proof);
      }
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const info: AnswerInfo = { httpStatus: response.status, retryAfterMs: retryAfterMs(response.headers) };
      const parseJson = response.json.bind(response);
      // The library only ever calls .json(); hooking it keeps the status beside the parsed body.
      response.json = async () => {
        let body: unknown;
        try {
          body = await parseJson();
        } catch {
          throw new NonJsonAnswerError(info);
        }
        if (typeof body === 'object' && body !== null) this.answers.set(body, info);
        return body;
      };
      return response;
    };
  }
}

/** The wait Graph asks for: `Retry-After` seconds, or the Business Use Case header's minutes. */
function retryAfterMs(headers: Headers): number | undefined {
  const retryAfter = Number(headers.get('retry-after'));
  if (retryAfter > 0) return retryAfter * 1000;
  const usage = headers.get('x-business-use-case-usage');
  if (!usage) return undefined;
  try {
    const byBusiness = JSON.parse(usage) as Record<string, { estimated_time_to_regain_access?: number }[]>;
    const minutes = Math.max(
      0,
      ...Object.values(byBusiness).flatMap((entries) => entries.map((e) => e.estimated_time_to_regain_access ?? 0)),
    );
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}
