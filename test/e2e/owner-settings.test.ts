/**
 * Settings by chat, end to end: the owner writes `הגדרות` over a signed WhatsApp webhook, picks a
 * setting by number and gives its value in plain words. Every change shows in `findo tenant show`
 * (the real CLI as a child process) and in the activity feed; a bad value gets an example and
 * changes nothing. Also `ביקורות` and `מה חדש`. Real server, workers and database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityModel, ReviewModel, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings } from '../../bot/tenants.ts';
import { t } from '../../bot/texts/index.ts';
import { runCli } from '../support/cli.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';

const OWNER = '+972547654321';

// `findo tenant show` runs as a child process: slow on a shared 2-core machine.
describe('settings by chat', { timeout: 180_000 }, () => {
  let h: Harness;
  let tenant: Tenant;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant } = await h.createTenant({ ownerPhones: ['054-765-4321'] }));
    // The quiet hours set below must not hold back the owner's own chat, whatever the time of the run.
    tenant = await setTenantSettings(tenant, ['ownerAlertsAnytime=true'], h.findo.services.vault);
  });
  afterAll(() => h?.stop());

  /** The owner writes `text`; resolves with the next message Findo sends them. */
  async function ownerSays(text: string): Promise<string> {
    const before = h.whatsapp.sent.length;
    const delivery = await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNER,
      text,
    });
    expect(delivery.status).toBe(200);
    const answer = await eventually(
      async () => h.whatsapp.sent.slice(before).find((m) => m.to === OWNER),
      20_000,
      `the answer to "${text}"`,
    );
    return answer.text ?? '';
  }
  const shownSettings = async () => {
    const shown = await runCli(['tenant', 'show', tenant.slug, '--json'], h.env);
    expect(shown.code).toBe(0);
    return shown.json().settings as Record<string, unknown>;
  };

  it('shows the settings as a numbered menu in plain words', async () => {
    const menu = await ownerSays('הגדרות');
    expect(menu).toContain('1. הודעות אוטומטיות ללקוחות: פועלות');
    expect(menu).toContain('2. שעות שקטות (בלי הודעות ללקוחות): כבוי');
    expect(menu).toContain('לביקורות של');
    expect(menu).toContain('4. בקשת ביקורת נשלחת');
    expect(menu).toContain('5. יום בקשת תמונות: שלישי');
    expect(menu).toContain('6. יום פוסט בגוגל: חמישי');
  });

  it('quiet hours: a bad value gets an example and changes nothing; a good one is confirmed, shown and recorded', async () => {
    expect(await ownerSays('הגדרות')).toContain('⚙️');
    expect(await ownerSays('2')).toContain('22:00-07:00');
    expect(await ownerSays('מתי שבא לי')).toBe(t('he', 'owner.settings.example.quietHours'));
    expect((await shownSettings()).quietHours).toBe('off');

    expect(await ownerSays('22:00-07:00')).toContain('✅');
    expect((await shownSettings()).quietHours).toBe('22:00-07:00');
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'tenant.changed', text: /quietHours=22:00-07:00/ })).toBe(1);
    // One change per menu: the conversation is over, so a number is no longer a choice.
    expect(await ownerSays('3')).toBe(t('he', 'owner.unknownCommand'));
  });

  it('every other item changes by chat and shows in findo tenant show', async () => {
    const change = async (item: string, words: string) => {
      await ownerSays('הגדרות');
      if (item === '1') return ownerSays(item);
      await ownerSays(item);
      return ownerSays(words);
    };
    expect(await change('1', '')).toContain('1. הודעות אוטומטיות ללקוחות: מושהות');
    expect(await change('3', 'אף אחת')).toContain('✅');
    expect(await change('4', '3 שעות')).toContain('3');
    expect(await change('5', 'שישי')).toContain('5. יום בקשת תמונות: שישי');
    expect(await change('6', 'כבוי')).toContain('6. יום פוסט בגוגל: כבוי');
    expect(await shownSettings()).toMatchObject({
      paused: true,
      autoReplyMinStars: 6,
      reviewRequestDelay: '3h',
      photoRequestDay: 'fri',
      postDay: 'off',
      quietHours: '22:00-07:00',
    });
    expect(await ActivityModel.countDocuments({ tenantId: tenant.id, type: 'tenant.changed', text: /by WhatsApp/ })).toBe(6);
  });

  it('a bad day or delay changes nothing; a command leaves the menu', async () => {
    await ownerSays('הגדרות');
    await ownerSays('5');
    expect(await ownerSays('יום הולדת')).toBe(t('he', 'owner.settings.example.photoRequestDay'));
    expect(await ownerSays('עזרה')).toBe(t('he', 'owner.help'));
    expect((await shownSettings()).photoRequestDay).toBe('fri');
  });

  it('ביקורות lists the latest reviews and the drafts waiting; מה חדש tells today in numbers', async () => {
    expect(await ownerSays('ביקורות')).toBe(`${t('he', 'owner.reviews.none')}\n\n${t('he', 'owner.reviews.noDrafts')}`);
    await ReviewModel.create({
      tenantId: tenant.id,
      googleReviewId: 'r1',
      name: 'accounts/1/locations/2/reviews/r1',
      reviewerName: 'דנה',
      stars: 5,
      comment: 'מעולה',
      createTime: new Date(),
      updateTime: new Date(),
      reply: { state: 'posted', postedAt: new Date() },
    });
    const reviews = await ownerSays('ביקורות');
    expect(reviews).toContain('⭐⭐⭐⭐⭐');
    expect(reviews).toContain('דנה');
    expect(reviews).toContain(t('he', 'owner.reviews.state.replied'));
    expect(await ownerSays('מה חדש')).toBe(t('he', 'owner.today', { leads: 0, requests: 0, reviews: 1, replies: 1 }));
  });
});
