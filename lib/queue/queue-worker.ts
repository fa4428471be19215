/**
 * `al worker --queue <url> --results <dir>`: takes runs off the queue one at a time and runs
 * each with `runExperiment`, the runner of local runs, sliced to that one run. Everything a run
 * leaves lives under the shared results folder, so any worker can take over any run:
 *
 * - checkpoints in `<results>/checkpoints/<run-id>.ckpt`, written after every round: a job
 *   whose worker died (SIGKILL, a lost machine) stalls, BullMQ hands it to another worker when
 *   its lock lapses, and that worker continues after the last checkpointed round;
 * - the finished run as a run folder `<results>/runs/<run-id>/` (lib/store/run-folder.ts), the
 *   same as shards write, for `al collect --results <dir>`; a run whose folder exists is not run.
 *
 * The store a run is computed in is the worker's own scratch store (a temp folder, deleted when
 * the worker stops): the run folder is the result, the store only what writes it.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import { removeCheckpoint } from "../runner/checkpoint.ts";
import type { ProgressSink } from "../runner/progress.ts";
import { RunInterrupted, runExperiment } from "../runner/run-experiment.ts";
import { runFolders } from "../runner/shard.ts";
import { makeDirectory } from "../store/make-directory.ts";
import { checkRedis, connectionOptions, QUEUE_NAME } from "./connection.ts";
import type { QueueJobData, QueueProgress, QueueResult } from "./job-data.ts";
import type { RedisTarget } from "./redis-url.ts";

export interface QueueWorkerOptions {
  queue: RedisTarget;
  /** The shared results folder: `checkpoints/` and `runs/` inside. */
  results: string;
  /**
   * Seconds without a lock renewal after which a job counts as stalled (its worker died) and
   * goes back to the queue; also how often this worker looks for stalled jobs. Default 30.
   */
  stallSeconds?: number;
  log?: (line: string) => void;
  /** Resolves when the worker has taken its last job (after `stop`). */
  signal?: AbortSignal;
}

export function queueCheckpointDir(results: string): string {
  return join(results, "checkpoints");
}

/** Runs jobs until `signal` aborts; a run in progress then stops at its next round and goes back to the queue. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<{ completed: number; failed: number; handedBack: number }> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const results = resolve(options.results);
  await checkRedis(options.queue);
  await makeDirectory(join(results, "runs"), "pass --results with a writable directory every worker can reach");
  await makeDirectory(queueCheckpointDir(results), "pass --results with a writable directory every worker can reach");
  const scratch = mkdtempSync(join(tmpdir(), "al-worker-"));
  const me = `${hostname()}:${process.pid}`;
  const counts = { completed: 0, failed: 0, handedBack: 0 };
  const stall = (options.stallSeconds ?? 30) * 1000;

  const processor = async (job: Job<QueueJobData, QueueResult>, token?: string): Promise<QueueResult> => {
    const data = job.data;
    const file = existsSync(data.file) ? data.file : resolve(data.relative);
    if (!existsSync(file)) {
      throw new UnrecoverableError(`the experiment file is not on ${hostname()}: neither ${data.file} nor ${data.relative} (from ${process.cwd()}); start al worker where the checkout is`);
    }
    let detail = "done";
    const report = (p: QueueProgress): void => void job.updateProgress(p as unknown as object).catch(() => {});
    const progress: ProgressSink = {
      start() {},
      runStart: (run) => {
        if (run.resumedAfter !== undefined) log(`${me}: ${data.label} (${data.runId}) resumes after round ${run.resumedAfter} (its checkpoint)`);
        report({ round: run.resumedAfter ?? 0, rounds: run.rounds, ...(run.resumedAfter !== undefined ? { resumedAfter: run.resumedAfter } : {}) });
      },
      round: (run) => report({ round: run.round, rounds: run.rounds, metrics: run.metrics }),
      runEnd: (run) => void (detail = run.detail),
      close() {},
    };
    log(`${me}: ${data.label} (${data.runId}) begins${job.attemptsMade > 0 ? `, attempt ${job.attemptsMade + 1}` : ""}`);
    let summary;
    try {
      summary = await runExperiment({
        file,
        // The store names the file as `al run` would have (e.g. experiments/foo.ts), not as found here.
        recordedFile: data.given ?? data.file,
        ...(data.profile !== undefined ? { profile: data.profile } : {}),
        backend: data.backend,
        workers: 1,
        db: join(scratch, "store.duckdb"),
        checkpointDir: queueCheckpointDir(results),
        sharedCheckpoints: true,
        slice: (jobs) => jobs.filter((j) => j.runId === data.runId),
        output: runFolders(results),
        analyse: false,
        maps: false,
        log: (line) => log(`${me}: ${line}`),
        progress,
      });
    } catch (error) {
      if (!(error instanceof RunInterrupted) || token === undefined) throw error;
      // Stopped (SIGTERM, Ctrl-C) after a checkpointed round: back to the queue for any worker.
      await job.moveToWait(token);
      counts.handedBack++;
      log(`${me}: ${data.label} (${data.runId}) handed back to the queue; it resumes from its checkpoint`);
      throw new WaitingError();
    }
    if (summary.total === 0) {
      throw new UnrecoverableError(
        `run ${data.runId} is not in the grid of ${file} as loaded on ${hostname()}: the file, its data or the al-lab version differ from where it was enqueued`,
      );
    }
    if (summary.failed > 0) throw new Error(summary.failures[0]!.error);
    await removeCheckpoint(queueCheckpointDir(results), data.runId);
    return { seconds: summary.seconds, detail, worker: me };
  };

  const worker = new Worker<QueueJobData, QueueResult>(QUEUE_NAME, processor, {
    connection: connectionOptions(options.queue),
    concurrency: 1,
    lockDuration: stall,
    stalledInterval: stall,
    // A run whose workers keep dying is failed after this many takeovers, not retried forever.
    maxStalledCount: 3,
    autorun: false,
  });
  worker.on("completed", (job) => {
    counts.completed++;
    log(`${me}: ${job.data.label} (${job.id}) done → ${join(results, "runs", String(job.id))}`);
  });
  worker.on("failed", (job, error) => {
    if (!job || error instanceof WaitingError) return;
    counts.failed++;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    log(`${me}: ${job.data.label} (${job.id}) failed${final ? "" : `, attempt ${job.attemptsMade} of ${job.opts.attempts}; retried`}: ${error.message}`);
  });
  // Connection errors while Redis restarts: ioredis reconnects and the worker carries on.
  let lastError = "";
  worker.on("error", (error) => {
    const lost = lostLock(error.message);
    if (lost) {
      // A refused completion is followed by a refused failure of the same job: one line.
      const line = `${lost.runId}:${lost.finished}`;
      if (line === lastError) return;
      lastError = line;
      log(`${me}: ${lost.runId}: ${lost.finished ? "finished here too, but another worker holds the run now; its run folder stands (written once), and this worker goes on" : `lock lost (this worker gave no sign of life for ${stall / 1000} s); another worker may take the run over, and this one finishes it anyway`}`);
      return;
    }
    if (error.message !== lastError) log(`${me}: queue: ${error.message} (reconnecting)`);
    lastError = error.message;
  });
  const stopped = new Promise<void>((resolveStop) => {
    const stop = (): void => void worker.close().then(resolveStop, resolveStop);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener("abort", stop, { once: true });
  });
  log(`${me}: taking runs from ${options.queue.url} into ${results}`);
  try {
    await Promise.all([worker.run(), stopped]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return counts;
}

/**
 * A job whose lock lapsed while its worker lived (the event loop blocked past the lock, a network
 * partition): BullMQ may hand it to a second worker, and both compute it. That is harmless — a run
 * is deterministic, checkpoints and run folders are renamed into place whole, and the first
 * finished folder is kept — so the first worker's failed lock renewal and its refused completion
 * (moveToFinished without the lock) are reported as such, neither as a crash nor as a failed run.
 */
export function lostLock(message: string): { runId: string; finished: boolean } | undefined {
  const renewal = /^could not renew lock for job (\S+)$/.exec(message);
  if (renewal) return { runId: renewal[1]!, finished: false };
  const finish = /^(?:Missing lock for job (\S+?)\. moveToFinished|Lock mismatch for job (\S+?)\. Cmd moveToFinished|Job (\S+?) is not in the active state\. moveToFinished)/.exec(message);
  if (finish) return { runId: (finish[1] ?? finish[2] ?? finish[3])!, finished: true };
  return undefined;
}
