/**
 * Turns a run's size settings (counts or fractions, rounds or budget) into concrete numbers for
 * a pool, and rejects impossible plans before anything is trained or stored.
 */
import type { RunConfig } from "../experiments/spec.ts";
import { SpecError } from "./errors.ts";

export interface RunPlan {
  /** Pool points set aside (labelled) to detect saturation; never trained on or selected. */
  validation: number;
  initial: number;
  /**
   * Points acquired after each fit r = 0..batches.length-1. With a cost budget these are the
   * most the run can take (every point at the cheapest cost): the loop stops at the budget.
   */
  batches: number[];
  /** Set for a cost budget: `batches` is an upper bound, not the plan. */
  costBudget?: number;
}

export interface PlanOptions {
  /** The cheapest pool point's cost (lib/al/cost.ts), for a tighter cost-budget bound. */
  minCost?: number;
}

/** A lower bound on any point's cost, from the config alone (costs > 0 are enforced). */
function cheapest(config: RunConfig, options: PlanOptions): number {
  const cost = config.cost;
  if (options.minCost !== undefined) return options.minCost;
  if (cost === undefined || typeof cost === "number") return cost ?? 1;
  // A column's values are unknown here (only > 0): the plan then runs to the whole pool, and the
  // budget, not the plan, ends the run.
  if ("column" in cost) return Number.MIN_VALUE;
  // Without the texts: a point costs at least its base, or one character when the base is 0.
  return (cost.base ?? 0) > 0 ? cost.base! : cost.perCharacter;
}

function resolveSize(size: number, pool: number): number {
  return size < 1 ? Math.max(1, Math.round(size * pool)) : size;
}

export function planRun(config: RunConfig, poolSize: number, classes: number, options: PlanOptions = {}): RunPlan {
  if (config.baseline) {
    // A naive baseline: one fit on random p% of the pool.
    const initial = Math.min(poolSize, Math.max(1, Math.round((config.baseline.percent / 100) * poolSize)));
    return { validation: 0, initial, batches: [] };
  }
  const validation = config.saturation ? resolveSize(config.saturation.validation, poolSize) : 0;
  const available = poolSize - validation;
  if (validation >= poolSize) {
    throw new SpecError(`saturation.validation: ${validation} validation points leave nothing of the pool of ${poolSize}; lower it`);
  }
  const initial = resolveSize(config.initial.size, poolSize);
  const k = resolveSize(config.acquisition.size, poolSize);
  const pool = validation > 0 ? `the ${available} pool points left after the validation set` : `the pool of ${poolSize} points`;
  if (initial > available) {
    throw new SpecError(`initial.size: ${initial} initial labels exceed ${pool}; lower initial.size`);
  }
  if (config.initial.stratified && initial < classes) {
    throw new SpecError(`initial.size: a stratified initial set needs at least one point per class (${classes}), got ${initial}`);
  }
  if (k > available - initial) {
    throw new SpecError(
      `acquisition.size: ${k} exceeds the ${available - initial} unlabelled pool points left after the initial set; lower acquisition.size`,
    );
  }
  const candidates = config.acquisition.candidates;
  if (candidates !== undefined && candidates < k) {
    throw new SpecError(`acquisition.candidates: ${candidates} scored points per round cannot yield ${k} acquisitions; raise candidates to at least ${k} or lower acquisition.size`);
  }
  const batches: number[] = [];
  if (config.rounds !== undefined) {
    const needed = initial + config.rounds * k;
    if (needed > available) {
      throw new SpecError(
        `rounds: ${initial} initial + ${config.rounds} rounds × ${k} = ${needed} labels exceed ${pool}; lower rounds or acquisition.size`,
      );
    }
    for (let r = 0; r < config.rounds; r++) batches.push(k);
  } else if (config.costBudget !== undefined) {
    const budget = config.costBudget;
    const min = cheapest(config, options);
    if (config.cost === undefined) throw new SpecError(`costBudget: a budget in cost units needs \`cost\`; add cost: 1 for one unit per label`);
    if (initial * min > budget) {
      throw new SpecError(`costBudget: ${budget} cannot pay for the initial set of ${initial} at ${min} or more each; raise costBudget or lower initial.size`);
    }
    // As many labels as the budget could buy at the cheapest cost, within the pool.
    const most = Math.min(available, initial + Math.floor((budget - initial * min) / min + 1e-9));
    for (let labelled = initial; labelled < most; labelled += k) batches.push(Math.min(k, most - labelled));
    return { validation, initial, batches, costBudget: budget };
  } else {
    const budget = config.budget!;
    if (budget > available) throw new SpecError(`budget: ${budget} labels exceed ${pool}; lower budget`);
    if (budget <= initial) throw new SpecError(`budget: ${budget} must exceed the initial set of ${initial}`);
    // The last batch is cut so the labelled count lands exactly on the budget.
    for (let labelled = initial; labelled < budget; labelled += k) batches.push(Math.min(k, budget - labelled));
  }
  return { validation, initial, batches };
}
