/**
 * Label dispersion (Bengar et al. 2021) against random and least confidence on Fashion-MNIST
 * (small) with the quickstart's MLP: the pool's predicted class is recorded after every epoch of
 * each round's fit, and the points whose prediction changed most are labelled. Retrain records
 * all `epochs`; keep-train rounds after the first record their `period`.
 *
 *   al run experiments/examples/label-dispersion.ts --profile ci
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

export default defineExperiment({
  name: "label-dispersion",
  description: "Label dispersion (predictions that change across a round's epochs) vs random and least confidence, Fashion-MNIST (small)",
  dataset: "fashion-mnist-small",
  learner: { name: "mlp", options: { hidden: [128], dropout: 0.2, learningRate: 0.001, batchSize: 32 } },
  samplers: ["random", "least-confidence", "label-dispersion"],
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
