/**
 * Local posts (v4 `accounts.locations.localPosts`, which googleapis does not wrap): Google's JSON
 * shapes, what Findo sends, and the normalised post it reads back. The calls themselves go through
 * GoogleClient (token handling, error mapping). See
 * https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts
 */

/** The longest post summary Findo sends: the Business Profile UI's limit (the API states none). */
export const LOCAL_POST_SUMMARY_MAX_CHARS = 1500;

/** A post's moderation and publication state as Google reports it. */
export type LocalPostStateJson = 'LOCAL_POST_STATE_UNSPECIFIED' | 'PROCESSING' | 'LIVE' | 'REJECTED' | 'SCHEDULED' | 'RECURRING';

/** `callToAction`: `CALL` carries no url (Google dials the location's phone). */
export type CallToActionJson = { actionType: 'CALL' } | { actionType: 'LEARN_MORE'; url: string };

/** `LocalPost` as Google sends and takes it (the fields Findo uses). */
export interface LocalPostJson {
  name?: string;
  languageCode?: string;
  summary?: string;
  callToAction?: CallToActionJson;
  createTime?: string;
  updateTime?: string;
  state?: LocalPostStateJson;
  searchUrl?: string;
  topicType: 'LOCAL_POST_TOPIC_TYPE_UNSPECIFIED' | 'STANDARD' | 'EVENT' | 'OFFER' | 'ALERT';
  /** Post media must be a public `sourceUrl`; Findo attaches none today. */
  media?: { mediaFormat: 'PHOTO'; sourceUrl: string }[];
}

/** `GET …/localPosts` */
export interface ListLocalPostsJson {
  localPosts?: LocalPostJson[];
  nextPageToken?: string;
}

/** What Findo publishes: a standard post. */
export interface NewLocalPost {
  summary: string;
  /** BCP 47, e.g. `he`. */
  languageCode: string;
  callToAction: CallToActionJson;
}

/** A post as Google last showed it. */
export interface LocalPost {
  /** `accounts/{a}/locations/{l}/localPosts/{id}` */
  name: string;
  summary: string;
  state: LocalPostStateJson;
  createTime: string;
  /** The shareable link, once Google gives one. */
  searchUrl?: string;
}

/** The posts a post-publishing job needs from Google. */
export interface LocalPostsPort {
  /** @param locationName `accounts/{a}/locations/{l}` */
  createLocalPost(locationName: string, post: NewLocalPost): Promise<LocalPost>;
  /** @param postName `accounts/{a}/locations/{l}/localPosts/{id}` */
  getLocalPost(postName: string): Promise<LocalPost>;
  /** The location's posts, newest first, up to `limit` (Google pages of at most 100). */
  listLocalPosts(locationName: string, limit?: number): Promise<LocalPost[]>;
}

export const LOCAL_POST_NAME = /^accounts\/[^/?#]+\/locations\/[^/?#]+\/localPosts\/[^/?#]+$/;

/** The request body of `localPosts.create`. */
export function localPostBody(post: NewLocalPost): LocalPostJson {
  return { topicType: 'STANDARD', languageCode: post.languageCode, summary: post.summary, callToAction: post.callToAction };
}

export function normaliseLocalPost(json: LocalPostJson): LocalPost {
  return {
    name: json.name ?? '',
    summary: json.summary ?? '',
    state: json.state ?? 'LOCAL_POST_STATE_UNSPECIFIED',
    createTime: json.createTime ?? '',
    ...(json.searchUrl ? { searchUrl: json.searchUrl } : {}),
  };
}
