/**
 * A fake of Google for tests and the sandbox: a real HTTP server on 127.0.0.1 that speaks the
 * OAuth token endpoint, the consent page (which consents at once, or refuses when told to; with
 * PKCE when the consent URL carries a code challenge), Account Management v1,
 * Business Information v1, the v4 review endpoints and location media (./fake-media.ts), with Google's paths, JSON shapes and error
 * bodies. Point both GOOGLE_API_URL and GOOGLE_OAUTH_URL at its `url`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeMedia, type FakeStoredMedia } from './fake-media.ts';
import { fakeLocalPosts, type FakeLocalPosts } from './fake-local-posts.ts';
import type { ListReviewsJson, ReviewJson, ReviewReplyJson, ReviewReplyStateJson } from './wire.ts';

/** An account as Account Management v1 returns it. */
export interface FakeAccountJson {
  name: string;
  accountName: string;
  type: string;
  role: string;
  verificationState: string;
  vettedState: string;
}

/** A location as Business Information v1 returns it (name `locations/{id}`). */
export interface FakeLocationJson {
  name: string;
  title: string;
  storeCode?: string;
  metadata: { placeId?: string; mapsUri?: string; newReviewUri?: string };
}

/** A location added to the fake: its v4 name (`accounts/{a}/locations/{l}`) and v1 resource. */
export interface FakeLocation {
  name: string;
  resource: FakeLocationJson;
}

/** Fields a test may set on a review; the rest get plausible defaults. */
export type ReviewSeed = Partial<Omit<ReviewJson, 'name'>>;

/** A `PUT …/reply` the fake accepted. */
export interface ReceivedReply {
  reviewName: string;
  comment: string;
}

/** One request the fake answered. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** Which requests an injected failure hits: a path substring, a path pattern, or method and path. */
export type RequestMatch = string | RegExp | { method?: string; path?: string | RegExp };

export type FailureStatus = 400 | 401 | 403 | 404 | 429 | 500 | 503;

export interface InjectedFailure {
  status: FailureStatus;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** On 429: the wait Google asks for, sent as a google.rpc.RetryInfo detail. */
  retryAfterSeconds?: number;
  /** Never answers (the client's timeout, or a crash, ends the request); `status` is then only a label. */
  hang?: boolean;
  /** Does the work first (a photo is created, a reply posted), then fails or hangs: the answer is lost, the change is not. */
  afterHandling?: boolean;
}

export interface FakeGoogle {
  /** Base URL, e.g. `http://127.0.0.1:41234`; use as both GOOGLE_API_URL and GOOGLE_OAUTH_URL. */
  url: string;
  addAccount(partial?: Partial<FakeAccountJson>): FakeAccountJson;
  /** @param accountName `accounts/{id}` from addAccount */
  addLocation(accountName: string, partial?: Partial<FakeLocationJson>): FakeLocation;
  /** @param locationName v4 form, `accounts/{a}/locations/{l}` */
  addReview(locationName: string, seed?: ReviewSeed): ReviewJson;
  /** Changes a review as its author would; `updateTime` moves forward unless given. */
  editReview(reviewName: string, changes: ReviewSeed): ReviewJson;
  /** The location's photos (location media), oldest first, with the bytes each was made from. */
  media(locationName: string): FakeStoredMedia[];
  /** The location's reviews as stored, newest first by `updateTime`. */
  reviews(locationName: string): ReviewJson[];
  /** Every accepted PUT reply, in order. */
  readonly repliesReceived: readonly ReceivedReply[];
  /** Token endpoint requests received, by grant_type. */
  readonly tokenRequests: Readonly<Record<string, number>>;
  /** Every request answered, in order (status 0: held open by a `hang`). */
  readonly requests: readonly LoggedRequest[];
  /** The owner revokes Findo's access: refresh tokens answer `invalid_grant`, access tokens 401. */
  revokeGrant(): void;
  /** The next `times` requests that match fail with Google's body for `status`. */
  failNext(match: RequestMatch, failure: InjectedFailure): void;
  /** The next `times` consents are refused: the redirect carries `error=access_denied` and no code. */
  denyNextConsent(times?: number): void;
  /** Lifetime (`expires_in`) of access tokens issued from now on. Default 3599 s. */
  setAccessTokenLifetime(seconds: number): void;
  /** The moderation state reply answers carry; null (the default) leaves it out. */
  setReplyState(state: ReviewReplyStateJson | null): void;
  /** Local posts: what was created, and their moderation. */
  readonly localPosts: FakeLocalPosts;
  close(): Promise<void>;
}

const SCOPE = 'https://www.googleapis.com/auth/business.manage';

const GOOGLE_STATUS: Record<FailureStatus, { status: string; message: string }> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: {
    status: 'UNAUTHENTICATED',
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: '' },
  500: { status: 'INTERNAL', message: 'Internal error encountered.' },
  503: { status: 'UNAVAILABLE', message: 'The service is currently unavailable.' },
};

const OAUTH_ERROR: Record<FailureStatus, string> = {
  400: 'invalid_request',
  401: 'invalid_client',
  403: 'access_denied',
  404: 'invalid_request',
  429: 'rate_limit_exceeded',
  500: 'internal_failure',
  503: 'temporarily_unavailable',
};

const STAR_ORDER = ['STAR_RATING_UNSPECIFIED', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'];

interface Grant {
  refreshToken: string;
  scope: string;
  revoked: boolean;
}

interface HttpError {
  status: FailureStatus;
  message?: string;
}

/** Starts the fake on a free loopback port. */
export async function startFakeGoogle(): Promise<FakeGoogle> {
  const accounts = new Map<string, FakeAccountJson>();
  const locations = new Map<string, FakeLocation>();
  const reviewsByLocation = new Map<string, ReviewJson[]>();
  /** A code's redirect URI and scope, and the PKCE S256 challenge its consent URL carried. */
  const authCodes = new Map<string, { redirectUri: string; scope: string; codeChallenge?: string }>();
  let consentsToDeny = 0;
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, { expiresAt: number; grant: Grant }>();
  const failures: Array<{ match: RequestMatch; remaining: number; failure: InjectedFailure }> = [];
  const repliesReceived: ReceivedReply[] = [];
  const tokenRequests: Record<string, number> = {};
  const requests: LoggedRequest[] = [];
  let accessTokenLifetimeSeconds = 3599;
  let replyState: ReviewReplyStateJson | null = null;
  let nextId = 1;
  let lastTimestamp = 0;
  const localPosts = fakeLocalPosts({ timestamp: () => timestamp(), hasLocation: (name) => locations.has(name), paginate });

  // Strictly increasing timestamps, so "newest first" is well defined even within a millisecond.
  const timestamp = () => {
    lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
    return new Date(lastTimestamp).toISOString();
  };
  const opaque = (prefix: string) => `${prefix}${randomBytes(12).toString('base64url')}`;

  function issueAccessToken(grant: Grant) {
    const accessToken = opaque('ya29.fake-');
    accessTokens.set(accessToken, { expiresAt: Date.now() + accessTokenLifetimeSeconds * 1000, grant });
    return { access_token: accessToken, expires_in: accessTokenLifetimeSeconds, scope: grant.scope, token_type: 'Bearer' };
  }

  function consent(query: URLSearchParams, res: ServerResponse) {
    const redirectUri = query.get('redirect_uri');
    const scope = query.get('scope') ?? '';
    if (!query.get('client_id') || !redirectUri || query.get('response_type') !== 'code' || !scope.split(' ').includes(SCOPE)) {
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'client_id, redirect_uri, response_type=code and the business.manage scope are required',
      });
    }
    const codeChallenge = query.get('code_challenge') ?? undefined;
    if (codeChallenge && query.get('code_challenge_method') !== 'S256') {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    const target = new URL(redirectUri);
    if (consentsToDeny > 0) {
      consentsToDeny -= 1;
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = opaque('4/fake-');
      authCodes.set(code, { redirectUri, scope, codeChallenge });
      target.searchParams.set('code', code);
      target.searchParams.set('scope', scope);
    }
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    res.writeHead(302, { location: target.href }).end();
    return 302;
  }

  function token(form: URLSearchParams, res: ServerResponse) {
    if (!form.get('client_id') || !form.get('client_secret')) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = authCodes.get(form.get('code') ?? '');
        // Codes are single-use, and bound to the redirect URI they were issued for.
        if (!code || code.redirectUri !== form.get('redirect_uri')) {
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
        }
        // PKCE: a code issued for a challenge is redeemed only with the verifier it was made from.
        const verifier = form.get('code_verifier');
        if (code.codeChallenge && (!verifier || createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge)) {
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
        }
        authCodes.delete(form.get('code')!);
        const grant: Grant = { refreshToken: opaque('1//fake-'), scope: code.scope, revoked: false };
        grants.set(grant.refreshToken, grant);
        return sendJson(res, 200, { ...issueAccessToken(grant), refresh_token: grant.refreshToken });
      }
      case 'refresh_token': {
        const grant = grants.get(form.get('refresh_token') ?? '');
        if (!grant || grant.revoked) {
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
        }
        return sendJson(res, 200, issueAccessToken(grant));
      }
      default:
        return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + form.get('grant_type') });
    }
  }

  function isAuthorized(req: IncomingMessage): boolean {
    const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const issued = bearer ? accessTokens.get(bearer) : undefined;
    return !!issued && !issued.grant.revoked && issued.expiresAt > Date.now();
  }

  function listAccounts(query: URLSearchParams) {
    const { items, nextPageToken } = paginate([...accounts.values()], query, 20, 20);
    return { accounts: items, ...(nextPageToken ? { nextPageToken } : {}) };
  }

  function listLocations(accountName: string, query: URLSearchParams) {
    if (!accounts.has(accountName)) throw { status: 404 } satisfies HttpError;
    const readMask = query.get('readMask');
    if (!readMask) throw { status: 400, message: 'Request contains an invalid argument. (read_mask is required)' } satisfies HttpError;
    const owned = [...locations.values()]
      .filter((l) => l.name.startsWith(`${accountName}/`))
      .map((l) => applyReadMask(l.resource, readMask));
    const { items, nextPageToken } = paginate(owned, query, 10, 100);
    return { locations: items, ...(nextPageToken ? { nextPageToken } : {}) };
  }

  function listReviews(locationName: string, query: URLSearchParams): ListReviewsJson {
    const all = reviewsByLocation.get(locationName);
    if (!all) throw { status: 404 } satisfies HttpError;
    const orderBy = query.get('orderBy') ?? 'updateTime desc';
    const byUpdateDesc = (a: ReviewJson, b: ReviewJson) => Date.parse(b.updateTime) - Date.parse(a.updateTime);
    const byRating = (a: ReviewJson, b: ReviewJson) => STAR_ORDER.indexOf(a.starRating) - STAR_ORDER.indexOf(b.starRating);
    const sorters: Record<string, (a: ReviewJson, b: ReviewJson) => number> = {
      'updateTime desc': byUpdateDesc,
      rating: (a, b) => byRating(a, b) || byUpdateDesc(a, b),
      'rating desc': (a, b) => byRating(b, a) || byUpdateDesc(a, b),
    };
    const sorter = sorters[orderBy];
    if (!sorter) throw { status: 400, message: `Request contains an invalid argument. (orderBy "${orderBy}")` } satisfies HttpError;
    const { items, nextPageToken } = paginate([...all].sort(sorter), query, 50, 50);
    const rated = all.filter((r) => r.starRating !== 'STAR_RATING_UNSPECIFIED');
    return {
      ...(items.length ? { reviews: items } : {}),
      ...(rated.length
        ? { averageRating: Math.round((rated.reduce((sum, r) => sum + STAR_ORDER.indexOf(r.starRating), 0) / rated.length) * 10) / 10 }
        : {}),
      totalReviewCount: all.length,
      ...(nextPageToken ? { nextPageToken } : {}),
    };
  }

  function findReview(reviewName: string): ReviewJson {
    const locationName = reviewName.replace(/\/reviews\/[^/]+$/, '');
    const review = reviewsByLocation.get(locationName)?.find((r) => r.name === reviewName);
    if (!review) throw { status: 404 } satisfies HttpError;
    return review;
  }

  function putReply(reviewName: string, body: string): ReviewReplyJson {
    const review = findReview(reviewName);
    let comment: unknown;
    try {
      comment = (JSON.parse(body) as { comment?: unknown }).comment;
    } catch {
      throw { status: 400, message: 'Invalid JSON payload received.' } satisfies HttpError;
    }
    if (typeof comment !== 'string' || comment.trim() === '' || Buffer.byteLength(comment, 'utf8') > 4096) {
      throw { status: 400, message: 'Request contains an invalid argument. (comment must be 1-4096 bytes)' } satisfies HttpError;
    }
    repliesReceived.push({ reviewName, comment });
    review.reviewReply = { comment, updateTime: timestamp(), ...(replyState ? { reviewReplyState: replyState } : {}) };
    return review.reviewReply;
  }

  const media = createFakeMedia({ hasLocation: (name) => locations.has(name), timestamp, opaque });

  function route(method: string, path: string, query: URLSearchParams, bytes: Buffer): unknown {
    const mediaAnswer = media.route(method, path, query, bytes);
    if (mediaAnswer !== undefined) return mediaAnswer;
    const body = bytes.toString('utf8');
    const locationsOf = path.match(/^\/v1\/(accounts\/[^/]+)\/locations$/);
    const reviewsOf = path.match(/^\/v4\/(accounts\/[^/]+\/locations\/[^/]+)\/reviews$/);
    const replyOf = path.match(/^\/v4\/(accounts\/[^/]+\/locations\/[^/]+\/reviews\/[^/]+)\/reply$/);
    if (method === 'GET' && path === '/v1/accounts') return listAccounts(query);
    if (method === 'GET' && locationsOf) return listLocations(locationsOf[1]!, query);
    if (method === 'GET' && reviewsOf) return listReviews(reviewsOf[1]!, query);
    if (replyOf && method === 'PUT') return putReply(replyOf[1]!, body);
    if (replyOf && method === 'DELETE') {
      delete findReview(replyOf[1]!).reviewReply;
      return {};
    }
    const posts = localPosts.route(method, path, query, body);
    if (posts !== undefined) return posts;
    throw { status: 404 } satisfies HttpError;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const method = req.method ?? 'GET';
    const { pathname: path, searchParams: query } = new URL(req.url ?? '/', 'http://fake.invalid');
    const bytes = await readBody(req);
    const body = bytes.toString('utf8');
    if (method === 'POST' && path === '/token') {
      const grantType = new URLSearchParams(body).get('grant_type') ?? '';
      tokenRequests[grantType] = (tokenRequests[grantType] ?? 0) + 1;
    }

    const injected = failures.find((f) => f.remaining > 0 && matches(f.match, method, path));
    if (injected) {
      injected.remaining -= 1;
      if (injected.failure.afterHandling && isAuthorized(req)) {
        try {
          await route(method, path, query, bytes);
        } catch {
          // Refused anyway: the injected answer goes out instead.
        }
      }
      if (injected.failure.hang) return 0; // no answer: the request stays open
      return path === '/token' ? sendOAuthFailure(res, injected.failure.status) : sendGoogleError(res, injected.failure, path);
    }

    if (method === 'GET' && path === '/o/oauth2/v2/auth') return consent(query, res);
    if (method === 'POST' && path === '/token') return token(new URLSearchParams(body), res);
    if (!isAuthorized(req)) return sendGoogleError(res, { status: 401 }, path);
    try {
      // A route may answer later, or never (a request left hanging).
      return sendJson(res, 200, await route(method, path, query, bytes));
    } catch (error) {
      if (isHttpError(error)) return sendGoogleError(res, error, path);
      throw error;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).then(
      (status) => requests.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, status }),
      () => {
        if (!res.headersSent) sendGoogleError(res, { status: 500 }, req.url ?? '/');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    addAccount(partial = {}) {
      const account: FakeAccountJson = {
        name: `accounts/${100000000 + nextId++}`,
        accountName: 'Fake Business Owner',
        type: 'PERSONAL',
        role: 'PRIMARY_OWNER',
        verificationState: 'VERIFIED',
        vettedState: 'NOT_VETTED',
        ...partial,
      };
      accounts.set(account.name, account);
      return account;
    },
    addLocation(accountName, partial = {}) {
      if (!accounts.has(accountName)) throw new Error(`fake Google: no account ${accountName}`);
      const id = String(200000000 + nextId++);
      const placeId = `ChIJfake${id}`;
      const resource: FakeLocationJson = {
        name: `locations/${id}`,
        title: `Fake Business ${id}`,
        metadata: {
          placeId,
          mapsUri: `https://maps.google.com/maps?cid=${id}`,
          newReviewUri: `https://search.google.com/local/writereview?placeid=${placeId}`,
        },
        ...partial,
      };
      const location = { name: `${accountName}/${resource.name}`, resource };
      locations.set(location.name, location);
      reviewsByLocation.set(location.name, []);
      return location;
    },
    addReview(locationName, seed = {}) {
      const list = reviewsByLocation.get(locationName);
      if (!list) throw new Error(`fake Google: no location ${locationName}`);
      const reviewId = seed.reviewId ?? opaque('AbFvOq');
      const now = timestamp();
      const review: ReviewJson = {
        reviewer: { displayName: 'Dana Levi', isAnonymous: false },
        starRating: 'FIVE',
        comment: 'שירות מעולה, ממליצה בחום!',
        createTime: now,
        updateTime: now,
        ...seed,
        reviewId,
        name: `${locationName}/reviews/${reviewId}`,
      };
      list.push(review);
      return structuredClone(review);
    },
    editReview(reviewName, changes) {
      const review = findReviewOrThrow(reviewName);
      Object.assign(review, { updateTime: timestamp() }, changes, { name: review.name, reviewId: review.reviewId });
      return structuredClone(review);
    },
    media: (locationName) => media.items(locationName),
    reviews(locationName) {
      const list = reviewsByLocation.get(locationName) ?? [];
      return structuredClone(list).sort((a, b) => Date.parse(b.updateTime) - Date.parse(a.updateTime));
    },
    get repliesReceived() {
      return [...repliesReceived];
    },
    get tokenRequests() {
      return { ...tokenRequests };
    },
    get requests() {
      return [...requests];
    },
    revokeGrant() {
      for (const grant of grants.values()) grant.revoked = true;
    },
    denyNextConsent(times = 1) {
      consentsToDeny += times;
    },
    failNext(match, failure) {
      failures.push({ match, remaining: failure.times ?? 1, failure });
    },
    setAccessTokenLifetime(seconds) {
      accessTokenLifetimeSeconds = seconds;
    },
    setReplyState(state) {
      replyState = state;
    },
    localPosts: localPosts.control,
    close() {
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };

  function findReviewOrThrow(reviewName: string): ReviewJson {
    try {
      return findReview(reviewName);
    } catch {
      throw new Error(`fake Google: no review ${reviewName}`);
    }
  }
}

function matches(match: RequestMatch, method: string, path: string): boolean {
  if (typeof match === 'string') return path.includes(match);
  if (match instanceof RegExp) return match.test(path);
  const pathMatches = match.path === undefined || (typeof match.path === 'string' ? path.includes(match.path) : match.path.test(path));
  return pathMatches && (match.method === undefined || match.method.toUpperCase() === method);
}

function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && 'status' in error && !(error instanceof Error);
}

// Opaque page tokens, as Google's are: a base64url offset into the sorted list.
function paginate<T>(all: T[], query: URLSearchParams, defaultSize: number, maxSize: number) {
  const requested = query.get('pageSize');
  const pageSize = requested === null || requested === '0' ? defaultSize : Number(requested);
  if (!Number.isInteger(pageSize) || pageSize < 0)
    throw { status: 400, message: 'Request contains an invalid argument. (pageSize)' } satisfies HttpError;
  const token = query.get('pageToken');
  const offset = token
    ? Number(
        Buffer.from(token, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      )
    : 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw { status: 400, message: 'Request contains an invalid argument. (pageToken)' } satisfies HttpError;
  const end = offset + Math.min(pageSize, maxSize);
  return {
    items: all.slice(offset, end),
    nextPageToken: end < all.length ? Buffer.from(`offset:${end}`).toString('base64url') : undefined,
  };
}

// A FieldMask of dotted paths ("name,metadata.placeId") keeps only those fields.
function applyReadMask(resource: object, readMask: string): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const path of readMask
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const keys = path.split('.');
    let source: unknown = resource;
    for (const key of keys) source = (source as Record<string, unknown> | undefined)?.[key];
    if (source === undefined) continue;
    let target = masked;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[keys.at(-1)!] = structuredClone(source);
  }
  return masked;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): number {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
  return status;
}

function sendOAuthFailure(res: ServerResponse, status: FailureStatus): number {
  return sendJson(res, status, { error: OAUTH_ERROR[status], error_description: `injected ${status}` });
}

function serviceOf(path: string): string {
  if (path.startsWith('/v4/') || path.startsWith('/upload/')) return 'mybusiness.googleapis.com';
  return path.includes('/locations') ? 'mybusinessbusinessinformation.googleapis.com' : 'mybusinessaccountmanagement.googleapis.com';
}

// Google's JSON error body `{error:{code,message,status,details?}}`; 429 carries the quota
// ErrorInfo Google sends, plus RetryInfo when a wait is asked for.
function sendGoogleError(res: ServerResponse, failure: HttpError & { retryAfterSeconds?: number }, path: string): number {
  const { status, message } = GOOGLE_STATUS[failure.status];
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
  if (failure.status === 401) headers['www-authenticate'] = 'Bearer realm="https://accounts.google.com/", error="invalid_token"';
  let error: Record<string, unknown> = { code: failure.status, message: failure.message ?? message, status };
  if (failure.status === 429) {
    const service = serviceOf(path);
    error = {
      ...error,
      message: `Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service '${service}' for consumer 'project_number:000000000000'.`,
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            service,
            quota_metric: `${service}/default_requests`,
            quota_limit: 'DefaultRequestsPerMinutePerProject',
            consumer: 'projects/000000000000',
          },
        },
        ...(failure.retryAfterSeconds === undefined
          ? []
          : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${failure.retryAfterSeconds}s` }]),
      ],
    };
  }
  res.writeHead(failure.status, headers).end(JSON.stringify({ error }));
  return failure.status;
}
