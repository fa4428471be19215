import type { RunConfig } from "../experiments/spec.ts";

/**
 * Progress of an `al run`, as events. The runner reports; a sink decides how to show it: plain
 * lines (logs, loaders, CI) or a live bar on a terminal (lib/cli/progress-bar.ts).
 */
export interface ProgressSink {
  /** The grid is known: `total` runs, `pending` of them to compute. */
  start(info: { experiment: string; total: number; pending: number; workers: number; backend: string }): void;
  runStart(run: { id: string; label: string; rounds: number; resumedAfter?: number }): void;
  round(run: { id: string; label: string; round: number; rounds: number; metrics: Record<string, number> }): void;
  runEnd(run: { id: string; label: string; ok: boolean; seconds: number; detail: string }): void;
  /** Called once at the end (success or not), to restore the terminal. */
  close(): void;
}

/** One line per event worth a line; rounds are silent (a grid has thousands of them). */
export function plainProgress(log: (line: string) => void): ProgressSink {
  let finished = 0;
  let pending = 0;
  return {
    start(info) {
      pending = info.pending;
      log(
        `${info.experiment}: ${info.total} runs (${info.total - info.pending} already stored, ${info.pending} to run) on ${info.backend}` +
          (info.pending > 1 ? ` with ${Math.min(info.workers, info.pending)} worker(s)` : ""),
      );
    },
    runStart(run) {
      if (run.resumedAfter !== undefined) log(`${run.label}: resuming after round ${run.resumedAfter}`);
    },
    round() {},
    runEnd(run) {
      log(`[${++finished}/${pending}] ${run.label}: ${run.ok ? `done in ${run.seconds.toFixed(1)} s, ${run.detail}` : `FAILED: ${run.detail}`}`);
    },
    close() {},
  };
}

export type Named = { name: string; options?: Record<string, unknown> };

/**
 * Display names for one axis of named things (data sets, learners, samplers): the name alone,
 * or, where one name comes with several option sets, the name with the options that differ.
 */
export function axisNames(values: readonly Named[]): (value: Named) => string {
  const options = (v: Named): Record<string, unknown> => {
    const { name: _n, dir: _d, options: o, ...rest } = v as Named & { dir?: string };
    return { ...rest, ...(o ?? {}) };
  };
  const byName = new Map<string, Array<Record<string, unknown>>>();
  for (const v of values) byName.set(v.name, [...(byName.get(v.name) ?? []), options(v)]);
  return (v) => {
    const variants = byName.get(v.name) ?? [];
    const keys = new Set(variants.flatMap((o) => Object.keys(o)));
    const differing = [...keys].filter((k) => new Set(variants.map((o) => JSON.stringify(o[k]))).size > 1).sort();
    if (differing.length === 0) return v.name;
    const mine = options(v);
    // A code-defined component's source hash: 12 hex digits tell versions apart (as git does).
    const shown = (k: string): string => (k === "code" && typeof mine[k] === "string" ? (mine[k] as string).slice(0, 12) : mine[k] === undefined ? "default" : JSON.stringify(mine[k]));
    return `${v.name} (${differing.map((k) => `${k} ${shown(k)}`).join(", ")})`;
  };
}

/**
 * Labels for a grid's runs, naming every axis that varies over `grid` (data set, learner,
 * sampler, mode, initial and batch sizes, rounds or budget, epochs, period, seed), e.g.
 * "wdbc · knn · margin · retrain · seed 2". Sampler, mode and seed are always named, as they
 * tell runs of the same cell apart; baseline runs read "baseline 10% · logistic · seed 0".
 */
export function runLabeller(grid: readonly RunConfig[]): (config: RunConfig) => string {
  const distinct = <T>(pick: (c: RunConfig) => T): boolean => new Set(grid.map((c) => JSON.stringify(pick(c)))).size > 1;
  const dataset = axisNames(grid.map((c) => c.dataset));
  const learner = axisNames(grid.map((c) => c.learner));
  const al = grid.filter((c) => c.baseline === undefined);
  const sampler = axisNames(al.map((c) => c.sampler));
  const varies = {
    dataset: distinct((c) => ("dir" in c.dataset ? { ...c.dataset, dir: undefined } : c.dataset)),
    learner: distinct((c) => c.learner),
    epochs: distinct((c) => c.epochs),
  };
  // Sizes, rounds and periods only mean something for AL runs: compare those among AL runs.
  const alVaries = (pick: (c: RunConfig) => unknown): boolean => new Set(al.map((c) => JSON.stringify(pick(c)))).size > 1;
  const sizes = {
    initial: alVaries((c) => c.initial),
    acquisition: alVaries((c) => c.acquisition.size),
    candidates: alVaries((c) => c.acquisition.candidates ?? null),
    // Only samplers that draw MC samples carry a setting: compare among those.
    mc: new Set(al.filter((c) => c.mcSamples !== undefined).map((c) => JSON.stringify(c.mcSamples))).size > 1,
    stop: alVaries((c) => [c.rounds, c.budget, c.costBudget]),
    oracle: alVaries((c) => c.oracle ?? null),
    period: alVaries((c) => c.period),
  };
  return (c) => {
    const parts: string[] = [];
    if (c.baseline !== undefined) parts.push(`baseline ${c.baseline.percent}%`);
    if (varies.dataset) parts.push(dataset(c.dataset));
    // A baseline names its learner always: it is what the baseline trains.
    if (varies.learner || c.baseline !== undefined) parts.push(learner(c.learner));
    if (c.baseline === undefined) {
      parts.push(sampler(c.sampler));
      if (sizes.mc && c.mcSamples !== undefined) parts.push(`${c.mcSamples.method} ${c.mcSamples.samples}`);
      parts.push(c.mode);
      if (sizes.initial) parts.push(`initial ${c.initial.size}${c.initial.kmeans ? " k-means" : ""}${c.initial.stratified ? " stratified" : ""}`);
      if (sizes.acquisition) parts.push(`batch ${c.acquisition.size}`);
      if (sizes.candidates) parts.push(c.acquisition.candidates === undefined ? "all candidates" : `${c.acquisition.candidates} candidates`);
      if (sizes.stop) parts.push(c.budget !== undefined ? `budget ${c.budget}` : c.costBudget !== undefined ? `cost budget ${c.costBudget}` : `${c.rounds} rounds`);
      if (sizes.oracle) parts.push(c.oracle === undefined ? "perfect oracle" : "noise" in c.oracle ? `noise ${c.oracle.noise}` : "column" in c.oracle ? `oracle column ${c.oracle.column}` : "confusion oracle");
    }
    if (varies.epochs) parts.push(`epochs ${c.epochs}`);
    // A period only exists in keep-train (between acquisitions).
    if (c.baseline === undefined && c.mode === "keep-train" && sizes.period) parts.push(c.period === undefined ? "period = epochs" : `period ${c.period}`);
    parts.push(`seed ${c.seed}`);
    return parts.join(" · ");
  };
}
