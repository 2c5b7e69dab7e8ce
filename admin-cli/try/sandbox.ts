/**
 * The world `findo try` runs in: the real Findo (startFindo: web server, Agenda workers, the
 * embedded database) talking over loopback HTTP to the fakes of WhatsApp and Google that the
 * tests use, and a demo business wired to them. Everything the demo does to Findo goes in
 * through the same doors as in production: signed WhatsApp webhooks, the Voicenter and Greeninvoice
 * webhook URLs, Google's API as the review check reads it.
 *
 * The database lives in a throwaway folder, removed on stop: the demo never touches real data
 * (`MONGODB_URI` and `$FINDO_DATA_DIR` are ignored), and every run starts from the same clean
 * state (a persistent one would remember the last run's customer, and Findo rightly sends nobody
 * a second follow-up within 12 hours).
 *
 * Claude: with `ANTHROPIC_API_KEY` set, Findo writes with the real Claude. Without it Findo uses its
 * built-in texts and never calls Claude, so no fake Claude is started.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../bot/config.ts';
import { TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { googleOAuth } from '../../bot/google-clients.ts';
import { createLogger } from '../../bot/logger.ts';
import { startFindo, type RunningFindo } from '../../bot/service.ts';
import { createTenant, setTenantSettings, webhookUrls, type WebhookKeys } from '../../bot/tenants.ts';
import type { ReviewJson, StarRatingJson } from '../../integrations/google/wire.ts';
import { startFakeGoogle, type FakeGoogle } from '../../integrations/google/fake-server.ts';
import { mongoTokenStore } from '../../bot/google-token-store.ts';
import { greeninvoiceDocument } from '../../integrations/greeninvoice/fake.ts';
import { postProviderWebhook } from '../../integrations/providers.ts';
import { voicenterMissedCall } from '../../integrations/voicenter/fake.ts';
import { startFakeWhatsApp, type FakeWhatsApp } from '../../integrations/whatsapp/fake-server.ts';
import { reviewLinkFor } from '../../bot/flows/google-connect.ts';

/** The two phones the user can hold. */
export const DEMO_PHONES = { customer: '+972527659876', owner: '+972547654321' } as const;
export type DemoPhone = keyof typeof DEMO_PHONES;

const BUSINESS_NAME = 'דני אינסטלציה';
const CUSTOMER_NAME = 'דנה לוי';
const BUSINESS_NUMBER_ID = '106540352242922';

/** Delays short enough to watch, and quiet hours and Shabbat off so the demo works at any hour. */
const DEMO_SETTINGS = [
  'leadFollowupDelay=2s',
  'reviewRequestDelay=3s',
  'reviewReminderDelay=30s',
  'quietHours=off',
  'observeShabbat=false',
];

/** What a review the demo adds says, by its stars. */
const REVIEWS: Record<number, { rating: StarRatingJson; author: string; comment: string }> = {
  1: { rating: 'ONE', author: 'רונית אברהם', comment: 'לא הגיעו בכלל, ואף אחד לא חזר אליי.' },
  2: { rating: 'TWO', author: 'יוסי כהן', comment: 'חיכיתי שעתיים לטכנאי, והתיקון לקח יותר ממה שאמרו.' },
  3: { rating: 'THREE', author: 'תמר גולן', comment: 'עבודה בסדר, אבל יקר.' },
  4: { rating: 'FOUR', author: 'אבי מזרחי', comment: 'הגיעו מהר ותיקנו את הדוד. ממליץ.' },
  5: { rating: 'FIVE', author: 'Dana Levi', comment: 'שירות מעולה, מקצועיים ואדיבים. ממליצה בחום!' },
};

export interface Sandbox {
  findo: RunningFindo;
  whatsapp: FakeWhatsApp;
  google: FakeGoogle;
  tenant: Tenant;
  /** Whether texts come from Claude (a real `ANTHROPIC_API_KEY`). */
  usesClaude: boolean;
  /** Where the demo's database lives while it runs. */
  dataDir: string;
  /** Where Findo's warnings and errors go from now on, one line each; returns what puts the previous listener back. */
  onLog(listener: (line: string) => void): () => void;
  /** A call from the customer that nobody answered, as Voicenter reports it. */
  missedCall(): Promise<void>;
  /** A WhatsApp message from one of the phones, or a tap on a button of a message it got. */
  say(phone: DemoPhone, message: { text: string } | { button: { id: string; title: string } }): Promise<void>;
  /** An invoice to the customer, as Greeninvoice reports it. */
  invoice(): Promise<void>;
  /** A new review on Google with `stars` (1–5), then a review check, as the hourly one would. */
  review(stars: number): Promise<ReviewJson>;
  stop(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const user = loadConfig();
  const dataDir = mkdtempSync(join(tmpdir(), 'findo-try-'));
  const appSecret = randomBytes(16).toString('hex');
  const whatsappToken = randomBytes(16).toString('hex');
  const stack: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  // Findo's warnings and errors: on stderr until the chat shows them among its side lines.
  let logListener: (line: string) => void = (line) => process.stderr.write(`findo: ${line}\n`);
  const unwind = async () => {
    for (const step of stack.splice(0).reverse()) await step().catch(() => {});
  };
  try {
    const whatsapp = await startFakeWhatsApp({ appSecret, token: whatsappToken });
    stack.push(() => whatsapp.close());
    const google = await startFakeGoogle();
    stack.push(() => google.close());

    // The user's settings only for what the demo does not replace: the FerretDB cache and Go, and
    // Claude (their key, base URL and model). The master key is generated in the throwaway folder.
    const config: Config = {
      ...user,
      mongodbUri: undefined,
      dataDir,
      masterKey: undefined,
      host: '127.0.0.1',
      port: 0,
      whatsapp: {
        ...user.whatsapp,
        token: whatsappToken,
        appSecret,
        verifyToken: randomBytes(8).toString('hex'),
        apiUrl: whatsapp.url,
      },
      google: {
        clientId: 'findo-try',
        clientSecret: randomBytes(8).toString('hex'),
        redirectUri: 'http://127.0.0.1/oauth/callback',
        apiUrl: google.url,
        oauthUrl: google.url,
      },
    };
    const findo = await startFindo({
      config,
      logger: createLogger(
        'warn',
        logSink((line) => logListener(line)),
      ),
      jobPollInterval: 200,
    });
    stack.push(() => findo.stop());

    const created = await createDemoTenant(findo);
    const tenant = await connectGoogle(findo, google, created.tenant);
    const { webhookKeys } = created;
    const urls: WebhookKeys = webhookUrls(findo.url!, webhookKeys);
    let calls = 0;

    return {
      findo,
      whatsapp,
      google,
      tenant,
      dataDir,
      usesClaude: Boolean(config.anthropic.apiKey),
      onLog(listener) {
        const previous = logListener;
        logListener = listener;
        return () => void (logListener = previous);
      },
      async missedCall() {
        const caller = DEMO_PHONES.customer;
        const call = voicenterMissedCall({ caller, callerPhone: caller, ivruniqueid: `try-${Date.now()}-${++calls}` });
        await expectAccepted('the missed call', await postProviderWebhook(urls.voicenter, call));
      },
      async say(phone, message) {
        const inbound = 'text' in message ? { text: message.text } : { buttonReply: message.button };
        const delivery = await whatsapp.deliverInbound(`${findo.url}/webhooks/whatsapp`, {
          phoneNumberId: BUSINESS_NUMBER_ID,
          from: DEMO_PHONES[phone],
          ...inbound,
        });
        if (delivery.status !== 200) throw new Error(`Findo answered the WhatsApp webhook with HTTP ${delivery.status}`);
      },
      async invoice() {
        const document = greeninvoiceDocument({ recipient: { name: CUSTOMER_NAME, mobile: DEMO_PHONES.customer } });
        await expectAccepted('the invoice', await postProviderWebhook(urls.greeninvoice, document));
      },
      async review(stars) {
        const { rating, author, comment } = REVIEWS[stars];
        const review = google.addReview(tenant.google!.locationName!, {
          starRating: rating,
          comment,
          reviewer: { displayName: author, isAnonymous: false },
        });
        await findo.services.enqueue('review-check', { tenantId: tenant.id });
        return review;
      },
      stop: unwind,
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

/** A stream for pino that hands each JSON log line on as `message: error`. */
function logSink(write: (line: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const json of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const { msg, err } = JSON.parse(json) as { msg?: string; err?: string };
        write(err ? `${msg}: ${err}` : String(msg));
      }
      done();
    },
  });
}

async function expectAccepted(what: string, response: { status: number; json: unknown }): Promise<void> {
  if (response.status !== 200) throw new Error(`Findo did not accept ${what}: HTTP ${response.status} ${JSON.stringify(response.json)}`);
}

async function createDemoTenant(findo: RunningFindo) {
  const { vault } = findo.services;
  const created = await createTenant(
    { name: BUSINESS_NAME, ownerPhones: [DEMO_PHONES.owner], whatsappNumberId: BUSINESS_NUMBER_ID, language: 'he' },
    vault,
  );
  return { tenant: await setTenantSettings(created.tenant, DEMO_SETTINGS, vault), webhookKeys: created.webhookKeys };
}

/**
 * Connects the demo business to the fake Google as an owner would: consent (the fake consents at
 * once), the code exchanged for tokens, then a location linked. The review link is the location's.
 * Reviews are checked when the demo asks (`review`), not on the hourly schedule.
 */
async function connectGoogle(findo: RunningFindo, google: FakeGoogle, tenant: Tenant): Promise<Tenant> {
  const oauth = googleOAuth(findo.services.config);
  const consent = await fetch(oauth.consentUrl(tenant.id), { redirect: 'manual' });
  const code = new URL(consent.headers.get('location') ?? 'http://invalid').searchParams.get('code');
  if (!code) throw new Error(`the fake Google consent page answered HTTP ${consent.status}`);
  await mongoTokenStore({ tenantId: tenant.id, vault: findo.services.vault }).save(await oauth.exchangeCode(code));
  const account = google.addAccount({ accountName: BUSINESS_NAME });
  const location = google.addLocation(account.name, { title: BUSINESS_NAME });
  const { placeId, newReviewUri } = location.resource.metadata;
  const updated = await TenantModel.findOneAndUpdate(
    { _id: tenant._id },
    {
      $set: {
        'google.accountName': account.name,
        'google.locationName': location.name,
        'google.connected': true,
        'google.nextCheckAt': new Date(Date.now() + 24 * 3_600_000),
        reviewLink: reviewLinkFor({ placeId: placeId ?? null, newReviewUri: newReviewUri ?? null }),
      },
    },
    { returnDocument: 'after' },
  );
  return updated!;
}
