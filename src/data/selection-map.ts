/**
 * One experiment's selection maps, shaped for src/experiments/[experiment]/selections.md: each
 * distinct pool projected once to 2-D by PCA (src/data/projection.ts) and by UMAP
 * (src/data/umap.ts), with its class labels, and per
 * run the pool points it acquired at each round (round 0 = the initial set) as indices into the
 * shown points; for image sets, small pixel thumbnails of each round's first batch points.
 *
 * A run's pool is decided by its data set reference alone (`config.dataset`: name, options,
 * split seed, row limits): the split uses the set's own seed, never the run's, so runs that differ
 * only in sampler, mode, seed, learner, … share one pool. Pools are loaded with `loadDataset`,
 * the function every run's worker reads its data with, and the store is only read.
 * Not a loader: experiments/[experiment]/selections.json.ts calls it.
 */
import type { Dataset } from "../../lib/data/dataset.ts";
import { resizeImage } from "../../lib/data/image/resize.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { Store } from "../../lib/store/duckdb.ts";
import { GRID_AXIS_NAMES, gridAxisLabels, type AxisLabels, type GridAxis } from "../components/grid-axes.ts";
import { covariance, pca2, pcaBasis, project, projectBasis, roundCoordinates, sampleIndices, standardise, type Covariance } from "./projection.ts";
import { num, parseStoredJson, text } from "./store-access.ts";
import { UMAP_EPOCHS, UMAP_MIN_POINTS, umap2 } from "./umap.ts";

/** Thumbnails per run and round by default (a batch's first by rank); selection-picks.ts keeps that many in rank order. */
export const THUMBNAILS_PER_ROUND = 16;

/** PCA components UMAP runs on. */
const UMAP_INPUT_COMPONENTS = 50;

/** One pool as the page draws it. Point k of the map is pool row `index[k]`. */
export interface PoolMap {
  /** Position in `pools`; runs refer to it. */
  id: number;
  /** The data set's grid-axis label (what the page's data set picker shows). */
  label: string;
  /** Rows in the pool. */
  size: number;
  classes: string[];
  /** Pool row of each shown point, ascending. */
  index: number[];
  /** 2-D coordinates (PCA over the background sample; tabular columns z-scored first) and class of each shown point. */
  x: number[];
  y: number[];
  label_index: number[];
  /** How many shown points are the background sample (the rest are selected points outside it). */
  background: number;
  /** Share of the pool's variance along each axis. */
  explained: [number, number];
  /**
   * UMAP coordinates of each shown point (src/data/umap.ts, on the first up to 50 PCA components
   * of the same features as the PCA); absent when `umap_note` says why.
   */
  umap_x?: number[];
  umap_y?: number[];
  /** Why this pool has no UMAP (too many points, too few, …). */
  umap_note?: string;
  /** Image sets: uint8 pixels (base64, row-major HWC) of the points shown as thumbnails, by shown index. */
  thumbnails?: { height: number; width: number; channels: number; downsampled: boolean; pixels: Record<string, string> };
  /** Set when there is no map: why (the data set did not load, token ids, …). */
  problem?: string;
  /** Set when the data read now differs from what the runs read (their stored checksum). */
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
}

/** What selections.json ships: the map without the picks (selections.parquet ships those, src/data/selection-picks.ts). */
export interface SelectionPoolsData extends Omit<SelectionMapData, "runs"> {
  runs: Omit<RunSelections, "rounds">[];
}

/** The map less every run's picks. */
export function selectionPools(data: SelectionMapData): SelectionPoolsData {
  return { ...data, runs: data.runs.map(({ rounds: _rounds, ...run }) => run) };
}

/** What the store says, before any data set is read. */
export interface StoredSelections {
  experiment: string;
  runs: {
    run_id: string;
    config: unknown;
    axes: AxisLabels;
    sampler: string;
    mode: string;
    seed: number | null;
    status: string;
    data_checksum: string | null;
    /** Per round, pool indices in rank order. */
    rounds: number[][];
  }[];
}

export interface SelectionMapOptions {
  /** Reads a run's data set; default lib/data/registry.ts `loadDataset`. */
  load?: (ref: RunConfig["dataset"]) => Promise<Dataset>;
  /** Background points per pool (a fixed sample when the pool is larger); default 3,000. */
  maxBackground?: number;
  /**
   * Most shown points a UMAP is computed for; default 10,000. Above, the pool gets no UMAP (and a
   * note), not a UMAP of a subsample: a subsample would drop some picked points from the map.
   */
  umapMaxPoints?: number;
  /** UMAP optimisation epochs; default src/data/umap.ts UMAP_EPOCHS. */
  umapEpochs?: number;
  /** Thumbnails per run and round (the batch's first by rank); default 16. */
  thumbnailsPerRound?: number;
  /** Raw pixel bytes allowed for all thumbnails of one pool; larger sets are downsampled. Default 900,000. */
  thumbnailBytes?: number;
  log?: (line: string) => void;
}

/** Reads the experiment's active-learning runs and their selections (baselines have no rounds to map). */
export async function readSelections(store: Store, experiment: string): Promise<StoredSelections> {
  const runs = await store.query(
    `SELECT r.run_id, r.config, r.sampler, r.mode, r.seed, r.status, r.data_checksum
       FROM experiment_runs er JOIN runs r USING (run_id)
      WHERE er.experiment = ? AND json_extract(r.config, '$.baseline') IS NULL
      ORDER BY r.run_id`,
    [experiment],
  );
  const picks = await store.query(
    `SELECT s.run_id, s.round, s.pool_index FROM selections s JOIN experiment_runs er USING (run_id)
      WHERE er.experiment = ? ORDER BY s.run_id, s.round, s.rank, s.pool_index`,
    [experiment],
  );
  const byRun = new Map<string, number[][]>();
  for (const p of picks) {
    const id = String(p.run_id);
    const round = num(p.round);
    const index = num(p.pool_index);
    if (round === null || index === null || round < 0) continue;
    const rounds = byRun.get(id) ?? [];
    while (rounds.length <= round) rounds.push([]);
    rounds[round]!.push(index);
    byRun.set(id, rounds);
  }
  const configs = runs.map((r) => parseStoredJson(r.config));
  const labels = gridAxisLabels(configs);
  return {
    experiment,
    runs: runs.map((r, i) => ({
      run_id: String(r.run_id),
      config: configs[i],
      axes: labels[i]!,
      sampler: text(r.sampler) ?? "—",
      mode: text(r.mode) ?? "—",
      seed: num(r.seed),
      status: text(r.status) ?? "—",
      data_checksum: text(r.data_checksum),
      rounds: byRun.get(String(r.run_id)) ?? [],
    })),
  };
}

/** Loads each distinct pool once, projects it and maps every run's selections onto its points. */
export async function buildSelectionMap(stored: StoredSelections, options: SelectionMapOptions = {}): Promise<SelectionMapData> {
  const load = options.load ?? defaultLoad;
  const maxBackground = options.maxBackground ?? 3000;
  const perRound = options.thumbnailsPerRound ?? THUMBNAILS_PER_ROUND;
  const log = options.log ?? (() => {});
  const varying = GRID_AXIS_NAMES.filter((a) => new Set(stored.runs.map((r) => r.axes[a])).size > 1);

  const pools: PoolMap[] = [];
  const runs: RunSelections[] = [];
  for (const members of poolGroups(stored)) {
    const id = pools.length;
    const first = members[0]!;
    const ref = isRecord(first.config) ? first.config.dataset : undefined;
    const selected = new Set<number>();
    for (const run of members) for (const round of run.rounds) for (const i of round) selected.add(i);
    const base: PoolMap = { id, label: first.axes.dataset, size: 0, classes: [], index: [], x: [], y: [], label_index: [], background: 0, explained: [0, 0] };
    let pool: PoolMap;
    try {
      if (ref === undefined) throw new Error("the run config names no data set");
      const started = performance.now();
      const dataset = await load(ref as RunConfig["dataset"]);
      pool = mapPool(base, dataset, selected, members, {
        maxBackground,
        perRound,
        thumbnailBytes: options.thumbnailBytes ?? 900_000,
        umapMaxPoints: options.umapMaxPoints ?? 10_000,
        umapEpochs: options.umapEpochs ?? UMAP_EPOCHS,
      });
      const umap = pool.umap_x ? ", PCA and UMAP" : pool.problem ? "" : ", PCA only";
      log(`selection map ${stored.experiment} / ${base.label}: ${pool.index.length} points of ${pool.size}${umap} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      pool = { ...base, problem: `the data set could not be read here: ${error instanceof Error ? error.message : String(error)}` };
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
  return { experiment: stored.experiment, varying, pools, runs };
}

const defaultLoad = async (ref: RunConfig["dataset"]): Promise<Dataset> => (await import("../../lib/data/registry.ts")).loadDataset(ref);

/** Runs grouped by their data set reference (one pool each), in first-seen order. */
function poolGroups(stored: StoredSelections): StoredSelections["runs"][] {
  const groups = new Map<string, StoredSelections["runs"]>();
  for (const run of stored.runs) {
    const key = canonical(isRecord(run.config) ? run.config.dataset : undefined);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()];
}

/** Why the pool read as `dataset` gets no map (given the rows its runs picked); undefined when it gets one. */
function poolProblem(dataset: Dataset, selected: Set<number>): string | undefined {
  const n = dataset.pool.x.n;
  const outside = [...selected].filter((i) => !(i >= 0 && i < n));
  if (outside.length > 0) return `the runs selected pool rows up to ${Math.max(...outside)}, but the data set read here has ${n} pool rows (it changed since they ran)`;
  // Token ids are positions in a vocabulary, not coordinates: a projection of them means nothing.
  if (dataset.kind === "text" && dataset.features === undefined) return "this data set's rows are token ids (no feature vectors), so a projection of them would mean nothing";
  return undefined;
}

/**
 * The runs whose pool gets a map in buildSelectionMap (it loads and its runs' picks fit it), found
 * the same way without projecting anything: selections.parquet ships picks for these runs only,
 * as selections.json did (a pool without a map has no points to put picks on).
 */
export async function mappedRuns(stored: StoredSelections, options: Pick<SelectionMapOptions, "load"> = {}): Promise<Set<string>> {
  const load = options.load ?? defaultLoad;
  const out = new Set<string>();
  for (const members of poolGroups(stored)) {
    const first = members[0]!;
    const ref = isRecord(first.config) ? first.config.dataset : undefined;
    if (ref === undefined) continue;
    const selected = new Set<number>();
    for (const run of members) for (const round of run.rounds) for (const i of round) selected.add(i);
    try {
      if (poolProblem(await load(ref as RunConfig["dataset"]), selected) !== undefined) continue;
    } catch {
      continue; // buildSelectionMap reports why on the page
    }
    for (const run of members) out.add(run.run_id);
  }
  return out;
}

function mapPool(
  base: PoolMap,
  dataset: Dataset,
  selected: Set<number>,
  members: StoredSelections["runs"],
  options: { maxBackground: number; perRound: number; thumbnailBytes: number; umapMaxPoints: number; umapEpochs: number },
): PoolMap {
  const { x, y } = dataset.pool;
  const out: PoolMap = { ...base, size: x.n, classes: [...dataset.classes] };
  const problem = poolProblem(dataset, selected);
  if (problem !== undefined) return { ...out, problem };
  const sample = sampleIndices(x.n, options.maxBackground);
  const inSample = new Set(sample);
  const extra = [...selected].filter((i) => !inSample.has(i));
  const shown = Int32Array.from([...sample, ...extra]).sort();
  // Tabular columns come in their own units (age in years beside glucose in mg/dL): unscaled,
  // the column with the largest range would be the first component by itself. Image pixels and
  // TF-IDF weights share one scale, and synthetic sets (blobs) are coordinates in one plane, so
  // there the raw geometry is what a reader should see and they are left as they are.
  const features = dataset.kind === "tabular" ? standardise(x) : x;
  const fitted = covariance(features, sample);
  const pca = pca2(features, { covariance: fitted });
  const xy = project(features, pca, shown);
  out.index = Array.from(shown);
  out.x = roundCoordinates(xy.x);
  out.y = roundCoordinates(xy.y);
  out.label_index = Array.from(shown, (i) => y[i]!);
  out.background = sample.length;
  out.explained = pca.totalVariance > 0 ? [round4(pca.variance[0] / pca.totalVariance), round4(pca.variance[1] / pca.totalVariance)] : [0, 0];
  Object.assign(out, umapOf(features, fitted, shown, options));
  const checksums = new Set(members.map((r) => r.data_checksum).filter((c): c is string => c !== null));
  if ([...checksums].some((c) => c !== dataset.checksum)) {
    out.warning = "the data set read here differs from what some of these runs read (stored checksum): the map may not show their pool";
  }
  const thumbs = thumbnailPixels(dataset, members, shown, options);
  if (thumbs) out.thumbnails = thumbs;
  return out;
}

/**
 * The UMAP of the shown points on the first up to 50 PCA components (fitted on the background
 * sample, like the map's own PCA): 50 dimensions keep nearly all the structure UMAP's neighbour
 * graph needs and make that graph far cheaper than on 784 pixels. Seeded, so a rebuild is equal.
 */
function umapOf(features: Dataset["pool"]["x"], fitted: Covariance, shown: Int32Array, options: { umapMaxPoints: number; umapEpochs: number }): Pick<PoolMap, "umap_x" | "umap_y" | "umap_note"> {
  if (shown.length > options.umapMaxPoints) {
    return { umap_note: `no UMAP: the map shows ${shown.length.toLocaleString("en-US")} points, above the ${options.umapMaxPoints.toLocaleString("en-US")} a build computes one for` };
  }
  if (shown.length < UMAP_MIN_POINTS) return { umap_note: `no UMAP: ${shown.length} points are too few for a neighbour graph` };
  const basis = pcaBasis(features, { covariance: fitted, components: UMAP_INPUT_COMPONENTS });
  if (basis.components.length === 0) return { umap_note: "no UMAP: every point has the same features" };
  try {
    const xy = umap2(projectBasis(features, basis, shown), { nEpochs: options.umapEpochs });
    return { umap_x: roundCoordinates(xy.x), umap_y: roundCoordinates(xy.y) };
  } catch (error) {
    return { umap_note: `no UMAP: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Pixels of the first `perRound` points of every run's round, once per point, downsampled to fit the byte budget. */
function thumbnailPixels(
  dataset: Dataset,
  members: StoredSelections["runs"],
  shown: Int32Array,
  options: { perRound: number; thumbnailBytes: number },
): PoolMap["thumbnails"] {
  const { shape } = dataset;
  if (dataset.kind !== "image" || shape.length < 2 || shape.length > 3) return undefined;
  const [height, width] = shape as [number, number];
  const channels = shape[2] ?? 1;
  if (channels !== 1 && channels !== 3) return undefined;
  if (height * width * channels !== dataset.pool.x.c) return undefined;
  const rows = new Set<number>();
  for (const run of members) for (const round of run.rounds) for (const i of round.slice(0, options.perRound)) rows.add(i);
  if (rows.size === 0) return undefined;
  // Downsample by the smallest whole factor whose pixels fit the budget.
  let factor = 1;
  while (rows.size * Math.ceil(height / factor) * Math.ceil(width / factor) * channels > options.thumbnailBytes && factor < Math.max(height, width)) factor++;
  const h = Math.ceil(height / factor);
  const w = Math.ceil(width / factor);
  const position = new Map(Array.from(shown, (row, k) => [row, k]));
  const { data, c } = dataset.pool.x;
  const pixels: Record<string, string> = {};
  for (const row of [...rows].sort((a, b) => a - b)) {
    const source = data.subarray(row * c, (row + 1) * c);
    const image = factor === 1 ? source : resizeImage({ width, height, channels, data: Float32Array.from(source) }, w, h).data;
    const bytes = Uint8Array.from(image, (v) => Math.max(0, Math.min(255, Math.round(v * 255))));
    pixels[String(position.get(row)!)] = Buffer.from(bytes).toString("base64");
  }
  return { height: h, width: w, channels, downsampled: factor > 1, pixels };
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : isRecord(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  return JSON.stringify(sort(value)) ?? "undefined";
}
