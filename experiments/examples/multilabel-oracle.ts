/**
 * A fallible annotator on multi-label data: binary entropy vs random on the yeast gene-function
 * set (14 labels), with a perfect annotator, one who flips each yes/no answer with chance 0.05,
 * and one who misses 30% of the labels a gene has but adds almost none (a per-label 2×2
 * confusion: row = truly absent / present, column = answered absent / present). The given and
 * true label sets of every pick are stored (`selections.given_labels` / `true_labels`), and each
 * round records `label_noise` (share of wrong sets) and `label_entry_noise` (share of wrong
 * answers).
 *
 *   al run experiments/examples/multilabel-oracle.ts              # 2 samplers × 3 oracles × 3 seeds
 *   al run experiments/examples/multilabel-oracle.ts --profile ci # a small check that it runs
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

export default defineExperiment({
  name: "multilabel-oracle",
  description: "Binary entropy vs random on yeast (14 labels) under a perfect, a noisy and a label-missing annotator",
  dataset: "yeast-multilabel",
  learner: { name: "mlp", options: { hidden: [64], learningRate: 0.01 } },
  samplers: ["random", "binary-entropy"],
  initial: { size: 50 },
  acquisition: { size: 25 },
  rounds: 12,
  epochs: 30,
  oracle: [{ noise: 0 }, { noise: 0.05 }, { confusion: [[0.99, 0.01], [0.3, 0.7]] }],
  seeds: [1, 2, 3],
  profiles: {
    ci: {
      dataset: { name: "yeast-multilabel", pool: 300, test: 150 },
      initial: { size: 20 },
      acquisition: { size: 10 },
      rounds: 2,
      epochs: 3,
      seeds: [1],
    },
  },
});
