/**
 * Retrain and keep-train side by side for each sampler: one panel per sampler (wrapped), one line
 * per mode (mean over seeds) with the seeds' 95% CI as a band, so a reader sees where keeping the
 * previous round's weights costs accuracy. Every key column but sampler and mode must already be
 * picked: more than one curve per sampler × mode is refused, never averaged.
 */
import * as Plot from "@observablehq/plot";
import { facetWrap, panelTitles } from "./facet-wrap.js";
import { orderModes, orderSamplers } from "./run-groups.js";
import { seedSummary, type RoundRow, type SeedSummaryRow } from "./seed-summary.js";

export interface PairedCurvesOptions {
  metric?: string;
  metricLabel?: string;
  /** Panel order; default random first, then alphabetical. */
  samplers?: readonly string[];
  width?: number;
  /** Height of one row of panels. */
  panelHeight?: number;
  document?: Document;
}

export type Figure = (SVGSVGElement | HTMLElement) & Plot.Plot;

export function pairedCurves(rows: readonly RoundRow[], options: PairedCurvesOptions = {}): Figure {
  const { metric = "accuracy", width = 720, panelHeight = 220 } = options;
  const summary = seedSummary(rows, { metric });
  const seen = new Set<string>();
  for (const d of summary) {
    const id = JSON.stringify([d.sampler, d.mode, d.labelled]);
    if (seen.has(id)) throw new Error(`pairedCurves: sampler ${d.sampler} has several ${d.mode} curves; pick one value of every other grid axis first`);
    seen.add(id);
  }
  const present = new Set(summary.map((d) => d.sampler));
  const samplers = (options.samplers ?? orderSamplers(present)).filter((s) => present.has(s));
  const wrap = facetWrap(samplers, width);
  const modes = orderModes(summary.map((d) => d.mode));
  const at = { x: "labelled", fx: (d: SeedSummaryRow) => wrap.fx(d.sampler), fy: (d: SeedSummaryRow) => wrap.fy(d.sampler) } as const;
  const label = options.metricLabel ?? metric;
  return Plot.plot({
    document: options.document,
    width,
    height: wrap.rows * panelHeight + 60,
    marginRight: 16,
    x: { label: "Labelled examples →", grid: true },
    y: { label: `${label} (mean over seeds) ↑`, grid: true },
    fx: { axis: null, padding: 0.08 },
    fy: { axis: null, padding: 0.12 },
    color: { legend: true, label: "Mode", domain: modes },
    marks: [
      Plot.frame({ strokeOpacity: 0.15 }),
      Plot.areaY(summary, { ...at, y1: "ciLow", y2: "ciHigh", fill: "mode", fillOpacity: 0.15 }),
      Plot.lineY(summary, { ...at, y: "mean", stroke: "mode", strokeWidth: 1.75 }),
      Plot.dot(summary, { ...at, y: "mean", fill: "mode", r: 1.75 }),
      Plot.tip(summary, Plot.pointer({ ...at, y: "mean", stroke: "mode", channels: { sampler: { value: "sampler", label: "sampler" }, seeds: { value: "n", label: "seeds" } }, format: { fx: false, fy: false, y: ".3f" } })),
      panelTitles(samplers, wrap),
    ],
  });
}
