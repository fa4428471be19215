/**
 * Where each stopping rule would have stopped, per sampler and mode over seeds (al run's stored
 * `stopping` rows): the median stop point among the seeds where the rule fired, and the accuracy
 * that stopping there would have lost against the run's final round (mean and range). As a table
 * and as marks on the mean accuracy curve. Rows must be one setting (every grid axis but sampler
 * and seed picked): a seed seen twice for one sampler × mode is refused, not pooled.
 * DOM + textContent only: rule and sampler names are stored text.
 */
import * as Plot from "@observablehq/plot";
import type { SeedSummaryRow } from "./seed-summary.js";

export interface StopEntry {
  rule: string;
  stop_round: number | null;
  stop_labelled: number | null;
  lost_accuracy: number | null;
}

/** A run as the analysis loader ships it (the fields used here). */
export interface StopRun {
  sampler: string;
  mode: string;
  seed: number | null;
  stopping: readonly StopEntry[];
}

export interface StopSummary {
  sampler: string;
  mode: string;
  rule: string;
  /** Runs (seeds) with a result for this rule. */
  runs: number;
  /** Of those, runs where the rule fired. */
  fired: number;
  /** Median over the fired runs; null when it never fired. */
  medianLabelled: number | null;
  medianRound: number | null;
  /** Accuracy at the final round minus at the stop round, over the fired runs (fractions). */
  lostMean: number | null;
  lostMin: number | null;
  lostMax: number | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One row per sampler × mode × rule, in the runs' sampler order (random first) and the rules' stored order. */
export function stoppingSummary(runs: readonly StopRun[], options: { samplers?: readonly string[] } = {}): StopSummary[] {
  const groups = new Map<string, { sampler: string; mode: string; rule: string; entries: StopEntry[]; seeds: Set<string> }>();
  const ruleOrder: string[] = [];
  for (const run of runs) {
    for (const entry of run.stopping) {
      if (!ruleOrder.includes(entry.rule)) ruleOrder.push(entry.rule);
      const id = JSON.stringify([run.sampler, run.mode, entry.rule]);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { sampler: run.sampler, mode: run.mode, rule: entry.rule, entries: [], seeds: new Set() }));
      const seed = String(run.seed);
      if (g.seeds.has(seed)) {
        throw new Error(`stoppingSummary: seed ${seed} of ${run.sampler} (${run.mode}) appears twice for rule ${entry.rule}; pick one value of every other grid axis first`);
      }
      g.seeds.add(seed);
      g.entries.push(entry);
    }
  }
  const samplers = options.samplers ?? orderSamplers(runs.map((r) => r.sampler));
  const rank = (s: string) => (samplers.indexOf(s) < 0 ? samplers.length : samplers.indexOf(s));
  const out: StopSummary[] = [...groups.values()].map(({ sampler, mode, rule, entries }) => {
    const fired = entries.filter((e) => e.stop_round !== null);
    const lost = fired.map((e) => e.lost_accuracy).filter((v): v is number => typeof v === "number");
    return {
      sampler,
      mode,
      rule,
      runs: entries.length,
      fired: fired.length,
      medianLabelled: median(fired.map((e) => e.stop_labelled).filter((v): v is number => typeof v === "number")),
      medianRound: median(fired.map((e) => e.stop_round!)),
      lostMean: lost.length ? lost.reduce((a, b) => a + b, 0) / lost.length : null,
      lostMin: lost.length ? Math.min(...lost) : null,
      lostMax: lost.length ? Math.max(...lost) : null,
    };
  });
  return out.sort((a, b) => rank(a.sampler) - rank(b.sampler) || modeRank(a.mode) - modeRank(b.mode) || cmp(a.mode, b.mode) || ruleOrder.indexOf(a.rule) - ruleOrder.indexOf(b.rule));
}

/** Percentage points with a sign, e.g. 0.0123 → "+1.2 pp". */
export function formatPoints(value: number | null): string {
  if (value === null) return "—";
  const pp = value * 100;
  const text = Math.abs(pp) < 0.05 ? "0.0" : `${pp > 0 ? "+" : "−"}${Math.abs(pp).toFixed(1)}`;
  return `${text} pp`;
}

export interface StoppingTableOptions {
  /** For tests (jsdom); the page's document otherwise. */
  document?: Document;
}

/** A <table class="stopping-table">, one row per summary row; a Mode column only when the rows span several modes. */
export function stoppingTable(summary: readonly StopSummary[], options: StoppingTableOptions = {}): HTMLTableElement {
  const doc = options.document ?? document;
  const modes = new Set(summary.map((s) => s.mode)).size > 1;
  const table = doc.createElement("table");
  table.className = "stopping-table";
  const head = table.createTHead().insertRow();
  const headers = ["Sampler", ...(modes ? ["Mode"] : []), "Rule", "Fired", "Median stop (labels)", "Median round", "Accuracy lost, mean", "Range"];
  for (const h of headers) {
    const th = doc.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const s of summary) {
    const tr = body.insertRow();
    tr.dataset.sampler = s.sampler;
    tr.dataset.rule = s.rule;
    const cells = [
      s.sampler,
      ...(modes ? [s.mode] : []),
      s.rule,
      `${s.fired} of ${s.runs}`,
      s.medianLabelled === null ? "never" : formatCount(s.medianLabelled),
      s.medianRound === null ? "—" : formatCount(s.medianRound),
      formatPoints(s.lostMean),
      s.lostMin === null || s.lostMax === null ? "—" : s.lostMin === s.lostMax ? formatPoints(s.lostMin) : `${formatPoints(s.lostMin)} to ${formatPoints(s.lostMax)}`,
    ];
    cells.forEach((text, i) => {
      const td = tr.insertCell();
      td.textContent = text;
      // Unwrapped: "2 of 3" or "−1.0 pp to +5.0 pp" split over lines reads as two values; the page scrolls the table instead.
      td.style.whiteSpace = "nowrap";
      if (i >= cells.length - 5) td.style.textAlign = "right";
    });
  }
  return table;
}

export interface StopMark {
  sampler: string;
  mode: string;
  rule: string;
  labelled: number;
  /** The sampler's mean curve at that labelled count (linear between its points). */
  value: number;
}

/** Each fired rule's median stop point placed on its sampler's mean curve (same mode). */
export function stopMarks(summary: readonly StopSummary[], curve: readonly SeedSummaryRow[]): StopMark[] {
  const out: StopMark[] = [];
  for (const s of summary) {
    if (s.medianLabelled === null) continue;
    const points = curve.filter((c) => c.sampler === s.sampler && c.mode === s.mode).sort((a, b) => a.labelled - b.labelled);
    const value = interpolate(points, s.medianLabelled);
    if (value !== null) out.push({ sampler: s.sampler, mode: s.mode, rule: s.rule, labelled: s.medianLabelled, value });
  }
  return out;
}

function interpolate(points: readonly SeedSummaryRow[], x: number): number | null {
  if (points.length === 0) return null;
  if (x <= points[0]!.labelled) return points[0]!.labelled === x ? points[0]!.mean : null;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (x <= b.labelled) return a.mean + ((b.mean - a.mean) * (x - a.labelled)) / (b.labelled - a.labelled);
  }
  return null;
}

export interface StoppingChartOptions {
  samplers?: readonly string[];
  /** Rule symbol order (e.g. lib/al/analysis.ts's); default the marks' order. */
  rules?: readonly string[];
  /** Quality label for the y axis; default "accuracy". */
  metric?: string;
  width?: number;
  height?: number;
  document?: Document;
}

/** The mean quality curve per sampler (one mode) with a symbol per rule at its median stop point. */
export function stoppingChart(curve: readonly SeedSummaryRow[], marks: readonly StopMark[], options: StoppingChartOptions = {}): SVGSVGElement | HTMLElement {
  const samplers = options.samplers ? [...options.samplers] : orderSamplers(curve.map((c) => c.sampler));
  const marked = new Set(marks.map((m) => m.rule));
  const rules = [...(options.rules ?? []).filter((r) => marked.has(r)), ...[...marked].filter((r) => !options.rules?.includes(r))];
  return Plot.plot({
    document: options.document,
    width: options.width ?? 720,
    height: options.height ?? 320,
    x: { label: "Labelled examples →", grid: true },
    y: { label: `${options.metric ?? "accuracy"} (mean over seeds) ↑`, grid: true },
    color: { legend: true, label: "Sampler", domain: samplers },
    symbol: { legend: rules.length > 0, label: "Rule", domain: rules.length ? rules : ["none"] },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      Plot.lineY(curve, { x: "labelled", y: "mean", stroke: "sampler", z: "sampler", strokeWidth: 1.5 }),
      Plot.dot(marks, { x: "labelled", y: "value", stroke: "sampler", symbol: "rule", r: 6, strokeWidth: 1.75 }),
      Plot.tip(marks, Plot.pointer({ x: "labelled", y: "value", stroke: "sampler", symbol: "rule", format: { y: ".3f", x: true } })),
    ],
  });
}

function orderSamplers(names: readonly string[]): string[] {
  const all = new Set(names);
  const rest = [...all].filter((s) => s !== "random").sort();
  return all.has("random") ? ["random", ...rest] : rest;
}

function formatCount(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** Retrain (the default) before keep-train; other modes after, by name. */
function modeRank(mode: string): number {
  const i = ["retrain", "keep-train"].indexOf(mode);
  return i < 0 ? 2 : i;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
