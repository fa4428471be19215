/**
 * The default experiment (`npm start`): four samplers × two training modes × three seeds on a
 * 3,000-image Fashion-MNIST pool with a small MLP. Sized to finish in a few minutes on two
 * cores with the wasm backend. `--profile ci` is the small grid the tests build the site from.
 */
import { defineExperiment } from "../lib/experiments/define.ts";

export default defineExperiment({
  name: "quickstart",
  description: "Uncertainty samplers vs random on Fashion-MNIST (small), retrain vs keep-train",
  dataset: "fashion-mnist-small",
  learner: { name: "mlp", options: { hidden: [128], dropout: 0.2, learningRate: 0.001, batchSize: 32 } },
  samplers: ["random", "least-confidence", "margin", "entropy"],
  modes: ["retrain", "keep-train"],
  initial: { size: 50, stratified: true },
  acquisition: { size: 50 },
  rounds: 10,
  epochs: 10,
  seeds: [1, 2, 3],
  // A classifier trained on the test split: gives the per-round "easiness" of each batch.
  reference: { epochs: 5 },
  profiles: {
    ci: { dataset: { name: "fashion-mnist-small", pool: 1000, test: 500 }, rounds: 3, seeds: [1], epochs: 5 },
  },
});
