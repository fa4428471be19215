/**
 * The bench history: one chart per case of its headline ratio over time (one dot per
 * `npm run bench` run, a rule from its min to its max), with the line at 1 (as fast as the
 * reference, or exactly the goal). Rows come from src/data/bench-rows.ts.
 */
import * as Plot from "@observablehq/plot";

/** One case in one `npm run bench` run. */
export interface BenchPoint {
  /** The run's ISO date. */
  date: string;
  case: string;
  ratio: number;
  min: number;
  max: number;
  /** Which figure `ratio` is: the interleaved CPU ratio, or the case's own ratio. */
  measure: "cpuRatio" | "ratio";
}

export interface BenchChartOptions {
  document?: Document;
  width?: number;
  height?: number;
}

/** The cases, in name order. */
export function benchCases(rows: readonly BenchPoint[]): string[] {
  return [...new Set(rows.map((r) => r.case))].sort();
}

const yLabel = (rows: readonly BenchPoint[]): string =>
  rows.every((r) => r.measure === "cpuRatio") ? "CPU time, ours ÷ reference (median of the pairs)" : "ratio (the case's own: to its reference or goal)";

/** One case's chart; throws when the rows hold no case or several. */
export function benchChart(rows: readonly BenchPoint[], options: BenchChartOptions = {}): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const cases = benchCases(rows);
  if (cases.length !== 1) throw new Error(`benchChart: expected the rows of one case, got ${cases.length} (${cases.slice(0, 3).join(", ")}); filter by case first`);
  const points = rows.map((r) => ({ ...r, when: new Date(r.date) }));
  const bad = points.find((p) => Number.isNaN(p.when.getTime()));
  if (bad) throw new Error(`benchChart: ${bad.case}: date ${JSON.stringify(bad.date)} is not an ISO date`);
  const { width = 640, height = 220 } = options;
  return Plot.plot({
    document: options.document,
    width,
    height,
    marginLeft: 48,
    x: { label: "run", type: "utc" },
    y: { label: `${yLabel(rows)} ↓`, grid: true, zero: true },
    marks: [
      Plot.ruleY([1], { strokeDasharray: "4,3", strokeOpacity: 0.6 }),
      Plot.ruleX(points, { x: "when", y1: "min", y2: "max", strokeOpacity: 0.5 }),
      Plot.lineY(points, { x: "when", y: "ratio", strokeWidth: 1.5 }),
      Plot.dot(points, { x: "when", y: "ratio", fill: "currentColor", r: 2.5 }),
      Plot.tip(points, Plot.pointerX({ x: "when", y: "ratio", channels: { min: "min", max: "max" }, format: { y: ".3f", min: ".3f", max: ".3f" } })),
    ],
  });
}

/** Every case's chart under its name; an element saying so when there is no history. */
export function benchCharts(rows: readonly BenchPoint[], options: BenchChartOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const root = doc.createElement("div");
  if (rows.length === 0) {
    const p = doc.createElement("p");
    p.className = "muted";
    p.textContent = "No bench history yet: `npm run bench` keeps each run as results/bench/<date>.json, and the next build plots them here.";
    root.append(p);
    return root;
  }
  for (const name of benchCases(rows)) {
    const h = doc.createElement("h3");
    h.textContent = name;
    root.append(h, benchChart(rows.filter((r) => r.case === name), options));
  }
  return root;
}
