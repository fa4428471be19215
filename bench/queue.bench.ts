/**
 * What the queue itself sustains, with trivial jobs, against a private redis-server: enqueuing
 * (addBulk with run ids as job ids, kept after they finish, as al run --queue does) and taking
 * jobs through a worker whose processor does nothing (one worker at concurrency 1, as al worker
 * runs, then 4 workers). Real runs take seconds each, so this is the ceiling the queue puts on
 * many workers with very short runs.
 */
import { Queue, Worker } from "bullmq";
import { connectionOptions } from "../lib/queue/connection.ts";
import { parseRedisUrl } from "../lib/queue/redis-url.ts";
import { startRedis } from "../test/queue/redis-server.ts";
import type { BenchCase } from "./harness.ts";

const JOBS = 2000;

async function measure(workers: number): Promise<Record<string, number>> {
  const redis = await startRedis();
  const connection = connectionOptions(parseRedisUrl(redis.url));
  const name = "bench";
  const queue = new Queue(name, { connection });
  try {
    const jobs = Array.from({ length: JOBS }, (_, i) => ({ name, data: { i }, opts: { jobId: i.toString(16).padStart(16, "0"), attempts: 3, removeOnComplete: false, removeOnFail: false } }));
    let t = performance.now();
    for (let i = 0; i < JOBS; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    const enqueueMs = performance.now() - t;
    let done = 0;
    let finish!: () => void;
    const all = new Promise<void>((resolve) => (finish = resolve));
    t = performance.now();
    const pool = Array.from({ length: workers }, () => {
      const w = new Worker(name, async () => ({ ok: true }), { connection, concurrency: 1 });
      w.on("completed", () => void (++done === JOBS && finish()));
      return w;
    });
    await all;
    const processMs = performance.now() - t;
    await Promise.all(pool.map((w) => w.close()));
    return { jobs: JOBS, workers, enqueueJobsPerSecond: Math.round(JOBS / (enqueueMs / 1000)), processJobsPerSecond: Math.round(JOBS / (processMs / 1000)), processMs: Math.round(processMs) };
  } finally {
    await queue.close();
    await redis.stop();
  }
}

export const cases: BenchCase[] = [
  { name: `queue/trivial jobs ×${JOBS}, 1 worker`, run: () => measure(1) },
  { name: `queue/trivial jobs ×${JOBS}, 4 workers`, run: () => measure(4) },
];
