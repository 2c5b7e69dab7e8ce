/**
 * The fake Google's local posts (v4 `accounts.locations.localPosts` create, get and list), mounted
 * by ./fake-server.ts. A created post is `PROCESSING`; the first read after `moderationMs` finds it
 * `LIVE`, or `REJECTED` when the test asked for it. Errors leave as Google's bodies through the
 * server's error path.
 */
import type { LocalPostJson, ListLocalPostsJson } from './local-posts.ts';

/** A refusal the server sends in Google's error shape. */
interface RouteError {
  status: 400 | 404 | 500 | 503;
  message?: string;
}

export interface FakeLocalPosts {
  /** The location's posts as stored, oldest first. */
  posts(locationName: string): LocalPostJson[];
  /** Every post ever created, across locations, oldest first. */
  all(): LocalPostJson[];
  /** The next `times` created posts are rejected by moderation. */
  rejectNext(times?: number): void;
  /**
   * The next `times` creates store the post and then answer `status`, as when Google's answer is
   * lost: the caller cannot know the post exists.
   */
  failAfterCreate(status: 500 | 503, times?: number): void;
  /** The next create stores the post and never answers, as when the caller dies waiting. */
  hangAfterNextCreate(): void;
  /** How long a post stays `PROCESSING` before a read finds it moderated. Default 0 (the next read). */
  setModerationDelay(ms: number): void;
}

interface Dependencies {
  timestamp: () => string;
  hasLocation: (locationName: string) => boolean;
  paginate: <T>(all: T[], query: URLSearchParams, defaultSize: number, maxSize: number) => { items: T[]; nextPageToken?: string };
}

interface StoredPost {
  json: LocalPostJson;
  createdAt: number;
  verdict: 'LIVE' | 'REJECTED';
}

const TOPIC_TYPES = new Set(['STANDARD', 'EVENT', 'OFFER', 'ALERT']);
const ACTION_TYPES = new Set(['BOOK', 'ORDER', 'SHOP', 'LEARN_MORE', 'SIGN_UP', 'CALL']);
const invalid = (detail: string): RouteError => ({ status: 400, message: `Request contains an invalid argument. (${detail})` });

export function fakeLocalPosts({ timestamp, hasLocation, paginate }: Dependencies) {
  const byLocation = new Map<string, StoredPost[]>();
  let toReject = 0;
  let answerAfterCreate: { status: 500 | 503; remaining: number } | null = null;
  let moderationMs = 0;
  let hangsToCome = 0;
  let nextId = 1;

  /** Moderation happens when the post is read, once its delay has passed. */
  const moderated = (post: StoredPost): LocalPostJson => {
    if (post.json.state === 'PROCESSING' && Date.now() - post.createdAt >= moderationMs) {
      post.json.state = post.verdict;
      post.json.updateTime = timestamp();
      if (post.verdict === 'LIVE') post.json.searchUrl = `https://local.google.com/place?id=fake&use=posts&lpsid=${post.json.name}`;
    }
    return structuredClone(post.json);
  };

  function create(locationName: string, body: string): LocalPostJson | Promise<never> {
    let post: Partial<LocalPostJson>;
    try {
      post = JSON.parse(body) as Partial<LocalPostJson>;
    } catch {
      throw { status: 400, message: 'Invalid JSON payload received.' } satisfies RouteError;
    }
    if (!TOPIC_TYPES.has(post.topicType ?? '')) throw invalid('topic_type is required');
    if (typeof post.summary !== 'string' || post.summary.trim() === '' || [...post.summary].length > 1500) {
      throw invalid('summary must be 1-1500 characters');
    }
    if (typeof post.languageCode !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(post.languageCode)) {
      throw invalid('language_code');
    }
    const action = post.callToAction as { actionType?: string; url?: string } | undefined;
    if (action) {
      if (!ACTION_TYPES.has(action.actionType ?? '')) throw invalid('call_to_action.action_type');
      if (action.actionType === 'CALL' && action.url !== undefined) throw invalid('call_to_action.url must be empty for CALL');
      if (action.actionType !== 'CALL' && !/^https?:\/\//.test(action.url ?? '')) throw invalid('call_to_action.url');
    }
    for (const media of post.media ?? []) {
      if (!/^https:\/\//.test(media.sourceUrl)) throw invalid('media.source_url must be a public URL');
    }
    const now = timestamp();
    const json: LocalPostJson = {
      ...(post as LocalPostJson),
      name: `${locationName}/localPosts/${String(300000000 + nextId++)}`,
      createTime: now,
      updateTime: now,
      state: 'PROCESSING',
    };
    const verdict = toReject > 0 ? 'REJECTED' : 'LIVE';
    if (toReject > 0) toReject -= 1;
    byLocation.set(locationName, [...(byLocation.get(locationName) ?? []), { json, createdAt: Date.now(), verdict }]);
    if (hangsToCome > 0) {
      hangsToCome -= 1;
      return new Promise<never>(() => {});
    }
    if (answerAfterCreate && answerAfterCreate.remaining > 0) {
      answerAfterCreate.remaining -= 1;
      throw { status: answerAfterCreate.status } satisfies RouteError;
    }
    return structuredClone(json);
  }

  function get(postName: string): LocalPostJson {
    const locationName = postName.replace(/\/localPosts\/[^/]+$/, '');
    const post = byLocation.get(locationName)?.find((p) => p.json.name === postName);
    if (!post) throw { status: 404 } satisfies RouteError;
    return moderated(post);
  }

  function list(locationName: string, query: URLSearchParams): ListLocalPostsJson {
    const pageSize = Number(query.get('pageSize') ?? '20');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw invalid('page_size must be 1-100');
    const newestFirst = [...(byLocation.get(locationName) ?? [])].reverse().map(moderated);
    const { items, nextPageToken } = paginate(newestFirst, query, 20, 100);
    return { ...(items.length ? { localPosts: items } : {}), ...(nextPageToken ? { nextPageToken } : {}) };
  }

  /** Answers a local-posts request, or returns undefined when the path is not one. */
  function route(method: string, path: string, query: URLSearchParams, body: string): unknown {
    const postsOf = path.match(/^\/v4\/(accounts\/[^/]+\/locations\/[^/]+)\/localPosts$/);
    const postNamed = path.match(/^\/v4\/(accounts\/[^/]+\/locations\/[^/]+\/localPosts\/[^/]+)$/);
    if (postsOf) {
      if (!hasLocation(postsOf[1]!)) throw { status: 404 } satisfies RouteError;
      if (method === 'POST') return create(postsOf[1]!, body);
      if (method === 'GET') return list(postsOf[1]!, query);
    }
    if (postNamed && method === 'GET') return get(postNamed[1]!);
    return undefined;
  }

  const control: FakeLocalPosts = {
    posts: (locationName) => (byLocation.get(locationName) ?? []).map((p) => structuredClone(p.json)),
    all: () => [...byLocation.values()].flat().map((p) => structuredClone(p.json)),
    rejectNext(times = 1) {
      toReject += times;
    },
    failAfterCreate(status, times = 1) {
      answerAfterCreate = { status, remaining: times };
    },
    hangAfterNextCreate() {
      hangsToCome += 1;
    },
    setModerationDelay(ms) {
      moderationMs = ms;
    },
  };
  return { route, control };
}
