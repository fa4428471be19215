/**
 * Runs jobs on a pool of worker processes (one per core by default: wasm is single-threaded in
 * Node), or in this process when one worker is asked for. Callbacks run in this process, in
 * order per run, so the caller can be the store's only writer.
 *
 * A worker that dies never takes queued jobs with it: the job it was running fails, the queue
 * goes to a new worker, and after `maxDeaths` deaths in a row (a worker that cannot even start,
 * say) the pool stops handing out jobs and rejects with a `PoolError` naming the cause; jobs
 * never handed out are left unstarted for the next `al run`.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RoundRecord } from "../al/records.ts";
import { selectBackend, type BackendChoice } from "../backend/select.ts";
import { takeJob, workerHistory } from "./affinity.ts";
import { executeRun } from "./execute-run.ts";
import type { PoolMessage, RunJob, WorkerMessage } from "./job.ts";

export interface PoolCallbacks {
  onStart(job: RunJob): Promise<void>;
  onRound(job: RunJob, record: RoundRecord): Promise<void>;
  onDone(job: RunJob, seconds: number): Promise<void>;
  onFailed(job: RunJob, error: string): Promise<void>;
}

export interface PoolOptions extends PoolCallbacks {
  workers: number;
  /** Stop now: running jobs are abandoned as they are (no onFailed), queued ones never start. */
  signal?: AbortSignal;
  /** Worker deaths in a row (no job finished in between) before the pool gives up; default 3. */
  maxDeaths?: number;
  /** Workers forked earlier (`forkWorkers`), taken before any new one is forked. */
  warm?: WarmWorkers;
}

/** The pool gave up: workers keep dying. `unstarted` jobs were never handed out. */
export class PoolError extends Error {
  constructor(message: string, readonly unstarted: number) {
    super(message);
  }
}

// From a checkout this module is lib/runner/pool.ts and the worker is TypeScript run through tsx;
// from an installed package it is dist/lib/runner/pool.js beside a compiled worker.js.
const compiled = new URL(import.meta.url).pathname.endsWith(".js");
const workerFile = fileURLToPath(new URL(compiled ? "./worker.js" : "./worker.ts", import.meta.url));
// Resolved from this package, not from the cwd: `--import tsx` alone fails outside the repository.
// Lazily: an experiment file that imports the library through tsx gets a copy of this module in
// which import.meta.resolve does not exist; only the CLI's own copy starts workers.
const workerExecArgv = (): string[] => (compiled ? [] : ["--import", import.meta.resolve("tsx")]);

/** What a worker process does, held until the pool listens: one forked early may be ready, or dead, by then. */
type WorkerEvent =
  | { kind: "message"; message: WorkerMessage }
  | { kind: "stderr"; chunk: Buffer }
  | { kind: "error"; error: Error }
  | { kind: "exit"; code: number | null; signal: NodeJS.Signals | null };

interface ForkedWorker {
  readonly child: ChildProcess;
  /** Replays the events so far, in order, then passes each as it comes. */
  listen(handler: (event: WorkerEvent) => void): void;
}

function forkWorker(backend: BackendChoice | undefined): ForkedWorker {
  // stdout of a worker goes to our stderr: stdout may be data (a loader, --json). Its stderr is
  // piped so the pool can hold it back until the worker is ready.
  const child = fork(workerFile, backend === undefined ? [] : ["--backend", backend], {
    execArgv: workerExecArgv(),
    stdio: ["ignore", 2, "pipe", "ipc"],
    serialization: "advanced",
  });
  const held: WorkerEvent[] = [];
  let handler: ((event: WorkerEvent) => void) | undefined;
  const emit = (event: WorkerEvent): void => {
    if (handler) handler(event);
    else held.push(event);
  };
  child.on("message", (message: WorkerMessage) => emit({ kind: "message", message }));
  child.stderr!.on("data", (chunk: Buffer) => emit({ kind: "stderr", chunk }));
  child.on("error", (error) => emit({ kind: "error", error }));
  child.on("exit", (code, signal) => emit({ kind: "exit", code, signal }));
  return {
    child,
    listen(next) {
      handler = next;
      for (const event of held.splice(0)) next(event);
    },
  };
}

/**
 * Worker processes forked before the grid is known, so that their start-up (module loading,
 * the backend's initialisation) overlaps the parent's own (the experiment file, the data, the
 * store). `runJobs` takes those it needs and closes the rest; `close` ends those not taken.
 */
export interface WarmWorkers {
  take(): ForkedWorker | undefined;
  close(): void;
}

/** Forks `count` workers now; `backend` (when known) is initialised in each while it waits. */
export function forkWorkers(count: number, options: { backend?: BackendChoice } = {}): WarmWorkers {
  const idle = Array.from({ length: count }, () => forkWorker(options.backend));
  return {
    take: () => idle.shift(),
    close() {
      for (const { child } of idle.splice(0)) {
        if (child.connected) child.send({ type: "exit" } satisfies PoolMessage);
        else child.kill("SIGKILL");
      }
    },
  };
}

/** The line of a dead worker's stderr that says why (Node prints the error after a code frame). */
export function causeOf(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.find((l) => /^(\w*Error\b|Error \[)/.test(l)) ?? lines.find((l) => /Error\b/.test(l)) ?? lines.at(-1);
}

async function runInProcess(jobs: RunJob[], options: PoolOptions): Promise<void> {
  const { signal } = options;
  for (const job of jobs) {
    if (signal?.aborted) return;
    await options.onStart(job);
    let seconds: number;
    try {
      await selectBackend({ force: job.backend });
      seconds = await executeRun(job, (record) => options.onRound(job, record), { signal });
    } catch (error) {
      if (signal?.aborted) return; // interrupted, not failed: the run stays resumable
      await options.onFailed(job, (error as Error).message);
      continue;
    }
    await options.onDone(job, seconds);
  }
}

export async function runJobs(jobs: RunJob[], options: PoolOptions): Promise<void> {
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  if (workers === 1) {
    // Warm workers would only hold memory while this process runs the jobs itself.
    options.warm?.close();
    return runInProcess(jobs, options);
  }

  const maxDeaths = options.maxDeaths ?? 3;
  const { signal } = options;
  const queue = [...jobs];
  const children = new Set<ChildProcess>();
  const onAbort = (): void => {
    for (const child of children) child.kill("SIGKILL");
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  return new Promise<void>((resolve, reject) => {
    let live = 0;
    let deaths = 0;
    let fatal: Error | undefined;
    const giveUp = (error: Error): void => {
      fatal ??= error;
    };
    const settle = (): void => {
      if (live > 0) return;
      if (signal?.aborted) resolve();
      else if (fatal) reject(fatal);
      else resolve();
    };
    const stopping = (): boolean => fatal !== undefined || signal?.aborted === true;

    const start = (): void => {
      live++;
      const worker = options.warm?.take() ?? forkWorker(jobs[0]!.backend);
      const { child } = worker;
      children.add(child);
      let ready = false;
      // A worker's stderr is held back until it is ready, so one that cannot start costs one line, not a trace.
      let early = "";
      const onStderr = (chunk: Buffer): void => {
        if (ready) process.stderr.write(chunk);
        else early += chunk.toString();
      };
      let current: RunJob | undefined;
      // The data sets and reference fits this worker holds, so it is handed runs that reuse them.
      const history = workerHistory();
      // Store writes for one worker stay in message order.
      let chain: Promise<void> = Promise.resolve();
      // Once stopped, queued store writes are dropped (the checkpoint covers them); only the
      // bookkeeping of exits still runs.
      const then = (fn: () => Promise<void>, always = false): void => {
        chain = chain.then(() => (always || !signal?.aborted ? fn() : undefined)).catch((error: Error) => {
          child.kill("SIGKILL");
          giveUp(error);
        });
      };
      const next = (): void =>
        then(async () => {
          current = undefined;
          const job = stopping() ? undefined : takeJob(queue, history);
          if (!job) {
            if (child.connected) child.send({ type: "exit" } satisfies PoolMessage);
            return;
          }
          current = job;
          await options.onStart(job);
          if (signal?.aborted) return;
          if (!child.connected) {
            // It died while the run was being begun: the run never started, so it waits for another worker.
            queue.unshift(job);
            current = undefined;
            return;
          }
          child.send({ type: "run", job } satisfies PoolMessage);
        });

      const onMessage = (message: WorkerMessage): void => {
        if (message.type === "ready") {
          ready = true;
          if (early) process.stderr.write(early);
          return next();
        }
        const job = current;
        if (!job || signal?.aborted) return;
        if (message.type === "round") then(() => options.onRound(job, message.record));
        else if (message.type === "done") {
          then(async () => {
            deaths = 0;
            await options.onDone(job, message.seconds);
          });
          next();
        } else {
          then(() => options.onFailed(job, message.error));
          next();
        }
      };
      const onError = (error: Error): void => {
        giveUp(error);
        if (child.pid === undefined) {
          // It never started, so no exit follows.
          children.delete(child);
          live--;
          settle();
        } else child.kill("SIGKILL");
      };
      const onExit = (code: number | null, signalName: NodeJS.Signals | null): void => {
        then(async () => {
          children.delete(child);
          const job = current;
          current = undefined;
          const how = signalName ?? `code ${code}`;
          if (!signal?.aborted) {
            const cleanExit = code === 0 && job === undefined && ready;
            if (!cleanExit) {
              deaths++;
              // The whole trace of a worker that could not start, for whoever asks (AL_DEBUG, like the CLI).
              if (!ready && early && process.env.AL_DEBUG) process.stderr.write(early);
              const cause = ready ? `exited (${how})` : `exited (${how}) before it was ready: ${causeOf(early) ?? "no message"}`;
              if (job) await options.onFailed(job, `worker process ${cause} during the run`);
              if (deaths >= maxDeaths) {
                giveUp(
                  new PoolError(
                    `${deaths} worker processes in a row died; the last ${cause}. ${queue.length} run(s) not started; \`al run\` starts them`,
                    queue.length,
                  ),
                );
              } else if (queue.length > 0 && !stopping()) {
                live--;
                start();
                return;
              }
            }
          }
          live--;
          settle();
        }, true);
      };
      worker.listen((event) => {
        if (event.kind === "message") onMessage(event.message);
        else if (event.kind === "stderr") onStderr(event.chunk);
        else if (event.kind === "error") onError(event.error);
        else onExit(event.code, event.signal);
      });
    };
    for (let i = 0; i < workers; i++) start();
    // Warm workers beyond the jobs would idle, holding memory, until the grid ends; one that
    // replaces a dead worker is forked fresh.
    options.warm?.close();
  }).finally(() => signal?.removeEventListener("abort", onAbort));
}
