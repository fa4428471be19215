/**
 * `al run <file> --queue <url>`: expand the grid as `al run` does, compute each run's id (so the
 * data must be readable here) and add one BullMQ job per run, with the run id as job id: BullMQ
 * keeps one job per id, so enqueuing a grid twice, or two grids sharing runs, never queues a
 * run twice, and a run whose job completed earlier is not queued again.
 */
import { relative, resolve } from "node:path";
import { Queue } from "bullmq";
import { selectBackend, type BackendChoice } from "../backend/select.ts";
import type { GridRule } from "../experiments/grid.ts";
import { runId } from "../experiments/id.ts";
import { selectGrid } from "../runner/grid-selection.ts";
import { preflight } from "../runner/preflight.ts";
import { version } from "../version.ts";
import { checkRedis, connectionOptions, QUEUE_NAME } from "./connection.ts";
import type { QueueJobData } from "./job-data.ts";
import type { RedisTarget } from "./redis-url.ts";

export interface EnqueueOptions {
  file: string;
  queue: RedisTarget;
  profile?: string;
  backend?: BackendChoice;
  only?: GridRule;
  /** Tries per run before it is marked failed (BullMQ attempts); default 3. */
  attempts?: number;
  log?: (line: string) => void;
}

export interface EnqueueSummary {
  experiment: string;
  backend: BackendChoice;
  /** Every run of the grid (or of --only), in grid order. */
  jobs: QueueJobData[];
  /** Run ids this call added. */
  added: string[];
  /** Run ids already in the queue (waiting, running, completed or failed). */
  existing: string[];
}

export async function enqueueExperiment(options: EnqueueOptions): Promise<EnqueueSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const attempts = options.attempts ?? 3;
  // Before the grid's data is read: an unreachable server is the quickest thing to report.
  await checkRedis(options.queue);
  const { spec, configs, label } = await selectGrid(options.file, options);
  const backend = await selectBackend({ force: options.backend, warn: log });
  const { checksums, warnings } = await preflight(configs, options.file);
  for (const warning of warnings) log(`warning: ${warning}`);
  const file = resolve(options.file);
  const jobs: QueueJobData[] = configs.map((config) => ({
    runId: runId(config, { checksum: checksums.get(JSON.stringify(config.dataset))!, version, backend: backend.choice }),
    file,
    relative: relative(process.cwd(), file),
    given: options.file,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    backend: backend.choice,
    experiment: spec.name,
    label: label(config),
  }));
  const queue = new Queue<QueueJobData>(QUEUE_NAME, { connection: connectionOptions(options.queue) });
  try {
    const states = await Promise.all(jobs.map((j) => queue.getJobState(j.runId)));
    const existing = jobs.filter((_, i) => states[i] !== "unknown").map((j) => j.runId);
    const fresh = jobs.filter((_, i) => states[i] === "unknown");
    // Kept after they finish: a finished job's id is what stops its run being queued again.
    await queue.addBulk(fresh.map((data) => ({ name: spec.name, data, opts: { jobId: data.runId, attempts, removeOnComplete: false, removeOnFail: false } })));
    return { experiment: spec.name, backend: backend.choice, jobs, added: fresh.map((j) => j.runId), existing };
  } finally {
    await queue.close();
  }
}
