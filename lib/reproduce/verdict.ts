/**
 * Our numbers beside the paper's: per published value, the mean, standard deviation and range
 * of our repetitions, the difference, and whether the paper's value lies inside our spread
 * (min–max of the repetitions); per setting and measure, whether the samplers' order agrees
 * (Kendall's τ-b). Pure: used by `al reproduce`, the site's reproduction page and the README check.
 */
import { seedSummary } from "../al/stats/seed-summary.ts";
import type { MeasureRow } from "./publish.ts";

export interface PaperRow {
  setting: string;
  sampler: string;
  measure: string;
  value: number;
  notRun?: string;
}

export interface Comparison {
  setting: string;
  sampler: string;
  measure: string;
  paper: number;
  /** Repetitions that have the measure (others did not reach it). */
  n: number;
  /** Repetitions without a value (a target never reached). */
  missing: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  /** ours − paper. */
  difference: number | null;
  /** The paper's value lies within our repetitions' min–max. */
  inside: boolean;
  /** Why this row has no runs of ours, as the study says. */
  notRun?: string;
}

export interface Agreement {
  setting: string;
  measure: string;
  samplers: number;
  /** Kendall's τ-b of our means against the paper's values; null with fewer than 2 samplers. */
  tau: number | null;
  /** Best sampler by the paper and by us (per the measure's direction). */
  paperBest: string;
  oursBest: string | null;
}

/** Comparisons in the paper's order; a paper row with no runs of ours has n = 0. */
export function comparisons(paper: readonly PaperRow[], rows: readonly MeasureRow[]): Comparison[] {
  const groups = new Map<string, Array<number | null>>();
  for (const r of rows) {
    const key = `${r.setting}\u0000${r.sampler}\u0000${r.measure}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r.value);
  }
  return paper.map((p) => {
    const all = groups.get(`${p.setting}\u0000${p.sampler}\u0000${p.measure}`) ?? [];
    const values = all.filter((v): v is number => v !== null);
    const n = values.length;
    const summary = n ? seedSummary(values) : undefined;
    const mean = summary?.mean ?? null;
    const sd = summary?.sd ?? null;
    const min = n ? Math.min(...values) : null;
    const max = n ? Math.max(...values) : null;
    return {
      setting: p.setting,
      sampler: p.sampler,
      measure: p.measure,
      paper: p.value,
      n,
      missing: all.length - n,
      mean,
      sd,
      min,
      max,
      difference: mean === null ? null : mean - p.value,
      inside: min !== null && max !== null && p.value >= min && p.value <= max,
      ...(p.notRun !== undefined ? { notRun: p.notRun } : {}),
    };
  });
}

/** Kendall's τ-b between two equally long arrays (ties in either counted as neither concordant nor discordant). */
export function kendallTau(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length) throw new RangeError(`kendallTau: arrays differ in length (${a.length} vs ${b.length})`);
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  const denominator = Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}

/** Ranking agreement per (setting, measure) over the samplers both sides have. */
export function agreements(list: readonly Comparison[], better: (measure: string) => "higher" | "lower"): Agreement[] {
  const groups = new Map<string, Comparison[]>();
  for (const c of list) {
    const key = `${c.setting}\u0000${c.measure}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(c);
  }
  return [...groups.values()].map((g) => {
    const both = g.filter((c) => c.mean !== null);
    const sign = better(g[0]!.measure) === "higher" ? 1 : -1;
    const bestOf = (list: readonly Comparison[], value: (c: Comparison) => number): Comparison | undefined =>
      list.reduce<Comparison | undefined>((best, c) => (best === undefined || sign * value(c) > sign * value(best) ? c : best), undefined);
    return {
      setting: g[0]!.setting,
      measure: g[0]!.measure,
      samplers: both.length,
      tau: both.length < 2 ? null : kendallTau(both.map((c) => c.paper), both.map((c) => c.mean!)),
      paperBest: bestOf(g, (c) => c.paper)!.sampler,
      oursBest: bestOf(both, (c) => c.mean!)?.sampler ?? null,
    };
  });
}

/** One line for a comparison: "47.9 vs ours 45.2 ± 1.3 (−2.7, outside 43.0–47.1)". */
export function describeComparison(c: Comparison, digits = 1): string {
  const f = (v: number): string => v.toFixed(digits);
  if (c.mean === null) return c.missing === 0 ? `paper ${f(c.paper)}; ours: not run${c.notRun ? ` (${c.notRun})` : ""}` : `paper ${f(c.paper)}; ours: not reached in any of ${c.missing} repetition(s)`;
  const sign = c.difference! > 0 ? "+" : c.difference! < 0 ? "−" : "±";
  // One repetition has no spread to put the paper's value inside or outside of.
  const range = c.n === 1 ? "one repetition, no range" : `${c.inside ? "inside" : "outside"} our range ${f(c.min!)}–${f(c.max!)}`;
  return `paper ${f(c.paper)}, ours ${f(c.mean)}${c.sd !== null ? ` ± ${f(c.sd)}` : ""} (${sign}${f(Math.abs(c.difference!))}; ${range}${c.missing ? `; ${c.missing} not reached` : ""})`;
}

export interface CurvePoint {
  setting: string;
  sampler: string;
  labelled: number;
  n: number;
  mean: number;
  sd: number | null;
  min: number;
  max: number;
}

/** Mean, sd and range over the repetitions at each labelled count, per setting and sampler. */
export function curveSummary(rows: ReadonlyArray<{ setting: string; sampler: string; labelled: number; value: number }>): CurvePoint[] {
  const groups = new Map<string, { setting: string; sampler: string; labelled: number; values: number[] }>();
  for (const r of rows) {
    const key = `${r.setting}\u0000${r.sampler}\u0000${r.labelled}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { setting: r.setting, sampler: r.sampler, labelled: r.labelled, values: [] }));
    g.values.push(r.value);
  }
  return [...groups.values()].map(({ values, ...key }) => {
    const { n, mean, sd } = seedSummary(values);
    return { ...key, n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
  });
}

/** The README's verdict for one study: its headline number and whether levels and order hold. */
export interface Headline {
  label: string;
  paper: number;
  mean: number | null;
  sd: number | null;
  /** Decimals the measure is shown with. */
  digits: number;
  verdict: string;
}

/** The headline's numbers as the README and the index show them: "45.6 ± 1.4" and "48.1". */
export function headlineText(h: Headline): { ours: string; paper: string } {
  const ours = h.mean === null ? "—" : `${h.mean.toFixed(h.digits)}${h.sd === null ? "" : ` ± ${h.sd.toFixed(h.digits)}`}`;
  return { ours, paper: h.paper.toFixed(h.digits) };
}

/** τ at or above this counts as "the order holds" (most pairs of samplers ordered as in the paper). */
export const ORDER_HOLDS_TAU = 0.6;

/** Fewest samplers an order claim is made over: with two, τ is ±1 whichever way one pair falls. */
export const ORDER_MIN_SAMPLERS = 3;

export function headline(list: readonly Comparison[], order: readonly Agreement[], which: { measure: string; sampler: string; setting?: string }, digits = 1): Headline {
  const setting = which.setting ?? "all";
  const c = list.find((x) => x.measure === which.measure && x.sampler === which.sampler && x.setting === setting);
  if (!c) throw new Error(`headline: no paper value for ${which.measure} of ${which.sampler} in ${setting}`);
  const label = `${which.measure} of ${which.sampler}${setting === "all" ? "" : ` (${setting})`}`;
  if (c.mean === null) return { label, paper: c.paper, mean: null, sd: null, digits, verdict: c.missing > 0 ? "not reached in our runs" : "not run" };
  const level = c.inside ? "level matches (inside our range)" : `level differs by ${c.difference! > 0 ? "+" : "−"}${Math.abs(c.difference!).toFixed(digits)}`;
  // Order over every setting of the headline's measure.
  const taus = order.filter((a) => a.measure === which.measure && a.tau !== null && a.samplers >= ORDER_MIN_SAMPLERS);
  const orders = taus.map((a) => `${a.setting === "all" ? "" : `${a.setting} `}τ ${a.tau!.toFixed(2)}`);
  const holds = taus.length > 0 && taus.every((a) => a.tau! >= ORDER_HOLDS_TAU);
  const orderText = taus.length === 0 ? "" : `; order ${holds ? "holds" : "differs"} (${orders.join(", ")})`;
  return { label, paper: c.paper, mean: c.mean, sd: c.sd, digits, verdict: level + orderText };
}
