/**
 * What `al run --queue` shows after enqueuing: each run's rounds as the workers report them
 * (BullMQ progress events) and each run's end, until every run of the grid has completed or
 * failed. Ends are read from the jobs' states, polled, so a missed event (a Redis restart)
 * delays a line but never loses a run.
 */
import { Queue, QueueEvents } from "bullmq";
import type { ProgressSink } from "../runner/progress.ts";
import { connectionOptions, QUEUE_NAME } from "./connection.ts";
import type { QueueJobData, QueueProgress, QueueResult } from "./job-data.ts";
import type { RedisTarget } from "./redis-url.ts";

export interface WatchSummary {
  done: number;
  failed: number;
  failures: Array<{ runId: string; label: string; error: string }>;
}

export interface WatchOptions {
  progress: ProgressSink;
  /** How often job states are read; default 1 s. */
  pollMs?: number;
  signal?: AbortSignal;
}

export async function watchGrid(target: RedisTarget, jobs: readonly QueueJobData[], options: WatchOptions): Promise<WatchSummary> {
  const { progress } = options;
  const byId = new Map(jobs.map((j) => [j.runId, j]));
  const connection = connectionOptions(target);
  const queue = new Queue<QueueJobData, QueueResult>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const started = new Set<string>();
  const summary: WatchSummary = { done: 0, failed: 0, failures: [] };
  events.on("progress", ({ jobId, data }) => {
    const job = byId.get(jobId);
    if (!job || typeof data !== "object" || data === null) return;
    const p = data as QueueProgress;
    if (!started.has(jobId)) {
      started.add(jobId);
      progress.runStart({ id: jobId, label: job.label, rounds: p.rounds, ...(p.resumedAfter !== undefined ? { resumedAfter: p.resumedAfter } : {}) });
    }
    progress.round({ id: jobId, label: job.label, round: p.round, rounds: p.rounds, metrics: p.metrics ?? {} });
  });
  // Connection errors while Redis restarts: the clients reconnect by themselves.
  queue.on("error", () => {});
  events.on("error", () => {});
  const open = new Set(byId.keys());
  try {
    while (open.size > 0 && !options.signal?.aborted) {
      for (const id of [...open]) {
        let state: string;
        try {
          state = await queue.getJobState(id);
        } catch {
          break; // Redis away: try again next poll
        }
        if (state !== "completed" && state !== "failed") continue;
        const job = await queue.getJob(id);
        const data = byId.get(id)!;
        open.delete(id);
        if (state === "completed") {
          summary.done++;
          const result = job?.returnvalue;
          progress.runEnd({ id, label: data.label, ok: true, seconds: result?.seconds ?? 0, detail: result?.detail ?? "done" });
        } else {
          summary.failed++;
          const error = job?.failedReason ?? "failed";
          summary.failures.push({ runId: id, label: data.label, error });
          progress.runEnd({ id, label: data.label, ok: false, seconds: 0, detail: error });
        }
      }
      if (open.size > 0) await sleep(options.pollMs ?? 1_000, options.signal);
    }
  } finally {
    await events.close();
    await queue.close();
  }
  return summary;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
