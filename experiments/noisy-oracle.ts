/**
 * A realistic annotator: margin sampling vs random on Fashion-MNIST (small) with a perfect
 * oracle and one that gets 20% of the labels wrong (a uniformly drawn other class). Each label
 * costs 1 unit, so the report can draw the curves against cost as well as against the count.
 *
 *   al run experiments/noisy-oracle.ts              # 2 samplers × 2 oracles × 3 seeds
 *   al run experiments/noisy-oracle.ts --profile ci # one seed, a small pool (the test suite's)
 *
 * The flips are drawn per (seed, pool point), so both samplers of a seed face the same
 * annotator: where margin asks for a point random also asks for, it gets the same answer.
 */
import { defineExperiment } from "../lib/experiments/define.ts";

export default defineExperiment({
  name: "noisy-oracle",
  description: "Margin vs random with a perfect annotator and one that flips 20% of the labels",
  dataset: { name: "fashion-mnist-small", pool: 2000, test: 1000 },
  learner: { name: "mlp", options: { hidden: [64], dropout: 0.2, learningRate: 0.001, batchSize: 32 } },
  samplers: ["random", "margin"],
  initial: { size: 50, stratified: true },
  acquisition: { size: 50 },
  rounds: 8,
  epochs: 10,
  seeds: [1, 2, 3],
  // { noise: 0 } is the perfect annotator: the same runs as an experiment without `oracle`.
  oracle: [{ noise: 0 }, { noise: 0.2 }],
  cost: 1,
  profiles: {
    ci: { dataset: { name: "fashion-mnist-small", pool: 300, test: 200 }, acquisition: { size: 20 }, rounds: 2, epochs: 2, seeds: [1] },
  },
});
