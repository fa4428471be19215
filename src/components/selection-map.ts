/**
 * A selection map: the pool projected to 2-D (PCA or UMAP; faint dots coloured by class), the labelled set
 * before a round (small solid dots) and that round's batch (large outlined dots). Round 0 is the
 * initial set; round r's batch was picked after training on rounds 0 … r − 1. A pure
 * (data, options) → element function over the shapes the page joins from selections.json and
 * selections.parquet (selection-picks.ts withPicks).
 */
import * as Plot from "@observablehq/plot";

/** The pool's shown points (src/data/selection-map.ts PoolMap, the fields drawn here). */
export interface MapPoints {
  x: readonly number[];
  y: readonly number[];
  /** Class of each point, an index into `classes`. */
  label_index: readonly number[];
  classes: readonly string[];
  /** Pool row of each point (shown in its tooltip). */
  index: readonly number[];
  /** Share of variance along each axis, for the axis labels. */
  explained?: readonly [number, number];
}

/** One run's picks: rounds[r] are point indices (into MapPoints) acquired at round r. */
export interface MapRun {
  rounds: readonly (readonly number[])[];
}

export interface SelectionMapOptions {
  /** The round whose batch is highlighted (0 = initial set). */
  round: number;
  /**
   * Which projection `points.x` / `points.y` hold, for the axis labels: "pca" (default; PC 1 and
   * PC 2 with their variance shares) or "umap" (UMAP 1 and 2: its axes carry no variance meaning).
   */
  projection?: "pca" | "umap";
  width?: number;
  height?: number;
  /** Document to create elements in; default the global one (pass jsdom's in Node). */
  document?: Document;
}

export interface RoundSets {
  /** Points labelled before the round (rounds 0 … round − 1). */
  labelled: number[];
  /** The round's batch. */
  batch: number[];
}

/** The labelled set before `round` and the batch acquired at it. */
export function roundSets(run: MapRun, round: number): RoundSets {
  if (!Number.isInteger(round) || round < 0 || round >= run.rounds.length) {
    throw new RangeError(`selectionMap: round must be an integer from 0 to ${run.rounds.length - 1}; got ${round}`);
  }
  return { labelled: run.rounds.slice(0, round).flat(), batch: [...run.rounds[round]!] };
}

export function selectionMap(points: MapPoints, run: MapRun, options: SelectionMapOptions): HTMLElement | SVGSVGElement {
  const n = points.x.length;
  if (points.y.length !== n || points.label_index.length !== n || points.index.length !== n) {
    throw new Error(`selectionMap: x, y, label_index and index must have one entry per point (${n}); got ${points.y.length}, ${points.label_index.length}, ${points.index.length}`);
  }
  const { labelled, batch } = roundSets(run, options.round);
  const bad = [...labelled, ...batch].find((k) => !(Number.isInteger(k) && k >= 0 && k < n));
  if (bad !== undefined) throw new RangeError(`selectionMap: the run picks point ${bad}, but the map has ${n} points`);
  const width = options.width ?? 640;
  const all = Array.from({ length: n }, (_, k) => k);
  const className = (k: number) => points.classes[points.label_index[k]!] ?? String(points.label_index[k]);
  const common = { x: (k: number) => points.x[k]!, y: (k: number) => points.y[k]!, fill: className } as const;
  const title = (k: number) => `${className(k)} · pool row ${points.index[k]}`;
  const umap = options.projection === "umap";
  const share = (i: 0 | 1) => (!umap && points.explained ? ` (${(points.explained[i] * 100).toFixed(1)}% of variance)` : "");
  const axis = (i: 0 | 1) => `${umap ? "UMAP" : "PC"} ${i + 1}${share(i)}`;
  return Plot.plot({
    document: options.document,
    width,
    height: options.height ?? Math.round(Math.min(width, 640) * 0.75),
    inset: 8,
    x: { label: `${axis(0)} →`, ticks: 5 },
    y: { label: `↑ ${axis(1)}`, ticks: 5 },
    color: { legend: true, label: "Class", domain: [...points.classes], type: "categorical" },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      Plot.dot(all, { ...common, r: 1.6, fillOpacity: 0.18, className: "map-pool", ariaDescription: "pool" }),
      Plot.dot(labelled, { ...common, r: 2.6, fillOpacity: 0.9, stroke: "white", strokeWidth: 0.5, title, className: "map-labelled", ariaDescription: "labelled before the round" }),
      Plot.dot(batch, { ...common, r: 5, fillOpacity: 1, stroke: "currentColor", strokeWidth: 1.6, title, className: "map-batch", ariaDescription: "the round's batch" }),
    ],
  });
}
