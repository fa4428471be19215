/** One-vs-rest AUROC, macro-averaged: how well each class's probability ranks its members first. */
import type { Matrix } from "../matrix.ts";
import { aurocFromScores } from "./binary-auroc.ts";
import { checkProbsTruth } from "./check.ts";

/** An averaged AUROC and the classes (or labels) left out of the average. */
export interface AveragedAuroc {
  /** Mean AUROC over the usable classes; null when none is usable. */
  value: number | null;
  /**
   * Classes without both positives and negatives in the test set, whose AUROC is undefined:
   * they are skipped rather than scored 0.5, and listed so reports can say so.
   */
  skipped: number[];
}

/**
 * For each class c, the AUROC of probs[:, c] separating truth = c from the rest; the mean over
 * classes present in the truth. Threshold-free, so it credits a model that ranks well even when
 * its argmax is off — useful early in a run, when accuracy still moves in coarse steps.
 */
export function aurocMacro(probs: Matrix, truth: Int32Array): AveragedAuroc {
  checkProbsTruth("aurocMacro", probs, truth);
  const { data, c } = probs;
  const n = truth.length;
  const perClass = new Float64Array(c);
  for (let i = 0; i < n; i++) perClass[truth[i]!]!++;
  let sum = 0;
  let used = 0;
  const skipped: number[] = [];
  for (let k = 0; k < c; k++) {
    const p = perClass[k]!;
    // The scores are float32 already: float32 copies lose nothing and sort faster.
    const pos = new Float32Array(p);
    const neg = new Float32Array(n - p);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (truth[i] === k) pos[a++] = data[i * c + k]!;
      else neg[b++] = data[i * c + k]!;
    }
    const auc = aurocFromScores(pos, neg);
    if (auc === null) skipped.push(k);
    else {
      sum += auc;
      used++;
    }
  }
  return { value: used === 0 ? null : sum / used, skipped };
}
