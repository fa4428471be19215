import { SpecError } from "../experiments/errors.ts";
import { defaultDb } from "../runner/default-db.ts";
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
  --json             print a JSON summary on stdout
  -h, --help         this help`;

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
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(runHelp + "\n");
    return 0;
  }
  if (positionals.length !== 1) throw new SpecError(`expected one experiment file, got ${positionals.length} (see al run --help)`);
  if (values.shard !== undefined && values.results === undefined) {
    throw new SpecError("--shard needs --results <dir>: where the shard keeps its store and writes its finished runs");
  }
  if (values.results !== undefined && values.shard === undefined) {
    throw new SpecError("--results is where shards write; add --shard i/n, or drop --results to run into the store (--db)");
  }
  if (values.shard !== undefined && values.db !== undefined) {
    throw new SpecError("--db: a shard keeps its own store in --results; drop --db (al collect --db <store> fills a store)");
  }
  const { parseShard, shardName, shardRun } = await import("../runner/shard.ts");
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  // tfjs, the registries and the runner load only now, so `al run --help` stays instant.
  const [{ parseBackendChoice }, { parseOnly }, { progressBar }, { RunInterrupted, runExperiment }] = await Promise.all([
    import("../backend/select.ts"),
    import("../experiments/grid.ts"),
    import("./progress-bar.ts"),
    import("../runner/run-experiment.ts"),
  ]);
  let summary: RunSummary;
  try {
    summary = await runExperiment({
      file: positionals[0]!,
      db: values.db,
      profile: values.profile,
      backend: values.backend === undefined ? undefined : parseBackendChoice(values.backend, "--backend"),
      workers: positiveInt(values.workers, "--workers"),
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
