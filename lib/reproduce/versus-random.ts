/**
 * Measures that set one run against others of the study: a run's last evaluation, and the
 * difference to the random-sampling run of the same cell (same data, learner, mode, sizes,
 * epochs and seed; only the sampler differs). The paper claims these serve ("LC did not surpass
 * random", "0.4–1 points between methods and random") are about pairs of runs, not one run.
 */
import type { RunConfig } from "../experiments/spec.ts";
import type { ReproductionRound, ReproductionRun } from "./define.ts";

/** The run's last evaluation that has `metric` (the final model), or undefined. */
export function finalRound(run: ReproductionRun, metric: string): ReproductionRound | undefined {
  for (let i = run.rounds.length - 1; i >= 0; i--) if (run.rounds[i]!.metrics[metric] !== undefined) return run.rounds[i];
  return undefined;
}

/** `metric` of the final model. */
export function finalOf(run: ReproductionRun, metric: string): number | undefined {
  return finalRound(run, metric)?.metrics[metric];
}

/**
 * Everything that makes a cell but the sampler: the key two runs share when they are a pair.
 * `mcSamples` goes with the sampler: the grid sets it only for samplers that read MC passes
 * (BALD, BatchBALD), so random's run never has it.
 */
function cellWithoutSampler(config: RunConfig): string {
  const { sampler: _sampler, mcSamples: _mcSamples, ...rest } = config;
  return JSON.stringify(rest);
}

/**
 * The random-sampling runs paired with `run`: same cell, sampler "random", not naive baselines.
 * Empty for a baseline run or a random run itself (a difference to itself says nothing).
 */
export function randomPartners(run: ReproductionRun, runs: readonly ReproductionRun[]): ReproductionRun[] {
  if (run.config.baseline || run.config.sampler.name === "random") return [];
  const key = cellWithoutSampler(run.config);
  return runs.filter((r) => r !== run && !r.config.baseline && r.config.sampler.name === "random" && cellWithoutSampler(r.config) === key);
}

/**
 * (final `metric` of `run` − final `metric` of its random partner) × scale; the partners' mean if
 * there are several. Undefined without `runs`, without a partner, or where a final value is missing.
 */
export function finalMinusRandom(run: ReproductionRun, runs: readonly ReproductionRun[] | undefined, metric: string, scale = 1): number | undefined {
  if (!runs) return undefined;
  const own = finalOf(run, metric);
  const partners = randomPartners(run, runs)
    .map((r) => finalOf(r, metric))
    .filter((v): v is number => v !== undefined);
  if (own === undefined || partners.length === 0) return undefined;
  return (own - partners.reduce((a, b) => a + b, 0) / partners.length) * scale;
}
