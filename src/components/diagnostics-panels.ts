/**
 * Small multiples of the per-round diagnostics (contradiction ratio, κ, exploration gain,
 * agreement, batch accuracy, easiness, noisy ratio, uncertainty summaries): one panel per
 * diagnostic the rows hold, a line per sampler (mean over seeds) with the seed range as a band,
 * each panel titled with the metric and the catalogue's text. The rows must be one setting:
 * every grid axis but sampler and seed already picked (a pooled axis is refused, not averaged).
 * DOM + textContent only: descriptions and names are stored text.
 */
import * as Plot from "@observablehq/plot";
import { seedSummary, type RoundRow, type SeedSummaryRow } from "./seed-summary.js";

/** What the catalogue (lib/al/metrics/index.ts) says about a diagnostic; the loader ships it. */
export interface DiagnosticInfo {
  key: string;
  scope: string;
  better: "higher" | "lower" | "neither";
  description: string;
  helps: string;
}

export interface AbsentDiagnostic {
  key: string;
  reason: string;
}

/** Why a diagnostic may be missing from a run's rounds (lib/al/round-metrics.ts stores it only then). */
const NEEDS: Record<string, string> = {
  easiness: "needs a reference classifier (the experiment's `reference` option)",
  noisy_ratio: "needs a data set that records which labels are noise (a `noisy` flag, as noisy-blobs has)",
  contradiction_ratio: "compares consecutive rounds' single-label predictions (not stored for multi-label runs)",
  stability_kappa: "compares consecutive rounds' single-label predictions (not stored for multi-label runs)",
};
const LEFT_OUT = "not stored (an experiment's `metrics` list can leave it out)";

/** Which diagnostics have at least one value in `rows` (in catalogue order), and why the others may not. */
export function diagnosticAvailability(
  rows: readonly RoundRow[],
  diagnostics: readonly DiagnosticInfo[],
): { present: DiagnosticInfo[]; absent: AbsentDiagnostic[] } {
  const present: DiagnosticInfo[] = [];
  const absent: AbsentDiagnostic[] = [];
  for (const d of diagnostics) {
    const has = rows.some((r) => {
      const v = (r as Record<string, unknown>)[d.key];
      return typeof v === "number" && Number.isFinite(v);
    });
    if (has) present.push(d);
    else absent.push({ key: d.key, reason: NEEDS[d.key] ?? LEFT_OUT });
  }
  return { present, absent };
}

/** One panel's points: mean, sd, range over seeds per sampler and labelled count; refuses a pooled axis. */
export function panelSeries(rows: readonly RoundRow[], key: string): SeedSummaryRow[] {
  const summary = seedSummary(rows, { metric: key });
  const seen = new Map<string, SeedSummaryRow>();
  for (const row of summary) {
    const id = JSON.stringify([row.sampler, row.labelled]);
    const other = seen.get(id);
    if (other) {
      const axis = Object.keys(row).find((k) => !["mean", "sd", "min", "max", "ciLow", "ciHigh", "n"].includes(k) && row[k] !== other[k]) ?? "setting";
      throw new Error(
        `diagnosticPanels: the rows hold several ${axis} values (${String(other[axis])}, ${String(row[axis])}) for sampler ${row.sampler}; pick one ${axis} first`,
      );
    }
    seen.set(id, row);
  }
  return summary;
}

export interface DiagnosticPanelsOptions {
  /** The diagnostics to draw (the loader's catalogue text); those without values in the rows are left out. */
  diagnostics: readonly DiagnosticInfo[];
  /** Sampler colour order, shared by every panel; default the rows' (random first). */
  samplers?: readonly string[];
  /** Draw the min–max seed band; default true. */
  band?: boolean;
  /** Width available for all panels; panels wrap into columns of about 320 px. */
  width?: number;
  /** For tests (jsdom); the page's document otherwise. */
  document?: Document;
}

const ARROW = { higher: " ↑", lower: " ↓", neither: "" } as const;

/** A <div class="diagnostic-panels">: a sampler legend, then one <figure class="diagnostic-panel"> per present diagnostic. */
export function diagnosticPanels(rows: readonly RoundRow[], options: DiagnosticPanelsOptions): HTMLElement {
  const doc = options.document ?? document;
  const { present } = diagnosticAvailability(rows, options.diagnostics);
  const samplers = options.samplers ? [...options.samplers] : orderSamplers(rows);
  const width = options.width ?? 960;
  const columns = Math.max(1, Math.min(present.length, Math.floor(width / 320)));
  const panelWidth = Math.max(240, Math.floor((width - (columns - 1) * 16) / columns));

  // One labelled axis for all panels: change metrics start a round later, batch metrics end a round earlier.
  const labelled = rows.map((r) => Number((r as Record<string, unknown>).labelled)).filter(Number.isFinite);
  const xDomain = labelled.length ? [Math.min(...labelled), Math.max(...labelled)] : undefined;

  const root = doc.createElement("div");
  root.className = "diagnostic-panels";
  // Plot's legend takes a document (as Plot.plot does) though its types omit it.
  const legend: Plot.LegendScales & { document: Document } = { color: { domain: samplers, type: "categorical", label: "Sampler" }, document: doc };
  root.append(Plot.legend(legend));
  const grid = doc.createElement("div");
  grid.className = "diagnostic-grid";
  grid.style.display = "grid";
  grid.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
  grid.style.gap = "16px";
  root.append(grid);

  for (const info of present) {
    const series = panelSeries(rows, info.key);
    const figure = doc.createElement("figure");
    figure.className = "diagnostic-panel";
    figure.dataset.metric = info.key;
    figure.style.margin = "0";
    const title = doc.createElement("h3");
    title.textContent = info.key;
    const description = doc.createElement("p");
    description.className = "diagnostic-description";
    description.textContent = info.description;
    // z explicit: a panel may have one point per sampler (a change metric over two rounds).
    const common = { x: "labelled", y: "mean", stroke: "sampler", z: "sampler" } as const;
    const marks: Plot.Markish[] = [Plot.frame({ strokeOpacity: 0.1 })];
    if (options.band ?? true) marks.push(Plot.areaY(series, { x: "labelled", y1: "min", y2: "max", fill: "sampler", z: "sampler", fillOpacity: 0.15 }));
    marks.push(
      Plot.lineY(series, { ...common, strokeWidth: 1.5 }),
      Plot.dot(series, { x: "labelled", y: "mean", fill: "sampler", r: 2 }),
      Plot.tip(series, Plot.pointer({ ...common, channels: { min: "min", max: "max", seeds: "n" }, format: { y: ".3~f", min: ".3~f", max: ".3~f", x: true, stroke: true } })),
    );
    const plot = Plot.plot({
      document: doc,
      width: panelWidth,
      height: 200,
      marginLeft: 48,
      x: { label: "Labelled →", grid: true, domain: xDomain },
      // Our own arrow says which way is good; Plot's default "↑" would claim it for every metric.
      y: { label: `${info.key}${ARROW[info.better] ?? ""}`, labelArrow: "none", grid: true, nice: true },
      color: { domain: samplers },
      marks,
    });
    const helps = doc.createElement("figcaption");
    helps.className = "diagnostic-helps";
    helps.textContent = info.helps;
    figure.append(title, description, plot, helps);
    grid.append(figure);
  }
  return root;
}

/** Random is the baseline every other sampler is judged against: list it first. */
function orderSamplers(rows: readonly RoundRow[]): string[] {
  const all = new Set(rows.map((r) => String((r as Record<string, unknown>).sampler)));
  const rest = [...all].filter((s) => s !== "random").sort();
  return all.has("random") ? ["random", ...rest] : rest;
}
