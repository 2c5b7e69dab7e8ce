/**
 * A batch of photos the owner sent (flow F4): the images that arrive within a short window go to
 * the Google profile together, with one question about their category at most and one
 * confirmation.
 *
 * collecting ──WINDOW_CLOSED──▶ askingCategory ──OWNER_CHOSE / CATEGORY_TIMEOUT──▶ uploading ──all settled──▶ confirmed
 *            └─(every accepted photo has a category, or none was accepted)──▶ uploading / confirmed
 *
 * Pure, like every machine here: the window and the question's timeout are Agenda jobs that send
 * `WINDOW_CLOSED` / `CATEGORY_TIMEOUT`; each photo's upload is a job that answers `PHOTO_UPLOADED`
 * or `PHOTO_FAILED`. A window timer set before the last photo arrived names an older photo count
 * and is ignored, so the window slides with each photo.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';

/** Version of this machine's states and context, stored with every snapshot. */
export const VERSION = 1;

/** The category of photos nobody named: Google's `ADDITIONAL`. */
export const SILENCE_CATEGORY = 'ADDITIONAL';

/** Why a photo did not go up, as the owner is told. */
export type PhotoRejection = 'format' | 'fileTooSmall' | 'fileTooLarge' | 'tooSmall' | 'unreadable' | 'googleRefused' | 'notConnected';

export interface BatchPhoto {
  photoId: string;
  /** From the photo's caption, when a caption word named one (a Google category, e.g. `TEAMS`). */
  captionCategory: string | null;
  status: 'accepted' | 'uploaded' | 'rejected' | 'failed';
  reason?: PhotoRejection;
}

export interface PhotoBatchContext {
  photos: BatchPhoto[];
  /** The owner's answer to the question, or `ADDITIONAL` after silence. */
  chosenCategory: string | null;
}

export type PhotoBatchEvent =
  /** A photo joined: checked and kept (`rejection` absent) or refused at intake. */
  | { type: 'PHOTO_ADDED'; photoId: string; captionCategory: string | null; rejection?: PhotoRejection }
  /** The window timer, set when the batch held `photoCount` photos. */
  | { type: 'WINDOW_CLOSED'; photoCount: number }
  /** The owner answered the question with a category. */
  | { type: 'OWNER_CHOSE'; category: string }
  /** Nobody answered the question in time. */
  | { type: 'CATEGORY_TIMEOUT' }
  | { type: 'PHOTO_UPLOADED'; photoId: string }
  /** The upload gave up for good: Google refused (or retries ran out), or the profile is not connected. */
  | { type: 'PHOTO_FAILED'; photoId: string; reason: 'googleRefused' | 'notConnected' };

/** The named actions the service provides, each with its params. */
export interface PhotoBatchActionParams {
  /** (Re)start the window: a timer that sends `WINDOW_CLOSED` with this photo count. */
  scheduleWindowEnd: { photoCount: number };
  /** Ask the owner, with a numbered choice, which category the uncaptioned photos are. */
  askCategory: { photoCount: number };
  /** Start the timer that sends `CATEGORY_TIMEOUT`. */
  scheduleCategoryTimeout: Record<string, never>;
  /** Upload each accepted photo in its category (one job each). */
  uploadPhotos: { photos: { photoId: string; category: string }[] };
  /** Tell the owner how many went up, and why each of the others did not. */
  confirmToOwner: { uploaded: number; rejections: PhotoRejection[] };
}

type Params<K extends keyof PhotoBatchActionParams> = PhotoBatchActionParams[K];

const notProvided = (name: string) => (): never => {
  throw new Error(`photo-batch: action "${name}" not provided`);
};

const accepted = (context: PhotoBatchContext) => context.photos.filter((p) => p.status === 'accepted');

export const photoBatchMachine = setup({
  types: {} as { context: PhotoBatchContext; events: PhotoBatchEvent },
  actions: {
    scheduleWindowEnd: notProvided('scheduleWindowEnd') as (_: unknown, p: Params<'scheduleWindowEnd'>) => void,
    askCategory: notProvided('askCategory') as (_: unknown, p: Params<'askCategory'>) => void,
    scheduleCategoryTimeout: notProvided('scheduleCategoryTimeout') as (_: unknown, p: Params<'scheduleCategoryTimeout'>) => void,
    uploadPhotos: notProvided('uploadPhotos') as (_: unknown, p: Params<'uploadPhotos'>) => void,
    confirmToOwner: notProvided('confirmToOwner') as (_: unknown, p: Params<'confirmToOwner'>) => void,
  },
  guards: {
    isNewPhoto: ({ context, event }) => event.type === 'PHOTO_ADDED' && !context.photos.some((p) => p.photoId === event.photoId),
    isCurrentWindow: ({ context, event }) => event.type === 'WINDOW_CLOSED' && event.photoCount === context.photos.length,
    nothingToUpload: ({ context }) => accepted(context).length === 0,
    needsCategory: ({ context }) => accepted(context).some((p) => p.captionCategory === null),
    allSettled: ({ context }) => accepted(context).length === 0,
    isPending: ({ context, event }) =>
      (event.type === 'PHOTO_UPLOADED' || event.type === 'PHOTO_FAILED') &&
      context.photos.some((p) => p.photoId === event.photoId && p.status === 'accepted'),
  },
}).createMachine({
  id: 'photoBatch',
  context: { photos: [], chosenCategory: null },
  initial: 'collecting',
  states: {
    collecting: {
      on: {
        PHOTO_ADDED: {
          guard: 'isNewPhoto',
          actions: [
            assign({
              photos: ({ context, event }) => [
                ...context.photos,
                {
                  photoId: event.photoId,
                  captionCategory: event.captionCategory,
                  status: event.rejection ? ('rejected' as const) : ('accepted' as const),
                  ...(event.rejection ? { reason: event.rejection } : {}),
                },
              ],
            }),
            { type: 'scheduleWindowEnd', params: ({ context }) => ({ photoCount: context.photos.length }) },
          ],
        },
        // An older window's timer is ignored: a later photo moved the window on.
        WINDOW_CLOSED: { guard: 'isCurrentWindow', target: 'deciding' },
      },
    },
    deciding: {
      always: [
        { guard: 'nothingToUpload', target: 'confirmed' },
        { guard: 'needsCategory', target: 'askingCategory' },
        { target: 'uploading' },
      ],
    },
    askingCategory: {
      entry: [
        {
          type: 'askCategory',
          params: ({ context }) => ({ photoCount: accepted(context).filter((p) => p.captionCategory === null).length }),
        },
        { type: 'scheduleCategoryTimeout', params: {} },
      ],
      on: {
        OWNER_CHOSE: { target: 'uploading', actions: assign({ chosenCategory: ({ event }) => event.category }) },
        CATEGORY_TIMEOUT: { target: 'uploading', actions: assign({ chosenCategory: SILENCE_CATEGORY }) },
      },
    },
    uploading: {
      entry: {
        type: 'uploadPhotos',
        params: ({ context }) => ({
          photos: accepted(context).map((p) => ({
            photoId: p.photoId,
            category: p.captionCategory ?? context.chosenCategory ?? SILENCE_CATEGORY,
          })),
        }),
      },
      always: { guard: 'allSettled', target: 'confirmed' },
      on: {
        PHOTO_UPLOADED: {
          guard: 'isPending',
          actions: assign({ photos: ({ context, event }) => settle(context, event.photoId, 'uploaded') }),
        },
        PHOTO_FAILED: {
          guard: 'isPending',
          actions: assign({ photos: ({ context, event }) => settle(context, event.photoId, 'failed', event.reason) }),
        },
      },
    },
    confirmed: {
      type: 'final',
      entry: {
        type: 'confirmToOwner',
        params: ({ context }) => ({
          uploaded: context.photos.filter((p) => p.status === 'uploaded').length,
          rejections: context.photos.flatMap((p) =>
            p.status === 'rejected' || p.status === 'failed' ? [p.reason ?? ('googleRefused' as const)] : [],
          ),
        }),
      },
    },
  },
});

function settle(context: PhotoBatchContext, photoId: string, status: 'uploaded' | 'failed', reason?: PhotoRejection): BatchPhoto[] {
  return context.photos.map((p) => (p.photoId === photoId ? { ...p, status, ...(reason ? { reason } : {}) } : p));
}

/** The live snapshot, or the persisted JSON the service loads. */
type SnapshotLike = Pick<SnapshotFrom<typeof photoBatchMachine>, 'status' | 'value'> | { status: string; value: unknown };

/** Whether the batch still takes photos (its window is open). */
export function isCollecting(snapshot: SnapshotLike): boolean {
  return snapshot.status === 'active' && snapshot.value === 'collecting';
}

/** Whether the batch waits for the owner to name a category. */
export function isAskingCategory(snapshot: SnapshotLike): boolean {
  return snapshot.status === 'active' && snapshot.value === 'askingCategory';
}
