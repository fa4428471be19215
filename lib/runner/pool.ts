/**
 * Runs jobs on a pool of worker processes (one per core by default: wasm is single-threaded in
 * Node), or in this process when one worker is asked for. Callbacks run in this process, in
 * order per run, so the caller can be the store's only writer.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RoundRecord } from "../al/records.ts";
import { selectBackend } from "../backend/select.ts";
import { executeRun } from "./execute-run.ts";
import type { PoolMessage, RunJob, WorkerMessage } from "./job.ts";

export interface PoolCallbacks {
  onStart(job: RunJob): Promise<void>;
  onRound(job: RunJob, record: RoundRecord): Promise<void>;
  onDone(job: RunJob, seconds: number): Promise<void>;
  onFailed(job: RunJob, error: string): Promise<void>;
}

const workerFile = fileURLToPath(new URL("./worker.ts", import.meta.url));

async function runInProcess(jobs: RunJob[], callbacks: PoolCallbacks): Promise<void> {
  for (const job of jobs) {
    await callbacks.onStart(job);
    let seconds: number;
    try {
      await selectBackend({ force: job.backend });
      seconds = await executeRun(job, (record) => callbacks.onRound(job, record));
    } catch (error) {
      await callbacks.onFailed(job, (error as Error).message);
      continue;
    }
    await callbacks.onDone(job, seconds);
  }
}

export async function runJobs(jobs: RunJob[], options: { workers: number } & PoolCallbacks): Promise<void> {
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  if (workers === 1) return runInProcess(jobs, options);

  const queue = [...jobs];
  return new Promise<void>((resolve, reject) => {
    let live = 0;
    let failedHard = false;
    const fail = (error: unknown): void => {
      if (failedHard) return;
      failedHard = true;
      reject(error);
    };

    const start = (): void => {
      live++;
      // stdout of a worker goes to our stderr: stdout may be data (a loader, --json).
      const child: ChildProcess = fork(workerFile, [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", 2, "inherit", "ipc"],
        serialization: "advanced",
      });
      let current: RunJob | undefined;
      // Store writes for one worker stay in message order.
      let chain: Promise<void> = Promise.resolve();
      const then = (fn: () => Promise<void>): void => {
        chain = chain.then(fn).catch((error) => {
          child.kill();
          fail(error);
        });
      };
      const next = (): void =>
        then(async () => {
          const job = queue.shift();
          current = job;
          if (!job || failedHard) {
            child.send({ type: "exit" } satisfies PoolMessage);
            return;
          }
          await options.onStart(job);
          child.send({ type: "run", job } satisfies PoolMessage);
        });

      child.on("message", (message: WorkerMessage) => {
        const job = current;
        if (message.type === "ready") return next();
        if (!job) return;
        if (message.type === "round") then(() => options.onRound(job, message.record));
        else if (message.type === "done") {
          then(() => options.onDone(job, message.seconds));
          next();
        } else {
          then(() => options.onFailed(job, message.error));
          next();
        }
      });
      child.on("error", fail);
      child.on("exit", (code, signal) => {
        then(async () => {
          live--;
          if (current) {
            const job = current;
            current = undefined;
            await options.onFailed(job, `worker process exited (${signal ?? `code ${code}`}) during the run`);
            if (queue.length > 0 && !failedHard) start();
          }
          if (live === 0) resolve();
        });
      });
    };
    for (let i = 0; i < workers; i++) start();
  });
}
