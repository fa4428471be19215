/**
 * One pool's selection map: the pool projected to 2-D by PCA (projection.ts) and UMAP (umap.ts),
 * shown as a fixed background sample plus every point the runs picked, with class labels and, for
 * image sets, small pixel thumbnails of each round's first picks. A pure function of the data set
 * and the runs' picks, so `al run` can compute it once when a grid finishes and store it
 * (stored-maps.ts) and a site build only reads it.
 */
import type { Dataset } from "../data/dataset.ts";
import { resizeImage } from "../data/image/resize.ts";
import { covariance, pca2, pcaBasis, project, projectBasis, roundCoordinates, sampleIndices, standardise, type Covariance } from "./projection.ts";
import { UMAP_EPOCHS, UMAP_MIN_POINTS, umap2 } from "./umap.ts";

/** Thumbnails per run and round by default (a batch's first by rank). */
export const THUMBNAILS_PER_ROUND = 16;

/** PCA components UMAP runs on. */
const UMAP_INPUT_COMPONENTS = 50;

/** One pool as the page draws it. Point k of the map is pool row `index[k]`. */
export interface PoolProjection {
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
  /** UMAP coordinates of each shown point (on the first up to 50 PCA components of the same features); absent when `umap_note` says why. */
  umap_x?: number[];
  umap_y?: number[];
  /** Why this pool has no UMAP (too many points, too few, …). */
  umap_note?: string;
  /** Image sets: uint8 pixels (base64, row-major HWC) of the points shown as thumbnails, by shown index. */
  thumbnails?: { height: number; width: number; channels: number; downsampled: boolean; pixels: Record<string, string> };
  /** Set when there is no map: why (token ids, picks outside the pool, …). */
  problem?: string;
  /** Dataset.checksum of the data the map was computed from. */
  checksum: string;
}

export interface PoolMapOptions {
  /** Background points per pool (a fixed sample when the pool is larger); default 3,000. */
  maxBackground?: number;
  /**
   * Most shown points a UMAP is computed for; default 10,000. Above, the pool gets no UMAP (and a
   * note), not a UMAP of a subsample: a subsample would drop some picked points from the map.
   */
  umapMaxPoints?: number;
  /** UMAP optimisation epochs; default umap.ts UMAP_EPOCHS. */
  umapEpochs?: number;
  /** Thumbnails per run and round (the batch's first by rank); default 16. */
  thumbnailsPerRound?: number;
  /** Raw pixel bytes allowed for all thumbnails of one pool; larger sets are downsampled. Default 900,000. */
  thumbnailBytes?: number;
}

/** Every option with its default filled in (what a stored map's key records). */
export function poolMapOptions(options: PoolMapOptions = {}): Required<PoolMapOptions> {
  const out = {
    maxBackground: options.maxBackground ?? 3000,
    umapMaxPoints: options.umapMaxPoints ?? 10_000,
    umapEpochs: options.umapEpochs ?? UMAP_EPOCHS,
    thumbnailsPerRound: options.thumbnailsPerRound ?? THUMBNAILS_PER_ROUND,
    thumbnailBytes: options.thumbnailBytes ?? 900_000,
  };
  for (const [name, value] of Object.entries(out)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`poolMap: ${name} must be a whole number ≥ 0; got ${value}`);
  }
  return out;
}

/** The rows some run picked (any round, round 0 = its initial set). */
export function pickedRows(runs: readonly { rounds: readonly (readonly number[])[] }[]): Set<number> {
  const out = new Set<number>();
  for (const run of runs) for (const round of run.rounds) for (const i of round) out.add(i);
  return out;
}

/** Why `dataset` gets no map given the rows its runs picked; undefined when it gets one. */
export function poolProblem(dataset: Dataset, picked: ReadonlySet<number>): string | undefined {
  const n = dataset.pool.x.n;
  const outside = [...picked].filter((i) => !(i >= 0 && i < n));
  if (outside.length > 0) return `the runs selected pool rows up to ${Math.max(...outside)}, but the data set read here has ${n} pool rows (it changed since they ran)`;
  // Token ids are positions in a vocabulary, not coordinates: a projection of them means nothing.
  if (dataset.kind === "text" && dataset.features === undefined) return "this data set's rows are token ids (no feature vectors), so a projection of them would mean nothing";
  return undefined;
}

/** The map of `dataset`'s pool with the picks of `runs` (each run's rounds of pool rows in rank order). */
export function poolMap(dataset: Dataset, runs: readonly { rounds: readonly (readonly number[])[] }[], options: PoolMapOptions = {}): PoolProjection {
  const o = poolMapOptions(options);
  const { x, y } = dataset.pool;
  const out: PoolProjection = { size: x.n, classes: [...dataset.classes], index: [], x: [], y: [], label_index: [], background: 0, explained: [0, 0], checksum: dataset.checksum };
  const selected = pickedRows(runs);
  const problem = poolProblem(dataset, selected);
  if (problem !== undefined) return { ...out, problem };
  const sample = sampleIndices(x.n, o.maxBackground);
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
  Object.assign(out, umapOf(features, fitted, shown, o));
  const thumbs = thumbnailPixels(dataset, runs, shown, o);
  if (thumbs) out.thumbnails = thumbs;
  return out;
}

/**
 * The UMAP of the shown points on the first up to 50 PCA components (fitted on the background
 * sample, like the map's own PCA): 50 dimensions keep nearly all the structure UMAP's neighbour
 * graph needs and make that graph far cheaper than on 784 pixels. Seeded, so a rebuild is equal.
 */
function umapOf(features: Dataset["pool"]["x"], fitted: Covariance, shown: Int32Array, options: Required<PoolMapOptions>): Pick<PoolProjection, "umap_x" | "umap_y" | "umap_note"> {
  if (shown.length > options.umapMaxPoints) {
    return { umap_note: `no UMAP: the map shows ${shown.length.toLocaleString("en-US")} points, above the ${options.umapMaxPoints.toLocaleString("en-US")} a map computes one for` };
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

/** Pixels of the first `thumbnailsPerRound` points of every run's round, once per point, downsampled to fit the byte budget. */
function thumbnailPixels(
  dataset: Dataset,
  runs: readonly { rounds: readonly (readonly number[])[] }[],
  shown: Int32Array,
  options: Required<PoolMapOptions>,
): PoolProjection["thumbnails"] {
  const { shape } = dataset;
  if (dataset.kind !== "image" || shape.length < 2 || shape.length > 3) return undefined;
  const [height, width] = shape as [number, number];
  const channels = shape[2] ?? 1;
  if (channels !== 1 && channels !== 3) return undefined;
  if (height * width * channels !== dataset.pool.x.c) return undefined;
  const rows = new Set<number>();
  for (const run of runs) for (const round of run.rounds) for (const i of round.slice(0, options.thumbnailsPerRound)) rows.add(i);
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
