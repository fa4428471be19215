/**
 * `al status --queue <url>`: the queue's runs by state (waiting, active, completed, failed,
 * and delayed or paused if any), failed ones with their error; `--retry` puts failed runs back
 * in the queue with their attempts reset.
 */
import { Queue, type JobType } from "bullmq";
import { checkRedis, connectionOptions, QUEUE_NAME } from "./connection.ts";
import type { QueueJobData, QueueResult } from "./job-data.ts";
import type { RedisTarget } from "./redis-url.ts";

export const QUEUE_STATES = ["waiting", "active", "completed", "failed", "delayed", "prioritized", "paused", "waiting-children"] as const satisfies readonly JobType[];
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueRun {
  runId: string;
  state: QueueState;
  experiment: string;
  label: string;
  attempts: number;
  /** The last attempt's error (failed runs, and runs retried after a failure). */
  error: string | null;
  /** Who completed it (host:pid). */
  worker: string | null;
}

export interface QueueStatus {
  counts: Record<QueueState, number>;
  runs: QueueRun[];
}

export async function queueStatus(target: RedisTarget, options: { experiment?: string } = {}): Promise<QueueStatus> {
  await checkRedis(target);
  const queue = new Queue<QueueJobData, QueueResult>(QUEUE_NAME, { connection: connectionOptions(target) });
  try {
    const runs: QueueRun[] = [];
    for (const state of QUEUE_STATES) {
      for (const job of await queue.getJobs([state])) {
        if (!job?.id || (options.experiment !== undefined && job.data.experiment !== options.experiment)) continue;
        runs.push({
          runId: job.id,
          state,
          experiment: job.data.experiment,
          label: job.data.label,
          attempts: job.attemptsMade,
          error: job.failedReason ? job.failedReason : null,
          worker: job.returnvalue?.worker ?? null,
        });
      }
    }
    runs.sort((a, b) => QUEUE_STATES.indexOf(a.state) - QUEUE_STATES.indexOf(b.state) || a.experiment.localeCompare(b.experiment) || a.label.localeCompare(b.label));
    const counts = Object.fromEntries(QUEUE_STATES.map((s) => [s, runs.filter((r) => r.state === s).length])) as Record<QueueState, number>;
    return { counts, runs };
  } finally {
    await queue.close();
  }
}

/** Puts the failed runs (of one experiment, or all) back in the queue; returns their ids. */
export async function retryFailed(target: RedisTarget, options: { experiment?: string } = {}): Promise<string[]> {
  await checkRedis(target);
  const queue = new Queue<QueueJobData, QueueResult>(QUEUE_NAME, { connection: connectionOptions(target) });
  try {
    const retried: string[] = [];
    for (const job of await queue.getJobs(["failed"])) {
      if (!job?.id || (options.experiment !== undefined && job.data.experiment !== options.experiment)) continue;
      // resetAttemptsMade: a retried run gets its full number of tries again.
      await job.retry("failed", { resetAttemptsMade: true });
      retried.push(job.id);
    }
    return retried.sort();
  } finally {
    await queue.close();
  }
}
