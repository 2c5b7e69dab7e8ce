/**
 * The owner's welcome: when a business gets its WhatsApp number through the real CLI (`tenant set
 * whatsappNumberId=…` or `tenant create --whatsapp-number-id`), the service's workers send each
 * owner phone the `findo_owner_welcome` template, once per phone ever, even when the number is set
 * twice or the phone owns a second business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../bot/agenda.ts';
import { MessageModel } from '../../bot/db/models/index.ts';
import { runCli } from '../support/cli.ts';
import { eventually, startHarness, type Harness } from '../support/harness.ts';

const OWNER = '+972541112233';
const SECOND_OWNER = '+972541114455';

// Each CLI run is a child process that starts Node and connects: slow on a shared 2-core machine.
describe('the owner’s welcome', { timeout: 240_000 }, () => {
  let h: Harness;
  const cli = async (...args: string[]) => {
    const result = await runCli(args, h.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result;
  };
  const welcomesTo = (phone: string) => h.whatsapp.sent.filter((m) => m.to === phone && m.template?.name === 'findo_owner_welcome');
  const welcomeJobsDone = () =>
    eventually(
      async () => (await h.findo.database.connection.db!.collection(AGENDA_COLLECTION).countDocuments({ name: 'owner-welcome' })) === 0,
      20_000,
      'welcome jobs done',
    );

  beforeAll(async () => {
    h = await startHarness(import.meta.filename);
  });
  afterAll(() => h?.stop());

  it('goes once to each owner phone when the number is set, even when it is set twice', async () => {
    const created = (await cli('tenant', 'create', '--name', 'Welcome Shop', '--owner-phone', '054-111-2233', '--json')).json();
    await cli('tenant', 'set', created.slug, 'quietHours=off', 'observeShabbat=false');
    await welcomeJobsDone();
    expect(welcomesTo(OWNER)).toHaveLength(0);

    await cli('tenant', 'set', created.slug, 'whatsappNumberId=106540352240001');
    const welcome = await h.whatsapp.waitForSent((m) => m.to === OWNER && m.template?.name === 'findo_owner_welcome', 20_000);
    expect(welcome.template).toMatchObject({ language: 'he', bodyParams: ['Welcome Shop'] });

    await cli('tenant', 'set', created.slug, 'whatsappNumberId=106540352240002');
    await welcomeJobsDone();
    expect(welcomesTo(OWNER)).toHaveLength(1);
  });

  it('a second business of the same owner welcomes only its new owner phone', async () => {
    const second = (
      await cli(
        'tenant',
        'create',
        '--name',
        'Second Shop',
        '--owner-phone',
        '054-111-2233',
        '--owner-phone',
        '054-111-4455',
        '--whatsapp-number-id',
        '106540352240003',
        '--json',
      )
    ).json();
    await welcomeJobsDone();
    // Recorded by the sender (sent, or deferred out of the default quiet hours): one, for the new phone.
    const recorded = await MessageModel.find({ tenantId: second.id, key: /^welcome:/ });
    expect(recorded.map((m) => m.phone)).toEqual([SECOND_OWNER]);
    expect(recorded[0].template?.name).toBe('findo_owner_welcome');
    expect(welcomesTo(OWNER)).toHaveLength(1);
  });
});
