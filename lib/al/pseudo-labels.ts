/**
 * High-confidence pseudo-labels (CEAL: Wang et al. 2017, "Cost-effective active learning for
 * deep image classification"). After a round's selection, every pool point still unlabelled
 * whose predictive entropy is below δ_r = δ₀ − dr·r gets the model's predicted class as its
 * label, for the next round's fit only: the loop never adds them to the labelled set, never
 * charges them to the oracle, and recomputes them from the next round's predictions.
 *
 * Entropy is in nats (−Σ p ln p, as the entropy sampler): the paper writes log without a base,
 * and the reference implementations take the natural log, so its δ₀ = 0.005 means the same here.
 */
import type { Matrix } from "./matrix.ts";
import { entropyScores } from "./samplers/entropy.ts";
import { topK } from "./samplers/top-k.ts";
import { checkProbabilityRows, checkRowLength } from "./samplers/validate.ts";

/** Pool points and the classes the model gave them, most confident first. */
export interface PseudoLabels {
  points: Int32Array;
  classes: Int32Array;
}

export interface PseudoLabelOptions {
  /** δ₀: the entropy threshold (nats) of round 0. */
  threshold: number;
  /** dr: how much the threshold falls per round. */
  decay: number;
  /** At most this many pseudo-labels, the lowest entropies (absent: no cap). */
  maxPseudoLabels?: number;
}

/** δ_r = δ₀ − dr·r: the entropy a point must stay below after round `round`'s fit. */
export function pseudoLabelThreshold(round: number, options: PseudoLabelOptions): number {
  return options.threshold - options.decay * round;
}

/**
 * The pseudo-labels round `round`'s pool probabilities give: every point with blocked[i] = 0
 * (not labelled, not picked this round, not set aside) whose entropy is strictly below the
 * round's threshold, labelled with its most probable class (ties → lowest class), lowest
 * entropy first (ties → lowest index). None once the threshold reaches 0.
 */
export function pseudoLabels(probs: Matrix, blocked: Uint8Array, round: number, options: PseudoLabelOptions): PseudoLabels {
  const { data, n, c } = probs;
  if (blocked.length !== n) {
    throw new RangeError(`pseudo-labels: the mask has ${blocked.length} entries but probs has ${n} rows; pass one flag per pool point`);
  }
  checkRowLength("pseudo-labels", "probs", data.length, n, c);
  checkProbabilityRows("pseudo-labels", "probs", data, n, c, "distribution");
  const delta = pseudoLabelThreshold(round, options);
  const entropy = entropyScores(probs);
  const eligible = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (blocked[i] === 0 && entropy[i]! < delta) {
      eligible[i] = 1;
      count++;
    }
  }
  // topK keeps the highest scores: negated entropy puts the most confident first.
  const negated = Float64Array.from(entropy, (h) => -h);
  const points = topK(negated, Math.min(count, options.maxPseudoLabels ?? count), eligible);
  const classes = Int32Array.from(points, (i) => {
    let best = 0;
    for (let j = 1; j < c; j++) if (data[i * c + j]! > data[i * c + best]!) best = j;
    return best;
  });
  return { points, classes };
}

/** Share of pseudo-labels that match the true labels; undefined when there are none. */
export function pseudoLabelAccuracy(labels: PseudoLabels, truth: Int32Array): number | undefined {
  if (labels.points.length === 0) return undefined;
  let right = 0;
  for (let j = 0; j < labels.points.length; j++) if (labels.classes[j] === truth[labels.points[j]!]) right++;
  return right / labels.points.length;
}

/** What a round whose fit had these pseudo-labels stores: their count and (when any) accuracy against the true labels. */
export function pseudoLabelMetrics(labels: PseudoLabels | undefined, truth: Int32Array): Record<string, number> {
  const share = labels ? pseudoLabelAccuracy(labels, truth) : undefined;
  return { pseudo_labels: labels?.points.length ?? 0, ...(share === undefined ? {} : { pseudo_label_accuracy: share }) };
}

/**
 * A fit's rows and targets: the labelled rows first, then the pseudo-labelled ones. Targets as a
 * learner takes them (class indices, or a multi-label matrix), spelt out here because the pure
 * core (ceal reaches this file) imports nothing from lib/learners.
 */
export function withPseudoLabels<T extends Int32Array | Matrix>(rows: Int32Array, targets: T, labels: PseudoLabels | undefined): { rows: Int32Array; targets: T | Int32Array } {
  if (!labels || labels.points.length === 0) return { rows, targets };
  // Preflight keeps CEAL off multi-label data; this guards callers that skip it.
  if (!(targets instanceof Int32Array)) throw new TypeError("pseudo-labels: multi-label targets take no pseudo-labels; use ceal on multi-class data");
  const allRows = new Int32Array(rows.length + labels.points.length);
  allRows.set(rows);
  allRows.set(labels.points, rows.length);
  const allTargets = new Int32Array(targets.length + labels.classes.length);
  allTargets.set(targets);
  allTargets.set(labels.classes, targets.length);
  return { rows: allRows, targets: allTargets };
}
