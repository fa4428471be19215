/**
 * Learning curves for an active-learning experiment: metric against labelled-set size, one
 * line per sampler (mean over seeds) with a band for the seed spread, retrain and keep-train
 * side by side. A pure (data, options) → element function: it fetches nothing, so pages,
 * tests (jsdom) and notebooks can all render it.
 */
import * as Plot from "@observablehq/plot";
// `.js`, not the repo's usual `.ts`: Framework maps a `.js` import onto the `.ts` file it
// transpiles, but rewrites a literal `.ts` import to a hashed URL it never emits (a 404).
// TypeScript (NodeNext) and Vite resolve `.js` to the `.ts` source as well.
import { seedSummary, type RoundRow, type SeedSummaryRow } from "./seed-summary.js";

/** How the seed spread is drawn: full min–max range, mean ± one sd, a 95% CI of the mean, or not at all. */
export type Band = "minmax" | "sd" | "ci" | "none";

/** A reference value drawn as a horizontal rule in every panel (a naive baseline, say). */
export interface ReferenceLine {
  value: number;
  label: string;
}

export interface LearningCurveOptions {
  /** Metric column to plot; default "accuracy". */
  metric?: string;
  /** Seed-spread band; default "minmax". */
  band?: Band;
  /** Column whose values get one panel each; default "mode". Every other key column must be constant. */
  facet?: string;
  /** Logarithmic x axis; default false. */
  logX?: boolean;
  /**
   * The x axis: the labelled count (default) or "cost", the rows' `cost` column (the labelled
   * set's annotation cost), averaged over the seeds at each labelled count.
   */
  x?: "labelled" | "cost";
  /** Horizontal reference rules (naive baselines). */
  references?: readonly ReferenceLine[];
  /** Sampler colour order, so a sampler keeps its colour when others are hidden; default the data's. */
  samplers?: readonly string[];
  /** Metric label for the y axis; default a known name or the column name. */
  metricLabel?: string;
  /** The whole y-axis label, replacing "<metric label> (mean over seeds) ↑". */
  yLabel?: string;
  /** A solid rule at y = 0 in every panel (differences to a reference sampler); default false. */
  zeroLine?: boolean;
  width?: number;
  height?: number;
  /** Document to create elements in; default the global one (pass jsdom's in Node). */
  document?: Document;
}

export type LearningCurveFigure = (SVGSVGElement | HTMLElement) & Plot.Plot;

const BANDS: readonly Band[] = ["minmax", "sd", "ci", "none"];
// Modes in a fixed reading order (the default, retrain, first); unknown modes follow.
const MODE_ORDER = ["retrain", "keep-train"];
const METRIC_LABELS: Record<string, string> = { accuracy: "Accuracy", macro_f1: "Macro F1" };

export function learningCurve(rows: readonly RoundRow[], options: LearningCurveOptions = {}): LearningCurveFigure {
  const { metric = "accuracy", band = "minmax", width = 720, height = 380, facet = "mode", logX = false } = options;
  if (!BANDS.includes(band)) throw new Error(`learningCurve: band must be one of ${BANDS.join(", ")}; got "${band}"`);
  const summary = seedSummary(rows, { metric });
  checkNotPooled(summary, facet);

  const panels = facet === "mode" ? orderModes(new Set(summary.map((d) => d.mode))) : [...new Set(summary.map((d) => String(d[facet])))].sort();
  const samplers = options.samplers ? [...options.samplers] : orderSamplers(new Set(summary.map((d) => d.sampler)));
  const label = options.metricLabel ?? METRIC_LABELS[metric] ?? metric;
  const byCost = options.x === "cost";
  const costAt = byCost ? meanCosts(rows, facet) : undefined;
  const xOf = (d: SeedSummaryRow): number => (costAt ? costAt.get(pointKey(d, facet))! : d.labelled);
  const common = { x: xOf, fx: (d: SeedSummaryRow) => String(d[facet]) } as const;

  const marks: Plot.Markish[] = [Plot.frame({ strokeOpacity: 0.1 })];
  if (band !== "none") {
    const [y1, y2] =
      band === "minmax"
        ? ["min", "max"]
        : band === "ci"
          ? ["ciLow", "ciHigh"]
          : [(d: SeedSummaryRow) => d.mean - d.sd, (d: SeedSummaryRow) => d.mean + d.sd];
    marks.push(Plot.areaY(summary, { ...common, y1, y2, fill: "sampler", fillOpacity: 0.15 }));
  }
  marks.push(
    Plot.lineY(summary, { ...common, y: "mean", stroke: "sampler", strokeWidth: 1.75 }),
    Plot.dot(summary, { ...common, y: "mean", fill: "sampler", r: 2 }),
    // One tip per facet, at the sampler point nearest the pointer, with the seed statistics.
    Plot.tip(
      summary,
      Plot.pointer({
        ...common,
        y: "mean",
        stroke: "sampler",
        channels: {
          sd: { value: "sd", label: "sd" },
          min: { value: "min", label: "min" },
          max: { value: "max", label: "max" },
          n: { value: "n", label: "seeds" },
        },
        format: { x: true, y: ".3f", sd: ".3f", min: ".3f", max: ".3f", n: true, fx: true, stroke: true },
      }),
    ),
  );

  if (options.zeroLine) {
    // Labelled per line so a page (or test) can tell it from the baseline rules.
    marks.push(Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.75, ariaLabel: () => "zero" }));
  }
  for (const ref of options.references ?? []) {
    // No fx channel: Plot repeats the rule in every panel.
    marks.push(
      Plot.ruleY([ref.value], { stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.6 }),
      Plot.text([ref], { y: "value", text: "label", frameAnchor: "left", dy: -6, fontSize: 10, fillOpacity: 0.7 }),
    );
  }

  return Plot.plot({
    document: options.document,
    width,
    height,
    marginRight: 20,
    x: { label: byCost ? "Annotation cost (mean over seeds) →" : "Labelled examples →", grid: true, type: logX ? "log" : "linear" },
    y: { label: options.yLabel ?? `${label} (mean over seeds) ↑`, grid: true },
    fx: { label: facet === "mode" ? "Training mode" : facet, domain: panels, padding: 0.08 },
    color: { legend: true, label: "Sampler", domain: samplers },
    marks,
  });
}

function pointKey(row: { sampler: string; labelled: number | bigint; [k: string]: unknown }, facet: string): string {
  // Counts may arrive as BigInt (INT64 columns): compare them as numbers, as seedSummary does.
  return JSON.stringify([row.sampler, String(row[facet]), Number(row.labelled)]);
}

/** Mean `cost` per curve point (sampler, panel, labelled count) over the seeds. */
function meanCosts(rows: readonly RoundRow[], facet: string): Map<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of rows) {
    const row = r as { sampler: string; labelled: number; cost?: unknown };
    const cost = row.cost;
    if (typeof cost !== "number") throw new Error(`learningCurve: x "cost" needs a numeric cost column; sampler ${row.sampler} at ${row.labelled} labels has ${cost === undefined ? "none" : JSON.stringify(cost)} (runs without \`cost\` in their experiment)`);
    const key = pointKey(row, facet);
    const s = sums.get(key) ?? { sum: 0, n: 0 };
    s.sum += cost;
    s.n++;
    sums.set(key, s);
  }
  return new Map([...sums].map(([k, s]) => [k, s.sum / s.n]));
}

/** Each (sampler, panel, labelled) must be one point: more means another grid axis would be averaged away. */
function checkNotPooled(summary: readonly SeedSummaryRow[], facet: string): void {
  const seen = new Map<string, SeedSummaryRow>();
  for (const row of summary) {
    const id = JSON.stringify([row.sampler, row[facet], row.labelled]);
    const other = seen.get(id);
    if (other) {
      const axis = Object.keys(row).find((k) => !["mean", "sd", "min", "max", "ciLow", "ciHigh", "n"].includes(k) && row[k] !== other[k]);
      throw new Error(
        `learningCurve: the rows hold several ${axis ?? "curves"} (${String(other[axis ?? "sampler"])}, ${String(row[axis ?? "sampler"])}) for sampler ${row.sampler}; pick one ${axis} (filter the rows) or facet by it`,
      );
    }
    seen.set(id, row);
  }
}

function orderModes(modes: Set<string>): string[] {
  const known = MODE_ORDER.filter((m) => modes.has(m));
  return [...known, ...[...modes].filter((m) => !MODE_ORDER.includes(m)).sort()];
}

/** Random is the baseline every other sampler is judged against: list it first. */
function orderSamplers(samplers: Set<string>): string[] {
  const rest = [...samplers].filter((s) => s !== "random").sort();
  return samplers.has("random") ? ["random", ...rest] : rest;
}
