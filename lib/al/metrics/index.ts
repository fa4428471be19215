/**
 * The metric catalogue: every per-round metric's stored name, what it means and when it helps.
 * docs/metrics.md and the store's metric descriptions are written from this list, and a test
 * keeps the docs in step with it.
 */
export { accuracy } from "./accuracy.ts";
export { agreement } from "./agreement.ts";
export { aurocMacro, type AveragedAuroc } from "./auroc-macro.ts";
export { aurocMicro } from "./auroc-micro.ts";
export { aurocMultilabel } from "./auroc-multilabel.ts";
export { batchAccuracy } from "./batch-accuracy.ts";
export { binaryAuroc } from "./binary-auroc.ts";
export { contradictionRatio } from "./contradiction-ratio.ts";
export { cohenKappa } from "../stats/cohen-kappa.ts";
export { expectedCalibrationError } from "./expected-calibration-error.ts";
export { explorationGain, explorationGainOfBatch } from "./exploration-gain.ts";
export { labelEntryNoise, labelNoise, labelSetNoise } from "./label-noise.ts";
export { costOf } from "../cost.ts";
export { pseudoLabelAccuracy, pseudoLabelMetrics } from "../pseudo-labels.ts";
export { logLoss } from "./log-loss.ts";
export { macroF1 } from "./macro-f1.ts";
export { microF1, multilabelMicroF1 } from "./micro-f1.ts";
export { nearestNeighbours } from "./nearest-neighbour.ts";
export { noisyRatio } from "./noisy-ratio.ts";
export { perClassRecall } from "./per-class-recall.ts";
export { uncertaintySummary } from "./uncertainty-summary.ts";
export { weightedF1 } from "./weighted-f1.ts";

/** What a metric is measured on. */
export type MetricScope =
  | "test" // the held-out test set, every round
  | "batch" // the batch selected at this round
  | "pool" // the unlabelled pool
  | "labelled" // the labelled set trained on this round
  | "change"; // the change between round t − 1 and t

export interface MetricInfo {
  /** Stored metric name (the `metric` column); `<class>` / `<label>` stand for an index. */
  key: string;
  /** Function that computes it (exported from this module). */
  fn: string;
  scope: MetricScope;
  /** Which direction is good, where one is. */
  better: "higher" | "lower" | "neither";
  /** One line: what the number means. */
  description: string;
  /** One line: when looking at it helps. */
  helps: string;
  /**
   * Stored only when an experiment's `metrics` list names it. Metrics added after runs were
   * stored are opt-in: in the default set they would change every stored run's numbers (and the
   * golden fingerprints) without changing its id.
   */
  optIn?: boolean;
}

export const metricCatalogue: readonly MetricInfo[] = [
  {
    key: "accuracy",
    fn: "accuracy",
    scope: "test",
    better: "higher",
    description: "Fraction of test points whose predicted class is the true one.",
    helps: "The headline learning curve; read it with macro-F1 when classes are imbalanced.",
  },
  {
    key: "macro_f1",
    fn: "macroF1",
    scope: "test",
    better: "higher",
    description: "F1 per class, averaged over the classes present, so every class counts equally.",
    helps: "Imbalanced data: shows a sampler that ignores rare classes even when accuracy looks fine.",
  },
  {
    key: "weighted_f1",
    fn: "weightedF1",
    scope: "test",
    better: "higher",
    description: "F1 per class, weighted by the class's share of the test set (scikit-learn's average=\"weighted\").",
    helps: "Reports that quote weighted F1; follows the class balance where macro-F1 weighs every class equally.",
    optIn: true,
  },
  {
    key: "micro_f1",
    fn: "microF1",
    scope: "test",
    better: "higher",
    description: "F1 from TP, FP, FN pooled over classes; equals accuracy for single-label data.",
    helps: "Multi-label runs (multilabelMicroF1), where it weighs frequent labels by their frequency.",
  },
  {
    key: "log_loss",
    fn: "logLoss",
    scope: "test",
    better: "lower",
    description: "Mean −ln p(true class), probabilities clipped at 1e-7.",
    helps: "Separates models with equal accuracy by how confidently right (or wrong) they are.",
  },
  {
    key: "ece",
    fn: "expectedCalibrationError",
    scope: "test",
    better: "lower",
    description: "Gap between top-class confidence and accuracy, averaged over 15 confidence bins.",
    helps: "Uncertainty samplers trust the model's probabilities; a badly calibrated model misleads them.",
  },
  {
    key: "auroc_macro",
    fn: "aurocMacro",
    scope: "test",
    better: "higher",
    description: "One-vs-rest AUROC per class (ties count ½), averaged over classes present in the test set.",
    helps: "Threshold-free ranking quality; moves smoothly when accuracy still jumps in coarse steps.",
  },
  {
    key: "auroc_micro",
    fn: "aurocMicro",
    scope: "test",
    better: "higher",
    description: "AUROC of all point×class probabilities against the one-hot truth.",
    helps: "One ranking number in which frequent classes weigh more than in the macro average.",
  },
  {
    key: "auroc_multilabel",
    fn: "aurocMultilabel",
    scope: "test",
    better: "higher",
    description: "AUROC per label, averaged; labels all 0 or all 1 in the test set are skipped and listed.",
    helps: "Multi-label tasks, where accuracy is ill-defined; check the skipped list on small test sets.",
  },
  {
    key: "recall_class_<class>",
    fn: "perClassRecall",
    scope: "test",
    better: "higher",
    description: "Recall of each class (null when the class is absent from the test set).",
    helps: "Finds the class a sampler starves of labels while mean accuracy hides it.",
  },
  {
    key: "contradiction_ratio",
    fn: "contradictionRatio",
    scope: "change",
    better: "lower",
    description: "C(t): fraction of test points whose predicted label changed since round t − 1.",
    helps: "Is the model still being reshaped? Steadily low values mean more labels stop paying off.",
  },
  {
    key: "stability_kappa",
    fn: "cohenKappa",
    scope: "change",
    better: "higher",
    description: "Cohen's κ between round t − 1's and round t's predicted labels on the test set (the stop set).",
    helps: "The stabilising-predictions stopping rule: κ staying near 1 means new labels no longer change the model.",
  },
  {
    key: "exploration_gain",
    fn: "explorationGain",
    scope: "change",
    better: "higher",
    description: "EG(t): Σ over test points of the distance to the labelled set at t − 1 minus at t (space stated).",
    helps: "Shows whether a sampler explores the input space or keeps labelling one region.",
  },
  {
    key: "agreement",
    fn: "agreement",
    scope: "batch",
    better: "neither",
    description: "Fraction of the selected batch where the model agrees with 1-NN on the labelled set.",
    helps: "Above a random batch's agreement, the sampler picks points that are too easy.",
  },
  {
    key: "batch_accuracy",
    fn: "batchAccuracy",
    scope: "batch",
    better: "neither",
    description: "Reverse batch accuracy: the model's accuracy on the batch it selected, once labelled.",
    helps: "How hard the selected points are for the current model; too low can mean outliers or noise.",
  },
  {
    key: "easiness",
    fn: "batchAccuracy",
    scope: "batch",
    better: "neither",
    description: "Accuracy on the batch of a reference classifier trained on an independent labelled set.",
    helps: "Model-independent hardness of the batch, comparable across samplers and rounds.",
  },
  {
    key: "noisy_ratio",
    fn: "noisyRatio",
    scope: "batch",
    better: "lower",
    description: "Fraction of the selected batch that is known label noise (data sets that record it).",
    helps: "Explains stalls: uncertainty samplers are drawn to mislabelled points.",
  },
  {
    key: "label_noise",
    fn: "labelNoise",
    scope: "batch",
    better: "lower",
    description: "Share of the selected batch whose label from the run's oracle is not the true one (runs with an oracle; multi-label: whose given label set differs from the true set in any label).",
    helps: "Shows whether a sampler is drawn to the points the annotator gets wrong.",
  },
  {
    key: "label_entry_noise",
    fn: "labelEntryNoise",
    scope: "batch",
    better: "lower",
    description: "Multi-label runs with an oracle: share of the selected batch's per-label answers (point × label) that are wrong.",
    helps: "How wrong the wrong label sets are: one missed label in 80, or most of them.",
  },
  {
    key: "train_label_noise",
    fn: "labelNoise",
    scope: "labelled",
    better: "lower",
    description: "Share of the labelled set trained on this round whose given label is wrong (runs with an oracle; multi-label: whose given label set is not the true one).",
    helps: "How much noise the model learns from; read the accuracy curve against it.",
  },
  {
    key: "train_label_entry_noise",
    fn: "labelEntryNoise",
    scope: "labelled",
    better: "lower",
    description: "Multi-label runs with an oracle: share of the per-label answers (point × label) of the labelled set trained on this round that are wrong.",
    helps: "The multi-label noise rate the model learns from, comparable with oracle.noise.",
  },
  {
    key: "cost",
    fn: "costOf",
    scope: "labelled",
    better: "neither",
    description: "Summed annotation cost of the labelled set trained on this round (runs with a cost).",
    helps: "The x axis of accuracy-against-cost curves; a cost budget stops at it.",
  },
  {
    key: "pseudo_labels",
    fn: "pseudoLabelMetrics",
    scope: "pool",
    better: "neither",
    description: "Unlabelled pool points this round's fit also trained on, labelled with the previous model's class (ceal runs).",
    helps: "How much CEAL's confidence threshold lets in as it decays; 0 from the round it reaches 0.",
  },
  {
    key: "pseudo_label_accuracy",
    fn: "pseudoLabelAccuracy",
    scope: "pool",
    better: "higher",
    description: "Share of this round's pseudo-labels that are the true class (ceal runs with pseudo-labels; against true labels under an oracle).",
    helps: "Whether the free labels help or teach the model its own mistakes; read the accuracy curve against it.",
  },
  {
    key: "pool_uncertainty_mean",
    fn: "uncertaintySummary",
    scope: "pool",
    better: "neither",
    description: "Mean sampler score over the unlabelled pool.",
    helps: "How much uncertainty is left to label; the overall-uncertainty stop rule reads it.",
  },
  {
    key: "pool_uncertainty_variance",
    fn: "uncertaintySummary",
    scope: "pool",
    better: "neither",
    description: "Variance of the sampler score over the unlabelled pool (with a fixed-range histogram).",
    helps: "Uncertainty-distribution pages: whether uncertainty is concentrated or spread out.",
  },
  {
    key: "batch_uncertainty_mean",
    fn: "uncertaintySummary",
    scope: "batch",
    better: "neither",
    description: "Mean sampler score over the selected batch.",
    helps: "How uncertain the chosen points are compared with the pool as a whole.",
  },
  {
    key: "batch_uncertainty_max",
    fn: "uncertaintySummary",
    scope: "batch",
    better: "neither",
    description: "Largest sampler score in the selected batch.",
    helps: "The max-uncertainty stop rule: when even the most uncertain point is fairly sure, stop.",
  },
  {
    key: "batch_uncertainty_variance",
    fn: "uncertaintySummary",
    scope: "batch",
    better: "neither",
    description: "Variance of the sampler score over the selected batch.",
    helps: "The variance stop rule: a batch variance that keeps falling says the uncertain region is used up.",
  },
];

/** The catalogue entry for a stored name; `recall_class_3` finds `recall_class_<class>`. */
export function metricInfo(key: string): MetricInfo | undefined {
  return metricCatalogue.find((m) => m.key === key || (m.key.includes("<") && new RegExp(`^${m.key.replace(/<[a-z]+>/g, "\\d+")}$`).test(key)));
}
