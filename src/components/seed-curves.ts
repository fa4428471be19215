/**
 * Every seed's own learning curve: one thin line per run, coloured by sampler, one panel per mode,
 * so a reader sees whether a sampler's mean hides one lucky or one failed seed. Every key column
 * but sampler, mode and seed must already be picked (groupRuns refuses two rows of a run per round).
 */
import * as Plot from "@observablehq/plot";
import { groupRuns, orderModes, orderSamplers, type RunOptions } from "./run-groups.js";
import type { KeyValue, RoundRow } from "./seed-summary.js";

export interface SeedPoint {
  sampler: string;
  mode: string;
  seed: KeyValue;
  /** "sampler · seed s": one line each. */
  run: string;
  labelled: number;
  value: number;
}

/** The points of every run that has the metric, each run's in labelled order. */
export function seedLines(rows: readonly RoundRow[], options: RunOptions = {}): SeedPoint[] {
  const runs = groupRuns(rows, options);
  const lines = new Set<string>();
  const out: SeedPoint[] = [];
  for (const run of runs) {
    const line = JSON.stringify([run.sampler, run.mode, run.seed]);
    // Same sampler, mode and seed twice: the runs differ in an axis the caller did not pick.
    if (lines.has(line)) {
      const other = runs.find((r) => r !== run && JSON.stringify([r.sampler, r.mode, r.seed]) === line)!;
      const axis = Object.keys(run.key).find((k) => run.key[k] !== other.key[k]);
      throw new Error(`seedLines: sampler ${run.sampler} (${run.mode}) has two runs with seed ${run.seed} (${axis ?? "another column"} differs); pick one ${axis ?? "value"} first`);
    }
    lines.add(line);
    for (const p of run.points) {
      if (p.value !== undefined) out.push({ sampler: run.sampler, mode: run.mode, seed: run.seed, run: `${run.sampler} · seed ${run.seed}`, labelled: p.labelled, value: p.value });
    }
  }
  return out;
}

export interface SeedCurvesOptions {
  metricLabel?: string;
  samplers?: readonly string[];
  logX?: boolean;
  width?: number;
  height?: number;
  document?: Document;
}

export function seedCurves(points: readonly SeedPoint[], options: SeedCurvesOptions = {}): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const { width = 720, height = 360, logX = false } = options;
  if (points.length === 0) throw new Error("seedCurves: no points (no run has this metric here)");
  const modes = orderModes(points.map((p) => p.mode));
  const at = { x: "labelled", y: "value", z: "run", fx: "mode" } as const;
  return Plot.plot({
    document: options.document,
    width,
    height,
    marginRight: 16,
    x: { label: "Labelled examples →", grid: true, type: logX ? "log" : "linear" },
    y: { label: `${options.metricLabel ?? "metric"} (each seed) ↑`, grid: true },
    fx: { label: "Training mode", domain: modes, padding: 0.08 },
    color: { legend: true, label: "Sampler", domain: options.samplers ?? orderSamplers(points.map((p) => p.sampler)) },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      Plot.lineY(points, { ...at, stroke: "sampler", strokeWidth: 1, strokeOpacity: 0.75 }),
      Plot.tip(points, Plot.pointer({ ...at, stroke: "sampler", channels: { seed: { value: "seed", label: "seed" } }, format: { z: false, y: ".3f", fx: true } })),
    ],
  });
}
