/**
 * Flow F4's Sunday digest: every owner gets the week in numbers once, through the sender (the
 * owner-alert template when their window is closed); another run in the same week sends nothing.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../../bot/agenda.ts';
import { LeadModel, type Tenant } from '../../../bot/db/models/index.ts';
import { sendWeeklyDigests } from '../../../bot/flows/owner.ts';
import { eventually, startHarness, type Harness } from '../../support/harness.ts';

const DAY = 86_400_000;

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

  it('is scheduled for Sundays at 09:00 Israel time', async () => {
    const job = await mongoose.connection.db!.collection(AGENDA_COLLECTION).findOne({ name: 'weekly-digest' });
    expect(job).toMatchObject({ repeatInterval: '0 9 * * 0', repeatTimezone: 'Asia/Jerusalem' });
    const next = new Date(job!.nextRunAt);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Jerusalem',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(next);
    expect(local).toBe('Sun 09:00');
  });

  it('tells every owner this week’s numbers, once a week', async () => {
    // This week's Sunday, 07:00 UTC (09:00 or 10:00 in Israel), then later that week, then next week.
    const sunday = new Date(
      Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - new Date().getUTCDay(), 7),
    );
    const wednesday = new Date(sunday.getTime() + 3 * DAY);
    const nextSunday = new Date(sunday.getTime() + 7 * DAY);
    const toFirstOwner = () => h.whatsapp.sent.filter((m) => m.to === '+972547654321');

    expect(await sendWeeklyDigests(h.findo.services, sunday)).toBe(1);
    for (const owner of ['+972547654321', '+972507654321']) {
      const digest = await h.whatsapp.waitForSent((m) => m.to === owner);
      expect(digest.template?.name).toBe('findo_owner_alert');
      expect(digest.template?.bodyParams[0]).toMatch(/לידים חדשים: \u2066?2/);
    }
    await sendWeeklyDigests(h.findo.services, sunday);
    await sendWeeklyDigests(h.findo.services, wednesday);
    expect(toFirstOwner()).toHaveLength(1);

    await sendWeeklyDigests(h.findo.services, nextSunday);
    await eventually(async () => toFirstOwner().length === 2, 20_000, 'next week’s digest');
  });
});
