/**
 * Photos from the owner to the Google profile (flow F4), up to the upload jobs: an owner's image
 * becomes a photo record (unique per WhatsApp media id, so a redelivered webhook adds nothing),
 * is downloaded from WhatsApp with the tenant's number and checked against Google's rules, and
 * joins the tenant's open batch (machines/photo-batch.ts), one persisted conversation under the
 * tenant's `photo-batch` lock. The batch asks for a category at most once, queues one
 * `upload-photo` job per photo, and confirms once.
 */
import { recordActivity } from '../../activity.ts';
import { advanceConversation, startConversation, type ConversationDefinition, type EffectHandlers } from '../../conversations.ts';
import { ConversationModel, isDuplicateKey, MessageModel, PhotoModel, type Photo, type Tenant } from '../../db/models/index.ts';
import { parseCategoryChoice, parsePhotoCategory } from '../../intents.ts';
import { withLock } from '../../locks.ts';
import { alertOwners, textAlert } from '../../outbound/owner-alerts.ts';
import type { Services } from '../../services.ts';
import { t, textOf } from '../../texts/index.ts';
import { isIntegrationError } from '../../../integrations/errors.ts';
import type { WhatsAppInboundMessage } from '../../../integrations/whatsapp/webhook.ts';
import { photoBatchMachine, VERSION, type PhotoBatchEvent, type PhotoRejection } from '../../../machines/photo-batch.ts';
import { checkPhoto } from './checks.ts';

export const photoBatch: ConversationDefinition<typeof photoBatchMachine> = {
  kind: 'photo_batch',
  machine: photoBatchMachine,
  version: VERSION,
};

/** Options of a batch, read when its timer is set; tests shorten them. (The window is the tenant's `photoBatchWindow`.) */
export const photoBatchOptions = {
  /** How long the category question waits before the photos go up as ADDITIONAL. Default 30 min. */
  categoryTimeoutMs: 30 * 60_000,
};

const BATCH_LOCK = 'photo-batch';

/** Whether an owner's message is a photo for the profile: an image, or an image sent as a file (to keep its quality). */
export const isOwnerPhoto = (item: WhatsAppInboundMessage): boolean =>
  item.type === 'image' || (item.type === 'document' && item.media?.mimeType.startsWith('image/') === true);

/** An image from an owner: stored, checked, and added to the open batch. Repeats do nothing new. */
export async function receiveOwnerPhoto(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<void> {
  if (!item.media) return;
  const photo = await photoRecord(tenant, item, item.media.id);
  if (photo.status === 'received') await downloadAndCheck(services, tenant, photo);
  await withLock(tenant.id, BATCH_LOCK, async () => {
    const current = (await PhotoModel.findOne({ tenantId: tenant.id, _id: photo._id }))!;
    const batch = await batchFor(current, tenant);
    if (!batch) return;
    const event: PhotoBatchEvent = {
      type: 'PHOTO_ADDED',
      photoId: current.id,
      captionCategory: current.captionCategory ?? null,
      ...(current.status === 'rejected' ? { rejection: current.rejection as PhotoRejection } : {}),
    };
    await advanceConversation(photoBatch, batch, event, `photo:${current.id}`, batchEffects(services, tenant));
  });
}

/** The photo of this media id: created now, or the one an earlier delivery created. */
async function photoRecord(tenant: Tenant, item: WhatsAppInboundMessage, waMediaId: string): Promise<Photo> {
  const caption = item.text?.trim() || undefined;
  try {
    return await PhotoModel.create({
      tenantId: tenant.id,
      waMediaId,
      waMessageId: item.messageId,
      from: item.from,
      caption,
      captionCategory: caption ? (parsePhotoCategory(caption) ?? undefined) : undefined,
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (await PhotoModel.findOne({ tenantId: tenant.id, waMediaId }))!;
  }
}

/**
 * Downloads the image from WhatsApp (now: its URL lives minutes) and checks it. WhatsApp's
 * transient failures throw, so the inbox retries the event; media it refuses for good is unreadable.
 */
async function downloadAndCheck(services: Services, tenant: Tenant, photo: Photo): Promise<void> {
  let data: Buffer;
  try {
    const whatsapp = await services.whatsappFor(tenant);
    data = (await whatsapp.downloadMedia(tenant.whatsappNumberId ?? '', photo.waMediaId)).data;
  } catch (error) {
    if (!isIntegrationError(error) || error.isRetryable) throw error;
    return reject(tenant, photo, 'unreadable', error.message);
  }
  const check = checkPhoto(data);
  if (!check.ok) return reject(tenant, photo, check.rejection, `${data.length} bytes`);
  await PhotoModel.updateOne(
    { tenantId: tenant.id, _id: photo._id, status: 'received' },
    { $set: { status: 'accepted', data, mimeType: check.mimeType, width: check.width, height: check.height, sizeBytes: data.length } },
  );
}

async function reject(tenant: Tenant, photo: Photo, rejection: PhotoRejection, detail: string): Promise<void> {
  const changed = await PhotoModel.updateOne(
    { tenantId: tenant.id, _id: photo._id, status: 'received' },
    { $set: { status: 'rejected', rejection } },
  );
  if (changed.modifiedCount > 0)
    await recordActivity(tenant.id, 'photo.rejected', `photo from the owner refused (${rejection}: ${detail})`, photo.id);
}

/**
 * The batch a photo belongs to: the one it joined before (while still open: a crash may have
 * kept the event from it), else the tenant's batch still collecting, else a new one.
 */
async function batchFor(photo: Photo, tenant: Tenant) {
  if (photo.batchId) {
    const joined = await ConversationModel.findOne({ tenantId: tenant.id, _id: photo.batchId });
    return joined?.status === 'open' ? joined : null;
  }
  const batch =
    (await ConversationModel.findOne({
      tenantId: tenant.id,
      kind: 'photo_batch',
      status: 'open',
      state: 'collecting',
      machineVersion: VERSION,
    })) ?? (await startConversation(photoBatch, { tenantId: tenant.id, phone: photo.from }, undefined));
  await PhotoModel.updateOne({ tenantId: tenant.id, _id: photo._id }, { $set: { batchId: batch.id } });
  return batch;
}

/** Applies an event from a job (a timer, an upload's outcome) to a batch; `key` makes it apply once. */
export async function applyPhotoBatchEvent(
  services: Services,
  tenant: Tenant,
  batchId: string,
  event: PhotoBatchEvent,
  key: string,
): Promise<void> {
  await withLock(tenant.id, BATCH_LOCK, async () => {
    const batch = await ConversationModel.findOne({ tenantId: tenant.id, _id: batchId, kind: 'photo_batch' });
    if (!batch || batch.status !== 'open') return;
    await advanceConversation(photoBatch, batch, event, key, batchEffects(services, tenant));
  });
}

/**
 * An owner's answer to the category question, if a batch asked one and the text names a category
 * (a number from the list or the word). Anything else is left to the owner's other conversations.
 */
export async function handlePhotoCategoryReply(services: Services, tenant: Tenant, item: WhatsAppInboundMessage): Promise<boolean> {
  const category = item.text ? parseCategoryChoice(item.text) : null;
  if (!category) return false;
  const asking = await ConversationModel.findOne({ tenantId: tenant.id, kind: 'photo_batch', status: 'open', state: 'askingCategory' });
  if (!asking) return false;
  // A reply quoting another message (a review draft) is not an answer to this question.
  if (item.contextMessageId) {
    const quoted = await MessageModel.findOne(
      { tenantId: tenant.id, waMessageId: item.contextMessageId, direction: 'out' },
      { conversationId: 1 },
    );
    if (quoted && quoted.conversationId !== asking.id) return false;
  }
  await applyPhotoBatchEvent(services, tenant, asking.id, { type: 'OWNER_CHOSE', category }, `wa:${item.messageId}`);
  return true;
}

/** Carries out the batch machine's actions; messages go to the owner who sent the photos, keyed by their effect. */
function batchEffects(services: Services, tenant: Tenant): EffectHandlers<typeof photoBatchMachine> {
  const language = tenant.language;
  const toSender = (key: string, phone: string, text: string, conversationId: string) =>
    alertOwners(services, tenant, { ...textAlert(key, text), conversationId }, { audience: { only: phone } });

  return {
    scheduleWindowEnd: async ({ photoCount }, { conversation }) => {
      await services.enqueue(
        'photo-batch-timer',
        { tenantId: tenant.id, conversationRef: conversation.id, timer: 'window', photoCount },
        { at: new Date(Date.now() + tenant.settings.photoBatchWindow) },
      );
    },
    askCategory: async ({ photoCount }, { key, conversation }) => {
      await toSender(key, conversation.phone, t(language, 'photos.askCategory', { count: photoCount }), conversation.id);
    },
    scheduleCategoryTimeout: async (_, { conversation }) => {
      await services.enqueue(
        'photo-batch-timer',
        { tenantId: tenant.id, conversationRef: conversation.id, timer: 'category', photoCount: 0 },
        { at: new Date(Date.now() + photoBatchOptions.categoryTimeoutMs) },
      );
    },
    uploadPhotos: async ({ photos }) => {
      for (const { photoId, category } of photos) {
        await PhotoModel.updateOne({ tenantId: tenant.id, _id: photoId, status: 'accepted' }, { $set: { status: 'uploading', category } });
        await services.enqueue('upload-photo', { tenantId: tenant.id, photoRef: photoId });
      }
    },
    confirmToOwner: async ({ uploaded, rejections }, { key, conversation }) => {
      const summary =
        uploaded === 0
          ? t(language, 'photos.confirmed.none')
          : uploaded === 1
            ? t(language, 'photos.confirmed.one')
            : t(language, 'photos.confirmed.many', { count: uploaded });
      // One line per reason; a reason several photos share says how many.
      const counts = new Map<PhotoRejection, number>();
      for (const reason of rejections) counts.set(reason, (counts.get(reason) ?? 0) + 1);
      const reasons = [...counts]
        .map(([reason, count]) => {
          const why = textOf(language, `photos.reason.${reason}`, {});
          return `• ${count === 1 ? why : t(language, 'photos.reasonTimes', { count, reason: why })}`;
        })
        .join('\n');
      const text = reasons ? `${summary}\n\n${t(language, 'photos.notUploaded', { list: reasons })}` : summary;
      await toSender(key, conversation.phone, text, conversation.id);
    },
  };
}
