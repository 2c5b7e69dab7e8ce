/**
 * A fake of Anthropic's Messages API as a real HTTP server on 127.0.0.1, for tests and the sandbox:
 * point `ANTHROPIC_BASE_URL` (or the client's `baseURL`) at `url`. It answers `POST /v1/messages`
 * with the real response shape, records every request body, and can answer with API errors.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The body of a `POST /v1/messages` request, as far as the fake reads it. */
export interface FakeMessagesRequest {
  model: string;
  max_tokens: number;
  system?: string | Array<{ type: 'text'; text: string }>;
  messages: Array<{ role: 'user' | 'assistant'; content: string | Array<{ type: string; text?: string }> }>;
  [field: string]: unknown;
}

/** A raw answer: status, JSON body and optional headers (e.g. `retry-after-ms`). */
export interface FakeHttpResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Decides the answer to a request: a string becomes the text of a normal message. */
export type FakeResponder = (request: FakeMessagesRequest) => string | FakeHttpResponse;

/** A running fake. */
export interface FakeAnthropic {
  /** Base URL, e.g. `http://127.0.0.1:41234`; use as `ANTHROPIC_BASE_URL`. */
  url: string;
  /** Bodies of every `POST /v1/messages` received, oldest first. */
  requests: FakeMessagesRequest[];
  /** Replaces how the fake answers. Default: the text `ok`. */
  respondWith(responder: FakeResponder): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/**
 * An Anthropic API error answer, e.g. `anthropicError(429)` or `anthropicError(529)`. Rate limits
 * carry a 1 ms `retry-after-ms` so the SDK's retries do not slow tests down.
 */
export function anthropicError(status: number, message = `fake ${status}`): FakeHttpResponse {
  return {
    status,
    body: { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } },
    headers: status === 429 ? { 'retry-after-ms': '1' } : {},
  };
}

let messageCounter = 0;

/** A successful Messages API answer carrying `text`. */
export function messageResponse(text: string, model: string): Record<string, unknown> {
  messageCounter += 1;
  return {
    id: `msg_fake${String(messageCounter).padStart(8, '0')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 10,
      output_tokens: Math.max(1, Math.ceil(text.length / 4)),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    },
  };
}

function send(response: ServerResponse, { status, body, headers }: FakeHttpResponse): void {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake${Date.now()}`, ...headers });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const hasApiKey = (request: IncomingMessage): boolean =>
  Boolean(request.headers['x-api-key']) || /^Bearer \S+/.test(request.headers.authorization ?? '');

/** Starts a fake Messages API on a free port of 127.0.0.1. */
export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const requests: FakeMessagesRequest[] = [];
  let responder: FakeResponder = () => 'ok';

  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a throw in a test fake should surface as an unhandled rejection
  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/messages') {
      send(response, anthropicError(404, `${request.method} ${request.url} is not part of this fake`));
      return;
    }
    if (!hasApiKey(request)) {
      send(response, anthropicError(401, 'missing x-api-key or Authorization header'));
      return;
    }
    let body: FakeMessagesRequest;
    try {
      body = JSON.parse(await readBody(request)) as FakeMessagesRequest;
    } catch {
      send(response, anthropicError(400, 'request body is not JSON'));
      return;
    }
    if (typeof body?.model !== 'string' || typeof body.max_tokens !== 'number' || !Array.isArray(body.messages)) {
      send(response, anthropicError(400, 'model, max_tokens and messages are required'));
      return;
    }
    requests.push(body);
    try {
      const answer = responder(body);
      send(response, typeof answer === 'string' ? { status: 200, body: messageResponse(answer, body.model) } : answer);
    } catch (error) {
      send(response, anthropicError(500, `fake responder threw: ${(error as Error).message}`));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      responder = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
