/**
 * The inbox worker loop: claims small batches up to its concurrency, runs each item, renews the
 * leases of what it holds, and sleeps until woken (an event accepted in this process) or its poll
 * interval passes (events accepted by other processes).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import { claimItems, inboxSignal, LEASE_MS, releaseItem, renewLeases, type ClaimedItem } from './queue.ts';

/** Split roles look for work at least this often. */
export const INBOX_POLL_MS = 250;

export interface InboxWorkerOptions {
  owner: string;
  /** Items run in parallel. */
  concurrency: number;
  pollMs?: number;
  logger: Logger;
  /** Runs one claimed item; settles the item (complete, fail, release) itself. */
  run(item: ClaimedItem): Promise<void>;
  /** Called with every lease renewal, to keep whatever else the worker holds alive. */
  onRenew?(eventRefs: string[]): Promise<void>;
}

export interface InboxWorker {
  /** Stops claiming; waits up to `timeoutMs` for running items, then gives back the rest. */
  stop(timeoutMs: number): Promise<void>;
}

export function startInboxWorker(options: InboxWorkerOptions): InboxWorker {
  const { owner, concurrency, logger } = options;
  const pollMs = options.pollMs ?? INBOX_POLL_MS;
  const running = new Map<string, Promise<void>>();
  let stopped = false;
  let woken = false;
  let wake: () => void = () => {};
  const onEnqueued = () => {
    woken = true;
    wake();
  };
  inboxSignal.on('enqueued', onEnqueued);

  const nap = (ms: number) => {
    if (woken) return Promise.resolve();
    const controller = new AbortController();
    wake = () => controller.abort();
    return sleep(ms, undefined, { signal: controller.signal }).catch(() => {});
  };

  // Claim in batches of at least half the concurrency: one claim round serves several items.
  const roomForBatch = () => concurrency - running.size >= Math.ceil(concurrency / 2);

  const loop = (async () => {
    while (!stopped) {
      woken = false;
      let claimed: ClaimedItem[] = [];
      if (roomForBatch()) {
        try {
          claimed = await claimItems(owner, concurrency - running.size);
        } catch (error) {
          logger.warn({ err: (error as Error).message }, 'inbox claim failed');
        }
      }
      for (const item of claimed) {
        const run = options
          .run(item)
          .catch((error: Error) => logger.error({ err: error.message, eventRef: item.eventRef }, 'inbox item failed to settle'))
          .finally(() => {
            running.delete(item.eventRef);
            if (roomForBatch()) onEnqueued();
          });
        running.set(item.eventRef, run);
      }
      // Woken at once by new work in this process or by a freed batch; else look again after the poll.
      await nap(pollMs);
    }
  })();

  const renewal = setInterval(() => {
    const refs = [...running.keys()];
    Promise.all([renewLeases(refs), options.onRenew?.(refs)]).catch((error: Error) =>
      logger.warn({ err: error.message }, 'inbox lease renewal failed'),
    );
  }, LEASE_MS / 4);

  return {
    async stop(timeoutMs) {
      stopped = true;
      inboxSignal.off('enqueued', onEnqueued);
      wake();
      await loop;
      await Promise.race([Promise.allSettled(running.values()), sleep(timeoutMs)]);
      clearInterval(renewal);
      await Promise.all([...running.keys()].map((ref) => releaseItem(ref).catch(() => {})));
    },
  };
}
