import { availableParallelism } from "node:os";
import type { BackendChoice } from "../backend/select.ts";
import { SpecError } from "../experiments/errors.ts";
import { defaultDb } from "../runner/default-db.ts";
import type { WarmWorkers } from "../runner/pool.ts";
import type { RunSummary } from "../runner/run-experiment.ts";
import { parse, positiveInt } from "./args.ts";

export const runHelp = `usage: al run <experiment.ts> [options]

Runs every run of the experiment's grid that the store does not already hold.

options:
  --profile <name>   apply a profile defined by the experiment (e.g. ci)
  --db <path>        DuckDB store (default ${defaultDb})
  --backend <b>      node-gpu | node | wasm | cpu (default: first that loads; env AL_BACKEND)
  --workers <n>      worker processes (default: one per core)
  --only <k=v>       only grid cells with key k = v (repeatable; v may be a,b,c); keys:
                     dataset learner sampler mode seed initial acquisition rounds budget epochs period
  --no-maps          do not store the selection maps (each pool's PCA/UMAP) when the grid
                     finishes; a site build then computes them itself
  --shard <i/n>      run only shard i of n (0 ≤ i < n) of the grid, e.g. a Slurm array task:
                     --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT; needs --results
  --results <dir>    where a shard keeps its own store (<dir>/shards/) and writes each finished
                     run (<dir>/runs/<run-id>/); al collect --results <dir> gathers them
  --queue <url>      enqueue the runs not done yet on a Redis server (redis://host:port[/db])
                     for al worker processes to run, instead of running them here; shows their
                     progress until the grid finishes
  --detach           with --queue: return once the runs are enqueued
  --attempts <n>     with --queue: tries per run before it is marked failed (default 3)
  --json             print a JSON summary on stdout
  -h, --help         this help`;

/** The flags a local run reads (the queue's are checked apart). */
interface RunValues {
  db?: string;
  profile?: string;
  only?: string[];
  "no-maps"?: boolean;
  shard?: string;
  results?: string;
  json?: boolean;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parse("run", args, {
    profile: { type: "string" },
    db: { type: "string" },
    backend: { type: "string" },
    workers: { type: "string" },
    only: { type: "string", multiple: true },
    "no-maps": { type: "boolean" },
    shard: { type: "string" },
    results: { type: "string" },
    queue: { type: "string" },
    detach: { type: "boolean" },
    attempts: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(runHelp + "\n");
    return 0;
  }
  if (positionals.length !== 1) throw new SpecError(`expected one experiment file, got ${positionals.length} (see al run --help)`);
  if (values.queue !== undefined) return enqueue(positionals[0]!, values);
  if (values.detach || values.attempts !== undefined) throw new SpecError(`--${values.detach ? "detach" : "attempts"} goes with --queue <url> (see al run --help)`);
  if (values.shard !== undefined && values.results === undefined) {
    throw new SpecError("--shard needs --results <dir>: where the shard keeps its store and writes its finished runs");
  }
  if (values.results !== undefined && values.shard === undefined) {
    throw new SpecError("--results is where shards write; add --shard i/n, or drop --results to run into the store (--db)");
  }
  if (values.shard !== undefined && values.db !== undefined) {
    throw new SpecError("--db: a shard keeps its own store in --results; drop --db (al collect --db <store> fills a store)");
  }
  // Fork the pool's workers before loading the runner: their start-up then overlaps ours (tfjs,
  // DuckDB, the experiment file, the data); those the grid does not need are ended below.
  const workers = positiveInt(values.workers, "--workers") ?? availableParallelism();
  const backendFlag = values.backend === undefined ? undefined : (await import("../backend/select.ts")).parseBackendChoice(values.backend, "--backend");
  const warm = workers > 1 ? (await import("../runner/pool.ts")).forkWorkers(workers, backendFlag === undefined ? {} : { backend: backendFlag }) : undefined;
  try {
    return await runLocal(positionals[0]!, values, workers, backendFlag, warm);
  } finally {
    warm?.close();
  }
}

async function runLocal(file: string, values: RunValues, workers: number, backend: BackendChoice | undefined, warm: WarmWorkers | undefined): Promise<number> {
  const { parseShard, shardName, shardRun } = await import("../runner/shard.ts");
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  // tfjs, the registries and the runner load only now, so `al run --help` stays instant.
  const [{ parseOnly }, { progressBar }, { RunInterrupted, runExperiment }] = await Promise.all([
    import("../experiments/grid.ts"),
    import("./progress-bar.ts"),
    import("../runner/run-experiment.ts"),
  ]);
  let summary: RunSummary;
  try {
    summary = await runExperiment({
      file,
      db: values.db,
      profile: values.profile,
      backend,
      workers,
      ...(warm ? { warm } : {}),
      only: parseOnly(values.only ?? []),
      maps: values["no-maps"] !== true,
      ...(shard === undefined ? {} : shardRun(values.results!, shard)),
      // A live bar on a terminal; plain lines when stderr is a file or pipe (CI, logs).
      ...(process.stderr.isTTY ? { progress: progressBar() } : {}),
    });
  } catch (error) {
    if (!(error instanceof RunInterrupted)) throw error;
    process.stderr.write(`al run: ${error.message}\n`);
    return error.exitCode;
  }
  if (values.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
  else {
    process.stderr.write(
      `${summary.experiment}: ${summary.done} done, ${summary.reused} reused, ${summary.failed} failed in ${summary.seconds.toFixed(1)} s → ${
        shard === undefined ? (values.db ?? defaultDb) : `${values.results} (shard ${shardName(shard)}; al collect --results ${values.results} gathers the shards)`
      }\n`,
    );
  }
  // One line per failed run, last, where a reader of the log looks first.
  for (const f of summary.failures) {
    process.stderr.write(`failed: ${f.label} (${f.runId}): ${f.error.split("\n")[0]}\n`);
  }
  return summary.failed > 0 ? 1 : 0;
}

/** `al run <file> --queue <url>`: enqueue the grid, then follow it (unless --detach). */
async function enqueue(
  file: string,
  values: { queue?: string; detach?: boolean; attempts?: string; db?: string; shard?: string; results?: string; workers?: string; "no-maps"?: boolean; profile?: string; backend?: string; only?: string[]; json?: boolean },
): Promise<number> {
  for (const flag of ["db", "shard", "results", "workers", "no-maps"] as const) {
    if (values[flag] !== undefined) throw new SpecError(`--${flag} does not go with --queue: workers run the grid (al worker --results <dir>), and al collect fills a store`);
  }
  const [{ parseRedisUrl }, { parseBackendChoice }, { parseOnly }, { progressBar }, { plainProgress }] = await Promise.all([
    import("../queue/redis-url.ts"),
    import("../backend/select.ts"),
    import("../experiments/grid.ts"),
    import("./progress-bar.ts"),
    import("../runner/progress.ts"),
  ]);
  const target = parseRedisUrl(values.queue!);
  const attempts = positiveInt(values.attempts, "--attempts");
  // Before tfjs and the data load: an unreachable server is said at once.
  await (await import("../queue/connection.ts")).checkRedis(target);
  const { enqueueExperiment } = await import("../queue/enqueue.ts");
  const started = performance.now();
  const queued = await enqueueExperiment({
    file,
    queue: target,
    profile: values.profile,
    backend: values.backend === undefined ? undefined : parseBackendChoice(values.backend, "--backend"),
    only: parseOnly(values.only ?? []),
    ...(attempts !== undefined ? { attempts } : {}),
  });
  const line = `${queued.experiment}: ${queued.jobs.length} runs on ${queued.backend}, ${queued.added.length} enqueued, ${queued.existing.length} already in the queue (${target.url})`;
  if (values.detach) {
    process.stderr.write(`${line}; al status --queue ${target.url} follows them\n`);
    if (values.json) process.stdout.write(JSON.stringify(queued, null, 2) + "\n");
    return 0;
  }
  process.stderr.write(`${line}; following them (Ctrl-C stops following, the workers carry on)\n`);
  // Plain lines count runs as [k/total]; their opening line (runs stored, workers) is the local
  // run's, so it is dropped: the line above says what the queue holds.
  let opening = true;
  const progress = process.stderr.isTTY ? progressBar() : plainProgress((l) => (opening ? (opening = false) : process.stderr.write(l + "\n")));
  progress.start({ experiment: queued.experiment, total: queued.jobs.length, pending: queued.jobs.length, workers: 1, backend: queued.backend });
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const { watchGrid } = await import("../queue/watch-grid.ts");
  let summary;
  try {
    summary = await watchGrid(target, queued.jobs, { progress, signal: stop.signal });
  } finally {
    progress.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const seconds = (performance.now() - started) / 1000;
  if (stop.signal.aborted) {
    process.stderr.write(`al run: stopped following; ${summary.done} done, ${summary.failed} failed so far; the runs stay queued (al status --queue ${target.url})\n`);
    return 130;
  }
  if (values.json) process.stdout.write(JSON.stringify({ ...queued, ...summary, seconds }, null, 2) + "\n");
  process.stderr.write(`${queued.experiment}: ${summary.done} done, ${summary.failed} failed in ${seconds.toFixed(1)} s; al collect --results <dir> gathers them\n`);
  for (const f of summary.failures) process.stderr.write(`failed: ${f.label} (${f.runId}): ${f.error.split("\n")[0]}\n`);
  return summary.failed > 0 ? 1 : 0;
}
