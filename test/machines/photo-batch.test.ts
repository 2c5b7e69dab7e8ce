import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { isAskingCategory, isCollecting, photoBatchMachine, type PhotoBatchEvent } from '../../machines/photo-batch.ts';

type Call = { action: string; params?: unknown };

function fakeMachine(calls: Call[]) {
  const record = (action: string) => (_: unknown, params?: unknown) => void calls.push({ action, params });
  return photoBatchMachine.provide({
    actions: {
      scheduleWindowEnd: record('scheduleWindowEnd'),
      askCategory: record('askCategory'),
      scheduleCategoryTimeout: record('scheduleCategoryTimeout'),
      uploadPhotos: record('uploadPhotos'),
      confirmToOwner: record('confirmToOwner'),
    },
  });
}

/** As the service runs it: restored from the persisted JSON per event, one event, persisted, stopped. */
function batch() {
  const first = createActor(fakeMachine([])).start();
  let stored = JSON.stringify(first.getPersistedSnapshot());
  first.stop();
  return {
    send(event: PhotoBatchEvent): Call[] {
      const calls: Call[] = [];
      const actor = createActor(fakeMachine(calls), { snapshot: JSON.parse(stored) }).start();
      actor.send(event);
      stored = JSON.stringify(actor.getPersistedSnapshot());
      actor.stop();
      return calls;
    },
    get snapshot() {
      return JSON.parse(stored) as { status: string; value: unknown };
    },
  };
}

const added = (photoId: string, captionCategory: string | null = null, rejection?: 'tooSmall'): PhotoBatchEvent => ({
  type: 'PHOTO_ADDED',
  photoId,
  captionCategory,
  ...(rejection ? { rejection } : {}),
});

describe('photo batch', () => {
  it('each photo restarts the window; an older window timer is ignored', () => {
    const b = batch();
    expect(b.send(added('p1'))).toEqual([{ action: 'scheduleWindowEnd', params: { photoCount: 1 } }]);
    expect(b.send(added('p2', 'TEAMS'))).toEqual([{ action: 'scheduleWindowEnd', params: { photoCount: 2 } }]);
    expect(b.send({ type: 'WINDOW_CLOSED', photoCount: 1 })).toEqual([]);
    expect(isCollecting(b.snapshot)).toBe(true);
  });

  it('a photo delivered twice joins once', () => {
    const b = batch();
    b.send(added('p1', 'TEAMS'));
    expect(b.send(added('p1', 'TEAMS'))).toEqual([]);
    expect(b.send({ type: 'WINDOW_CLOSED', photoCount: 1 })).toEqual([
      { action: 'uploadPhotos', params: { photos: [{ photoId: 'p1', category: 'TEAMS' }] } },
    ]);
  });

  it('asks once when a kept photo has no caption category; the answer sets it, a caption keeps its own', () => {
    const b = batch();
    b.send(added('p1'));
    b.send(added('p2', 'TEAMS'));
    b.send(added('p3', null, 'tooSmall'));
    expect(b.send({ type: 'WINDOW_CLOSED', photoCount: 3 })).toEqual([
      { action: 'askCategory', params: { photoCount: 1 } },
      { action: 'scheduleCategoryTimeout', params: {} },
    ]);
    expect(isAskingCategory(b.snapshot)).toBe(true);
    expect(b.send({ type: 'OWNER_CHOSE', category: 'AT_WORK' })).toEqual([
      {
        action: 'uploadPhotos',
        params: {
          photos: [
            { photoId: 'p1', category: 'AT_WORK' },
            { photoId: 'p2', category: 'TEAMS' },
          ],
        },
      },
    ]);
    // A late timeout changes nothing.
    expect(b.send({ type: 'CATEGORY_TIMEOUT' })).toEqual([]);
    expect(b.send({ type: 'PHOTO_UPLOADED', photoId: 'p1' })).toEqual([]);
    expect(b.send({ type: 'PHOTO_UPLOADED', photoId: 'p1' })).toEqual([]);
    expect(b.send({ type: 'PHOTO_UPLOADED', photoId: 'p2' })).toEqual([
      { action: 'confirmToOwner', params: { uploaded: 2, rejections: ['tooSmall'] } },
    ]);
    expect(b.snapshot.status).toBe('done');
  });

  it('silence means ADDITIONAL', () => {
    const b = batch();
    b.send(added('p1'));
    b.send({ type: 'WINDOW_CLOSED', photoCount: 1 });
    expect(b.send({ type: 'CATEGORY_TIMEOUT' })).toEqual([
      { action: 'uploadPhotos', params: { photos: [{ photoId: 'p1', category: 'ADDITIONAL' }] } },
    ]);
  });

  it('a Google refusal is counted as a rejection in the one confirmation', () => {
    const b = batch();
    b.send(added('p1', 'EXTERIOR'));
    b.send(added('p2', 'EXTERIOR'));
    b.send({ type: 'WINDOW_CLOSED', photoCount: 2 });
    expect(b.send({ type: 'PHOTO_FAILED', photoId: 'p1', reason: 'googleRefused' })).toEqual([]);
    expect(b.send({ type: 'PHOTO_UPLOADED', photoId: 'p2' })).toEqual([
      { action: 'confirmToOwner', params: { uploaded: 1, rejections: ['googleRefused'] } },
    ]);
  });

  it('a batch of refused images only is confirmed at once, without a question', () => {
    const b = batch();
    b.send(added('p1', null, 'tooSmall'));
    expect(b.send({ type: 'WINDOW_CLOSED', photoCount: 1 })).toEqual([
      { action: 'confirmToOwner', params: { uploaded: 0, rejections: ['tooSmall'] } },
    ]);
    expect(b.snapshot.status).toBe('done');
  });
});
