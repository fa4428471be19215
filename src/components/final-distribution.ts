/**
 * The final metric of every seed, per sampler: one dot per seed and the mean ± 1 sd over seeds
 * (al-stats seedSummary; a single seed has no sd and gets only its mean tick), one panel row per
 * mode. Shows whether two samplers' means differ by more than their seeds do.
 */
import * as Plot from "@observablehq/plot";
import { seedSummary } from "./al-stats.js";
import { groupRuns, lastPoint, orderModes, orderSamplers, type RunOptions } from "./run-groups.js";
import type { KeyValue, RoundRow } from "./seed-summary.js";

export interface FinalPoint {
  sampler: string;
  mode: string;
  seed: KeyValue;
  labelled: number;
  value: number;
}

/** Each run's last round with a value (a run whose every round lacks it is left out). */
export function finalPoints(rows: readonly RoundRow[], options: RunOptions = {}): FinalPoint[] {
  const out: FinalPoint[] = [];
  for (const run of groupRuns(rows, options)) {
    const last = lastPoint(run);
    if (last) out.push({ sampler: run.sampler, mode: run.mode, seed: run.seed, labelled: last.labelled, value: last.value });
  }
  return out;
}

export interface FinalSpread {
  sampler: string;
  mode: string;
  n: number;
  mean: number;
  /** Sample sd over seeds; null with one seed. */
  sd: number | null;
  min: number;
  max: number;
}

export function finalSpread(points: readonly FinalPoint[]): FinalSpread[] {
  const groups = new Map<string, FinalPoint[]>();
  for (const p of points) {
    const id = JSON.stringify([p.sampler, p.mode]);
    groups.set(id, [...(groups.get(id) ?? []), p]);
  }
  const samplers = orderSamplers(points.map((p) => p.sampler));
  const modes = orderModes(points.map((p) => p.mode));
  return [...groups.values()]
    .map((ps) => {
      const values = ps.map((p) => p.value);
      const s = seedSummary(values);
      return { sampler: ps[0]!.sampler, mode: ps[0]!.mode, n: s.n, mean: s.mean, sd: s.sd, min: Math.min(...values), max: Math.max(...values) };
    })
    .sort((a, b) => samplers.indexOf(a.sampler) - samplers.indexOf(b.sampler) || modes.indexOf(a.mode) - modes.indexOf(b.mode));
}

export interface FinalDistributionOptions {
  metricLabel?: string;
  samplers?: readonly string[];
  width?: number;
  document?: Document;
}

export function finalDistribution(points: readonly FinalPoint[], options: FinalDistributionOptions = {}): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const { width = 720 } = options;
  if (points.length === 0) throw new Error("finalDistribution: no final values (no run has this metric here)");
  const spread = finalSpread(points);
  const samplers = options.samplers ?? orderSamplers(points.map((p) => p.sampler));
  const shown = samplers.filter((s) => points.some((p) => p.sampler === s));
  const modes = orderModes(points.map((p) => p.mode));
  const withSd = spread.filter((s) => s.sd !== null);
  return Plot.plot({
    document: options.document,
    width,
    height: modes.length * (shown.length * 26 + 30) + 50,
    marginLeft: 110,
    // Room for the mode names on the right (stored text, may be long-ish).
    marginRight: modes.length > 1 ? 90 : 16,
    x: { label: `Final ${options.metricLabel ?? "metric"} →`, grid: true, nice: true, inset: 8 },
    y: { label: null, domain: shown },
    fy: { label: null, domain: modes, axis: modes.length > 1 ? "right" : null, padding: 0.15 },
    color: { domain: samplers },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      Plot.ruleY(withSd, { y: "sampler", fy: "mode", x1: (d: FinalSpread) => d.mean - d.sd!, x2: (d: FinalSpread) => d.mean + d.sd!, stroke: "sampler", strokeWidth: 2, strokeOpacity: 0.5 }),
      Plot.tickX(spread, { x: "mean", y: "sampler", fy: "mode", stroke: "sampler", strokeWidth: 2 }),
      Plot.dot(points, { x: "value", y: "sampler", fy: "mode", fill: "sampler", r: 3.5, fillOpacity: 0.8, tip: true, channels: { seed: { value: "seed", label: "seed" } } }),
    ],
  });
}
