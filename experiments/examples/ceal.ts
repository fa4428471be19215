/**
 * CEAL (Wang et al. 2017) against random and plain entropy on Fashion-MNIST (small) with the
 * quickstart's MLP: each round the oracle labels the most uncertain points by entropy, and the
 * next fit also trains on the pool points the model is surest of (entropy below δ₀ − dr·round,
 * in nats), labelled with its own predicted class; those pseudo-labels are dropped after that
 * fit. The rounds store how many there were (`pseudo_labels`) and how many were right
 * (`pseudo_label_accuracy`).
 *
 * δ₀ = 0.3 nats, falling by 0.02 a round, is far above the paper's 0.005 (a fine-tuned CNN): an
 * MLP trained on 50–500 labels is rarely that sure (after 5 epochs on 50 labels no pool point is
 * below 0.5 nats; after 10 on 200, about 2% are below 0.05), and at 0.005 it would pseudo-label
 * nothing.
 *
 *   al run experiments/examples/ceal.ts --profile ci
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

export default defineExperiment({
  name: "ceal",
  description: "CEAL (entropy queries + confident pseudo-labels for the next fit) vs entropy and random, Fashion-MNIST (small)",
  dataset: "fashion-mnist-small",
  learner: { name: "mlp", options: { hidden: [128], dropout: 0.2, learningRate: 0.001, batchSize: 32 } },
  samplers: ["random", "entropy", { name: "ceal", options: { base: "entropy", threshold: 0.3, decay: 0.02 } }],
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
