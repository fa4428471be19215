/** One-vs-rest AUROC, micro-averaged: every (point, class) probability in one ranking. */
import type { Matrix } from "../matrix.ts";
import { aurocFromScores } from "./binary-auroc.ts";
import { checkProbsTruth } from "./check.ts";

/**
 * The AUROC of all N×C probabilities against the N×C one-hot truth: the chance that a point's
 * probability for its own class exceeds a point's probability for a class it is not. Frequent
 * classes weigh more than in the macro average; with C ≥ 2 both sides are never empty.
 */
export function aurocMicro(probs: Matrix, truth: Int32Array): number {
  checkProbsTruth("aurocMicro", probs, truth);
  const { data, c } = probs;
  if (c < 2) throw new RangeError("aurocMicro: probs has 1 column; one-vs-rest AUROC needs at least 2 classes");
  const n = truth.length;
  // The scores are float32 already: float32 copies lose nothing and sort faster.
  const pos = new Float32Array(n);
  const neg = new Float32Array(n * (c - 1));
  let b = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i]!;
    for (let k = 0; k < c; k++) {
      if (k === t) pos[i] = data[i * c + k]!;
      else neg[b++] = data[i * c + k]!;
    }
  }
  return aurocFromScores(pos, neg)!;
}
