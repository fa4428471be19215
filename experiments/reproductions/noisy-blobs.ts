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
import { defineReproduction, meanOf } from "../../lib/reproduce/define.ts";

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

/** The paper's names for our samplers (Table 1); margin and entropy are ours only. */
const paperName: Record<string, string> = {
  random: "random",
  "kcenter-greedy": "KCenter",
  "least-confidence": "Confidence",
  iconfidence: "IConfidence",
  wkmeans: "WKMeans",
  iwkmeans: "IWKMeans",
};

const table1 = {
  "low-dim": { auc: [38.6, 47.9, 26.7, 24.5, 44.0, 48.1], nsr: [50.3, 42.4, 38.9, 10.1, 43.5, 39.3] },
  "high-dim": { auc: [50.7, 61.7, 58.0, 55.0, 60.6, 63.2], nsr: [35.0, 24.5, 25.6, 3.2, 33.4, 26.9] },
} as const;
const table1Samplers = ["random", "KCenter", "Confidence", "IConfidence", "WKMeans", "IWKMeans"];

export const reproduction = defineReproduction({
  study: "noisy-blobs",
  title: "Sample noise impact on active learning (noisy blobs)",
  citation: "Abraham & Dreyfus-Schmidt (2021), Sample noise impact on active learning, Table 1",
  setting: (config) => ((config.dataset as { dimension?: number }).dimension === 2 ? "low-dim" : "high-dim"),
  sampler: (config) => paperName[config.sampler.name] ?? config.sampler.name,
  measures: {
    auc: {
      label: "AUC: mean test accuracy over the 20 evaluations × 100",
      better: "higher",
      of: (run) => {
        const m = meanOf(run, "accuracy");
        return m === undefined ? undefined : 100 * m;
      },
    },
    nsr: {
      label: "noisy-sample ratio: % of selected points (after the initial set) in a noisy pair",
      better: "lower",
      // Every batch has the same size, so the mean of the per-batch ratios is the share of all picks.
      of: (run) => {
        const m = meanOf(run, "noisy_ratio");
        return m === undefined ? undefined : 100 * m;
      },
    },
  },
  paper: (["low-dim", "high-dim"] as const).flatMap((setting) =>
    (["auc", "nsr"] as const).flatMap((measure) => table1Samplers.map((sampler, i) => ({ setting, sampler, measure, value: table1[setting][measure][i]! }))),
  ),
  headline: { measure: "auc", sampler: "IWKMeans", setting: "low-dim" },
  curve: { metric: "accuracy", label: "test accuracy (%)", scale: 100 },
  deviations: [
    "Our generator draws its own blobs (lib/data/synthetic/blobs.ts, data seed 0): same sizes, spreads and noise, not the paper's points.",
    "Random forest: our own CART forest (100 trees, depth ≤ 10, √d features per split, bootstrap), not scikit-learn's.",
  ],
  discussion: [
    "The paper's order of the six samplers holds: Kendall τ between its AUCs and our means is 0.87 in low-dim and 1.00 in high-dim, and for the noisy-sample ratio 0.73 and 1.00. Uncertainty sampling (Confidence, IConfidence) is far below random in low-dim, where half the blobs are noise, and above it in high-dim; the diversity samplers lead in both.",
    "Levels are close but mostly a little lower than published. Low-dim AUC: five of six paper values lie inside our ten repetitions' range (−1.9 to +0.4); IWKMeans is 2.5 below (45.6 vs 48.1), so our best low-dim sampler is KCenter (47.8), which the paper has 0.2 behind IWKMeans. High-dim AUC: random, Confidence and IConfidence are inside our range; KCenter, WKMeans and IWKMeans are 2.5–3.2 below, outside it.",
    "Noisy-sample ratios are 0.7–6.2 points below the paper's for every sampler; IConfidence selects almost no noisy point (4.3% low-dim, 0.0% high-dim vs 10.1% and 3.2%).",
    "What we believe causes the gaps (not tuned away): our generator draws its own blobs, and in 40-D with centres in ±3 the overlap between blobs — and so how much a diversity sampler can gain — depends on the draw; our forest is our own CART (exact splits, √d features per split, bootstrap), not scikit-learn's, and its tie-breaking and probability estimates differ in details that move both the uncertainty ranking and IConfidence's cap — we have not isolated which of these matters most; KCenter and the k-means samplers work on the raw features, as the paper's description implies but does not state.",
    "The run: 160 runs on 2 cores, one worker, wasm backend (the forest is pure TypeScript and does not use tfjs), while the test suite ran on the same machine, so the times on this page are upper bounds.",
  ],
});
