/**
 * Reading a webhook body from its raw bytes. Routes store the bytes as they came and decode them
 * here; the event job decodes the same bytes again, so what a replay sees is what the route saw.
 * Anything that cannot be read is refused with the reason, never passed on half-read.
 */

/** The most fields a form body may carry; every provider's real form has a few dozen. */
export const MAX_FORM_FIELDS = 1_000;
/** The deepest JSON nesting accepted; real payloads go five or six levels deep. */
export const MAX_JSON_DEPTH = 64;

export type BodyKind = 'json' | 'form';

export type DecodedBody = { ok: true; body: unknown } | { ok: false; status: 400 | 415; error: string };

const refuse = (status: 400 | 415, error: string): DecodedBody => ({ ok: false, status, error });

/** The kind of body a content type announces, or null for anything else. */
export function bodyKindOf(contentType: string): BodyKind | null {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType)) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  return null;
}

/** The body's charset parameter, lower-cased, or null when none is given. */
function charsetOf(contentType: string): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType);
  return match ? match[1].toLowerCase() : null;
}

/**
 * Decodes raw webhook bytes by their content type: UTF-8 JSON, or a UTF-8 form whose values are
 * strings. A form that carries JSON (a `data={…}` field, or a JSON text sent as a form) is left
 * as fields; the provider normalisers unwrap it.
 */
export function decodeWebhookBody(raw: Buffer, contentType: string): DecodedBody {
  const kind = bodyKindOf(contentType);
  if (!kind) return refuse(415, 'expected application/json or application/x-www-form-urlencoded');
  const charset = charsetOf(contentType);
  if (charset !== null && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    return refuse(415, `unsupported charset "${charset}": send UTF-8`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
  } catch {
    return refuse(400, 'body is not valid UTF-8');
  }
  return kind === 'json' ? decodeJson(text) : decodeForm(text);
}

function decodeJson(text: string): DecodedBody {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) return refuse(400, `JSON nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`);
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (error) {
    return refuse(400, `body is not valid JSON: ${(error as Error).message}`);
  }
}

function decodeForm(text: string): DecodedBody {
  const pairs = text === '' ? [] : text.split('&');
  if (pairs.length > MAX_FORM_FIELDS) {
    return refuse(400, `form has ${pairs.length} fields; at most ${MAX_FORM_FIELDS} are accepted`);
  }
  // A null prototype: a field named `__proto__` or `constructor` is just a field.
  const fields = Object.create(null) as Record<string, string>;
  try {
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const [key, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      fields[decodeFormComponent(key)] = decodeFormComponent(value);
    }
  } catch {
    return refuse(400, 'form is not valid UTF-8 percent-encoding');
  }
  return { ok: true, body: { ...fields } };
}

const decodeFormComponent = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));

/** How deep arrays and objects nest in a JSON text, counted without parsing it (so without recursion). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return deepest;
}

/** A stored event's bytes: a Buffer on a loaded document, a BSON Binary on a lean one. */
export function storedBytes(raw: unknown): Buffer | null {
  if (Buffer.isBuffer(raw)) return raw;
  const binary = (raw as { buffer?: unknown } | null | undefined)?.buffer;
  return binary instanceof Uint8Array ? Buffer.from(binary) : null;
}

/** A stored event's body read again from its bytes, or null when it has none or they cannot be read. */
export function storedRawBody(event: { raw?: unknown; contentType?: string | null }): unknown {
  const bytes = storedBytes(event.raw);
  if (!bytes) return null;
  const decoded = decodeWebhookBody(bytes, event.contentType ?? '');
  return decoded.ok ? decoded.body : null;
}
