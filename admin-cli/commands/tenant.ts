/** `findo tenant …`: create, inspect and configure businesses. */
import { Command } from 'commander';
import { formatDuration } from '../../bot/durations.ts';
import { TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { getSecret, maskSecret } from '../../bot/secrets.ts';
import {
  createTenant,
  findTenant,
  rotateWebhookKeys,
  setTenantDisabled,
  setTenantSettings,
  webhookUrls,
  type WebhookKeys,
} from '../../bot/tenants.ts';
import type { Vault } from '../../bot/vault.ts';
import mongoose from 'mongoose';
import type { Config } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { printDetails, printJson, printTable, withDatabase } from '../runtime.ts';

/** The stable JSON form of a tenant (camelCase; durations as `90s`/`2m`/`24h`/`3d`). */
export function tenantView(tenant: Tenant) {
  const s = tenant.settings;
  return {
    id: tenant.id as string,
    slug: tenant.slug,
    name: tenant.name,
    language: tenant.language,
    timezone: tenant.timezone,
    ownerPhones: [...tenant.ownerPhones],
    whatsappNumberId: tenant.whatsappNumberId ?? null,
    reviewLink: tenant.reviewLink ?? null,
    googleLocation: tenant.google?.locationName ?? null,
    disabled: tenant.disabled,
    settings: {
      leadFollowupDelay: formatDuration(s.leadFollowupDelay),
      leadNudgeDelay: formatDuration(s.leadNudgeDelay),
      reviewRequestDelay: formatDuration(s.reviewRequestDelay),
      reviewReminderDelay: formatDuration(s.reviewReminderDelay),
      reviewRequestCooldown: formatDuration(s.reviewRequestCooldown),
      reviewRequestMaxAge: formatDuration(s.reviewRequestMaxAge),
      autoReplyMinStars: s.autoReplyMinStars,
      quietHours: s.quietHours,
      observeShabbat: s.observeShabbat,
      ownerAlertsAnytime: s.ownerAlertsAnytime,
      paused: s.paused,
      photoBatchWindow: formatDuration(s.photoBatchWindow),
      photoRequestDay: s.photoRequestDay,
      postDay: s.postDay,
    },
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
  };
}

/** Webhook URLs with their keys masked, for `show`: the full keys are printed only when made. */
async function maskedWebhooks(tenant: Tenant, publicUrl: string, vault: Vault): Promise<WebhookKeys | null> {
  const stored = await getSecret(tenant.id, 'webhookKeys', vault);
  if (!stored) return null;
  const keys = JSON.parse(stored) as WebhookKeys;
  const masked = Object.fromEntries(Object.entries(keys).map(([p, k]) => [p, maskSecret(k)])) as WebhookKeys;
  return webhookUrls(publicUrl, masked);
}

/**
 * Queues the welcome of the tenant's owners for the service's workers (each phone is welcomed once,
 * ever). Agenda is loaded and made only now: most `tenant` commands never need it, and staff scripts
 * run them often.
 */
async function queueOwnerWelcome(config: Config, tenant: Tenant): Promise<void> {
  if (!tenant.whatsappNumberId) return;
  const [{ createAgenda }, { jobQueue }] = await Promise.all([import('../../bot/agenda.ts'), import('../../jobs/queue.ts')]);
  const agenda = await createAgenda(mongoose.connection, {
    name: `findo-cli-${process.pid}`,
    logger: createLogger(config.logLevel, process.stderr),
  });
  try {
    await jobQueue(agenda).enqueue('owner-welcome', { tenantId: tenant.id });
  } finally {
    await agenda.stop();
  }
}

function collect(value: string, previous: string[] = []) {
  return [...previous, value];
}

export function makeTenantCommand(): Command {
  const tenant = new Command('tenant').description('create and configure businesses');

  tenant
    .command('create')
    .description('create a business and print its webhook URLs')
    .requiredOption('--name <name>', 'business name')
    .requiredOption('--owner-phone <phone>', 'owner WhatsApp number (repeatable)', collect)
    .option('--whatsapp-number-id <id>', "the business's WhatsApp phone_number_id")
    .option('--review-link <url>', 'Google review link')
    .option('--language <lang>', 'he, en or ar', 'he')
    .option('--timezone <tz>', 'IANA time zone', 'Asia/Jerusalem')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo tenant create --name "Dani Plumbing" --owner-phone 054-765-4321 --json')
    .action(
      async (o: {
        name: string;
        ownerPhone: string[];
        whatsappNumberId?: string;
        reviewLink?: string;
        language: string;
        timezone: string;
        json?: boolean;
      }) => {
        await withDatabase(async ({ config, vault }) => {
          const { tenant: created, webhookKeys } = await createTenant(
            {
              name: o.name,
              ownerPhones: o.ownerPhone,
              whatsappNumberId: o.whatsappNumberId,
              reviewLink: o.reviewLink,
              language: o.language,
              timezone: o.timezone,
            },
            vault,
          );
          await queueOwnerWelcome(config, created);
          const view = { ...tenantView(created), webhooks: webhookUrls(config.publicUrl, webhookKeys) };
          if (o.json) return printJson(view);
          printDetails(view);
          process.stdout.write('\nGive each provider its webhook URL; the keys are shown only now (rotate-keys makes new ones).\n');
        });
      },
    );

  tenant
    .command('list')
    .description('list businesses')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withDatabase(async () => {
        const tenants = await TenantModel.find({}).sort({ createdAt: 1 });
        const views = tenants.map(tenantView);
        if (o.json) return printJson(views);
        printTable(
          views.map((v) => ({
            ...v,
            owners: v.ownerPhones.join(','),
            state: v.disabled ? 'disabled' : v.settings.paused ? 'paused' : 'active',
          })),
          ['id', 'slug', 'name', 'language', 'owners', 'state'],
        );
      });
    });

  tenant
    .command('show')
    .description('show one business')
    .argument('<tenant>', 'id or slug')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      await withDatabase(async ({ config, vault }) => {
        const found = await findTenant(ref);
        const token = await getSecret(found.id, 'whatsappToken', vault);
        const view = {
          ...tenantView(found),
          whatsappToken: token ? maskSecret(token) : null,
          webhooks: await maskedWebhooks(found, config.publicUrl, vault),
        };
        if (o.json) return printJson(view);
        printDetails(view);
      });
    });

  tenant
    .command('set')
    .description('change settings: key=value … (durations like 90s, 2m, 24h, 3d)')
    .argument('<tenant>', 'id or slug')
    .argument('<pairs...>', 'key=value pairs')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  findo tenant set dani-plumbing leadFollowupDelay=5m quietHours=22:00-07:00 ownerPhones=054-765-4321,050-123-9876',
    )
    .action(async (ref: string, pairs: string[], o: { json?: boolean }) => {
      await withDatabase(async ({ config, vault }) => {
        const updated = await setTenantSettings(await findTenant(ref), pairs, vault);
        // A new number (or a new owner on one) is when owners are welcomed.
        if (pairs.some((pair) => /^\s*(whatsappNumberId|ownerPhones)\s*=/.test(pair))) await queueOwnerWelcome(config, updated);
        if (o.json) return printJson(tenantView(updated));
        printDetails(tenantView(updated));
      });
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    tenant
      .command(name)
      .description(disabled ? 'stop all automations and webhooks of a business' : 'turn a disabled business back on')
      .argument('<tenant>', 'id or slug')
      .option('--json', 'print JSON')
      .action(async (ref: string, o: { json?: boolean }) => {
        await withDatabase(async () => {
          const updated = await setTenantDisabled(await findTenant(ref), disabled);
          if (o.json) return printJson(tenantView(updated));
          process.stdout.write(`${updated.slug} ${disabled ? 'disabled' : 'enabled'}\n`);
        });
      });
  }

  tenant
    .command('rotate-keys')
    .description('replace the webhook keys of a business and print the new URLs')
    .argument('<tenant>', 'id or slug')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      await withDatabase(async ({ config, vault }) => {
        const found = await findTenant(ref);
        const webhooks = webhookUrls(config.publicUrl, await rotateWebhookKeys(found, vault));
        if (o.json) return printJson({ id: found.id, slug: found.slug, webhooks });
        printDetails({ webhooks });
      });
    });

  return tenant;
}
