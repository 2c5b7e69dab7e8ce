import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationError } from '../../../integrations/errors.ts';
import { createGoogleClient, type GoogleClient } from '../../../integrations/google/client.ts';
import { startFakeGoogle, type FakeGoogle } from '../../../integrations/google/fake-server.ts';
import { memoryTokenStore, type TokenStore } from '../../../integrations/google/tokens.ts';
import { connectOwner, oauthConfig } from './support.ts';

let fake: FakeGoogle;
let store: TokenStore;
let client: GoogleClient;
let location: string;

const clientFor = (tokens: TokenStore, apiUrl = fake.url) => createGoogleClient({ ...oauthConfig(fake), apiUrl, tokens });
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e as IntegrationError,
  );

beforeEach(async () => {
  fake = await startFakeGoogle();
  const account = fake.addAccount({ accountName: 'Dana Hair Studio' });
  location = fake.addLocation(account.name, { title: 'מספרת דנה' }).name;
  store = memoryTokenStore(await connectOwner(fake));
  client = clientFor(store);
});
afterEach(() => fake.close());

describe('accounts and locations', () => {
  it('lists every account across pages of 20', async () => {
    for (let i = 0; i < 21; i++) fake.addAccount({ accountName: `Owner ${i}` });
    const accounts = await client.listAccounts();
    expect(accounts).toHaveLength(22);
    expect(accounts[0]).toMatchObject({ accountName: 'Dana Hair Studio', type: 'PERSONAL' });
    expect(fake.requests.filter((r) => r.path === '/v1/accounts')).toHaveLength(2);
  });

  it("lists an account's locations in the v4 form with place id and review link", async () => {
    const [account] = await client.listAccounts();
    const locations = await client.listLocations(account!.name);
    expect(locations).toEqual([
      {
        name: location,
        title: 'מספרת דנה',
        placeId: expect.stringMatching(/^ChIJ/),
        newReviewUri: expect.stringContaining('writereview?placeid=ChIJ'),
        mapsUri: expect.stringContaining('maps.google.com'),
      },
    ]);
  });

  it('refuses a name that is not an account as a permanent error, without calling Google', async () => {
    const failure = await failureOf(client.listLocations('locations/1'));
    expect(failure).toMatchObject({ kind: 'permanent', details: { code: 'invalid_name' } });
  });
});

describe('reviews', () => {
  it('normalises reviews: stars from the enum, anonymous reviewers, rating-only, existing replies', async () => {
    fake.addReview(location, { starRating: 'FOUR', comment: 'טוב מאוד', reviewer: { displayName: 'Avi', isAnonymous: false } });
    fake.addReview(location, { starRating: 'TWO', comment: undefined, reviewer: { displayName: 'A Google User', isAnonymous: true } });
    const replied = fake.addReview(location, { starRating: 'FIVE', reviewReply: { comment: 'תודה!', updateTime: '2026-01-01T10:00:00Z' } });

    const page = await client.listReviews(location);

    expect(page.totalReviewCount).toBe(3);
    expect(page.averageRating).toBe(3.7);
    expect(page.nextPageToken).toBeUndefined();
    expect(page.reviews.map((r) => r.stars)).toEqual([5, 2, 4]);
    expect(page.reviews[0]).toEqual({
      name: replied.name,
      reviewId: replied.reviewId,
      reviewerName: 'Dana Levi',
      reviewerIsAnonymous: false,
      stars: 5,
      comment: 'שירות מעולה, ממליצה בחום!',
      createTime: replied.createTime,
      updateTime: replied.updateTime,
      reply: { comment: 'תודה!', updateTime: '2026-01-01T10:00:00Z' },
    });
    expect(page.reviews[1]).toMatchObject({ reviewerName: null, reviewerIsAnonymous: true, comment: null });
    expect(page.reviews[2]).not.toHaveProperty('reply');
  });

  it('pages through reviews newest change first, and an edited review comes back first', async () => {
    const [first, second, third] = [1, 2, 3].map((n) => fake.addReview(location, { comment: `review ${n}` }));
    fake.editReview(first!.name, { comment: 'review 1, edited', starRating: 'THREE' });

    const page1 = await client.listReviews(location, { pageSize: 2, orderBy: 'updateTime desc' });
    expect(page1.reviews.map((r) => r.reviewId)).toEqual([first!.reviewId, third!.reviewId]);
    expect(page1.nextPageToken).toBeDefined();

    const page2 = await client.listReviews(location, { pageSize: 2, pageToken: page1.nextPageToken });
    expect(page2.reviews.map((r) => r.reviewId)).toEqual([second!.reviewId]);
    expect(page2.nextPageToken).toBeUndefined();
  });

  it('orders by rating when asked', async () => {
    for (const starRating of ['THREE', 'FIVE', 'ONE'] as const) fake.addReview(location, { starRating });
    expect((await client.listReviews(location, { orderBy: 'rating' })).reviews.map((r) => r.stars)).toEqual([1, 3, 5]);
    expect((await client.listReviews(location, { orderBy: 'rating desc' })).reviews.map((r) => r.stars)).toEqual([5, 3, 1]);
  });

  it('posts a reply, records the moderation state, and deletes it', async () => {
    const review = fake.addReview(location, { starRating: 'FIVE' });
    fake.setReplyState('PENDING');

    const reply = await client.updateReply(review.name, 'תודה רבה דנה! שמחים שנהנית.');

    expect(reply).toEqual({ comment: 'תודה רבה דנה! שמחים שנהנית.', updateTime: expect.any(String), state: 'PENDING' });
    expect(fake.repliesReceived).toEqual([{ reviewName: review.name, comment: 'תודה רבה דנה! שמחים שנהנית.' }]);
    expect(fake.reviews(location)[0]!.reviewReply?.comment).toBe('תודה רבה דנה! שמחים שנהנית.');

    await client.deleteReply(review.name);
    expect(fake.reviews(location)[0]!.reviewReply).toBeUndefined();
  });

  it('refuses a reply over 4096 bytes before calling Google', async () => {
    const review = fake.addReview(location);
    const failure = await failureOf(client.updateReply(review.name, 'א'.repeat(2049)));
    expect(failure).toMatchObject({ kind: 'permanent', details: { code: 'invalid_reply' } });
    expect(fake.repliesReceived).toEqual([]);
  });

  it('reports a review that no longer exists as permanent NOT_FOUND', async () => {
    const failure = await failureOf(client.updateReply(`${location}/reviews/gone`, 'thanks'));
    expect(failure).toMatchObject({ kind: 'permanent', details: { code: 'NOT_FOUND' } });
  });
});

describe('tokens', () => {
  it('refreshes the access token before it expires, so Google never sees an expired one', async () => {
    fake.setAccessTokenLifetime(30); // inside the 60 s margin
    store = memoryTokenStore(await connectOwner(fake));
    fake.setAccessTokenLifetime(3599);
    const before = (await store.load())!;

    await clientFor(store).listReviews(location);

    const after = (await store.load())!;
    expect(fake.tokenRequests.refresh_token).toBe(1);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(fake.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('does not refresh a token that is still fresh', async () => {
    await client.listReviews(location);
    await client.listAccounts();
    expect(fake.tokenRequests.refresh_token).toBeUndefined();
  });

  it('two workers sharing a store refresh an expiring token once', async () => {
    fake.setAccessTokenLifetime(30);
    store = memoryTokenStore(await connectOwner(fake));
    fake.setAccessTokenLifetime(3599);

    await Promise.all([clientFor(store).listReviews(location), clientFor(store).listAccounts(), clientFor(store).listReviews(location)]);

    expect(fake.tokenRequests.refresh_token).toBe(1);
  });

  it('after a 401 refreshes once and retries the call', async () => {
    fake.addReview(location);
    fake.failNext('/reviews', { status: 401 });

    const page = await client.listReviews(location);

    expect(page.reviews).toHaveLength(1);
    expect(fake.tokenRequests.refresh_token).toBe(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/reviews')).map((r) => r.status)).toEqual([401, 200]);
  });

  it('a second 401 after the refresh is permanent', async () => {
    fake.failNext('/reviews', { status: 401, times: 2 });
    const failure = await failureOf(client.listReviews(location));
    expect(failure).toMatchObject({ kind: 'permanent', details: { code: 'UNAUTHENTICATED' } });
    expect(fake.tokenRequests.refresh_token).toBe(1);
  });

  it('a revoked grant is a permanent invalid_grant: the owner must reconnect', async () => {
    fake.revokeGrant();
    const failure = await failureOf(client.listReviews(location));
    expect(failure).toBeInstanceOf(IntegrationError);
    expect(failure).toMatchObject({ kind: 'permanent', details: { provider: 'google', code: 'invalid_grant' } });
  });

  it('a tenant without tokens is a permanent not_connected', async () => {
    const failure = await failureOf(clientFor(memoryTokenStore()).listAccounts());
    expect(failure).toMatchObject({ kind: 'permanent', details: { code: 'not_connected' } });
  });
});

describe('failures', () => {
  it('429 RESOURCE_EXHAUSTED is rate_limited, with the wait Google asks for', async () => {
    fake.failNext({ method: 'GET', path: '/reviews' }, { status: 429, retryAfterSeconds: 30 });
    const failure = await failureOf(client.listReviews(location));
    expect(failure).toMatchObject({ kind: 'rate_limited', details: { code: 'RESOURCE_EXHAUSTED', retryAfterMs: 30_000 } });
  });

  it('429 on the v1 APIs is rate_limited too, and is not retried behind our back', async () => {
    fake.failNext('/v1/accounts', { status: 429 });
    const failure = await failureOf(client.listAccounts());
    expect(failure.kind).toBe('rate_limited');
    expect(failure.details.retryAfterMs).toBeUndefined();
    expect(fake.requests.filter((r) => r.path === '/v1/accounts')).toHaveLength(1);
  });

  it('500 is transient', async () => {
    const review = fake.addReview(location);
    fake.failNext({ method: 'PUT' }, { status: 500 });
    const failure = await failureOf(client.updateReply(review.name, 'תודה!'));
    expect(failure).toMatchObject({ kind: 'transient', details: { code: 'INTERNAL' } });
    expect(fake.repliesReceived).toEqual([]);
  });

  it('403 PERMISSION_DENIED is permanent', async () => {
    fake.failNext('/locations', { status: 403 });
    const [account] = await client.listAccounts();
    const failure = await failureOf(client.listLocations(account!.name));
    expect(failure).toMatchObject({ kind: 'permanent', details: { code: 'PERMISSION_DENIED' } });
  });

  it('a network failure is transient', async () => {
    const unreachable = await startFakeGoogle();
    await unreachable.close();
    const failure = await failureOf(clientFor(store, unreachable.url).listReviews(location));
    expect(failure).toMatchObject({ kind: 'transient', details: { code: 'ECONNREFUSED' } });
  });

  it('a 5xx from the token endpoint during refresh is transient', async () => {
    fake.setAccessTokenLifetime(30);
    store = memoryTokenStore(await connectOwner(fake));
    // google-auth-library retries the token endpoint itself a few times; keep it failing.
    fake.failNext('/token', { status: 503, times: 10 });
    const failure = await failureOf(clientFor(store).listReviews(location));
    expect(failure.kind).toBe('transient');
  });
});
