/** `findo reviews …`: the mirrored Google reviews, and a review check run now. */
import { Command } from 'commander';
import { ReviewModel, TenantModel, type Review, type Tenant } from '../../bot/db/models/index.ts';
import { checkReviews, type CheckProgress } from '../../bot/flows/reviews/sync.ts';
import { findTenant } from '../../bot/tenants.ts';
import { printJson, printTable, UsageError, withDatabase } from '../runtime.ts';
import { googleFailureLine, withCliServices } from '../services.ts';

/** The stable JSON form of a mirrored review. */
export function reviewView(review: Review, tenant?: Pick<Tenant, 'slug'>) {
  return {
    id: review.id as string,
    tenantId: review.tenantId,
    tenant: tenant?.slug ?? null,
    googleReviewId: review.googleReviewId,
    reviewerName: review.reviewerName ?? null,
    stars: review.stars ?? null,
    comment: review.comment ?? null,
    createTime: review.createTime ?? null,
    updateTime: review.updateTime ?? null,
    reply: {
      state: review.reply?.state ?? 'none',
      auto: review.reply?.auto ?? null,
      text: review.reply?.text ?? null,
      draft: review.reply?.draft ?? null,
      postedAt: review.reply?.postedAt ?? null,
      moderationState: review.reply?.moderationState ?? null,
    },
  };
}

function progressLine(tenant: Tenant): ((p: CheckProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) =>
    process.stderr.write(
      `\rchecking ${tenant.slug}: page ${p.pages}, ${p.fetched} new or changed${p.total === undefined ? '' : ` (location has ${p.total})`}   `,
    );
}

export function makeReviewsCommand(): Command {
  const reviews = new Command('reviews').description('Google reviews and our replies');

  reviews
    .command('list')
    .description('list mirrored Google reviews, newest first')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--state <state>', 'only this reply state (none, posting, awaiting_owner, posted, skipped, failed)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; state?: string; limit: string; json?: boolean }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
      await withDatabase(async () => {
        const tenants = o.tenant ? [await findTenant(o.tenant)] : await TenantModel.find({}).sort({ createdAt: 1 });
        const views = [];
        for (const tenant of tenants) {
          const filter: Record<string, unknown> = { tenantId: tenant.id };
          if (o.state) filter['reply.state'] = o.state;
          const found: Review[] = await ReviewModel.find(filter).sort({ createTime: -1 }).limit(limit);
          views.push(...found.map((r) => reviewView(r, tenant)));
        }
        views.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
        const shown = views.slice(0, limit);
        if (o.json) return printJson(shown);
        printTable(
          shown.map((v) => ({ ...v, reply: v.reply.state, comment: (v.comment ?? '').replace(/\s+/g, ' ').slice(0, 40) })),
          ['id', 'tenant', 'stars', 'reviewerName', 'createTime', 'reply', 'comment'],
        );
      });
    });

  reviews
    .command('check')
    .description("check a tenant's Google reviews now (as the hourly job does)")
    .argument('<tenant>', 'id or slug')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nNew reviews get their automatic reply or owner draft; replies are posted by the running workers.\n\nExample:\n  findo reviews check dani-plumbing',
    )
    .action(async (ref: string, o: { json?: boolean }) => {
      await withCliServices(async (services) => {
        const tenant = await findTenant(ref);
        const onProgress = progressLine(tenant);
        let summary;
        try {
          summary = await checkReviews(services, tenant, { ...(onProgress ? { onProgress } : {}) });
        } catch (error) {
          throw googleFailureLine(tenant, error);
        } finally {
          if (onProgress) process.stderr.write('\n');
        }
        const view = { ...summary, tenant: tenant.slug };
        if (o.json) return printJson(view);
        process.stdout.write(
          `${tenant.slug}: ${summary.newReviews} new, ${summary.editedReviews} changed; ${summary.autoReplies} automatic replies queued, ` +
            `${summary.drafts} drafts sent to the owner, ${summary.requestsClosed} review requests closed. Next check ${summary.nextCheckAt.toISOString()}.\n`,
        );
      });
    });

  return reviews;
}
