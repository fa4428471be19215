/**
 * Selection maps kept in the store. Projecting a pool (PCA, then UMAP) takes seconds per image
 * pool, too long to redo at every site build, so `al run` computes each pool's map when a grid
 * finishes (saveSelectionMaps) and the site's loaders read it back (readStoredMaps, storedMapFor).
 * A stored map is used only while its key matches the store: the key hashes the map code's
 * version, the options and every run's picks, so a run added or re-run since, or a newer map
 * code, makes the reader compute the map itself instead of showing a stale one.
 *
 * A run's pool is decided by its data set reference alone (`config.dataset`: name, options, split
 * seed, row limits): the split uses the set's own seed, never the run's, so runs that differ only
 * in sampler, mode, seed, learner, … share one pool.
 */
import { createHash } from "node:crypto";
import type { Dataset } from "../data/dataset.ts";
import { canonicalJson } from "../experiments/id.ts";
import type { RunConfig } from "../experiments/spec.ts";
import type { Store } from "../store/duckdb.ts";
import { parseStoredJson } from "../store/stored-json.ts";
import { poolMap, poolMapOptions, type PoolMapOptions, type PoolProjection } from "./pool-map.ts";

/**
 * Version of what a map is computed from and how: bump it whenever pool-map.ts, projection.ts
 * or umap.ts would draw a stored map differently, so stores made before are recomputed.
 */
export const MAP_VERSION = 1;

/** An active-learning run of the experiment with its picks, as the store holds it. */
export interface StoredRun {
  run_id: string;
  config: unknown;
  sampler: string;
  mode: string;
  seed: number | null;
  status: string;
  data_checksum: string | null;
  /** Per round (0 = the initial set), pool rows in rank order. */
  rounds: number[][];
}

/** Runs that share one pool. */
export interface PoolGroup {
  /** Canonical JSON of the runs' data set reference (the stored map's `pool`). */
  pool: string;
  /** The data set reference itself; undefined when the config names none. */
  ref: RunConfig["dataset"] | undefined;
  runs: StoredRun[];
}

/** What selection_maps holds for one pool of an experiment. */
export interface StoredMap {
  key: string;
  map: PoolProjection;
}

/** The experiment's active-learning runs, without their picks (baselines have no rounds to map). */
export async function readRunFields(store: Store, experiment: string): Promise<Omit<StoredRun, "rounds">[]> {
  const runs = await store.query(
    `SELECT r.run_id, r.config, r.sampler, r.mode, r.seed, r.status, r.data_checksum
       FROM experiment_runs er JOIN runs r USING (run_id)
      WHERE er.experiment = ? AND json_extract(r.config, '$.baseline') IS NULL
      ORDER BY r.run_id`,
    [experiment],
  );
  return runs.map((r) => ({
    run_id: String(r.run_id),
    config: parseStoredJson(r.config),
    sampler: r.sampler === null ? "—" : String(r.sampler),
    mode: r.mode === null ? "—" : String(r.mode),
    seed: r.seed === null ? null : Number(r.seed),
    status: r.status === null ? "—" : String(r.status),
    data_checksum: r.data_checksum === null ? null : String(r.data_checksum),
  }));
}

/** Per run id, per round (0 = the initial set), the pool rows picked in rank order; only `runIds` when given. */
export async function readPicks(store: Store, experiment: string, runIds?: readonly string[]): Promise<Map<string, number[][]>> {
  const only = runIds === undefined ? "" : " AND s.run_id IN (SELECT unnest(from_json(?, '[\"VARCHAR\"]')))";
  const picks = await store.query(
    `SELECT s.run_id, s.round, s.pool_index FROM selections s JOIN experiment_runs er USING (run_id)
      WHERE er.experiment = ?${only} ORDER BY s.run_id, s.round, s.rank, s.pool_index`,
    runIds === undefined ? [experiment] : [experiment, JSON.stringify(runIds)],
  );
  const byRun = new Map<string, number[][]>();
  for (const p of picks) {
    const round = Number(p.round);
    const index = Number(p.pool_index);
    if (!Number.isInteger(round) || !Number.isInteger(index) || round < 0) continue;
    const id = String(p.run_id);
    const rounds = byRun.get(id) ?? [];
    while (rounds.length <= round) rounds.push([]);
    rounds[round]!.push(index);
    byRun.set(id, rounds);
  }
  return byRun;
}

/** The experiment's active-learning runs and their picks. */
export async function readStoredRuns(store: Store, experiment: string): Promise<StoredRun[]> {
  const runs = await readRunFields(store, experiment);
  const picks = await readPicks(store, experiment);
  return runs.map((r) => ({ ...r, rounds: picks.get(r.run_id) ?? [] }));
}

/** Runs grouped by their data set reference (one pool each), in first-seen order. */
export function poolGroups<R extends Omit<StoredRun, "rounds">>(runs: readonly R[]): { pool: string; ref: RunConfig["dataset"] | undefined; runs: R[] }[] {
  const groups = new Map<string, { pool: string; ref: RunConfig["dataset"] | undefined; runs: R[] }>();
  for (const run of runs) {
    const ref = isRecord(run.config) ? (run.config.dataset as RunConfig["dataset"] | undefined) : undefined;
    const pool = canonicalJson(ref ?? null);
    const group = groups.get(pool) ?? { pool, ref, runs: [] };
    group.runs.push(run);
    groups.set(pool, group);
  }
  return [...groups.values()];
}

/** What a pool's map depends on, hashed: map code version, options, data set reference and every run's id, data checksum and picks. */
export function poolMapKey(group: PoolGroup, options: PoolMapOptions = {}): string {
  const hash = createHash("sha256");
  hash.update(canonicalJson({ version: MAP_VERSION, options: poolMapOptions(options), pool: group.pool }));
  for (const run of group.runs) hash.update(`\n${run.run_id} ${run.data_checksum ?? ""} ${JSON.stringify(run.rounds)}`);
  return hash.digest("hex");
}

/** The experiment's stored maps by pool, or only `pool`'s (keys not checked: see storedMapFor). */
export async function readStoredMaps(store: Store, experiment: string, pool?: string): Promise<Map<string, StoredMap>> {
  const out = new Map<string, StoredMap>();
  // A store of schema 6 opened read-only has no selection_maps table: no maps stored.
  if ((await store.query("SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'selection_maps'")).length === 0) return out;
  const rows = await store.query(
    `SELECT pool, key, map FROM selection_maps WHERE experiment = ?${pool === undefined ? "" : " AND pool = ?"}`,
    pool === undefined ? [experiment] : [experiment, pool],
  );
  for (const row of rows) {
    const map = parseStoredJson(row.map);
    if (isRecord(map)) out.set(String(row.pool), { key: String(row.key), map: map as unknown as PoolProjection });
  }
  return out;
}

/** The stored map of `group` when it is current (its key matches what the store holds now), else undefined. */
export function storedMapFor(group: PoolGroup, stored: ReadonlyMap<string, StoredMap>, options: PoolMapOptions = {}): PoolProjection | undefined {
  const found = stored.get(group.pool);
  return found !== undefined && found.key === poolMapKey(group, options) ? found.map : undefined;
}

export interface SaveMapsOptions extends PoolMapOptions {
  /** Reads a pool's data set; default lib/data/registry.ts `loadDataset` (what the runs read with). */
  load?: (ref: RunConfig["dataset"]) => Promise<Dataset>;
  log?: (line: string) => void;
}

/**
 * Computes and stores the map of each of the experiment's pools whose stored map is missing or
 * stale; current ones are kept, so a second call does nothing. A pool whose data set does not
 * load gets no row (a reader says why); one the map cannot be drawn for stores its `problem`.
 * Returns how many maps it computed.
 */
export async function saveSelectionMaps(store: Store, experiment: string, options: SaveMapsOptions = {}): Promise<number> {
  const load = options.load ?? (async (ref: RunConfig["dataset"]) => (await import("../data/registry.ts")).loadDataset(ref));
  const log = options.log ?? (() => {});
  const groups = poolGroups(await readStoredRuns(store, experiment));
  const stored = await readStoredMaps(store, experiment);
  const fresh = [];
  for (const group of groups) {
    if (group.ref === undefined || storedMapFor(group, stored, options) !== undefined) continue;
    const started = performance.now();
    let dataset: Dataset;
    try {
      dataset = await load(group.ref);
    } catch (error) {
      log(`selection map of ${group.ref.name}: not stored, the data set did not load (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const map = poolMap(dataset, group.runs, options);
    const seconds = (performance.now() - started) / 1000;
    fresh.push({ pool: group.pool, key: poolMapKey(group, options), map, seconds });
    const what = map.problem ? `none (${map.problem})` : `${map.index.length} points${map.umap_x ? ", PCA and UMAP" : ", PCA only"}`;
    log(`selection map of ${group.ref.name}: ${what}, ${seconds.toFixed(1)} s`);
  }
  await store.saveSelectionMaps(experiment, groups.map((g) => g.pool), fresh);
  return fresh.length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
