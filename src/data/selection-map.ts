/**
 * One experiment's selection maps, shaped for src/experiments/[experiment]/selections.md: each
 * distinct pool's map (lib/map/pool-map.ts: PCA and UMAP of a background sample plus every picked
 * point, class labels, thumbnails for image sets) and per run the pool points it acquired at each
 * round (round 0 = the initial set) as indices into the shown points.
 *
 * Each pool's map is the one `al run` stored when its grid finished (lib/map/stored-maps.ts)
 * while that is current; otherwise (a store written before maps were stored, runs added by a
 * killed `al run`) it is computed here from the data set, loaded with `loadDataset` as the runs'
 * workers read it. The store is only read.
 * Not a loader: experiments/[experiment]/selections.json.ts calls it.
 */
import type { Dataset } from "../../lib/data/dataset.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { pickedRows, poolMap, poolProblem, type PoolMapOptions, type PoolProjection } from "../../lib/map/pool-map.ts";
import { poolGroups, readPicks, readRunFields, readStoredMaps, storedMapFor, type PoolGroup, type StoredMap, type StoredRun } from "../../lib/map/stored-maps.ts";
import type { Store } from "../../lib/store/duckdb.ts";
import { GRID_AXIS_NAMES, gridAxisLabels, type AxisLabels, type GridAxis } from "../components/grid-axes.ts";

export { THUMBNAILS_PER_ROUND } from "../../lib/map/pool-map.ts";

/** One pool as the page draws it (lib/map/pool-map.ts PoolProjection less its checksum). Point k of the map is pool row `index[k]`. */
export interface PoolMap extends Omit<PoolProjection, "checksum"> {
  /** Position in `pools`; runs refer to it. */
  id: number;
  /** The data set's grid-axis label (what the page's data set picker shows). */
  label: string;
  /** Set when the data the map was drawn from differs from what the runs read (their stored checksum). */
  warning?: string;
}

export interface RunSelections {
  run_id: string;
  pool: number;
  axes: AxisLabels;
  sampler: string;
  mode: string;
  seed: number | null;
  status: string;
  /** rounds[r]: shown-point indices acquired at round r, in selection order (rank). Empty when the pool has no map. */
  rounds: number[][];
}

export interface SelectionMapData {
  experiment: string;
  /** Grid axes (besides sampler and seed) whose labels differ between the runs: each gets a picker. */
  varying: GridAxis[];
  pools: PoolMap[];
  runs: RunSelections[];
  /** Every pool of the experiment, one page each (links between them); see StoredSelections. */
  pages?: PoolPage[];
  /** This page's position in `pages` when the map is one pool's. */
  page?: number;
}

/** What selections.json ships: the map without the picks (selections.parquet ships those, src/data/selection-picks.ts). */
export interface SelectionPoolsData extends Omit<SelectionMapData, "runs"> {
  runs: Omit<RunSelections, "rounds">[];
}

/** The map less every run's picks. */
export function selectionPools(data: SelectionMapData): SelectionPoolsData {
  return { ...data, runs: data.runs.map(({ rounds: _rounds, ...run }) => run) };
}

/** One pool's page (selections-<k>.html, k its position in `pages`): its data set label and run count. */
export interface PoolPage {
  label: string;
  runs: number;
}

/** What the store says, before any data set is read. */
export interface StoredSelections {
  experiment: string;
  runs: (StoredRun & { axes: AxisLabels })[];
  /** Maps `al run` stored (lib/map/stored-maps.ts), by pool; used only while current. */
  maps?: ReadonlyMap<string, StoredMap>;
  /** Every pool of the experiment, one page each, in page order (first-seen by run id). */
  pages?: PoolPage[];
  /** Set when read for one pool's page: its position in `pages` (`runs` are that pool's only). */
  page?: number;
}

export interface SelectionMapOptions extends PoolMapOptions {
  /** Reads a run's data set; default lib/data/registry.ts `loadDataset`. */
  load?: (ref: RunConfig["dataset"]) => Promise<Dataset>;
  log?: (line: string) => void;
}

/**
 * Reads the experiment's active-learning runs, their selections and the maps `al run` stored;
 * with `pool`, only that pool's (its position in `pages`, the page selections-<pool>.html) runs,
 * picks and map, so each page reads and ships one pool. Grid-axis labels are those of all runs.
 */
export async function readSelections(store: Store, experiment: string, options: { pool?: number } = {}): Promise<StoredSelections> {
  const fields = await readRunFields(store, experiment);
  const labels = gridAxisLabels(fields.map((r) => r.config));
  const labelled = fields.map((r, i) => ({ ...r, axes: labels[i]! }));
  const groups = poolGroups(labelled);
  const pages = groups.map((g) => ({ label: g.runs[0]!.axes.dataset, runs: g.runs.length }));
  if (options.pool === undefined) {
    const picks = await readPicks(store, experiment);
    return { experiment, runs: labelled.map((r) => ({ ...r, rounds: picks.get(r.run_id) ?? [] })), maps: await readStoredMaps(store, experiment), pages };
  }
  const group = groups[options.pool];
  if (group === undefined) return { experiment, runs: [], maps: new Map(), pages, page: options.pool };
  const picks = await readPicks(store, experiment, group.runs.map((r) => r.run_id));
  return {
    experiment,
    runs: group.runs.map((r) => ({ ...r, rounds: picks.get(r.run_id) ?? [] })),
    maps: await readStoredMaps(store, experiment, group.pool),
    pages,
    page: options.pool,
  };
}

/**
 * Each distinct pool's map (the stored one while current, else loaded and projected here) with
 * every run's selections mapped onto its points.
 */
export async function buildSelectionMap(stored: StoredSelections, options: SelectionMapOptions = {}): Promise<SelectionMapData> {
  const load = options.load ?? defaultLoad;
  const log = options.log ?? (() => {});
  const varying = GRID_AXIS_NAMES.filter((a) => new Set(stored.runs.map((r) => r.axes[a])).size > 1);
  const pools: PoolMap[] = [];
  const runs: RunSelections[] = [];
  for (const group of poolGroups(stored.runs)) {
    const id = pools.length;
    const members = group.runs;
    const base = { id, label: members[0]!.axes.dataset };
    let pool: PoolMap;
    try {
      const started = performance.now();
      const { map, from } = await projectionOf(group, stored.maps, load, options);
      const { checksum, ...shown } = map;
      pool = { ...base, ...shown };
      const checksums = new Set(members.map((r) => r.data_checksum).filter((c): c is string => c !== null));
      if (!pool.problem && [...checksums].some((c) => c !== checksum)) {
        pool.warning = "the data set the map was drawn from differs from what some of these runs read (stored checksum): the map may not show their pool";
      }
      const umap = pool.umap_x ? ", PCA and UMAP" : pool.problem ? "" : ", PCA only";
      log(`selection map ${stored.experiment} / ${base.label}: ${pool.index.length} points of ${pool.size}${umap}, ${from} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      pool = { ...base, size: 0, classes: [], index: [], x: [], y: [], label_index: [], background: 0, explained: [0, 0], problem: `the data set could not be read here: ${error instanceof Error ? error.message : String(error)}` };
    }
    pools.push(pool);
    const position = new Map(pool.index.map((row, k) => [row, k]));
    for (const run of members) {
      runs.push({
        run_id: run.run_id,
        pool: id,
        axes: run.axes,
        sampler: run.sampler,
        mode: run.mode,
        seed: run.seed,
        status: run.status,
        rounds: pool.problem ? [] : run.rounds.map((round) => round.map((i) => position.get(i)!)),
      });
    }
  }
  return { experiment: stored.experiment, varying, pools, runs, ...(stored.pages ? { pages: stored.pages } : {}), ...(stored.page !== undefined ? { page: stored.page } : {}) };
}

const defaultLoad = async (ref: RunConfig["dataset"]): Promise<Dataset> => (await import("../../lib/data/registry.ts")).loadDataset(ref);

/** The group's map: the stored one while current, else computed from its data set now. */
async function projectionOf(
  group: PoolGroup,
  maps: StoredSelections["maps"],
  load: (ref: RunConfig["dataset"]) => Promise<Dataset>,
  options: PoolMapOptions,
): Promise<{ map: PoolProjection; from: string }> {
  const kept = maps === undefined ? undefined : storedMapFor(group, maps, options);
  if (kept !== undefined) return { map: kept, from: "stored by al run" };
  if (group.ref === undefined) throw new Error("the run config names no data set");
  const reason = maps?.has(group.pool) ? "the stored map predates runs or map code in the store" : "no stored map";
  return { map: poolMap(await load(group.ref), group.runs, options), from: `computed now (${reason})` };
}

/**
 * The runs whose pool gets a map in buildSelectionMap (its map is stored or its data set loads,
 * and its runs' picks fit it), found without projecting anything: selections.parquet ships picks
 * for these runs only (a pool without a map has no points to put picks on).
 */
export async function mappedRuns(stored: StoredSelections, options: Pick<SelectionMapOptions, "load"> & PoolMapOptions = {}): Promise<Set<string>> {
  const load = options.load ?? defaultLoad;
  const out = new Set<string>();
  for (const group of poolGroups(stored.runs)) {
    const kept = stored.maps === undefined ? undefined : storedMapFor(group, stored.maps, options);
    if (kept !== undefined) {
      if (kept.problem === undefined) for (const run of group.runs) out.add(run.run_id);
      continue;
    }
    if (group.ref === undefined) continue;
    try {
      if (poolProblem(await load(group.ref), pickedRows(group.runs)) !== undefined) continue;
    } catch {
      continue; // buildSelectionMap reports why on the page
    }
    for (const run of group.runs) out.add(run.run_id);
  }
  return out;
}
