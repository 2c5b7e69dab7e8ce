/** `findo customer export|forget`: privacy requests, one customer of one tenant. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { AGENDA_COLLECTION } from '../../bot/agenda.ts';
import {
  ActivityModel,
  ConversationModel,
  CustomerModel,
  EventModel,
  LeadModel,
  MessageModel,
  ReviewRequestModel,
  type Tenant,
  type WebhookProvider,
} from '../../bot/db/models/index.ts';
import { greeninvoiceDocument } from '../../integrations/greeninvoice/fake.ts';
import { voicenterAnsweredCall, voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { runCli } from '../support/cli.ts';
import { connectTestDatabase, TEST_MASTER_KEY } from '../support/database.ts';
import { cliEnv, oneErrorLine, seedTenant } from './seed.ts';

const CUSTOMER = '+972527654321';
const NEIGHBOUR = '+972547777777';
const MODELS = {
  customers: CustomerModel,
  messages: MessageModel,
  leads: LeadModel,
  reviewRequests: ReviewRequestModel,
  conversations: ConversationModel,
};

describe('findo customer (the real CLI as a child process)', { timeout: 120_000 }, () => {
  let db: Awaited<ReturnType<typeof connectTestDatabase>>;
  let env: NodeJS.ProcessEnv;
  let dani: Tenant;
  let noa: Tenant;

  /** Creates a customer's record, two messages, a lead, a review request and a conversation. */
  async function seedCustomer(tenant: Tenant, phone: string, name: string) {
    await CustomerModel.create({ tenantId: tenant.id, phone, name, lastInboundAt: new Date() });
    await MessageModel.create({
      tenantId: tenant.id,
      phone,
      key: `in:${phone}`,
      direction: 'in',
      text: `שלום, כאן ${name}`,
      status: 'received',
    });
    await MessageModel.create({
      tenantId: tenant.id,
      phone,
      key: `out:${phone}`,
      direction: 'out',
      text: 'איך אפשר לעזור?',
      status: 'sent',
    });
    const conversation = await ConversationModel.create({
      tenantId: tenant.id,
      kind: 'lead_capture',
      phone,
      machineVersion: 1,
      snapshot: { context: { name } },
    });
    await LeadModel.create({ tenantId: tenant.id, phone, name, source: 'missed_call', conversationId: conversation.id });
    await ReviewRequestModel.create({ tenantId: tenant.id, provider: 'icount', documentId: `doc-${phone}`, phone, customerName: name });
  }

  /**
   * The raw webhooks about a customer, each writing the phone its provider's way, the activity
   * lines that name it, and a follow-up still waiting to message it.
   */
  async function seedTraces(tenant: Tenant, phone: string) {
    const national = `0${phone.slice(4, 6)}-${phone.slice(6, 9)}-${phone.slice(9)}`;
    // Provider events keep the bytes as they came (JSON or form); WhatsApp events their parsed item.
    const raw = (provider: WebhookProvider, eventId: string, body: Record<string, unknown>, form = false) =>
      EventModel.create({
        tenantId: tenant.id,
        provider,
        eventId,
        status: 'processed',
        receivedAt: new Date(),
        contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
        raw: Buffer.from(form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body)),
      });
    const item = (eventId: string, body: unknown) =>
      EventModel.create({ tenantId: tenant.id, provider: 'whatsapp', eventId, status: 'processed', body, receivedAt: new Date() });
    await raw('voicenter', `vc:missed:${phone}`, voicenterMissedCall({ caller: national, callerPhone: national }));
    await raw(
      'voicenter',
      `vc:answered:${phone}`,
      { ...voicenterAnsweredCall({ caller: phone.slice(1), callerPhone: phone.slice(1) }), IVR: '' },
      true,
    );
    await raw('greeninvoice', `gi:${phone}`, greeninvoiceDocument({ recipient: { mobile: national.replace(/-/g, ''), phone: '' } }));
    await item(`wa:msg:${phone}`, { kind: 'whatsapp.message', from: phone, type: 'text', text: 'שלום' });
    await item(`wa:status:${phone}`, { kind: 'whatsapp.status', recipient: phone, status: 'read', errors: [] });
    await ActivityModel.create({ tenantId: tenant.id, type: 'message.sent', text: `template findo_missed_call sent to ${phone}` });
    await ActivityModel.create({ tenantId: tenant.id, type: 'lead.created', text: `new lead from ${phone}` });
    await mongoose.connection.db!.collection(AGENDA_COLLECTION).insertOne({
      name: 'missed-call-followup',
      type: 'normal',
      priority: 0,
      lockedAt: null,
      nextRunAt: new Date(Date.now() + 3_600_000),
      data: { tenantId: tenant.id, phone, eventRef: 'call' },
    });
  }

  /** How many documents each collection holds for this tenant and phone. */
  async function holdings(tenant: Tenant, phone: string) {
    const entries = await Promise.all(
      Object.entries(MODELS).map(async ([key, model]) => [
        key,
        await (model as typeof LeadModel).countDocuments({ tenantId: tenant.id, phone }),
      ]),
    );
    return Object.fromEntries(entries) as Record<keyof typeof MODELS, number>;
  }
  /** The raw events, activity lines and pending jobs that name this tenant's customer. */
  async function traces(tenant: Tenant, phone: string) {
    const jobs = mongoose.connection.db!.collection(AGENDA_COLLECTION);
    const lines = await ActivityModel.find({ tenantId: tenant.id }).lean();
    return {
      events: await EventModel.countDocuments({ tenantId: tenant.id, eventId: { $in: SEEDED_EVENT_IDS(phone) } }),
      activity: lines.filter((line) => line.text.includes(phone)).length,
      pendingJobs: await jobs.countDocuments({ 'data.tenantId': tenant.id, 'data.phone': phone }),
    };
  }
  const SEEDED_EVENT_IDS = (phone: string) => ['vc:missed', 'vc:answered', 'gi', 'wa:msg', 'wa:status'].map((kind) => `${kind}:${phone}`);
  const everything = { customers: 1, messages: 2, leads: 1, reviewRequests: 1, conversations: 1 };
  const nothing = { customers: 0, messages: 0, leads: 0, reviewRequests: 0, conversations: 0 };
  const allTraces = { events: 5, activity: 2, pendingJobs: 1 };

  beforeAll(async () => {
    db = await connectTestDatabase(import.meta.filename);
    env = cliEnv(db.uri, TEST_MASTER_KEY);
    dani = await seedTenant('Dani Plumbing', 'dani-plumbing');
    noa = await seedTenant('Noa Salon', 'noa-salon');
    await seedCustomer(dani, CUSTOMER, 'יוסי');
    await seedCustomer(dani, NEIGHBOUR, 'רונית');
    await seedCustomer(noa, CUSTOMER, 'יוסי');
    await ActivityModel.create({ tenantId: dani.id, type: 'lead.created', text: 'lead' });
    for (const [tenant, phone] of [
      [dani, CUSTOMER],
      [dani, NEIGHBOUR],
      [noa, CUSTOMER],
    ] as const)
      await seedTraces(tenant, phone);
  });
  afterAll(() => db.close());

  it('exports everything held on the customer of that tenant, phone given in any Israeli form', async () => {
    const [json, human, nobody] = await Promise.all([
      runCli(['customer', 'export', 'dani-plumbing', '052-765-4321', '--json'], env),
      runCli(['customer', 'export', dani.id, '+972 52 765 4321'], env),
      runCli(['customer', 'export', 'dani-plumbing', '050-111-2233', '--json'], env),
    ]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const view = json.json();
    expect(view).toMatchObject({
      tenant: { id: dani.id, slug: 'dani-plumbing', name: 'Dani Plumbing' },
      phone: CUSTOMER,
      customer: { tenantId: dani.id, phone: CUSTOMER, name: 'יוסי', optedOut: false },
    });
    expect(view.customer.id).toMatch(/^[0-9a-f]{24}$/);
    expect(view.customer).not.toHaveProperty('_id');
    expect(view.customer).not.toHaveProperty('__v');
    expect(view.messages.map((m: { text: string }) => m.text)).toEqual(['שלום, כאן יוסי', 'איך אפשר לעזור?']);
    expect(view.leads).toHaveLength(1);
    expect(view.reviewRequests).toMatchObject([{ provider: 'icount', customerName: 'יוסי' }]);
    expect(view.conversations).toMatchObject([{ kind: 'lead_capture', snapshot: { context: { name: 'יוסי' } } }]);
    for (const key of ['messages', 'leads', 'reviewRequests', 'conversations']) {
      for (const doc of view[key]) expect(doc).toMatchObject({ tenantId: dani.id, phone: CUSTOMER });
    }
    expect(JSON.stringify(view)).not.toContain('רונית');
    // The raw webhooks, whichever way their provider wrote the phone, and the activity lines.
    expect(view.events.map((e: { eventId: string }) => e.eventId).sort()).toEqual(SEEDED_EVENT_IDS(CUSTOMER).sort());
    expect(view.activity.map((a: { text: string }) => a.text)).toEqual([
      `template findo_missed_call sent to ${CUSTOMER}`,
      `new lead from ${CUSTOMER}`,
    ]);

    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^customer \+972527654321 of dani-plumbing\n/);
    expect(human.stdout).toContain('messages (2):');
    expect(human.stdout).toContain('raw events (5):');
    expect(human.stdout).toContain('activity lines (2):');
    expect(nobody.code).toBe(0);
    expect(nobody.json()).toMatchObject({
      customer: null,
      messages: [],
      leads: [],
      reviewRequests: [],
      conversations: [],
      events: [],
      activity: [],
    });
  });

  it('refuses a bad phone, an unknown tenant, and forgetting without --yes off a terminal; nothing changes', async () => {
    const [badPhone, badForgetPhone, noYes, unknownTenant, missingPhone] = await Promise.all([
      runCli(['customer', 'export', 'dani-plumbing', 'yossi'], env),
      runCli(['customer', 'forget', 'dani-plumbing', '12345', '--yes'], env),
      runCli(['customer', 'forget', 'dani-plumbing', '052-765-4321'], env),
      runCli(['customer', 'forget', 'nobody', '052-765-4321', '--yes'], env),
      runCli(['customer', 'forget', 'dani-plumbing'], env),
    ]);
    expect(badPhone.code).toBe(2);
    expect(oneErrorLine(badPhone)).toBe('findo: "yossi" is not a phone number');
    expect(badForgetPhone.code).toBe(2);
    expect(oneErrorLine(badForgetPhone)).toBe('findo: "12345" is not a phone number');
    expect(noYes.code).toBe(2);
    expect(oneErrorLine(noYes)).toBe('findo: refusing to delete without --yes: there is no terminal to confirm on');
    expect(unknownTenant.code).toBe(1);
    expect(oneErrorLine(unknownTenant)).toBe('findo: no tenant with id or slug "nobody"');
    expect(missingPhone.code).toBe(2);
    expect(await holdings(dani, CUSTOMER)).toEqual(everything);
    expect(await traces(dani, CUSTOMER)).toEqual(allTraces);
  });

  it('forgets exactly that customer of that tenant: nothing of another customer or another tenant', async () => {
    const result = await runCli(['customer', 'forget', 'dani-plumbing', '0527654321', '--yes', '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      tenantId: dani.id,
      tenantSlug: 'dani-plumbing',
      phone: CUSTOMER,
      deleted: { messages: 2, leads: 1, reviewRequests: 1, conversations: 1, events: 5, activity: 2, customers: 1, pendingJobs: 1 },
      optOutKept: false,
    });
    expect(await holdings(dani, CUSTOMER)).toEqual(nothing);
    expect(await traces(dani, CUSTOMER)).toEqual({ events: 0, activity: 0, pendingJobs: 0 });
    expect(await holdings(dani, NEIGHBOUR)).toEqual(everything);
    expect(await traces(dani, NEIGHBOUR)).toEqual(allTraces);
    expect(await holdings(noa, CUSTOMER)).toEqual(everything);
    expect(await traces(noa, CUSTOMER)).toEqual(allTraces);
    // Lines that name nobody stay.
    expect(await ActivityModel.countDocuments({ tenantId: dani.id, text: 'lead' })).toBe(1);

    // Forgetting again is harmless and says so.
    const again = await runCli(['customer', 'forget', 'dani-plumbing', '052-765-4321', '--yes'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      'forgot +972527654321 at dani-plumbing: deleted 0 messages, 0 leads, 0 review requests, 0 conversations, ' +
        '0 raw events, 0 activity lines, 0 customer records, 0 pending jobs\n',
    );
  });

  it('of a customer who opted out, keeps the opt-out alone, so nothing messages them again', async () => {
    const optedOut = '+972501234567';
    await seedCustomer(dani, optedOut, 'מיכל');
    await CustomerModel.updateOne(
      { tenantId: dani.id, phone: optedOut },
      { $set: { optedOut: true, optedOutAt: new Date(), lastFollowupAt: new Date() } },
    );

    const result = await runCli(['customer', 'forget', 'dani-plumbing', '050-123-4567', '--yes'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /deleted 2 messages, 1 lead, 1 review request, 1 conversation, .*0 customer records, .*; kept only their opt-out, so Findo never messages them again\n$/,
    );
    expect(await holdings(dani, optedOut)).toEqual({ ...nothing, customers: 1 });
    const kept = await CustomerModel.findOne({ tenantId: dani.id, phone: optedOut }).lean();
    expect(kept).toMatchObject({ phone: optedOut, optedOut: true, optedOutAt: expect.any(Date) });
    expect(kept).not.toHaveProperty('name');
    expect(kept).not.toHaveProperty('lastFollowupAt');
    expect(kept).not.toHaveProperty('lastInboundAt');
  });
});
