/**
 * The metrics a run stores every round, beyond its test scores: contradictions between rounds,
 * exploration gain, agreement with 1-NN, accuracy on the selected batch, noisy-point ratio and
 * uncertainty summaries. It keeps what it needs between rounds (previous predictions, each test
 * point's distance to the training set) and can rebuild that from a checkpoint.
 *
 * Distances are in input space. "Uncertainty" is least confidence, 1 − max p, for every sampler,
 * so distributions are comparable across samplers (multi-label: 1 − 2·min over labels of
 * |p − 0.5|). Multi-label runs store auroc_multilabel and micro_f1 as their test scores.
 */
import type { Dataset } from "../data/dataset.ts";
import { argmaxRows, takeRows, type Matrix } from "./matrix.ts";
import {
  agreement,
  aurocMacro,
  aurocMicro,
  aurocMultilabel,
  multilabelMicroF1,
  batchAccuracy,
  contradictionRatio,
  expectedCalibrationError,
  explorationGainOfBatch,
  logLoss,
  metricCatalogue,
  microF1,
  nearestNeighbours,
  noisyRatio,
  perClassRecall,
  uncertaintySummary,
} from "./metrics/index.ts";
import { accuracy } from "./metrics/accuracy.ts";
import { macroF1 } from "./metrics/macro-f1.ts";
import { weightedF1 } from "./metrics/weighted-f1.ts";
import type { Histogram } from "./records.ts";
import { cohenKappa } from "./stats/cohen-kappa.ts";

export const HISTOGRAM_BINS = 20;

/** Valid names for an experiment's `metrics` list: catalogue keys, `recall_class_<class>` as `recall_class`. */
export function metricNames(): string[] {
  return metricCatalogue.map((m) => m.key.replace(/_<[a-z]+>$/, ""));
}

export function checkMetricName(name: string, path: string): void {
  if (!metricNames().includes(name)) throw new Error(`${path}: unknown metric "${name}"; expected one of ${metricNames().join(", ")}`);
}

/** Opt-in metrics (MetricInfo.optIn): left out unless the experiment's `metrics` names them. */
const optIn = new Set(metricCatalogue.filter((m) => m.optIn).map((m) => m.key));

function keep(names: readonly string[] | undefined, out: Record<string, number | null>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(out)) {
    if (value === null || !Number.isFinite(value)) continue;
    const base = key.startsWith("recall_class_") ? "recall_class" : key;
    if (names ? names.includes(base) : !optIn.has(base)) result[key] = value;
  }
  return result;
}

export interface RoundMetrics {
  /** After round `round`'s fit: test scores, contradictions, exploration gain. */
  afterFit(testProbs: Matrix, trainingSet: Int32Array): Record<string, number>;
  /** After a selection: batch metrics and uncertainty histograms. */
  afterSelect(
    poolProbs: Matrix,
    selected: Int32Array,
    labelled: Uint8Array,
    trainingSet: Int32Array,
    /** The reference classifier's predicted class per pool point, when the run has one. */
    reference?: Int32Array,
  ): { metrics: Record<string, number>; histograms: Histogram[] };
  /** What must survive a checkpoint. */
  state(): { predictions?: Int32Array };
  /** Rebuilds the between-round state after resuming: predictions of the last round, its training set. */
  restore(state: { predictions?: Int32Array }, trainingSet: Int32Array): void;
}

export function createRoundMetrics(dataset: Dataset, names?: readonly string[]): RoundMetrics {
  const { pool, test } = dataset;
  const classes = dataset.classes.length;
  let previous: Int32Array | undefined;
  let distances: Float64Array | undefined;
  let trained = 0;

  const multilabel = dataset.task === "multilabel" && test.labelSets !== undefined;

  /** Exploration gain: only the points trained on since the last fit need searching. */
  const explore = (trainingSet: Int32Array): Record<string, number> => {
    const out: Record<string, number> = {};
    const added = trainingSet.subarray(trained);
    if (distances && added.length > 0) out.exploration_gain = explorationGainOfBatch(test.x, takeRows(pool.x, added), distances);
    else if (!distances) distances = nearestNeighbours(test.x, takeRows(pool.x, trainingSet), "exploration_gain").distance;
    trained = trainingSet.length;
    return out;
  };

  /** Multi-label test scores: macro AUROC over labels present in the test set, micro-F1 at p ≥ 0.5. */
  const multilabelTest = (probs: Matrix): Record<string, number | null> => {
    const predicted = { data: probs.data.map((p) => (p >= 0.5 ? 1 : 0)), n: probs.n, c: probs.c };
    return { auroc_multilabel: aurocMultilabel(probs, test.labelSets!).value, micro_f1: multilabelMicroF1(predicted, test.labelSets!) };
  };

  /** Multi-label uncertainty: 1 − 2·min over labels of |p − 0.5| (1 = some label is a coin toss). */
  const labelUncertainty = (probs: Matrix): Float64Array => {
    const out = new Float64Array(probs.n);
    for (let i = 0; i < probs.n; i++) {
      let min = 0.5;
      for (let j = 0; j < probs.c; j++) min = Math.min(min, Math.abs(probs.data[i * probs.c + j]! - 0.5));
      out[i] = 1 - 2 * min;
    }
    return out;
  };

  const leastConfidence = (probs: Matrix): Float64Array => {
    const out = new Float64Array(probs.n);
    for (let i = 0; i < probs.n; i++) {
      let max = 0;
      for (let j = 0; j < probs.c; j++) max = Math.max(max, probs.data[i * probs.c + j]!);
      out[i] = 1 - max;
    }
    return out;
  };

  return {
    afterFit(testProbs, trainingSet) {
      if (multilabel) return keep(names, { ...multilabelTest(testProbs), ...explore(trainingSet) });
      const predicted = argmaxRows(testProbs);
      const out: Record<string, number | null> = {
        accuracy: accuracy(predicted, test.y),
        macro_f1: macroF1(predicted, test.y, classes),
        weighted_f1: weightedF1(predicted, test.y, classes),
        micro_f1: microF1(predicted, test.y),
        log_loss: logLoss(testProbs, test.y),
        ece: expectedCalibrationError(testProbs, test.y),
        auroc_macro: aurocMacro(testProbs, test.y).value,
        auroc_micro: aurocMicro(testProbs, test.y),
      };
      perClassRecall(predicted, test.y, classes).forEach((r, c) => (out[`recall_class_${c}`] = r));
      if (previous) {
        out.contradiction_ratio = contradictionRatio(previous, predicted);
        out.stability_kappa = cohenKappa(previous, predicted);
      }
      previous = predicted;
      return keep(names, { ...out, ...explore(trainingSet) });
    },

    afterSelect(poolProbs, selected, labelled, trainingSet, reference) {
      const scores = multilabel ? labelUncertainty(poolProbs) : leastConfidence(poolProbs);
      const poolSummary = uncertaintySummary(scores, { skip: labelled, bins: HISTOGRAM_BINS });
      const predicted = argmaxRows(poolProbs);
      const out: Record<string, number | null> = {
        pool_uncertainty_mean: poolSummary.mean,
        pool_uncertainty_variance: poolSummary.variance,
      };
      const histograms: Histogram[] = [{ target: "pool", ...poolSummary.histogram }];
      if (selected.length > 0 && multilabel) {
        const batchSummary = uncertaintySummary(scores, { indices: selected, bins: HISTOGRAM_BINS });
        out.batch_uncertainty_mean = batchSummary.mean;
        out.batch_uncertainty_max = batchSummary.max;
        out.batch_uncertainty_variance = batchSummary.variance;
        histograms.push({ target: "batch", ...batchSummary.histogram });
      } else if (selected.length > 0) {
        // Summarise the batch against the pool before it was labelled.
        const batchSummary = uncertaintySummary(scores, { indices: selected, bins: HISTOGRAM_BINS });
        out.batch_uncertainty_mean = batchSummary.mean;
        out.batch_uncertainty_max = batchSummary.max;
        out.batch_uncertainty_variance = batchSummary.variance;
        histograms.push({ target: "batch", ...batchSummary.histogram });
        const batchPredicted = Int32Array.from(selected, (i) => predicted[i]!);
        out.agreement = agreement(batchPredicted, takeRows(pool.x, selected), {
          points: takeRows(pool.x, trainingSet),
          labels: Int32Array.from(trainingSet, (i) => pool.y[i]!),
        });
        out.batch_accuracy = batchAccuracy(predicted, pool.y, selected);
        if (pool.noisy) out.noisy_ratio = noisyRatio(selected, pool.noisy);
        if (reference) out.easiness = batchAccuracy(reference, pool.y, selected);
      }
      return { metrics: keep(names, out), histograms };
    },

    state: () => (previous ? { predictions: previous } : {}),

    restore(state, trainingSet) {
      previous = state.predictions;
      distances = nearestNeighbours(test.x, takeRows(pool.x, trainingSet), "exploration_gain").distance;
      trained = trainingSet.length;
    },
  };
}
