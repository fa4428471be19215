/**
 * The grid axes of an experiment's runs, as short text labels. Every axis but sampler and seed
 * must be a picker or a facet on a page (never pooled into a seed band), so each run gets one
 * label per axis; an axis the experiment does not vary gets the same label on every run.
 * Pure: used by the loader (Node) and by component tests.
 */

/** Rounds-file column → the run config field it labels (mode, sampler and seed are columns already). */
export const GRID_AXES = {
  dataset: "dataset",
  learner: "learner",
  initial: "initial",
  acquisition: "acquisition",
  rounds: "rounds",
  budget: "budget",
  epochs: "epochs",
  period: "period",
  saturation: "saturation",
  mc_samples: "mcSamples",
  cost_budget: "costBudget",
  oracle: "oracle",
} as const;

export type GridAxis = keyof typeof GRID_AXES;
export const GRID_AXIS_NAMES = Object.keys(GRID_AXES) as GridAxis[];

/** The columns that tell curves apart besides the x value: every axis, mode, kind and baseline, never seed. */
export const CURVE_KEYS = [...GRID_AXIS_NAMES, "sampler", "mode", "kind", "baseline_percent"] as const;

export type AxisLabels = Record<GridAxis, string>;

/** Labels for each run config (in order). A label is the value's name or size when that alone tells the values apart. */
export function gridAxisLabels(configs: readonly unknown[]): AxisLabels[] {
  const out = configs.map(() => ({}) as AxisLabels);
  for (const axis of GRID_AXIS_NAMES) {
    const values = configs.map((c) => (isRecord(c) ? c[GRID_AXES[axis]] : undefined));
    const full = values.map((v) => canonical(v));
    const perfect = axis === "oracle" && values.some((v) => v !== undefined);
    const short = values.map((v) => shortLabel(v, perfect));
    // The short label must map to one value only; otherwise fall back to the full description.
    const meaning = new Map<string, string>();
    let ambiguous = false;
    short.forEach((s, i) => {
      const seen = meaning.get(s);
      if (seen === undefined) meaning.set(s, full[i]!);
      else if (seen !== full[i]) ambiguous = true;
    });
    values.forEach((_, i) => {
      out[i]![axis] = ambiguous && full[i] !== short[i] ? `${short[i]} ${describe(values[i])}` : short[i]!;
    });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shortLabel(value: unknown, perfect = false): string {
  // Beside noisy oracles, no oracle is the perfect annotator they are compared with.
  if (value === undefined || value === null) return perfect ? "perfect" : "—";
  if (isRecord(value)) {
    if (typeof value.noise === "number") return `noise ${value.noise}`;
    if (Array.isArray(value.confusion)) return "confusion";
    if (typeof value.column === "string") return `column ${value.column}`;
    if (typeof value.name === "string") return value.name;
    if (typeof value.size === "number") return String(value.size);
    if (typeof value.samples === "number") return `${value.method ?? ""} ${value.samples}`.trim();
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** What the short label leaves out: the other fields, compactly, without code hashes. */
function describe(value: unknown): string {
  if (!isRecord(value)) return "";
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== "name" && k !== "code" && !(k === "size" && typeof value.size === "number" && !("name" in value))));
  const body = JSON.stringify(sortKeys(rest));
  return body === "{}" ? "" : body.replace(/"([A-Za-z_$][\w$]*)":/g, "$1:");
}

function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "undefined";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).filter((k) => k !== "code").sort().map((k) => [k, sortKeys(value[k])]));
}
