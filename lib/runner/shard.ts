/**
 * Slurm-style shards (`al run --shard i/n --results <dir>`): shard i of n runs a fixed, disjoint
 * slice of the grid into its own store, `<dir>/shards/<i>-of-<n>.duckdb` (with its own
 * checkpoints, so a killed shard resumes like a local run), and writes each finished run as a
 * run folder `<dir>/runs/<run-id>/` (lib/store/run-folder.ts) that `al collect` ingests. No two
 * shards ever write one file: stores are per shard, run folders per run, temp names per process.
 */
import { join } from "node:path";
import { SpecError } from "../experiments/errors.ts";
import { runId } from "../experiments/id.ts";
import type { RunConfig } from "../experiments/spec.ts";
import { hasRunFolder, writeRunFolder } from "../store/run-folder.ts";
import type { RunExperimentOptions, RunOutput } from "./run-experiment.ts";

export interface Shard {
  /** 0-based: 0 ≤ index < count. */
  index: number;
  count: number;
}

/** Parses `i/n` (as Slurm's `$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT` gives it). */
export function parseShard(value: string, flag = "--shard"): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new SpecError(`${flag} ${value}: expected i/n with whole numbers, e.g. ${flag} 0/4 (shard 0 of 4)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new SpecError(`${flag} ${value}: the shard count must be at least 1`);
  if (index >= count) throw new SpecError(`${flag} ${value}: expected 0 ≤ i < ${count}; shards count from 0 (0/${count} … ${count - 1}/${count})`);
  return { index, count };
}

export function shardName(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The shard's own store inside the results folder; its checkpoints lie beside it. */
export function shardStorePath(results: string, shard: Shard): string {
  return join(results, "shards", `${shard.index}-of-${shard.count}.duckdb`);
}

/**
 * What decides a run's slice: its run id computed without the backend, library version and data
 * checksum, so every machine of a cluster (GPU nodes, CPU nodes, another copy of the data) puts
 * each grid cell in the same slice.
 */
export function shardKey(config: RunConfig): string {
  return runId(config, { checksum: "", version: "", backend: "" });
}

/**
 * The items of shard i of n: the distinct keys sorted, every n-th one from position i, so slices
 * are disjoint, cover the grid and differ in size by at most one.
 */
export function sliceOf<T>(items: readonly T[], key: (item: T) => string, shard: Shard): T[] {
  const keys = [...new Set(items.map(key))].sort();
  const mine = new Set(keys.filter((_, position) => position % shard.count === shard.index));
  return items.filter((item) => mine.has(key(item)));
}

/** A shard's output: the run folders in `<results>/runs/`. */
export function runFolders(results: string, writer: { shard?: Shard } = {}): RunOutput {
  const dir = join(results, "runs");
  return {
    has: (id) => hasRunFolder(dir, id),
    write: async (store, id) => {
      await writeRunFolder(store, id, dir, writer.shard === undefined ? {} : { shard: shardName(writer.shard) });
    },
  };
}

/**
 * What turns `runExperiment` into shard `shard` of a grid writing into `results`: the shard's own
 * store, its slice, its run folders; no analysis and no selection maps (both need the whole grid:
 * `al collect` computes them).
 */
export function shardRun(results: string, shard: Shard): Required<Pick<RunExperimentOptions, "db" | "slice" | "output" | "analyse" | "maps">> {
  return {
    db: shardStorePath(results, shard),
    slice: (jobs) => sliceOf(jobs, (job) => shardKey(job.config), shard),
    output: runFolders(results, { shard }),
    analyse: false,
    maps: false,
  };
}
