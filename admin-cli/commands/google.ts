/**
 * `findo google …`: connect a tenant's Google Business Profile (OAuth consent and code exchange),
 * list the locations the grant can manage, and link one to the tenant.
 */
import { Command } from 'commander';
import { recordActivity } from '../../bot/activity.ts';
import { TenantModel, type Tenant } from '../../bot/db/models/index.ts';
import { linkGoogleLocation } from '../../bot/flows/google-connect.ts';
import { onGoogleFailure } from '../../bot/flows/reviews/disconnect.ts';
import { googleOAuth } from '../../bot/google-clients.ts';
import type { Services } from '../../bot/services.ts';
import { findTenant } from '../../bot/tenants.ts';
import { isIntegrationError } from '../../integrations/errors.ts';
import type { GoogleLocation } from '../../integrations/google/client.ts';
import { mongoTokenStore } from '../../bot/google-token-store.ts';
import { printDetails, printJson, printTable, UsageError } from '../runtime.ts';
import { googleFailureLine, withCliServices } from '../services.ts';

const LOCATION_NAME = /^(accounts\/[^/?#\s]+)\/locations\/[^/?#\s]+$/;

/** Runs a Google call for the CLI; a revoked grant disconnects the tenant and tells the owner first. */
async function callGoogle<T>(services: Services, tenant: Tenant, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isIntegrationError(error)) await onGoogleFailure(services, tenant, error);
    throw googleFailureLine(tenant, error);
  }
}

async function allLocations(services: Services, tenant: Tenant) {
  return callGoogle(services, tenant, async () => {
    const google = await services.googleFor(tenant);
    const rows: Array<GoogleLocation & { account: string; accountName: string | null }> = [];
    for (const account of await google.listAccounts()) {
      for (const location of await google.listLocations(account.name))
        rows.push({ ...location, account: account.name, accountName: account.accountName });
    }
    return rows;
  });
}

export function makeGoogleCommand(): Command {
  const google = new Command('google').description("connect a business's Google Business Profile");

  google
    .command('connect')
    .description('print the consent URL for the owner; with --code, finish the connection')
    .argument('<tenant>', 'id or slug')
    .option('--code <code>', 'the code Google returned to the redirect URI')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  findo google connect dani-plumbing\n  findo google connect dani-plumbing --code 4/0AbC…')
    .action(async (ref: string, o: { code?: string; json?: boolean }) => {
      if (o.code !== undefined && !o.code.trim()) throw new UsageError('--code must not be empty');
      await withCliServices(async (services) => {
        const tenant = await findTenant(ref);
        const oauth = googleOAuth(services.config);
        if (o.code === undefined) {
          // The tenant id as state ties the redirect back to this business.
          const consentUrl = oauth.consentUrl(tenant.id);
          if (o.json) return printJson({ tenantId: tenant.id, tenant: tenant.slug, consentUrl });
          process.stdout.write(`${consentUrl}\n`);
          process.stderr.write(
            `Have the owner of ${tenant.name} open the URL above, then run: findo google connect ${tenant.slug} --code <code>\n`,
          );
          return;
        }
        let tokens;
        try {
          tokens = await oauth.exchangeCode(o.code.trim());
        } catch (error) {
          if (isIntegrationError(error) && error.details.code === 'invalid_grant') {
            throw new Error(
              `Google did not accept the code (invalid_grant: used already, expired, or made for another redirect URI); get a fresh one with: findo google connect ${tenant.slug}`,
              { cause: error },
            );
          }
          throw googleFailureLine(tenant, error);
        }
        await mongoTokenStore({ tenantId: tenant.id, vault: services.vault }).save(tokens);
        await TenantModel.updateOne({ _id: tenant._id }, { $set: { 'google.connected': true } });
        await recordActivity(tenant.id, 'google.connected', `Google Business Profile connected for ${tenant.slug}`);
        const result = { tenantId: tenant.id, tenant: tenant.slug, connected: true, scope: tokens.scope ?? null };
        if (o.json) return printJson(result);
        process.stdout.write(`Google connected for ${tenant.slug}. Next: findo google locations ${tenant.slug}\n`);
      });
    });

  google
    .command('locations')
    .description("list the business locations the tenant's Google grant can manage")
    .argument('<tenant>', 'id or slug')
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      await withCliServices(async (services) => {
        const tenant = await findTenant(ref);
        const rows = (await allLocations(services, tenant)).map((l) => ({
          account: l.account,
          accountName: l.accountName,
          name: l.name,
          title: l.title,
          placeId: l.placeId,
          newReviewUri: l.newReviewUri,
          mapsUri: l.mapsUri,
          linked: tenant.google?.locationName === l.name,
        }));
        if (o.json) return printJson(rows);
        printTable(
          rows.map((r) => ({ ...r, linked: r.linked ? 'yes' : '' })),
          ['name', 'title', 'placeId', 'linked'],
        );
      });
    });

  google
    .command('link')
    .description('bind a location to the tenant (and derive its review link when none is set)')
    .argument('<tenant>', 'id or slug')
    .requiredOption('--location <name>', 'accounts/<a>/locations/<l>, from `findo google locations`')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo google link dani-plumbing --location accounts/1234/locations/5678')
    .action(async (ref: string, o: { location: string; json?: boolean }) => {
      const match = LOCATION_NAME.exec(o.location.trim());
      if (!match) throw new UsageError('--location must look like accounts/<account id>/locations/<location id>');
      const locationName = match[0];
      const accountName = match[1]!;
      await withCliServices(async (services) => {
        const tenant = await findTenant(ref);
        const location = await callGoogle(services, tenant, async () => {
          const client = await services.googleFor(tenant);
          return (await client.listLocations(accountName)).find((l) => l.name === locationName);
        });
        if (!location)
          throw new Error(
            `location ${locationName} is not among the locations this Google grant manages (see: findo google locations ${tenant.slug})`,
          );
        const { tenant: updated, reviewLinkDerived } = await linkGoogleLocation(tenant, { ...location, accountName }, 'staff');
        const result = {
          tenantId: tenant.id,
          tenant: tenant.slug,
          locationName,
          title: location.title,
          placeId: location.placeId,
          reviewLink: updated.reviewLink ?? null,
          reviewLinkDerived,
        };
        if (o.json) return printJson(result);
        printDetails(result);
      });
    });

  return google;
}
