/**
 * A reproduction: an experiment file's published numbers and how to compute ours from its
 * stored runs. An experiment under experiments/reproductions/ exports it beside its default
 * export (`export const reproduction = defineReproduction({...})`); `al reproduce` runs the
 * grid, computes every measure per run and ships the result under results/published/<study>/,
 * which the site's reproduction page reads without recomputing anything.
 */
import type { RunConfig } from "../experiments/spec.ts";

/** One evaluation of a stored run: its labelled count and the metrics stored for it. */
export interface ReproductionRound {
  round: number;
  labelled: number;
  metrics: Readonly<Record<string, number>>;
}

/** A stored run as measures see it; rounds sorted by round. */
export interface ReproductionRun {
  config: RunConfig;
  rounds: readonly ReproductionRound[];
  /** Wall seconds the run took. */
  seconds: number;
}

export interface Measure {
  /** What the number is, for tables ("AUC: mean test accuracy × 100"). */
  label: string;
  better: "higher" | "lower";
  /**
   * This run's value; undefined where the run does not reach it (e.g. labels to reach a target).
   * `runs` (al reproduce always passes it) is every done run of the grid, for measures that pair a run with others (versus-random.ts).
   */
  of: (run: ReproductionRun, runs?: readonly ReproductionRun[]) => number | undefined;
  /** Decimals shown (default 1). */
  digits?: number;
}

/** One published number: a measure of one sampler in one setting. */
export interface PaperValue {
  /** Default "all" (a study without settings). */
  setting?: string;
  sampler: string;
  measure: string;
  value: number;
  /** Why we have no runs for this row (e.g. the sampler does not exist for this task); shown on the page. */
  notRun?: string;
}

export interface Reproduction {
  /** The experiment's name (its results live under results/published/<study>/). */
  study: string;
  title: string;
  citation: string;
  url?: string;
  /** Groups runs compared with one paper row (e.g. "low-dim" / "high-dim"); default "all". */
  setting?: (config: RunConfig) => string;
  /** The sampler's name as the paper's table names it; default the sampler's registered name ("naive p%" for baselines). */
  sampler?: (config: RunConfig) => string;
  /** Which repetition a run is within its setting and sampler; default its seed (and "swapped split" for a swapped one). */
  repetition?: (config: RunConfig) => string;
  measures: Readonly<Record<string, Measure>>;
  paper: readonly PaperValue[];
  /**
   * Published profiles the page (and the README's row) shows first, best-informed first; the
   * rest follow in the default order (full, local, then by name).
   */
  profiles?: readonly string[];
  /** The README's one number per study: this measure of this sampler (in this setting). */
  headline: { measure: string; sampler: string; setting?: string };
  /** The curve drawn on the page: a stored metric against labelled count, × scale. */
  curve: { metric: string; label: string; scale?: number };
  /** What the page says about where and why we differ (paragraphs, plain text); written after running, never tuned. */
  discussion: readonly string[];
  /** What the run here differs from the paper's protocol in (data, sizes), stated on the page. */
  deviations?: readonly string[];
}

export function defineReproduction(input: Reproduction): Reproduction {
  const where = `reproduction "${input.study}"`;
  const measures = Object.keys(input.measures);
  if (measures.length === 0) throw new Error(`${where}: measures is empty; define at least one (e.g. the paper's headline figure)`);
  for (const [i, p] of input.paper.entries()) {
    if (!(p.measure in input.measures)) throw new Error(`${where}: paper[${i}].measure "${p.measure}" is not one of the measures (${measures.join(", ")})`);
    if (!Number.isFinite(p.value)) throw new Error(`${where}: paper[${i}].value must be a finite number, got ${p.value}`);
  }
  for (const p of input.profiles ?? []) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(p)) throw new Error(`${where}: profiles entry "${p}" is not a profile name (lower-case letters, digits, . _ -)`);
  }
  const h = input.headline;
  if (!input.paper.some((p) => p.measure === h.measure && p.sampler === h.sampler && (p.setting ?? "all") === (h.setting ?? "all"))) {
    throw new Error(`${where}: headline (${h.measure}, ${h.sampler}${h.setting ? `, ${h.setting}` : ""}) has no paper value; add it to paper`);
  }
  return input;
}

/** Mean of a metric over a run's evaluations (undefined when no round has it). */
export function meanOf(run: ReproductionRun, metric: string, rounds: (r: ReproductionRound) => boolean = () => true): number | undefined {
  let sum = 0;
  let n = 0;
  for (const r of run.rounds) {
    const v = r.metrics[metric];
    if (v !== undefined && rounds(r)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? undefined : sum / n;
}

/** The first labelled count at which `metric` reaches `target` (≥ for higher-better, ≤ for lower-better). */
export function labelsToReach(run: ReproductionRun, metric: string, target: number, better: "higher" | "lower" = "higher"): number | undefined {
  for (const r of run.rounds) {
    const v = r.metrics[metric];
    if (v !== undefined && (better === "higher" ? v >= target : v <= target)) return r.labelled;
  }
  return undefined;
}
