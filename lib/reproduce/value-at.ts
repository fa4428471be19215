/** Measures that read one evaluation of a run, for reproductions' tables. */
import type { ReproductionRun } from "./define.ts";

/** A metric at the evaluation with exactly `labelled` labels; undefined when the run has no such evaluation. */
export function valueAt(run: ReproductionRun, metric: string, labelled: number): number | undefined {
  return run.rounds.find((r) => r.labelled === labelled)?.metrics[metric];
}

/** A metric at the run's last evaluation (the most labels); undefined for a run without rounds or without the metric there. */
export function finalValue(run: ReproductionRun, metric: string): number | undefined {
  return run.rounds.at(-1)?.metrics[metric];
}
