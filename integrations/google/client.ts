/**
 * Google Business Profile for one tenant: accounts and locations through googleapis' typed v1
 * clients, reviews and replies through the v4 API (which googleapis does not wrap) via the OAuth2
 * client's `request()`. Every failure leaves as an IntegrationError (see ./errors.ts).
 */
import type { Auth } from 'googleapis';
// The two APIs' own modules: googleapis' index loads all of its 300-odd APIs (a second of start-up).
import {
  mybusinessaccountmanagement,
  type mybusinessaccountmanagement_v1,
} from 'googleapis/build/src/apis/mybusinessaccountmanagement/index.js';
import {
  mybusinessbusinessinformation,
  type mybusinessbusinessinformation_v1,
} from 'googleapis/build/src/apis/mybusinessbusinessinformation/index.js';
import { IntegrationError } from '../errors.ts';
import { AccessTokenSource } from './access-token.ts';
import { httpStatusOf, toIntegrationError } from './errors.ts';
import {
  LOCAL_POST_NAME,
  LOCAL_POST_SUMMARY_MAX_CHARS,
  localPostBody,
  normaliseLocalPost,
  type ListLocalPostsJson,
  type LocalPost,
  type LocalPostJson,
  type LocalPostsPort,
  type NewLocalPost,
} from './local-posts.ts';
import { createOAuth2Client, GoogleOAuth, type GoogleOAuthConfig } from './oauth.ts';
import type { TokenStore } from './tokens.ts';
import {
  REVIEW_REPLY_MAX_BYTES,
  type ListReviewsJson,
  type ReviewJson,
  type ReviewReplyJson,
  type ReviewReplyStateJson,
  type StarRatingJson,
} from './wire.ts';

/** A Business Profile account the connected Google user can manage. */
export interface GoogleAccount {
  /** `accounts/{accountId}` */
  name: string;
  accountName: string | null;
  /** PERSONAL, LOCATION_GROUP, USER_GROUP or ORGANIZATION. */
  type: string | null;
}

/** A business location under an account. */
export interface GoogleLocation {
  /** `accounts/{accountId}/locations/{locationId}`: the form v4 review calls and `findo google link` take. */
  name: string;
  title: string | null;
  /** Google Maps place id, when the location is on Maps. */
  placeId: string | null;
  /** The link that opens the "write a review" dialog, when the location can receive reviews. */
  newReviewUri: string | null;
  mapsUri: string | null;
}

/** Stars of a review, from Google's STAR_RATING enum. */
export type Stars = 1 | 2 | 3 | 4 | 5;

/** A reply's moderation state; `PENDING` means not public yet. */
export type ReplyState = Exclude<ReviewReplyStateJson, 'REVIEW_REPLY_STATE_UNSPECIFIED'>;

/** A reply to a review as Google last showed it. */
export interface ReviewReply {
  comment: string;
  updateTime: string;
  /** Google's moderation state, when the response carries one. */
  state?: ReplyState;
}

/** A Google review, normalised. Timestamps are RFC 3339: compare them as dates, not strings. */
export interface GoogleReview {
  /** `accounts/{a}/locations/{l}/reviews/{reviewId}` */
  name: string;
  reviewId: string;
  /** Null when the reviewer is anonymous. */
  reviewerName: string | null;
  reviewerIsAnonymous: boolean;
  stars: Stars;
  /** Null for a rating-only review. Auto-translated text keeps Google's "(Translated by Google)" markers. */
  comment: string | null;
  createTime: string;
  updateTime: string;
  reply?: ReviewReply;
}

/** Order of `listReviews`; Google's default is `updateTime desc` (newest changes first). */
export type ReviewOrder = 'updateTime desc' | 'rating' | 'rating desc';

export interface ListReviewsOptions {
  pageToken?: string;
  /** 1–50; Google's default is 50. */
  pageSize?: number;
  orderBy?: ReviewOrder;
}

/** One page of a location's reviews plus the location's totals. */
export interface ReviewPage {
  /** Reviews whose rating Google left unspecified are left out: they carry no stars to act on. */
  reviews: GoogleReview[];
  /** Absent on the last page. */
  nextPageToken?: string;
  averageRating?: number;
  totalReviewCount?: number;
}

/** What the review-check job and reply posting need from Google. */
export interface ReviewsPort {
  listAccounts(): Promise<GoogleAccount[]>;
  /** @param accountName `accounts/{accountId}` */
  listLocations(accountName: string): Promise<GoogleLocation[]>;
  /** @param locationName `accounts/{a}/locations/{l}` */
  listReviews(locationName: string, options?: ListReviewsOptions): Promise<ReviewPage>;
  /** Creates or replaces the reply (Google's PUT is an upsert). */
  updateReply(reviewName: string, comment: string): Promise<ReviewReply>;
  deleteReply(reviewName: string): Promise<void>;
}

export interface GoogleClientOptions extends GoogleOAuthConfig {
  /**
   * `GOOGLE_API_URL`: replaces the host of every Business Profile API (mybusiness,
   * mybusinessaccountmanagement, mybusinessbusinessinformation); paths stay Google's, so only
   * the URL's origin counts. Default: Google's hosts.
   */
  apiUrl?: string;
  /** The tenant's tokens. */
  tokens: TokenStore;
  /** Refresh the access token this long before it expires. Default 60 000 ms. */
  refreshMarginMs?: number;
}

/** Options of {@link GoogleClient.request}. */
export interface RawRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  params?: Record<string, string | number>;
  /** JSON, or raw bytes (with a `Content-Type` header). */
  data?: unknown;
  headers?: Record<string, string>;
  /** Default 60 000 ms. */
  timeoutMs?: number;
}

const V4_DEFAULT_ROOT = 'https://mybusiness.googleapis.com/';
const LOCATION_READ_MASK = 'name,title,metadata.placeId,metadata.newReviewUri,metadata.mapsUri';
const ACCOUNT_NAME = /^accounts\/[^/?#]+$/;
const LOCATION_NAME = /^accounts\/[^/?#]+\/locations\/[^/?#]+$/;
const REVIEW_NAME = /^accounts\/[^/?#]+\/locations\/[^/?#]+\/reviews\/[^/?#]+$/;
const STARS: Record<StarRatingJson, Stars | null> = {
  STAR_RATING_UNSPECIFIED: null,
  ONE: 1,
  TWO: 2,
  THREE: 3,
  FOUR: 4,
  FIVE: 5,
};
// Retries belong to the job that called (Agenda, with the error's kind); gaxios retrying too
// would multiply attempts and hide 429s.
const NO_GAXIOS_RETRY = { retry: false } as const;

/** Creates a tenant's Business Profile client. */
export function createGoogleClient(options: GoogleClientOptions): GoogleClient {
  return new GoogleClient(options);
}

/** Everything Findo does on a tenant's Business Profile. */
export type BusinessProfilePort = ReviewsPort & LocalPostsPort;

/** The Business Profile ports over Google's real (or faked, via `apiUrl`/`oauthUrl`) HTTP APIs. */
export class GoogleClient implements BusinessProfilePort {
  private readonly auth: Auth.OAuth2Client;
  private readonly accessToken: AccessTokenSource;
  private readonly v4Root: string;
  private readonly accountManagement: mybusinessaccountmanagement_v1.Mybusinessaccountmanagement;
  private readonly businessInformation: mybusinessbusinessinformation_v1.Mybusinessbusinessinformation;

  constructor(options: GoogleClientOptions) {
    // Credentials on this client carry only an access token, so google-auth-library never
    // refreshes on its own: AccessTokenSource does, under the store's lock.
    this.auth = createOAuth2Client(options);
    this.accessToken = new AccessTokenSource(options.tokens, new GoogleOAuth(options), options.refreshMarginMs);
    const rootUrl = options.apiUrl ? `${new URL(options.apiUrl).origin}/` : undefined;
    this.v4Root = rootUrl ?? V4_DEFAULT_ROOT;
    // googleapis 178 honours a per-service `rootUrl` (google.options({ rootUrl }) does not redirect).
    this.accountManagement = mybusinessaccountmanagement({ version: 'v1', auth: this.auth, rootUrl });
    this.businessInformation = mybusinessbusinessinformation({ version: 'v1', auth: this.auth, rootUrl });
  }

  async listAccounts(): Promise<GoogleAccount[]> {
    const accounts: GoogleAccount[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await this.send('listAccounts', () =>
        this.accountManagement.accounts.list({ pageSize: 20, ...(pageToken ? { pageToken } : {}) }, NO_GAXIOS_RETRY),
      );
      for (const account of data.accounts ?? []) {
        if (account.name) accounts.push({ name: account.name, accountName: account.accountName ?? null, type: account.type ?? null });
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return accounts;
  }

  async listLocations(accountName: string): Promise<GoogleLocation[]> {
    requireName(accountName, ACCOUNT_NAME, 'account');
    const locations: GoogleLocation[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await this.send(`listLocations ${accountName}`, () =>
        this.businessInformation.accounts.locations.list(
          { parent: accountName, readMask: LOCATION_READ_MASK, pageSize: 100, ...(pageToken ? { pageToken } : {}) },
          NO_GAXIOS_RETRY,
        ),
      );
      for (const location of data.locations ?? []) {
        if (!location.name) continue;
        locations.push({
          // Business Information names locations `locations/{id}`; v4 wants the account prefix.
          name: `${accountName}/${location.name}`,
          title: location.title ?? null,
          placeId: location.metadata?.placeId ?? null,
          newReviewUri: location.metadata?.newReviewUri ?? null,
          mapsUri: location.metadata?.mapsUri ?? null,
        });
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return locations;
  }

  async listReviews(locationName: string, options: ListReviewsOptions = {}): Promise<ReviewPage> {
    requireName(locationName, LOCATION_NAME, 'location');
    const params = Object.fromEntries(
      Object.entries({ pageSize: options.pageSize, pageToken: options.pageToken, orderBy: options.orderBy }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    const { data } = await this.send(`listReviews ${locationName}`, () =>
      this.auth.request<ListReviewsJson>({ url: this.v4Url(`${locationName}/reviews`), method: 'GET', params, ...NO_GAXIOS_RETRY }),
    );
    return {
      reviews: (data.reviews ?? []).flatMap((review) => normaliseReview(review) ?? []),
      ...(data.nextPageToken ? { nextPageToken: data.nextPageToken } : {}),
      ...(data.averageRating === undefined ? {} : { averageRating: data.averageRating }),
      ...(data.totalReviewCount === undefined ? {} : { totalReviewCount: data.totalReviewCount }),
    };
  }

  async updateReply(reviewName: string, comment: string): Promise<ReviewReply> {
    requireName(reviewName, REVIEW_NAME, 'review');
    const bytes = Buffer.byteLength(comment, 'utf8');
    if (comment.trim() === '' || bytes > REVIEW_REPLY_MAX_BYTES) {
      // Checked here so a reply Google would refuse does not spend quota.
      throw new IntegrationError(`reply must be 1–${REVIEW_REPLY_MAX_BYTES} bytes of UTF-8, got ${bytes}`, 'permanent', {
        provider: 'google',
        code: 'invalid_reply',
      });
    }
    const { data } = await this.send(`updateReply ${reviewName}`, () =>
      this.auth.request<ReviewReplyJson>({ url: this.v4Url(`${reviewName}/reply`), method: 'PUT', data: { comment }, ...NO_GAXIOS_RETRY }),
    );
    return normaliseReply(data);
  }

  async deleteReply(reviewName: string): Promise<void> {
    requireName(reviewName, REVIEW_NAME, 'review');
    await this.send(`deleteReply ${reviewName}`, () =>
      this.auth.request({ url: this.v4Url(`${reviewName}/reply`), method: 'DELETE', ...NO_GAXIOS_RETRY }),
    );
  }

  /**
   * One authorised call to a Business Profile path that googleapis does not wrap, relative to the
   * v4 host: `v4/accounts/…/media`, `upload/v1/media/…`. Same token handling and error taxonomy
   * as every other call; `timeoutMs` (default 60 s) ends a call Google leaves hanging.
   */
  async request<T>(operation: string, path: string, options: RawRequestOptions = {}): Promise<T> {
    const { timeoutMs = 60_000, ...rest } = options;
    const { data } = await this.send(operation, () =>
      this.auth.request<T>({ url: new URL(path, this.v4Root).href, method: 'GET', ...rest, timeout: timeoutMs, ...NO_GAXIOS_RETRY }),
    );
    return data;
  }

  async createLocalPost(locationName: string, post: NewLocalPost): Promise<LocalPost> {
    requireName(locationName, LOCATION_NAME, 'location');
    const chars = [...post.summary].length;
    if (post.summary.trim() === '' || chars > LOCAL_POST_SUMMARY_MAX_CHARS) {
      throw new IntegrationError(`post must be 1–${LOCAL_POST_SUMMARY_MAX_CHARS} characters, got ${chars}`, 'permanent', {
        provider: 'google',
        code: 'invalid_post',
      });
    }
    const { data } = await this.send(`createLocalPost ${locationName}`, () =>
      this.auth.request<LocalPostJson>({
        url: this.v4Url(`${locationName}/localPosts`),
        method: 'POST',
        data: localPostBody(post),
        ...NO_GAXIOS_RETRY,
      }),
    );
    return normaliseLocalPost(data);
  }

  async getLocalPost(postName: string): Promise<LocalPost> {
    requireName(postName, LOCAL_POST_NAME, 'local post');
    const { data } = await this.send(`getLocalPost ${postName}`, () =>
      this.auth.request<LocalPostJson>({ url: this.v4Url(postName), method: 'GET', ...NO_GAXIOS_RETRY }),
    );
    return normaliseLocalPost(data);
  }

  async listLocalPosts(locationName: string, limit = 100): Promise<LocalPost[]> {
    requireName(locationName, LOCATION_NAME, 'location');
    const posts: LocalPost[] = [];
    let pageToken: string | undefined;
    do {
      const params = { pageSize: Math.min(100, limit - posts.length), ...(pageToken ? { pageToken } : {}) };
      const { data } = await this.send(`listLocalPosts ${locationName}`, () =>
        this.auth.request<ListLocalPostsJson>({ url: this.v4Url(`${locationName}/localPosts`), method: 'GET', params, ...NO_GAXIOS_RETRY }),
      );
      posts.push(...(data.localPosts ?? []).map(normaliseLocalPost));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken && posts.length < limit);
    return posts;
  }

  /** Runs one Google call with a fresh token; after a 401, renews the token and tries once more. */
  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const token = await this.accessToken.current();
    try {
      return await this.withToken(token, call);
    } catch (error) {
      if (httpStatusOf(error) !== 401) throw toIntegrationError(error, operation);
    }
    const renewed = await this.accessToken.renewRejected(token);
    try {
      return await this.withToken(renewed, call);
    } catch (error) {
      throw toIntegrationError(error, operation);
    }
  }

  private withToken<T>(accessToken: string, call: () => Promise<T>): Promise<T> {
    this.auth.setCredentials({ access_token: accessToken });
    return call();
  }

  private v4Url(resourcePath: string): string {
    return new URL(`/v4/${resourcePath}`, this.v4Root).href;
  }
}

function requireName(name: string, pattern: RegExp, kind: string): void {
  if (!pattern.test(name)) {
    throw new IntegrationError(`not a Google ${kind} name: ${JSON.stringify(name)}`, 'permanent', {
      provider: 'google',
      code: 'invalid_name',
    });
  }
}

function normaliseReview(review: ReviewJson): GoogleReview | null {
  const stars = STARS[review.starRating] ?? null;
  if (stars === null) return null;
  const anonymous = review.reviewer?.isAnonymous === true;
  return {
    name: review.name,
    reviewId: review.reviewId,
    reviewerName: anonymous ? null : (review.reviewer?.displayName ?? null),
    reviewerIsAnonymous: anonymous,
    stars,
    comment: review.comment ?? null,
    createTime: review.createTime,
    updateTime: review.updateTime,
    ...(review.reviewReply ? { reply: normaliseReply(review.reviewReply) } : {}),
  };
}

function normaliseReply(reply: ReviewReplyJson): ReviewReply {
  const state = reply.reviewReplyState;
  return {
    comment: reply.comment,
    updateTime: reply.updateTime ?? '',
    ...(state && state !== 'REVIEW_REPLY_STATE_UNSPECIFIED' ? { state } : {}),
  };
}
