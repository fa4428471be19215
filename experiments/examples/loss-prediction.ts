/**
 * Loss prediction (Yoo & Kweon 2019) against random and least confidence on Fashion-MNIST
 * (small) with the quickstart's MLP. Every run's MLP carries the loss-prediction module (the
 * learner option `lossPrediction`), so all three samplers train the same network; only
 * loss-prediction reads what the module predicts and labels the points it expects the highest
 * loss on. The module's gradient stops reaching the MLP after 6 of the 10 epochs of each fit.
 *
 *   al run experiments/examples/loss-prediction.ts --profile ci
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

export default defineExperiment({
  name: "loss-prediction",
  description: "Loss prediction (a module trained to rank the MLP's losses) vs random and least confidence, Fashion-MNIST (small)",
  dataset: "fashion-mnist-small",
  learner: {
    name: "mlp",
    options: { hidden: [128], dropout: 0.2, learningRate: 0.001, batchSize: 32, lossPrediction: { units: 128, margin: 1, weight: 1, detachAfter: 6 } },
  },
  samplers: ["random", "least-confidence", "loss-prediction"],
  modes: ["retrain", "keep-train"],
  initial: { size: 50, stratified: true },
  acquisition: { size: 50 },
  rounds: 10,
  epochs: 10,
  period: 5,
  seeds: [1, 2, 3],
  profiles: {
    ci: { dataset: { name: "fashion-mnist-small", pool: 1000, test: 500 }, modes: ["retrain"], rounds: 3, seeds: [1], epochs: 5 },
  },
});
