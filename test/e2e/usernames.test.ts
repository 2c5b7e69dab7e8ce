/**
 * WhatsApp users who come by username, without a phone number (2026): no `from`, only the
 * business-scoped user id (`from_user_id`, `contacts[].user_id`). Findo knows them by that id
 * (spec §5), answers them by it (Graph's `recipient` instead of `to`), honours their opt-out, and
 * names them to the owner by profile name or username.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerModel, type Tenant } from '../../bot/db/models/index.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';

const OWNER = '+972547654321';

describe('WhatsApp users known only by username', () => {
  let h: Harness;
  let tenant: Tenant;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant());
  });
  afterAll(() => h?.stop());

  const write = (userId: string, text: string, username: string) =>
    h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, { phoneNumberId: BUSINESS_NUMBER_ID, from: userId, username, text });
  const sentTo = (userId: string) => h.whatsapp.sent.filter((m) => m.to === userId);

  it('is identified by the business-scoped user id and answered through `recipient`', async () => {
    const userId = 'IL.13491208655302741918';
    const delivery = await write(userId, 'שלום, צריך תיקון לדוד', 'dana_cakes');
    expect(delivery.status).toBe(200);
    const answer = await h.whatsapp.waitForSent((m) => m.to === userId, 20_000);
    expect(answer.request).toMatchObject({ recipient: userId });
    expect(answer.request).not.toHaveProperty('to');
    expect(await CustomerModel.findOne({ tenantId: tenant.id, phone: userId })).toMatchObject({ name: 'dana_cakes' });
  });

  it('opts out with STOP like anyone else, confirmed once', async () => {
    const userId = 'IL.22222208655302741918';
    await write(userId, 'הסר', 'ron_garage');
    await eventually(async () => (await CustomerModel.findOne({ tenantId: tenant.id, phone: userId }))?.optedOut, 20_000, 'opted out');
    await eventually(async () => sentTo(userId).some((m) => m.text?.includes('הוסרת')), 20_000, 'confirmation');
    const count = sentTo(userId).length;
    await write(userId, 'שלום?', 'ron_garage');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sentTo(userId)).toHaveLength(count);
  });

  it('is named to the owner by username, never by the id', async () => {
    const userId = 'IL.33333308655302741918';
    await write(userId, 'נציג בבקשה', 'noa_flowers');
    const alert = await h.whatsapp.waitForSent((m) => m.to === OWNER && JSON.stringify(m.request).includes('noa_flowers'), 20_000);
    expect(JSON.stringify(alert.request)).not.toContain(userId);
  });
});
