/**
 * What each mode cost in seconds: keep-train exists to save training time, so the metric is drawn
 * against cumulative compute (train + score + select + evaluate seconds summed over the rounds of a
 * run, then averaged over seeds), and each sampler × mode gets its total seconds, final value and —
 * for keep-train — the share of retrain's time it saved.
 */
import * as Plot from "@observablehq/plot";
import { interval, type Interval } from "./curve-summary.js";
import { groupRuns, keyId, lastPoint, orderModes, orderSamplers, type RunOptions } from "./run-groups.js";
import type { KeyValue, RoundRow } from "./seed-summary.js";

export interface TimePoint {
  sampler: string;
  mode: string;
  round: number;
  labelled: number;
  /** Mean over seeds of the cumulative seconds up to and including this round. */
  seconds: number;
  /** Mean over seeds of the metric at this round. */
  value: number;
  n: number;
  [key: string]: KeyValue;
}

export function cumulativeTime(rows: readonly RoundRow[], options: RunOptions = {}): TimePoint[] {
  const groups = new Map<string, { key: Record<string, KeyValue>; round: number; labelled: number[]; seconds: number[]; values: number[] }>();
  for (const run of groupRuns(rows, options)) {
    let total = 0;
    for (const p of run.points) {
      total += p.seconds;
      // A round without the metric still cost its seconds; it just has no point.
      if (p.value === undefined) continue;
      const id = JSON.stringify([keyId(run.key), p.round]);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { key: run.key, round: p.round, labelled: [], seconds: [], values: [] }));
      g.labelled.push(p.labelled);
      g.seconds.push(total);
      g.values.push(p.value);
    }
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...groups.values()]
    .map((g) => ({ ...g.key, sampler: String(g.key.sampler), mode: String(g.key.mode), round: g.round, labelled: mean(g.labelled), seconds: mean(g.seconds), value: mean(g.values), n: g.values.length }))
    .sort((a, b) => cmp(a.sampler, b.sampler) || cmp(a.mode, b.mode) || a.round - b.round);
}

export interface TimeTotal {
  sampler: string;
  mode: string;
  /** Total seconds of a run, mean and 95% CI over seeds. */
  seconds: Interval;
  /** Final metric value, mean and 95% CI over seeds; null when no run has one. */
  final: Interval | null;
  n: number;
  /** keep-train only: (1 − its mean seconds / retrain's) × 100 for the same curve; null otherwise. */
  saving: number | null;
  [key: string]: KeyValue | Interval | null;
}

export function timeTotals(rows: readonly RoundRow[], options: RunOptions = {}): TimeTotal[] {
  const groups = new Map<string, { key: Record<string, KeyValue>; seconds: number[]; finals: number[] }>();
  for (const run of groupRuns(rows, options)) {
    const id = keyId(run.key);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key: run.key, seconds: [], finals: [] }));
    g.seconds.push(run.points.reduce((s, p) => s + p.seconds, 0));
    const last = lastPoint(run);
    if (last) g.finals.push(last.value);
  }
  const entries = [...groups.values()];
  const totals = entries.map((g) => ({
    ...g.key,
    sampler: String(g.key.sampler),
    mode: String(g.key.mode),
    seconds: interval(g.seconds),
    final: g.finals.length ? interval(g.finals) : null,
    n: g.seconds.length,
    saving: null as number | null,
  }));
  // keep-train's twin: the retrain curve with the same key otherwise.
  const retrain = new Map(entries.flatMap((g, i) => (g.key.mode === "retrain" ? [[keyId(g.key, ["mode"]), totals[i]!] as const] : [])));
  entries.forEach((g, i) => {
    const twin = g.key.mode === "keep-train" ? retrain.get(keyId(g.key, ["mode"])) : undefined;
    if (twin && twin.seconds.mean > 0) totals[i]!.saving = (1 - totals[i]!.seconds.mean / twin.seconds.mean) * 100;
  });
  const samplers = orderSamplers(totals.map((t) => t.sampler));
  const modes = orderModes(totals.map((t) => t.mode));
  return totals.sort((a, b) => samplers.indexOf(a.sampler) - samplers.indexOf(b.sampler) || modes.indexOf(a.mode) - modes.indexOf(b.mode));
}

export interface TimeCurveOptions {
  metricLabel?: string;
  samplers?: readonly string[];
  logX?: boolean;
  width?: number;
  height?: number;
  document?: Document;
}

/** One panel: colour = sampler, solid = retrain, dashed = keep-train (any other mode dotted). */
export function timeCurve(points: readonly TimePoint[], options: TimeCurveOptions = {}): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const { width = 720, height = 360, logX = false } = options;
  if (points.length === 0) throw new Error("timeCurve: no points (no round has this metric)");
  const seen = new Set<string>();
  for (const p of points) {
    const id = JSON.stringify([p.sampler, p.mode, p.round]);
    if (seen.has(id)) throw new Error(`timeCurve: sampler ${p.sampler} (${p.mode}) has several curves; pick one value of every other grid axis first`);
    seen.add(id);
  }
  const modes = orderModes(points.map((p) => p.mode));
  const dash = (mode: string): string | undefined => (mode === "retrain" ? undefined : mode === "keep-train" ? "6,3" : "2,2");
  return Plot.plot({
    document: options.document,
    width,
    height,
    marginRight: 16,
    x: { label: "Cumulative compute seconds (mean over seeds) →", grid: true, type: logX ? "log" : "linear" },
    y: { label: `${options.metricLabel ?? "metric"} ↑`, grid: true },
    color: { legend: true, label: "Sampler", domain: options.samplers ?? orderSamplers(points.map((p) => p.sampler)) },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      ...modes.map((mode) =>
        Plot.lineY(points.filter((p) => p.mode === mode), { x: "seconds", y: "value", z: "sampler", stroke: "sampler", strokeWidth: 1.75, strokeDasharray: dash(mode) }),
      ),
      Plot.dot(points, { x: "seconds", y: "value", fill: "sampler", r: 1.75 }),
      Plot.tip(points, Plot.pointer({ x: "seconds", y: "value", stroke: "sampler", channels: { mode: { value: "mode", label: "mode" }, labelled: { value: "labelled", label: "labelled" } }, format: { x: ".2f", y: ".3f" } })),
    ],
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
