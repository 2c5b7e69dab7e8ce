/**
 * `findo photos …`: the photos owners sent for their Google profile: what went up, when, in which
 * category and under which Google media name, and what was refused and why.
 */
import { Command } from 'commander';
import { PHOTO_STATUSES, PhotoModel, type PhotoStatus } from '../../bot/db/models/index.ts';
import { DEFAULT_LIMIT, oneOf, orNull, parseLimit, tenantScope, tenantSlugs } from '../listing.ts';
import { printJson, printTable, withDatabase } from '../runtime.ts';

interface PhotoLike {
  _id: unknown;
  tenantId: string;
  from: string;
  status?: string | null;
  caption?: string | null;
  category?: string | null;
  rejection?: string | null;
  failure?: string | null;
  mimeType?: string | null;
  sizeBytes?: number | null;
  width?: number | null;
  height?: number | null;
  mediaName?: string | null;
  googleUrl?: string | null;
  uploadedAt?: Date | null;
  waMediaId: string;
  createdAt?: Date | null;
}

/** The stable JSON form of a photo (never its bytes). */
export function photoView(photo: PhotoLike) {
  return {
    id: String(photo._id),
    tenantId: photo.tenantId,
    from: photo.from,
    status: orNull(photo.status),
    category: orNull(photo.category),
    caption: orNull(photo.caption),
    rejection: orNull(photo.rejection),
    failure: orNull(photo.failure),
    mimeType: orNull(photo.mimeType),
    sizeBytes: orNull(photo.sizeBytes),
    width: orNull(photo.width),
    height: orNull(photo.height),
    mediaName: orNull(photo.mediaName),
    googleUrl: orNull(photo.googleUrl),
    waMediaId: photo.waMediaId,
    receivedAt: orNull(photo.createdAt),
    uploadedAt: orNull(photo.uploadedAt),
  };
}

export function makePhotosCommand(): Command {
  const photos = new Command('photos').description('photos owners sent for their Google profile');

  photos
    .command('list')
    .description('list photos, newest first')
    .option('--tenant <tenant>', 'only this tenant (id or slug)')
    .option('--status <status>', `only this status: ${PHOTO_STATUSES.join(', ')}`, oneOf('--status', PHOTO_STATUSES))
    .option('--limit <n>', `at most this many (default ${DEFAULT_LIMIT})`, parseLimit)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  findo photos list --tenant dani-plumbing --status uploaded --json')
    .action(async (o: { tenant?: string; status?: PhotoStatus; limit?: number; json?: boolean }) => {
      await withDatabase(async () => {
        const scope = await tenantScope(o.tenant);
        const found = await PhotoModel.find({ ...scope.filter, ...(o.status ? { status: o.status } : {}) }, { data: 0 })
          .setOptions(scope.options)
          .sort({ createdAt: -1, _id: -1 })
          .limit(o.limit ?? DEFAULT_LIMIT)
          .lean();
        const views = found.map(photoView);
        if (o.json) return printJson(views);
        const slugs = await tenantSlugs();
        printTable(
          views.map((v) => ({ ...v, tenant: slugs.get(v.tenantId) ?? v.tenantId, why: v.rejection ?? v.failure })),
          ['id', 'tenant', 'receivedAt', 'status', 'category', 'uploadedAt', 'mediaName', 'why'],
        );
      });
    });

  return photos;
}
