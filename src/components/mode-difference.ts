/**
 * keep-train − retrain at each labelled count, paired by seed (the same seed shares the initial
 * set and the data split, so the difference removes most seed noise), then mean and Student-t 95%
 * CI over seeds; drawn per sampler with a zero rule: below zero keep-train lost accuracy.
 */
import * as Plot from "@observablehq/plot";
import { interval } from "./curve-summary.js";
import { facetWrap, panelTitles } from "./facet-wrap.js";
import { groupRuns, keyId, orderSamplers, type RunOptions } from "./run-groups.js";
import type { KeyValue, RoundRow } from "./seed-summary.js";

export interface ModeDifferenceRow {
  sampler: string;
  labelled: number;
  mean: number;
  ciLow: number;
  ciHigh: number;
  /** Seeds with a value in both modes at this count. */
  n: number;
  [key: string]: KeyValue;
}

export interface ModeDifferenceOptions extends RunOptions {
  /** The mode subtracted from; default "keep-train". */
  minuend?: string;
  /** The mode subtracted; default "retrain". */
  subtrahend?: string;
}

export function modeDifference(rows: readonly RoundRow[], options: ModeDifferenceOptions = {}): ModeDifferenceRow[] {
  const { minuend = "keep-train", subtrahend = "retrain" } = options;
  // (curve key without mode, labelled) → seed → [minuend value, subtrahend value]
  const pairs = new Map<string, { key: Record<string, KeyValue>; labelled: number; seeds: Map<string, [number?, number?]> }>();
  for (const run of groupRuns(rows, options)) {
    const slot = run.mode === minuend ? 0 : run.mode === subtrahend ? 1 : -1;
    if (slot < 0) continue;
    const { mode: _mode, ...key } = run.key;
    for (const p of run.points) {
      if (p.value === undefined) continue;
      const id = JSON.stringify([keyId(run.key, ["mode"]), p.labelled]);
      let pair = pairs.get(id);
      if (!pair) pairs.set(id, (pair = { key, labelled: p.labelled, seeds: new Map() }));
      const seed = String(run.seed);
      const both: [number?, number?] = pair.seeds.get(seed) ?? [];
      if (slot === 0) both[0] = p.value;
      else both[1] = p.value;
      pair.seeds.set(seed, both);
    }
  }
  const out: ModeDifferenceRow[] = [];
  for (const { key, labelled, seeds } of pairs.values()) {
    const diffs = [...seeds.values()].filter((b) => b[0] !== undefined && b[1] !== undefined).map((b) => b[0]! - b[1]!);
    if (diffs.length === 0) continue;
    const ci = interval(diffs);
    out.push({ ...key, sampler: String(key.sampler), labelled, mean: ci.mean, ciLow: ci.ciLow, ciHigh: ci.ciHigh, n: diffs.length });
  }
  return out.sort((a, b) => (a.sampler < b.sampler ? -1 : a.sampler > b.sampler ? 1 : 0) || a.labelled - b.labelled);
}

export interface ModeDifferenceChartOptions {
  metricLabel?: string;
  samplers?: readonly string[];
  width?: number;
  panelHeight?: number;
  document?: Document;
}

export function modeDifferenceChart(diffs: readonly ModeDifferenceRow[], options: ModeDifferenceChartOptions = {}): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const { width = 720, panelHeight = 200 } = options;
  if (diffs.length === 0) throw new Error("modeDifferenceChart: no paired values (no seed ran both modes here)");
  const present = new Set(diffs.map((d) => d.sampler));
  const samplers = (options.samplers ?? orderSamplers(present)).filter((s) => present.has(s));
  const seen = new Set<string>();
  for (const d of diffs) {
    const id = JSON.stringify([d.sampler, d.labelled]);
    if (seen.has(id)) throw new Error(`modeDifferenceChart: sampler ${d.sampler} has several curves; pick one value of every other grid axis first`);
    seen.add(id);
  }
  const wrap = facetWrap(samplers, width);
  const at = { x: "labelled", fx: (d: ModeDifferenceRow) => wrap.fx(d.sampler), fy: (d: ModeDifferenceRow) => wrap.fy(d.sampler) } as const;
  return Plot.plot({
    document: options.document,
    width,
    height: wrap.rows * panelHeight + 50,
    marginRight: 16,
    x: { label: "Labelled examples →", grid: true },
    y: { label: `${options.metricLabel ?? "metric"}: keep-train − retrain`, grid: true },
    fx: { axis: null, padding: 0.08 },
    fy: { axis: null, padding: 0.12 },
    color: { domain: options.samplers ?? samplers },
    marks: [
      Plot.frame({ strokeOpacity: 0.15 }),
      Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.6 }),
      Plot.areaY(diffs, { ...at, y1: "ciLow", y2: "ciHigh", fill: "sampler", fillOpacity: 0.2 }),
      Plot.lineY(diffs, { ...at, y: "mean", stroke: "sampler", strokeWidth: 1.75 }),
      Plot.tip(diffs, Plot.pointer({ ...at, y: "mean", channels: { low: { value: "ciLow", label: "CI low" }, high: { value: "ciHigh", label: "CI high" }, seeds: { value: "n", label: "seeds" } }, format: { fx: false, fy: false, y: "+.3f", low: "+.3f", high: "+.3f" } })),
      panelTitles(samplers, wrap),
    ],
  });
}
