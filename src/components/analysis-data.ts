/**
 * The Diagnostics page's analysis file, unpacked. The loader (src/data/analysis-rows.ts,
 * packAnalysis) ships stopping rows and advice as tuples, and each advice reason once in a table
 * of distinct texts: with 1,000 runs × 20 rounds the advisor repeats the same sentences per run,
 * and the object form was 3.6 MB of the page's data. unpackAnalysis gives back exactly what
 * analysisRows built, so the page and its components see plain objects. Pure; no lib/ imports.
 */

export interface StoppingEntry {
  rule: string;
  /** Null: the rule never fired in this run. */
  stop_round: number | null;
  stop_labelled: number | null;
  /** Quality at the end minus at the stop round (a fraction; negative = stopping would have been better). */
  lost_accuracy: number | null;
}

export interface AdviceEntry {
  round: number;
  action: string;
  /** The reference to switch to ("random", "k-means") for an `explore` advice; null otherwise. */
  use: string | null;
  reason: string;
}

/** A run's fields besides its stopping rows and advice (grid-axis labels, sampler, mode, …). */
export interface RunFields {
  run_id: string;
  sampler: string;
  mode: string;
  seed: number | null;
  status: string;
  analysed: boolean;
  [axis: string]: string | number | boolean | null;
}

/** [rule, stop_round, stop_labelled, lost_accuracy] */
export type PackedStop = [string, number | null, number | null, number | null];
/** [round, action, use, index of the reason in PackedAnalysis.texts] */
export type PackedAdvice = [number, string, string | null, number];

export interface PackedRun<R extends RunFields = RunFields> {
  run: R;
  stopping: PackedStop[];
  advice: PackedAdvice[];
}

export interface PackedAnalysis<R extends RunFields = RunFields, D = unknown, U = unknown> {
  /** Distinct advice reasons, in order of first use. */
  texts: string[];
  runs: PackedRun<R>[];
  diagnostics: D[];
  rules: U[];
}

export type UnpackedRun<R extends RunFields = RunFields> = R & { stopping: StoppingEntry[]; advice: AdviceEntry[] };

export interface UnpackedAnalysis<R extends RunFields = RunFields, D = unknown, U = unknown> {
  runs: UnpackedRun<R>[];
  diagnostics: D[];
  rules: U[];
}

export function unpackAnalysis<R extends RunFields, D, U>(packed: PackedAnalysis<R, D, U>): UnpackedAnalysis<R, D, U> {
  const { texts } = packed;
  const reason = (i: number, run: string): string => {
    const text = texts[i];
    if (text === undefined) throw new Error(`analysis.json: run ${run} points at advice text ${i}, but the file has ${texts.length}; rebuild the site (the loader and page are out of step)`);
    return text;
  };
  return {
    runs: packed.runs.map(({ run, stopping, advice }) => ({
      ...run,
      stopping: stopping.map(([rule, stop_round, stop_labelled, lost_accuracy]) => ({ rule, stop_round, stop_labelled, lost_accuracy })),
      advice: advice.map(([round, action, use, text]) => ({ round, action, use, reason: reason(text, run.run_id) })),
    })),
    diagnostics: packed.diagnostics,
    rules: packed.rules,
  };
}
