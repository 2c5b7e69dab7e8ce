/**
 * `findo posts …`: the weekly Google posts Findo drafted, across tenants or for one: where each
 * stands (awaiting the owner, published, live, rejected…), when, its text and its Google name.
 */
import { Command } from 'commander';
import { POST_STATES, PostModel, type PostState } from '../../bot/db/models/index.ts';
import { DEFAULT_LIMIT, oneOf, orNull, parseLimit, tenantScope, tenantSlugs } from '../listing.ts';
import { printJson, printTable, withDatabase } from '../runtime.ts';

interface PostLike {
  _id: unknown;
  tenantId: string;
  key: string;
  origin: string;
  state?: string | null;
  draft: string;
  text?: string | null;
  language: string;
  googleName?: string | null;
  googleState?: string | null;
  publishedAt?: Date | null;
  checkedAt?: Date | null;
  createdAt?: Date | null;
}

/** The stable JSON form of a post. */
export function postView(post: PostLike) {
  return {
    id: String(post._id),
    tenantId: post.tenantId,
    key: post.key,
    origin: post.origin,
    state: orNull(post.state),
    language: post.language,
    /** What was (or will be) published: the owner's text, else the draft. */
    text: post.text ?? post.draft,
    draft: post.draft,
    googleName: orNull(post.googleName),
    googleState: orNull(post.googleState),
    createdAt: orNull(post.createdAt),
    publishedAt: orNull(post.publishedAt),
    checkedAt: orNull(post.checkedAt),
  };
}

export function makePostsCommand(): Command {
  const posts = new Command('posts').description('weekly Google posts: drafts, approvals and what Google did with them');

  posts
    .command('list')
    .description('list posts, newest first')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--state <state>', `only this state: ${POST_STATES.join(', ')}`, oneOf('--state', POST_STATES))
    .option('--limit <n>', `at most this many (default ${DEFAULT_LIMIT})`, parseLimit)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo posts list --tenant dani-plumbing --json')
    .action(async (o: { tenant?: string; state?: PostState; limit?: number; json?: boolean }) => {
      await withDatabase(async () => {
        const scope = await tenantScope(o.tenant);
        const found = await PostModel.find({ ...scope.filter, ...(o.state ? { state: o.state } : {}) })
          .setOptions(scope.options)
          .sort({ createdAt: -1, _id: -1 })
          .limit(o.limit ?? DEFAULT_LIMIT)
          .lean();
        const views = found.map(postView);
        if (o.json) return printJson(views);
        const slugs = await tenantSlugs();
        printTable(
          views.map((v) => ({
            ...v,
            tenant: slugs.get(v.tenantId) ?? v.tenantId,
            when: v.publishedAt ?? v.createdAt,
            text: v.text.replace(/\s+/g, ' ').slice(0, 50),
          })),
          ['id', 'tenant', 'when', 'origin', 'state', 'googleName', 'text'],
        );
      });
    });

  return posts;
}
