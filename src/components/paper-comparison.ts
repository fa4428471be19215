/**
 * A reproduction beside its paper: the comparison table (paper value, our mean ± sd and range
 * over the repetitions, the difference, whether the paper lies inside our range), a dot plot of
 * every repetition with the paper's value marked, and our curves with their spread. Data come
 * from the reproduction loader (src/data/reproduction-data.ts); pure DOM and Plot.
 */
import * as Plot from "@observablehq/plot";

export interface ComparisonRow {
  setting: string;
  sampler: string;
  measure: string;
  paper: number;
  n: number;
  missing: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  difference: number | null;
  inside: boolean;
  notRun?: string;
}

export interface ValueRow {
  setting: string;
  sampler: string;
  repetition: string;
  measure: string;
  value: number | null;
}

export interface CurveRow {
  setting: string;
  sampler: string;
  labelled: number;
  n: number;
  mean: number;
  sd: number | null;
  min: number;
  max: number;
}

export interface PaperTableOptions {
  digits?: number;
  document?: Document;
}

const signed = (v: number, digits: number): string => `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v).toFixed(digits)}`;

/** One row per published value of the given rows (filter them to one measure first). */
export function paperTable(rows: readonly ComparisonRow[], options: PaperTableOptions = {}): HTMLTableElement {
  const doc = options.document ?? document;
  const digits = options.digits ?? 1;
  const f = (v: number | null): string => (v === null ? "—" : v.toFixed(digits));
  const settings = new Set(rows.map((r) => r.setting));
  const table = doc.createElement("table");
  table.className = "paper-comparison";
  const head = table.createTHead().insertRow();
  const columns = [...(settings.size > 1 ? ["Setting"] : []), "Sampler", "Paper", "Ours (mean ± sd)", "Our range", "Ours − paper", "Paper inside our range"];
  for (const c of columns) {
    const th = doc.createElement("th");
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    const cells = [
      ...(settings.size > 1 ? [r.setting] : []),
      r.sampler,
      f(r.paper),
      r.mean === null ? (r.n + r.missing === 0 ? (r.notRun ? `not run: ${r.notRun}` : "not run") : `not reached (${r.missing})`) : `${f(r.mean)}${r.sd === null ? "" : ` ± ${f(r.sd)}`}${r.missing ? ` (${r.missing} not reached)` : ""}`,
      r.min === null ? "—" : r.n === 1 ? "one repetition" : `${f(r.min)}–${f(r.max)}`,
      r.difference === null ? "—" : signed(r.difference, digits),
      // One repetition has no spread to be inside of.
      r.mean === null || r.n === 1 ? "—" : r.inside ? "yes" : "no",
    ];
    for (const [i, text] of cells.entries()) {
      const td = tr.insertCell();
      td.textContent = text;
      if (i >= cells.length - 5) td.style.textAlign = "right";
    }
  }
  return table;
}

export interface PaperDotsOptions {
  setting: string;
  measure: string;
  label?: string;
  width?: number;
  document?: Document;
}

/** Our repetitions (dots), our mean (tick) and the paper's value (a ring) per sampler. */
export function paperDots(values: readonly ValueRow[], comparisons: readonly ComparisonRow[], options: PaperDotsOptions): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const ours = values.filter((v): v is ValueRow & { value: number } => v.setting === options.setting && v.measure === options.measure && v.value !== null);
  const paper = comparisons.filter((c) => c.setting === options.setting && c.measure === options.measure);
  if (ours.length === 0 && paper.length === 0) throw new Error(`paperDots: nothing for ${options.measure} in ${options.setting}`);
  // Paper's samplers first (its table order), then ours only.
  const samplers = [...new Set([...paper.map((c) => c.sampler), ...ours.map((v) => v.sampler)])];
  const means = samplers.flatMap((s) => {
    const vs = ours.filter((v) => v.sampler === s).map((v) => v.value);
    return vs.length ? [{ sampler: s, mean: vs.reduce((a, b) => a + b, 0) / vs.length }] : [];
  });
  return Plot.plot({
    document: options.document,
    width: plotWidth(options.width),
    height: samplers.length * 26 + 60,
    marginLeft: 100,
    x: { label: `${options.label ?? options.measure} →`, grid: true, nice: true, inset: 8 },
    y: { label: null, domain: samplers },
    color: { legend: false },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      Plot.dot(ours, { x: "value", y: "sampler", r: 3, fill: "currentColor", fillOpacity: 0.45, tip: true, channels: { repetition: { value: "repetition", label: "run" } } }),
      Plot.tickX(means, { x: "mean", y: "sampler", strokeWidth: 2 }),
      Plot.dot(paper, { x: "paper", y: "sampler", r: 6, stroke: "#e15759", strokeWidth: 2, symbol: "circle", tip: true, title: (c: ComparisonRow) => `paper: ${c.paper}` }),
    ],
  });
}

export interface ReproductionCurvesOptions {
  setting: string;
  label?: string;
  width?: number;
  document?: Document;
}

/** Our mean curve per sampler with its min–max band over the repetitions. */
export function reproductionCurves(curves: readonly CurveRow[], options: ReproductionCurvesOptions): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const rows = curves.filter((c) => c.setting === options.setting).slice().sort((a, b) => a.labelled - b.labelled);
  if (rows.length === 0) throw new Error(`reproductionCurves: no curve points in ${options.setting}`);
  const samplers = [...new Set(rows.map((r) => r.sampler))];
  return Plot.plot({
    document: options.document,
    width: plotWidth(options.width),
    height: 360,
    x: { label: "Labelled →", grid: true },
    y: { label: `↑ ${options.label ?? "value"}`, grid: true, nice: true },
    color: { domain: samplers, legend: true },
    marks: [
      Plot.areaY(rows, { x: "labelled", y1: "min", y2: "max", fill: "sampler", fillOpacity: 0.12 }),
      Plot.lineY(rows, { x: "labelled", y: "mean", stroke: "sampler", strokeWidth: 1.5, tip: true }),
    ],
  });
}

/**
 * The plot's width: the page's, but never below what the margins need. Framework's `width` can be
 * 0 before the column is laid out (seen at 400 px), and a narrower plot draws negative frames.
 */
function plotWidth(width: number | undefined): number {
  return Math.max(240, width ?? 640);
}
