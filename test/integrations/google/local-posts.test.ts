import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationError } from '../../../integrations/errors.ts';
import { createGoogleClient, type GoogleClient } from '../../../integrations/google/client.ts';
import { startFakeGoogle, type FakeGoogle } from '../../../integrations/google/fake-server.ts';
import { memoryTokenStore } from '../../../integrations/google/tokens.ts';
import { connectOwner, oauthConfig } from './support.ts';

let fake: FakeGoogle;
let client: GoogleClient;
let location: string;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e as IntegrationError,
  );
const post = { summary: 'שבוע טוב מכל הצוות!', languageCode: 'he', callToAction: { actionType: 'CALL' as const } };

beforeEach(async () => {
  fake = await startFakeGoogle();
  const account = fake.addAccount();
  location = fake.addLocation(account.name).name;
  client = createGoogleClient({ ...oauthConfig(fake), apiUrl: fake.url, tokens: memoryTokenStore(await connectOwner(fake)) });
});
afterEach(() => fake.close());

describe('local posts', () => {
  it('creates a standard post that is PROCESSING, then LIVE when read again', async () => {
    const created = await client.createLocalPost(location, {
      ...post,
      callToAction: { actionType: 'LEARN_MORE', url: 'https://g.page/r/fake/review' },
    });
    expect(created).toMatchObject({ summary: post.summary, state: 'PROCESSING' });
    expect(created.name).toMatch(new RegExp(`^${location}/localPosts/\\d+$`));
    expect(fake.localPosts.posts(location)).toEqual([
      expect.objectContaining({
        topicType: 'STANDARD',
        languageCode: 'he',
        summary: post.summary,
        callToAction: { actionType: 'LEARN_MORE', url: 'https://g.page/r/fake/review' },
      }),
    ]);
    expect((await client.getLocalPost(created.name)).state).toBe('LIVE');
  });

  it('a post the test rejects reads back REJECTED', async () => {
    fake.localPosts.rejectNext();
    const created = await client.createLocalPost(location, post);
    expect((await client.getLocalPost(created.name)).state).toBe('REJECTED');
  });

  it('lists posts newest first, across pages', async () => {
    for (let i = 0; i < 3; i++) await client.createLocalPost(location, { ...post, summary: `פוסט ${i}` });
    const listed = await client.listLocalPosts(location, 2);
    expect(listed.map((p) => p.summary)).toEqual(['פוסט 2', 'פוסט 1']);
    expect((await client.listLocalPosts(location)).map((p) => p.summary)).toEqual(['פוסט 2', 'פוסט 1', 'פוסט 0']);
  });

  it('a summary over 1,500 characters is refused before any request', async () => {
    const before = fake.requests.length;
    const error = await failureOf(client.createLocalPost(location, { ...post, summary: 'א'.repeat(1501) }));
    expect(error).toMatchObject({ kind: 'permanent', details: { code: 'invalid_post' } });
    expect(fake.requests.length).toBe(before);
  });

  it("Google's refusals keep their kinds: a 400 is permanent, 429 rate limited, 503 transient", async () => {
    expect(await failureOf(client.createLocalPost(location, { ...post, languageCode: 'Hebrew!' }))).toMatchObject({ kind: 'permanent' });
    fake.failNext({ method: 'POST', path: '/localPosts' }, { status: 429, retryAfterSeconds: 7 });
    expect(await failureOf(client.createLocalPost(location, post))).toMatchObject({
      kind: 'rate_limited',
      details: { retryAfterMs: 7000 },
    });
    fake.localPosts.failAfterCreate(503);
    expect(await failureOf(client.createLocalPost(location, post))).toMatchObject({ kind: 'transient' });
    // The lost answer's post exists all the same: a caller must look before creating again.
    expect(fake.localPosts.posts(location)).toHaveLength(1);
    expect(await failureOf(client.getLocalPost(`${location}/localPosts/404`))).toMatchObject({ kind: 'permanent' });
  });
});
