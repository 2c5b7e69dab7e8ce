import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { TenantModel } from '../../bot/db/models/index.ts';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';

describe('findo tenant (the real CLI as a child process)', () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = { MONGODB_URI: db.uri, FINDO_MASTER_KEY: TEST_MASTER_KEY, FINDO_PUBLIC_URL: 'https://findo.example.com' };
  });
  afterAll(() => db.close());

  let tenantId: string;

  it('creates a tenant and prints it with its three webhook URLs', async () => {
    const result = await runCli(
      [
        'tenant',
        'create',
        '--name',
        'Dani Plumbing',
        '--owner-phone',
        '054-765-4321',
        '--owner-phone',
        '+972 50 765 4321',
        '--whatsapp-number-id',
        '106540352242922',
        '--review-link',
        'https://g.page/r/dani/review',
        '--json',
      ],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const tenant = result.json();
    tenantId = tenant.id;
    expect(tenant).toMatchObject({
      slug: 'dani-plumbing',
      name: 'Dani Plumbing',
      language: 'he',
      timezone: 'Asia/Jerusalem',
      ownerPhones: ['+972547654321', '+972507654321'],
      whatsappNumberId: '106540352242922',
      settings: { leadFollowupDelay: '2m', autoReplyMinStars: 4, quietHours: '21:00-08:00', observeShabbat: true, paused: false },
    });
    for (const provider of ['voicenter', 'greeninvoice', 'icount']) {
      const url = tenant.webhooks[provider] as string;
      expect(url).toMatch(new RegExp(`^https://findo\\.example\\.com/webhooks/${provider}/[A-Za-z0-9_-]{32}$`));
    }
    // Keys are stored only as digests.
    const stored = await TenantModel.findById(tenantId).lean();
    expect(JSON.stringify(stored)).not.toContain(tenant.webhooks.voicenter.split('/').pop());
  });

  it('lists and shows tenants by id or slug, with keys masked', async () => {
    const list = await runCli(['tenant', 'list', '--json'], env);
    expect(list.code).toBe(0);
    expect(list.json().map((t: { slug: string }) => t.slug)).toEqual(['dani-plumbing']);

    const bySlug = await runCli(['tenant', 'show', 'dani-plumbing', '--json'], env);
    const byId = await runCli(['tenant', 'show', tenantId, '--json'], env);
    expect(bySlug.json().id).toBe(tenantId);
    expect(byId.json().slug).toBe('dani-plumbing');
    expect(bySlug.json().webhooks.voicenter).toMatch(/\/webhooks\/voicenter\/.{4}….{2}$/);
  });

  it('sets durations, quiet hours, phones and flags in one atomic update', async () => {
    const result = await runCli(
      [
        'tenant',
        'set',
        'dani-plumbing',
        'leadFollowupDelay=90s',
        'reviewRequestDelay=24h',
        'quietHours=off',
        'observeShabbat=false',
        'autoReplyMinStars=5',
        'ownerPhones=054-765-4321,052-765-4321',
        '--json',
      ],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      ownerPhones: ['+972547654321', '+972527654321'],
      settings: { leadFollowupDelay: '90s', quietHours: 'off', observeShabbat: false, autoReplyMinStars: 5 },
    });
    const stored = await TenantModel.findById(tenantId);
    expect(stored!.settings!.leadFollowupDelay).toBe(90_000);
    expect(stored!.settings!.reviewRequestDelay).toBe(86_400_000);
  });

  it('an unknown key or a bad value is a usage error that changes nothing', async () => {
    const before = await TenantModel.findById(tenantId).lean();
    const attempts = [
      ['leadFollowupDelay=5m', 'colour=blue'],
      ['leadFollowupDelay=5m', 'reviewReminderDelay=soon'],
      ['quietHours=25:00-08:00'],
      ['autoReplyMinStars=9'],
      ['ownerPhones=12345'],
      ['observeShabbat=maybe'],
      ['reviewLink=not a url'],
      ['nokey'],
    ];
    const results = await Promise.all(attempts.map((args) => runCli(['tenant', 'set', 'dani-plumbing', ...args], env)));
    for (const [i, result] of results.entries()) {
      expect(result.code, attempts[i].join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^findo: /);
    }
    const after = await TenantModel.findById(tenantId).lean();
    expect(after).toEqual(before);
  }, 120_000);

  it('reports usage errors with exit code 2 and failures with 1', async () => {
    const missing = await runCli(['tenant', 'create', '--name', 'X'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--owner-phone/);
    const badPhone = await runCli(['tenant', 'create', '--name', 'X', '--owner-phone', 'abc'], env);
    expect(badPhone.code).toBe(2);
    expect(badPhone.stderr).toBe('findo: "abc" is not a phone number\n');
    const unknown = await runCli(['tenant', 'show', 'nobody'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('findo: no tenant with id or slug "nobody"\n');
    const noCommand = await runCli(['tenant', 'explode'], env);
    expect(noCommand.code).toBe(2);
    expect(await TenantModel.countDocuments({})).toBe(1);
  });

  it('disables, enables and rotates keys', async () => {
    expect((await runCli(['tenant', 'disable', 'dani-plumbing', '--json'], env)).json().disabled).toBe(true);
    expect((await runCli(['tenant', 'enable', 'dani-plumbing', '--json'], env)).json().disabled).toBe(false);
    const before = await TenantModel.findById(tenantId).lean();
    const rotated = await runCli(['tenant', 'rotate-keys', 'dani-plumbing', '--json'], env);
    expect(rotated.code).toBe(0);
    const after = await TenantModel.findById(tenantId).lean();
    expect(after!.webhookKeyDigests!.voicenter).not.toBe(before!.webhookKeyDigests!.voicenter);
    expect(rotated.json().webhooks.icount).toMatch(/\/webhooks\/icount\//);
  });

  it('fails in one clear line when the database cannot be reached', async () => {
    const result = await runCli(['tenant', 'list'], { MONGODB_URI: 'mongodb://127.0.0.1:9/x', FINDO_MASTER_KEY: TEST_MASTER_KEY });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^findo: cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:9\/x/);
    expect(mongoose.connection.readyState).toBe(1);
  });
});
