/**
 * A worker killed between the owner's approval of a Google post and its publishing (flow F4): the
 * job worker is a separate process, killed (SIGKILL) while its `localPosts.create` is at Google —
 * the fake stores the post and never answers — and started again. The restarted worker finds the
 * post on Google instead of creating it again: published exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostModel, TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import type { FakeLocation } from '../../integrations/google/fake-server.ts';
import { connectGoogle, sentTo } from '../bot/flows/reviews-support.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';
import { startFindoProcess, type FindoProcess } from '../support/processes.ts';

const OWNER = '+972547654321';

describe('a worker killed while publishing a post', () => {
  let h: Harness;
  let tenant: Tenant;
  let location: FakeLocation;
  let worker: FindoProcess | undefined;

  const startWorker = () => startFindoProcess('worker', h.env);
  const ownerSays = (text: string) =>
    h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: OWNER, text });

  beforeAll(async () => {
    // This process serves HTTP only; the inbox and jobs run in the child worker.
    h = await startHarness(import.meta.filename, { role: 'web' });
    ({ tenant } = await h.createTenant());
    ({ location, tenant } = await connectGoogle(h, tenant, { due: false }));
    await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'settings.postDay': 'off' } });
    worker = await startWorker();
  }, 60_000);
  afterAll(async () => {
    await worker?.kill();
    await h?.stop();
  });

  it('publishes once after the restart', async () => {
    const { messageId } = await ownerSays('פוסט');
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('טיוטה לפוסט')), 30_000, 'the draft');
    const post = (await PostModel.findOne({ tenantId: tenant.id, key: `owner:${messageId}` }))!;

    h.google.localPosts.hangAfterNextCreate();
    await ownerSays('אשר');
    // Google has stored the post; its answer never comes: kill the worker now.
    await eventually(async () => h.google.localPosts.posts(location.name).length === 1, 30_000, 'the create at Google');
    await worker!.kill();
    expect((await PostModel.findOne({ tenantId: tenant.id, _id: post._id }))?.state).toBe('publishing');

    const restarted = Date.now();
    worker = await startWorker();
    const published = await eventually(
      async () => {
        const current = await PostModel.findOne({ tenantId: tenant.id, _id: post._id });
        return current?.state === 'published' && current;
      },
      30_000,
      'the post recorded as published',
    );
    const tookMs = Date.now() - restarted;
    await eventually(async () => sentTo(h, OWNER).some((w) => w.includes('הפוסט נשלח לגוגל')), 20_000, 'the owner told');
    // Nothing more arrives: posted once, told once.
    await new Promise((r) => setTimeout(r, 2_000));
    const onGoogle = h.google.localPosts.posts(location.name);
    console.log(`post, worker killed inside the create: recorded ${tookMs} ms after the restart; ${onGoogle.length} post on Google`);
    expect(onGoogle).toHaveLength(1);
    expect(onGoogle[0]).toMatchObject({ name: published.googleName, summary: post.draft });
    expect(sentTo(h, OWNER).filter((w) => w.includes('הפוסט נשלח לגוגל'))).toHaveLength(1);
  }, 120_000);
});
