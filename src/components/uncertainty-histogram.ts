/**
 * Uncertainty distributions per round: how uncertain (least confidence, 1 − max p) the
 * unlabelled pool was and how uncertain the batch a sampler picked from it, as a mirrored
 * histogram (pool shares above the axis, batch shares below), one panel per sampler. An
 * uncertainty sampler's batch sits at the right end of the pool; a random batch mirrors the pool.
 * `histogramBars` (pure) picks and normalises the counts, `uncertaintyHistogram` draws them.
 */
import * as Plot from "@observablehq/plot";
import { GRID_AXIS_NAMES, type AxisLabels } from "./grid-axes.js";

export type HistogramTarget = "pool" | "batch";

/** One round of one run: counts per bin (null when the round has no such histogram). */
export interface HistogramRound {
  round: number;
  pool: number[] | null;
  batch: number[] | null;
}

export interface HistogramRun extends AxisLabels {
  run_id: string;
  sampler: string;
  mode: string;
  seed: number;
  /** Per round with a histogram (not `rounds`: that is a grid axis's label). */
  histograms: HistogramRound[];
}

/** What the histograms loader ships (as Parquet, read back by histogram-data.ts): bin edges once (bins + 1 values), then every run. */
export interface HistogramData {
  edges: number[];
  runs: HistogramRun[];
  /** Stored histograms left out because their bins differ from `edges`. */
  skipped: number;
}

export interface HistogramPick {
  /** Grid-axis labels and mode a run must have; every axis the runs vary must be named. */
  where?: Readonly<Record<string, string>>;
  round: number;
  /** One seed, or "sum": the counts of every seed added up (same pool size, same bins). */
  seed: number | "sum";
  /** Samplers to keep, in panel order; default all, in the data's order. */
  samplers?: readonly string[];
}

export interface HistogramBar {
  sampler: string;
  target: HistogramTarget;
  bin: number;
  lo: number;
  hi: number;
  count: number;
  /** count / all counts of this sampler and target: pool and batch compare as distributions. */
  share: number;
  /** All counts of this sampler and target (points in the pool or the batch, over the seeds summed). */
  total: number;
  /** Seeds whose counts are in this bar. */
  seeds: number;
}

const TARGETS: readonly HistogramTarget[] = ["pool", "batch"];
const KEYS = [...GRID_AXIS_NAMES, "mode"] as const;

/** The rounds with a histogram among the runs that match `where`, ascending. */
export function histogramRounds(data: HistogramData, where: Readonly<Record<string, string>> = {}): number[] {
  const rounds = new Set<number>();
  for (const run of data.runs.filter((r) => matches(r, where))) for (const r of run.histograms) rounds.add(r.round);
  return [...rounds].sort((a, b) => a - b);
}

/** Grid axes (and mode) with more than one value among the runs: each needs a picker. */
export function varyingKeys(data: HistogramData): (typeof KEYS)[number][] {
  return KEYS.filter((k) => new Set(data.runs.map((r) => r[k])).size > 1);
}

/** Bars for one round: per sampler and target, each bin's count and share. Refuses to pool a grid axis. */
export function histogramBars(data: HistogramData, pick: HistogramPick): HistogramBar[] {
  const bins = data.edges.length - 1;
  if (bins < 1) throw new Error(`histogramBars: edges must have at least 2 values; got ${data.edges.length}`);
  const where = pick.where ?? {};
  const runs = data.runs.filter((r) => matches(r, where) && (pick.seed === "sum" || r.seed === pick.seed));
  const samplers = pick.samplers ?? [...new Set(runs.map((r) => r.sampler))];
  const out: HistogramBar[] = [];
  for (const sampler of samplers) {
    const own = runs.filter((r) => r.sampler === sampler);
    checkNotPooled(own, sampler);
    for (const target of TARGETS) {
      const counts = new Array<number>(bins).fill(0);
      let seeds = 0;
      for (const run of own) {
        const stored = run.histograms.find((r) => r.round === pick.round)?.[target];
        if (!stored) continue;
        if (stored.length !== bins) throw new Error(`histogramBars: run ${run.run_id} round ${pick.round} has ${stored.length} ${target} bins, the edges ${bins}`);
        stored.forEach((c, i) => (counts[i]! += c));
        seeds++;
      }
      const total = counts.reduce((a, b) => a + b, 0);
      if (seeds === 0 || total === 0) continue;
      counts.forEach((count, bin) => out.push({ sampler, target, bin, lo: data.edges[bin]!, hi: data.edges[bin + 1]!, count, share: count / total, total, seeds }));
    }
  }
  return out;
}

export interface UncertaintyHistogramOptions {
  /** Panel order (one row per sampler); default the bars' order. */
  samplers?: readonly string[];
  width?: number;
  /** Height of one sampler's panel; default 130. */
  panelHeight?: number;
  /** Document to create elements in; default the global one (pass jsdom's in Node). */
  document?: Document;
}

export type UncertaintyHistogramFigure = (SVGSVGElement | HTMLElement) & Plot.Plot;

const TARGET_LABELS: Record<HistogramTarget, string> = { pool: "Unlabelled pool", batch: "Selected batch" };

/** Mirrored histograms: pool shares up, batch shares down, one row of panels per sampler. */
export function uncertaintyHistogram(bars: readonly HistogramBar[], options: UncertaintyHistogramOptions = {}): UncertaintyHistogramFigure {
  const { width = 720, panelHeight = 130 } = options;
  const samplers = options.samplers ? [...options.samplers] : [...new Set(bars.map((b) => b.sampler))];
  const lo = Math.min(...bars.map((b) => b.lo));
  const hi = Math.max(...bars.map((b) => b.hi));
  const signed = bars.map((b) => ({ ...b, label: TARGET_LABELS[b.target], y: b.target === "pool" ? b.share : -b.share }));
  const common = { x1: "lo", x2: "hi", y1: 0, y2: "y", fy: "sampler", fill: "label", insetLeft: 0.5, insetRight: 0.5 } as const;
  return Plot.plot({
    document: options.document,
    width,
    height: Math.max(1, samplers.length) * panelHeight + 70,
    marginLeft: 56,
    marginRight: 90,
    x: { label: "Least confidence (1 − max p) →", domain: [lo, hi] },
    y: { label: "↑ pool share · batch share ↓", grid: true, tickFormat: (v: number) => `${Math.round(Math.abs(v) * 100)}%` },
    fy: { label: null, domain: samplers },
    color: { legend: true, domain: [TARGET_LABELS.pool, TARGET_LABELS.batch], range: ["#4e79a7", "#e15759"] },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      Plot.rectY(signed.filter((b) => b.target === "pool"), { ...common, className: "histogram-pool", fillOpacity: 0.85 }),
      Plot.rectY(signed.filter((b) => b.target === "batch"), { ...common, className: "histogram-batch", fillOpacity: 0.85 }),
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
      Plot.tip(
        signed,
        Plot.pointerX({
          x: (d: (typeof signed)[number]) => (d.lo + d.hi) / 2,
          y: "y",
          fy: "sampler",
          channels: {
            target: { value: "label", label: "" },
            range: { value: (d: HistogramBar) => `${d.lo.toFixed(2)}–${d.hi.toFixed(2)}`, label: "uncertainty" },
            count: { value: "count", label: "points" },
            percent: { value: (d: HistogramBar) => `${(d.share * 100).toFixed(1)}% of ${d.total}`, label: "share" },
          },
          format: { x: false, y: false, fy: true, target: true, range: true, count: true, percent: true },
        }),
      ),
    ],
  });
}

function matches(run: HistogramRun, where: Readonly<Record<string, string>>): boolean {
  return Object.entries(where).every(([k, v]) => (run as unknown as Record<string, unknown>)[k] === v);
}

/** A sampler's runs may differ by seed only; anything else would add up different settings. */
function checkNotPooled(runs: readonly HistogramRun[], sampler: string): void {
  for (const key of KEYS) {
    const values = [...new Set(runs.map((r) => r[key]))];
    if (values.length > 1) throw new Error(`histogramBars: sampler ${sampler} has runs with ${key} ${values.join(", ")}; pick one ${key} (only seeds may be summed)`);
  }
  // Two runs of one seed here means a setting the labels do not tell apart (e.g. sampler options).
  const seeds = runs.map((r) => r.seed);
  if (new Set(seeds).size < seeds.length) throw new Error(`histogramBars: sampler ${sampler} has several runs of one seed (${runs.map((r) => r.run_id).join(", ")}); they differ in a setting only their ids tell apart`);
}
