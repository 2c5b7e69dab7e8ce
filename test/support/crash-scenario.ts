/**
 * Crash scenarios (issue 15): this test process serves HTTP only (the harness in the `web` role)
 * while the job and inbox workers run in real child processes (test/support/processes.ts), which a
 * test kills with SIGKILL at a chosen moment and starts again, timing how long the work takes after.
 */
import { eventually, startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { startFindoProcess, type FindoProcess } from './processes.ts';

/** Restart → done, within the bound unless a test asks otherwise. */
export const DONE_AFTER_RESTART_MS = 30_000;

export interface CrashScenario {
  h: Harness;
  /** Starts a worker process; `workerId` gives it an identity of its own (FINDO_WORKER_ID), else the default one. */
  startWorker(options?: WorkerOptions): Promise<FindoProcess>;
  /** The workers started so far and not killed. */
  readonly workers: FindoProcess[];
  /** Waits for `moment` (e.g. a request held open at a fake), then SIGKILLs `worker` (default: the first running one). */
  killWhen(moment: () => PromiseLike<unknown>, what: string, worker?: FindoProcess): Promise<void>;
  /**
   * Starts the worker again under the default identity and waits for `done`: resolves with the
   * milliseconds from the restart to done, failing beyond `withinMs`.
   */
  restartUntil(done: () => PromiseLike<unknown>, what: string, withinMs?: number): Promise<number>;
  /** Waits for `done` without a restart (another worker is to take the work): ms from now to done. */
  timeUntil(done: () => PromiseLike<unknown>, what: string, withinMs?: number): Promise<number>;
  /** Kills every worker still running and stops the harness. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** FINDO_WORKER_ID: an identity of its own; without it, the default one. */
  workerId?: string;
  /** Environment of this worker only, over the harness's. */
  env?: Record<string, string>;
}

/** Starts the harness (`web` role, with `options`) and one worker process under the default identity. */
export async function startCrashScenario(
  testFile: string,
  options: Omit<HarnessOptions, 'role'> & { firstWorker?: WorkerOptions } = {},
): Promise<CrashScenario> {
  const h = await startHarness(testFile, { ...options, role: 'web' });
  const workers: FindoProcess[] = [];
  const startWorker = async ({ workerId, env }: WorkerOptions = {}) => {
    const worker = await startFindoProcess('worker', { ...h.env, ...(workerId ? { FINDO_WORKER_ID: workerId } : {}), ...env });
    workers.push(worker);
    return worker;
  };
  const timeUntil = async (done: () => PromiseLike<unknown>, what: string, withinMs = DONE_AFTER_RESTART_MS) => {
    const from = Date.now();
    await eventually(async () => Boolean(await done()), withinMs, what);
    return Date.now() - from;
  };
  await startWorker(options.firstWorker);
  return {
    h,
    startWorker,
    workers,
    async killWhen(moment, what, worker = workers[0]) {
      await eventually(async () => Boolean(await moment()), 30_000, what);
      if (!worker) throw new Error('no worker is running');
      await worker.kill();
      workers.splice(workers.indexOf(worker), 1);
    },
    async restartUntil(done, what, withinMs) {
      const restarted = Date.now();
      await startWorker();
      await timeUntil(done, what, withinMs);
      return Date.now() - restarted;
    },
    timeUntil,
    async stop() {
      await Promise.all(workers.map((worker) => worker.kill()));
      await h.stop();
    },
  };
}

/** Lets a moment pass in which nothing more may arrive (a duplicate would come within it). */
export const settle = (ms = 2_000) => new Promise((resolve) => setTimeout(resolve, ms));
