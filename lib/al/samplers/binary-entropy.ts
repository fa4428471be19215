/**
 * Summed binary entropy, for multi-label tasks: the labels are independent Bernoulli predictions,
 * so the entropy of the whole label vector is the sum of the per-label entropies
 *   Σ_l −p_l ln p_l − (1 − p_l) ln(1 − p_l)   (nats).
 * Unlike binary minimum it rewards points that are unsure about many labels at once.
 */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import { xlnx } from "./fast-log.ts";
import type { Sampler } from "./sampler.ts";
import { requireProbs } from "./validate.ts";

/** Σ over labels of the binary entropy per row; p ≤ 0 or ≥ 1 contributes 0 (no NaN at the ends). */
export function binaryEntropyScores(probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = i * c, end = j + c; j < end; j++) {
      const p = data[j]!;
      h -= xlnx(p) + xlnx(1 - p);
    }
    out[i] = h;
  }
  return out;
}

export const binaryEntropy: Sampler = scoreSampler({
  name: "binary-entropy",
  description: "Multi-label: points with the highest summed per-label binary entropy.",
  needs: ["probs"],
  tasks: ["multilabel"],
  scores: (inputs) => binaryEntropyScores(requireProbs("binary-entropy", inputs, "per-label")),
});
