/**
 * Abraham & Dreyfus-Schmidt (2021), "Sample noise impact on active learning": noisy Gaussian
 * blobs, a random forest refitted every round, uncertainty samplers vs their noise-aware
 * variants (IConfidence, IWKMeans). The protocol (../docs/reproductions.md has the details):
 *
 * - low-dim: 10,000 points in 2-D — 200 blobs of 50 (spread 1, centres uniform in ±100), 100 of
 *   them noisy (50 pairs sharing a centre with two labels); high-dim: 9,990 points in 40-D —
 *   90 blobs of 111, centres in ±3, 30 noisy (15 pairs); 10 classes;
 * - a 50/50 split, used as is and swapped (train and test halves exchanged) × 5 seeds =
 *   10 repetitions;
 * - 20 initial labels (2 per class) + 10 per round for 19 rounds = 20 test accuracies, whose
 *   plain mean × 100 is the paper's "AUC";
 * - random forest, 100 trees of depth ≤ 10; IConfidence's reference classifier (the same
 *   forest) is trained on the test half.
 *
 *   al run experiments/reproductions/noisy-blobs.ts              # the published protocol
 *   al run experiments/reproductions/noisy-blobs.ts --profile ci # the pipeline, small
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

const lowDim = { name: "noisy-blobs", blobs: 100, noisyPairs: 50, perBlob: 50, dimension: 2, centreRange: 100, spread: 1, classes: 10 } as const;
const highDim = { name: "noisy-blobs", blobs: 60, noisyPairs: 15, perBlob: 111, dimension: 40, centreRange: 3, spread: 1, classes: 10 } as const;
const splits = <T extends object>(d: T) => [d, { ...d, swap: true }];

export default defineExperiment({
  name: "noisy-blobs",
  description: "Abraham & Dreyfus-Schmidt 2021: sample noise and active learning on noisy Gaussian blobs (random forest)",
  dataset: [...splits(lowDim), ...splits(highDim)],
  learner: { name: "random-forest", options: { trees: 100, maxDepth: 10 } },
  samplers: ["random", "kcenter-greedy", "least-confidence", "margin", "entropy", "iconfidence", "wkmeans", "iwkmeans"],
  initial: { size: 20, stratified: true },
  acquisition: { size: 10 },
  rounds: 19,
  seeds: [1, 2, 3, 4, 5],
  reference: {},
  profiles: {
    full: {},
    ci: {
      dataset: splits({ ...lowDim, blobs: 20, noisyPairs: 5, perBlob: 20 }),
      learner: { name: "random-forest", options: { trees: 10, maxDepth: 10 } },
      rounds: 2,
      seeds: [1],
    },
  },
});
