/**
 * One active-learning run: fit on the labelled set, evaluate on the held-out test set, score
 * the pool, select a batch, repeat. Every random choice derives from (seed, purpose, round), so
 * a round can be reproduced from the config alone.
 */
import type { Dataset } from "../data/dataset.ts";
import type { RunConfig } from "../experiments/spec.ts";
import type { Learner } from "../learners/learner.ts";
import { evaluate } from "./evaluate.ts";
import { initialSet } from "./initial-set.ts";
import { takeRows } from "./matrix.ts";
import { planRun } from "./plan.ts";
import { createRandom, deriveSeed } from "./random.ts";
import type { RoundRecord } from "./records.ts";
import type { Sampler, SamplerInputs } from "./samplers/sampler.ts";

export interface LoopOptions {
  runId: string;
  config: RunConfig;
  dataset: Dataset;
  learner: Learner;
  sampler: Sampler<object>;
  samplerOptions: object;
  onRound: (record: RoundRecord) => void | Promise<void>;
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

export async function runLoop(options: LoopOptions): Promise<void> {
  const { runId, config, dataset, learner, sampler, samplerOptions, onRound } = options;
  const { pool, test } = dataset;
  const plan = planRun(config, pool.x.n, dataset.classes.length);
  const initial = initialSet(pool.y, plan.initial, {
    stratified: config.initial.stratified,
    random: createRandom(config.seed, "initial"),
  });
  const labelled = new Uint8Array(pool.x.n);
  const order: number[] = [];
  for (const i of initial) {
    labelled[i] = 1;
    order.push(i);
  }

  for (let round = 0; round <= plan.batches.length; round++) {
    let t = performance.now();
    // Keep-train initialises once; retrain draws fresh weights every round. Round 0 is the
    // same fit in both modes, so their curves start from the same point.
    if (round === 0 || config.mode === "retrain") learner.reset(deriveSeed(config.seed, "weights", config.mode === "retrain" ? round : 0));
    const indices = Int32Array.from(order);
    const y = new Int32Array(indices.length);
    indices.forEach((p, i) => (y[i] = pool.y[p]!));
    await learner.fit(takeRows(pool.x, indices), y, { epochs: config.epochs, random: createRandom(config.seed, "fit", round) });
    const train = seconds(t);

    t = performance.now();
    const metrics = evaluate(await learner.predictProba(test.x), test.y);
    const evaluateSeconds = seconds(t);

    let selected: Int32Array = new Int32Array(0);
    let score = 0;
    let select = 0;
    const k = plan.batches[round];
    if (k !== undefined) {
      t = performance.now();
      const inputs: SamplerInputs = { labelled };
      if (sampler.needs.includes("probs")) inputs.probs = await learner.predictProba(pool.x);
      score = seconds(t);
      t = performance.now();
      selected = sampler.select(inputs, k, samplerOptions, { random: createRandom(config.seed, "select", round) });
      select = seconds(t);
      for (const i of selected) {
        // The loop's own guard: a sampler bug must not silently relabel or skip points.
        if (labelled[i]) throw new Error(`${sampler.name}: selected pool point ${i} twice`);
        labelled[i] = 1;
        order.push(i);
      }
    }
    await onRound({
      runId,
      round,
      labelled: indices.length,
      metrics,
      seconds: { train, score, select, evaluate: evaluateSeconds },
      selected,
      ...(round === 0 ? { initial } : {}),
    });
  }
}
