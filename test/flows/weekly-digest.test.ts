/**
 * Flow F4's Sunday digest: every owner gets the week in numbers once, through the sender (the
 * owner-alert template when their window is closed); a second run the same day sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadModel, type Tenant } from '../../bot/db/models/index.ts';
import { sendWeeklyDigests } from '../../bot/flows/owner.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('the weekly digest', () => {
  let h: Harness;
  let tenant: Tenant;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant({ ownerPhones: ['054-765-4321', '050-765-4321'] }));
    for (const [i, name] of ['דני', 'רונית'].entries()) {
      await LeadModel.create({ tenantId: tenant.id, phone: `+97252765000${i}`, name, source: 'inbound', conversationId: `c${i}` });
    }
  });
  afterAll(() => h?.stop());

  it('tells every owner this week’s numbers, once', async () => {
    const sunday = new Date();
    expect(await sendWeeklyDigests(h.findo.services, sunday)).toBe(1);
    for (const owner of ['+972547654321', '+972507654321']) {
      const digest = await h.whatsapp.waitForSent((m) => m.to === owner);
      expect(digest.template?.name).toBe('findo_owner_alert');
      expect(digest.template?.bodyParams[0]).toMatch(/לידים חדשים: \u2066?2/);
    }
    await sendWeeklyDigests(h.findo.services, sunday);
    expect(h.whatsapp.sent.filter((m) => m.to === '+972547654321')).toHaveLength(1);
  });
});
