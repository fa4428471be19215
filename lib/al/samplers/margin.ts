/** Margin sampling: prefer points where the two most likely classes are closest. */
import type { Matrix } from "../matrix.ts";
import type { Sampler } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK, parseNoOptions, requireProbs } from "./validate.ts";

/**
 * 1 − (p1 − p2) per row, with p1 ≥ p2 the two largest probabilities, so higher = more
 * informative like every other score. With one class there is no runner-up: p2 = 0.
 */
export function marginScores(probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let p1 = -Infinity;
    let p2 = -Infinity;
    for (let j = i * c, end = j + c; j < end; j++) {
      const v = data[j]!;
      if (v > p1) {
        p2 = p1;
        p1 = v;
      } else if (v > p2) {
        p2 = v; // also catches a second, equal maximum: margin 0
      }
    }
    if (c === 1) p2 = 0;
    out[i] = 1 - (p1 - p2);
  }
  return out;
}

export const margin: Sampler = {
  name: "margin",
  description: "Points with the smallest gap between the two most likely classes (1 − (p1 − p2)).",
  needs: ["probs"],
  parseOptions: parseNoOptions,
  select(inputs, k) {
    const probs = requireProbs("margin", inputs);
    checkK("margin", k, inputs.labelled);
    return topKUnlabelled(marginScores(probs), k, inputs.labelled);
  },
  score(inputs) {
    return marginScores(requireProbs("margin", inputs));
  },
};
