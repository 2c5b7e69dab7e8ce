/**
 * Flow F4 end to end: the owner runs the business from the WhatsApp chat. Each command arrives as
 * a signed WhatsApp webhook and its answer leaves through the fake Graph API; pausing really stops
 * the customer messages of a missed call, and resuming starts them again.
 * Real server, real Agenda workers, real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadModel, MessageModel, TenantModel, type Message, type Tenant } from '../../bot/db/models/index.ts';
import { setTenantSettings, type WebhookKeys } from '../../bot/tenants.ts';
import { t } from '../../bot/texts/index.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { BUSINESS_NUMBER_ID, eventually, startHarness, type Harness } from '../support/harness.ts';

const OWNER = '+972547654321';

describe('the owner on WhatsApp', () => {
  let h: Harness;
  let tenant: Tenant;
  let keys: WebhookKeys;

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
    ({ tenant, webhookKeys: keys } = await h.createTenant({ ownerPhones: ['054-765-4321'] }));
    tenant = await setTenantSettings(tenant, ['leadFollowupDelay=1s'], h.findo.services.vault);
  });
  afterAll(() => h?.stop());

  /** The owner writes `text`; resolves with the text of Findo's answer to that message. */
  async function ownerSays(text: string): Promise<string> {
    const delivery = await h.whatsapp.deliverInbound(`${h.url}/webhooks/whatsapp`, {
      phoneNumberId: BUSINESS_NUMBER_ID,
      from: OWNER,
      text,
    });
    expect(delivery.status).toBe(200);
    const answer = await h.whatsapp.waitForSent((m) => m.to === OWNER && m.replyToMessageId === delivery.messageId, 20_000);
    return answer.text ?? '';
  }

  it('answers עזרה with the menu, and what it does not understand with a pointer to it', async () => {
    expect(await ownerSays('עזרה')).toBe(t('he', 'owner.help'));
    expect(await ownerSays('מה קורה?')).toBe(t('he', 'owner.unknownCommand'));
  });

  it('lists the recent leads, newest first, with name, need and phone', async () => {
    expect(await ownerSays('לידים')).toBe(t('he', 'owner.noLeads'));
    await LeadModel.create({
      tenantId: tenant.id,
      phone: '+972527650001',
      name: 'דני',
      need: 'תיקון דוד שמש',
      source: 'missed_call',
      conversationId: 'c1',
    });
    await LeadModel.create({
      tenantId: tenant.id,
      phone: '+972527650002',
      name: 'רונית',
      need: 'החלפת ברז',
      source: 'inbound',
      conversationId: 'c2',
    });
    expect(await ownerSays('לידים')).toBe(
      t('he', 'owner.leadsList', { list: '• רונית · החלפת ברז · 052-765-0002\n• דני · תיקון דוד שמש · 052-765-0001' }),
    );
  });

  it('tells this week’s numbers', async () => {
    expect(await ownerSays('סטטיסטיקה')).toBe(t('he', 'owner.stats', { leads: 2, requests: 0, reviews: 0, replies: 0 }));
  });

  it('השהה stops the follow-up to a missed call; המשך starts the next one again', async () => {
    const missedCall = (caller: string, id: string) =>
      postProviderWebhook(
        h.webhookUrl('voicenter', keys.voicenter),
        voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: id }) as never,
      );

    expect(await ownerSays('השהה')).toBe(t('he', 'owner.paused'));
    expect((await TenantModel.findById(tenant._id))?.settings?.paused).toBe(true);
    await missedCall('052-765-0101', 'paused-call');
    const skipped = await eventually<Message>(
      async () => await MessageModel.findOne({ tenantId: tenant.id, phone: '+972527650101', status: 'skipped' }),
      20_000,
      'the follow-up skipped while paused',
    );
    expect(skipped.reason).toBe('paused');
    expect(h.whatsapp.sent.filter((m) => m.to === '+972527650101')).toHaveLength(0);

    expect(await ownerSays('המשך')).toBe(t('he', 'owner.resumed'));
    expect((await TenantModel.findById(tenant._id))?.settings?.paused).toBe(false);
    await missedCall('052-765-0102', 'resumed-call');
    const followup = await h.whatsapp.waitForSent((m) => m.to === '+972527650102', 20_000);
    expect(followup.template?.name).toBe('findo_missed_call');
  });
});
