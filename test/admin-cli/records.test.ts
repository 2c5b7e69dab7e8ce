/** `findo leads`, `findo conversations`, `findo stats` and `findo templates`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationModel,
  EventModel,
  LeadModel,
  MessageModel,
  ReviewModel,
  ReviewRequestModel,
  type EventStatus,
  type LeadStatus,
  type Tenant,
} from '../../bot/db/models/index.ts';
import { renderTemplatesForMetaManager, TEMPLATES } from '../../bot/templates.ts';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';
import { ago, backdate, cliEnv, DAY, HOUR, MINUTE, oneErrorLine, seedTenant } from './seed.ts';

const CUSTOMER = '+972527654321';
const OTHER_CUSTOMER = '+972547777777';

const LEAD_FIELDS = [
  'id',
  'tenantId',
  'phone',
  'name',
  'need',
  'preferredTime',
  'summary',
  'source',
  'status',
  'conversationId',
  'createdAt',
  'updatedAt',
].sort();
const CONVERSATION_FIELDS = [
  'id',
  'tenantId',
  'kind',
  'phone',
  'subjectId',
  'status',
  'state',
  'machineVersion',
  'seq',
  'number',
  'createdAt',
  'updatedAt',
  'closedAt',
].sort();

describe('findo leads, conversations, stats and templates (the real CLI as a child process)', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  let dani: Tenant;
  let noa: Tenant;
  const ids: Record<string, string> = {};

  async function message(tenant: Tenant, key: string, fields: Record<string, unknown>, at: Date) {
    const created = await MessageModel.create({ tenantId: tenant.id, key, phone: CUSTOMER, ...fields });
    await backdate(MessageModel, created._id, { createdAt: at });
    return created.id as string;
  }

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = cliEnv(db.uri, TEST_MASTER_KEY);
    dani = await seedTenant('Dani Plumbing', 'dani-plumbing');
    noa = await seedTenant('Noa Salon', 'noa-salon');

    const conversation = async (key: string, tenant: Tenant, phone: string, status: 'open' | 'closed', updatedAt: Date) => {
      const created = await ConversationModel.create({
        tenantId: tenant.id,
        kind: 'lead_capture',
        phone,
        status,
        machineVersion: 1,
        state: status === 'open' ? 'askingNeed' : 'done',
        snapshot: { status: 'active', value: 'askingNeed', context: { name: 'יוסי' } },
        seq: 3,
      });
      await backdate(ConversationModel, created._id, { updatedAt });
      ids[key] = created.id;
    };
    await conversation('daniOpen', dani, CUSTOMER, 'open', ago(10 * MINUTE));
    await conversation('daniClosed', dani, OTHER_CUSTOMER, 'closed', ago(2 * DAY));
    await conversation('noaOpen', noa, CUSTOMER, 'open', ago(5 * MINUTE));

    const lead = async (key: string, tenant: Tenant, status: LeadStatus, createdAt: Date, extra: Record<string, unknown> = {}) => {
      const created = await LeadModel.create({
        tenantId: tenant.id,
        phone: CUSTOMER,
        source: 'missed_call',
        status,
        conversationId: `c-${key}`,
        ...extra,
      });
      await backdate(LeadModel, created._id, { createdAt });
      ids[key] = created.id;
    };
    await lead('daniNew', dani, 'new', ago(HOUR), { name: 'יוסי כהן', need: 'נזילה במטבח', preferredTime: 'מחר בבוקר' });
    await lead('daniPartial', dani, 'partial', ago(3 * DAY), { name: 'רונית' });
    await lead('daniOld', dani, 'done', ago(30 * DAY));
    await lead('noaNew', noa, 'new', ago(2 * HOUR));

    // The transcript of dani's open conversation, inserted out of order; and noa's, same phone.
    ids.m3 = await message(dani, 'out:3', { direction: 'out', text: 'מה צריך לתקן?', status: 'read' }, ago(8 * MINUTE));
    ids.m1 = await message(
      dani,
      'out:1',
      {
        direction: 'out',
        kind: 'template',
        template: { name: 'findo_missed_call', language: 'he', params: ['Dani'] },
        status: 'delivered',
      },
      ago(12 * MINUTE),
    );
    ids.m2 = await message(dani, 'in:wamid.2', { direction: 'in', text: 'היי, כן', status: 'received' }, ago(9 * MINUTE));
    await message(dani, 'out:failed', { direction: 'out', text: 'נסיון', status: 'failed' }, ago(2 * DAY));
    await message(dani, 'out:old', { direction: 'out', text: 'ישן', status: 'sent' }, ago(20 * DAY));
    await message(noa, 'in:wamid.noa', { direction: 'in', text: 'שלום לנועה', status: 'received' }, ago(4 * MINUTE));

    await ReviewRequestModel.create({
      tenantId: dani.id,
      provider: 'greeninvoice',
      documentId: 'd1',
      phone: CUSTOMER,
      status: 'sent',
      sentAt: ago(DAY),
    });
    await ReviewRequestModel.create({
      tenantId: dani.id,
      provider: 'greeninvoice',
      documentId: 'd0',
      phone: CUSTOMER,
      status: 'sent',
      sentAt: ago(10 * DAY),
    });
    await ReviewModel.create({
      tenantId: dani.id,
      googleReviewId: 'r1',
      name: 'accounts/1/locations/2/reviews/r1',
      stars: 5,
      createTime: ago(DAY),
      reply: { state: 'posted', text: 'תודה!', postedAt: ago(DAY) },
    });
    await ReviewModel.create({
      tenantId: dani.id,
      googleReviewId: 'r2',
      name: 'accounts/1/locations/2/reviews/r2',
      stars: 2,
      createTime: ago(2 * DAY),
    });
    await ReviewModel.create({
      tenantId: noa.id,
      googleReviewId: 'r3',
      name: 'accounts/1/locations/3/reviews/r3',
      stars: 4,
      createTime: ago(40 * DAY),
    });
    const event = (tenant: Tenant, eventId: string, status: EventStatus, receivedAt: Date) =>
      EventModel.create({ tenantId: tenant.id, provider: 'voicenter', eventId, status, body: {}, receivedAt });
    await event(dani, 'e1', 'processed', ago(HOUR));
    await event(dani, 'e2', 'processed', ago(2 * HOUR));
    await event(dani, 'e3', 'failed', ago(3 * HOUR));
    await event(dani, 'e4', 'processed', ago(9 * DAY));
    await event(noa, 'e5', 'quarantined', ago(HOUR));
  });
  afterAll(() => db.close());

  it('lists leads newest first, across tenants or for one, filtered by status', async () => {
    const [all, daniOnly, byStatus, both, human] = await Promise.all([
      runCli(['leads', 'list', '--json'], env),
      runCli(['leads', 'list', '--tenant', 'dani-plumbing', '--json'], env),
      runCli(['leads', 'list', '--status', 'new', '--json'], env),
      runCli(['leads', 'list', '--tenant', noa.id, '--status', 'partial', '--json'], env),
      runCli(['leads', 'list', '--tenant', 'dani-plumbing'], env),
    ]);
    expect(all.code).toBe(0);
    const idsOf = (r: typeof all) => r.json().map((l: { id: string }) => l.id);
    expect(idsOf(all)).toEqual([ids.daniNew, ids.noaNew, ids.daniPartial, ids.daniOld]);
    for (const lead of all.json()) expect(Object.keys(lead).sort()).toEqual(LEAD_FIELDS);
    expect(all.json()[0]).toMatchObject({
      tenantId: dani.id,
      phone: CUSTOMER,
      name: 'יוסי כהן',
      need: 'נזילה במטבח',
      preferredTime: 'מחר בבוקר',
      summary: null,
      source: 'missed_call',
      status: 'new',
      conversationId: 'c-daniNew',
    });
    expect(idsOf(daniOnly)).toEqual([ids.daniNew, ids.daniPartial, ids.daniOld]);
    expect(idsOf(byStatus)).toEqual([ids.daniNew, ids.noaNew]);
    expect(idsOf(both)).toEqual([]);
    expect(human.stdout).toContain('יוסי כהן');
    expect(human.stdout).not.toContain('noa-salon');
  });

  it('shows one lead; bad status, bad ids and unknown ids are refused', async () => {
    const [shown, badStatus, badId, missing] = await Promise.all([
      runCli(['leads', 'show', ids.noaNew, '--json'], env),
      runCli(['leads', 'list', '--status', 'hot'], env),
      runCli(['leads', 'show', 'yossi'], env),
      runCli(['leads', 'show', '0123456789abcdef01234567'], env),
    ]);
    expect(shown.code).toBe(0);
    expect(shown.json()).toMatchObject({ id: ids.noaNew, tenantId: noa.id, status: 'new' });
    expect(badStatus.code).toBe(2);
    expect(oneErrorLine(badStatus)).toBe('findo: --status must be one of new, partial, handoff, calling_back, done, not "hot"');
    expect(badId.code).toBe(2);
    oneErrorLine(badId);
    expect(missing.code).toBe(1);
    expect(oneErrorLine(missing)).toBe('findo: no lead with id 0123456789abcdef01234567');
  });

  it('lists conversations most recently active first, filtered by tenant and status', async () => {
    const [all, open, daniClosed, badStatus] = await Promise.all([
      runCli(['conversations', 'list', '--json'], env),
      runCli(['conversations', 'list', '--status', 'open', '--json'], env),
      runCli(['conversations', 'list', '--tenant', 'dani-plumbing', '--status', 'closed', '--json'], env),
      runCli(['conversations', 'list', '--status', 'pending', '--json'], env),
    ]);
    const idsOf = (r: typeof all) => r.json().map((c: { id: string }) => c.id);
    expect(idsOf(all)).toEqual([ids.noaOpen, ids.daniOpen, ids.daniClosed]);
    for (const c of all.json()) expect(Object.keys(c).sort()).toEqual(CONVERSATION_FIELDS);
    expect(all.json()[1]).toMatchObject({
      tenantId: dani.id,
      kind: 'lead_capture',
      phone: CUSTOMER,
      status: 'open',
      state: 'askingNeed',
      seq: 3,
    });
    expect(idsOf(open)).toEqual([ids.noaOpen, ids.daniOpen]);
    expect(idsOf(daniClosed)).toEqual([ids.daniClosed]);
    expect(badStatus.code).toBe(2);
    oneErrorLine(badStatus);
  });

  it("shows a conversation with its transcript: that tenant's messages with that phone, in order", async () => {
    const [json, human] = await Promise.all([
      runCli(['conversations', 'show', ids.daniOpen, '--json'], env),
      runCli(['conversations', 'show', ids.daniOpen], env),
    ]);
    expect(json.code).toBe(0);
    const view = json.json();
    expect(view).toMatchObject({ id: ids.daniOpen, tenantId: dani.id, snapshot: { context: { name: 'יוסי' } } });
    const transcript = view.transcript as Record<string, unknown>[];
    expect(transcript.map((m) => m.text)).toEqual(['ישן', 'נסיון', null, 'היי, כן', 'מה צריך לתקן?']);
    expect(transcript[2]).toMatchObject({
      id: ids.m1,
      direction: 'out',
      phone: CUSTOMER,
      kind: 'template',
      template: 'findo_missed_call',
      status: 'delivered',
    });
    expect(transcript[3]).toMatchObject({ id: ids.m2, direction: 'in', status: 'received' });
    expect(transcript.every((m) => typeof m.createdAt === 'string')).toBe(true);
    expect(JSON.stringify(view)).not.toContain('שלום לנועה');
    expect(human.stdout).toMatch(/transcript:\n.*ישן[\s\S]*\[template findo_missed_call\][\s\S]*← received\s+היי, כן/);
  });

  it('counts the last 7 days per tenant and across tenants', async () => {
    const [daniStats, noaStats, all, human] = await Promise.all([
      runCli(['stats', '--tenant', 'dani-plumbing', '--json'], env),
      runCli(['stats', '--tenant', noa.id, '--json'], env),
      runCli(['stats', '--json'], env),
      runCli(['stats', '--tenant', 'dani-plumbing'], env),
    ]);
    expect(daniStats.code).toBe(0);
    expect(daniStats.json()).toMatchObject({
      tenantId: dani.id,
      tenantSlug: 'dani-plumbing',
      leads: 2,
      reviewRequestsSent: 1,
      reviewRemindersSent: 0,
      reviews: 2,
      repliesPosted: 1,
      messagesSent: 2,
      messagesFailed: 1,
      messagesReceived: 1,
      events: { accepted: 0, processed: 2, failed: 1, quarantined: 0 },
    });
    const { since, until } = daniStats.json();
    expect(new Date(until).getTime() - new Date(since).getTime()).toBe(7 * DAY);
    expect(noaStats.json()).toMatchObject({ leads: 1, reviews: 0, messagesReceived: 1, events: { quarantined: 1, processed: 0 } });
    expect(all.json()).toMatchObject({
      tenantId: null,
      tenantSlug: null,
      leads: 3,
      reviews: 2,
      messagesReceived: 2,
      events: { accepted: 0, processed: 2, failed: 1, quarantined: 1 },
    });
    expect(human.stdout).toMatch(/^dani-plumbing, /);
    expect(human.stdout).toContain('leads: 2\n');
    expect(human.stdout).toContain('  processed: 2\n');
  });

  it("prints the templates for Meta's manager, and the catalog as JSON", async () => {
    const [text, json] = await Promise.all([runCli(['templates'], env), runCli(['templates', '--json'], {})]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(renderTemplatesForMetaManager());
    expect(json.code).toBe(0);
    const catalog = json.json();
    expect(Object.keys(catalog)).toEqual(Object.keys(TEMPLATES));
    expect(catalog.findo_review_request).toMatchObject({
      category: 'MARKETING',
      languages: ['he', 'en', 'ar'],
      bodyKey: 'template.reviewRequest',
      parameters: ['name', 'business', 'link'],
      buttons: [{ type: 'QUICK_REPLY', payload: 'opt_out', title: { he: 'הסר', en: 'STOP' } }],
    });
    expect(catalog.findo_review_request.body.he).toContain('{{3}}');
    expect(catalog.findo_owner_alert.examples.en.text).toMatch(/New lead/);
  });
});
