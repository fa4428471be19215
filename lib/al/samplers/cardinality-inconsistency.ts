/**
 * Label-cardinality inconsistency (Li & Guo 2013, "Active Learning with Multi-Label SVM
 * Classification"), for multi-label tasks: prefer points whose predicted number of labels
 * (labels with p > 0.5) is furthest from the mean number of labels of the labelled set,
 *   | #{l : p_l > 0.5} − (1/|L|) Σ_{i ∈ L} |Y_i| |.
 * It catches predictions that are implausible as a whole (no label at all, or far too many)
 * even when no single label is near 0.5. Scores take few distinct values, so ties are common
 * and go to the lowest index.
 */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { requireProbs } from "./validate.ts";

/** The multi-label label matrix (N×L, 0/1, read on labelled rows only), checked against probs. */
export function requireLabelSets(sampler: string, inputs: SamplerInputs, labels: number): Matrix {
  const sets = inputs.labelSets;
  if (sets === undefined) {
    throw new TypeError(`${sampler}: needs "labelSets" (the labelled points' label sets) but the runner gave none`);
  }
  if (sets.n !== inputs.labelled.length || sets.c !== labels || sets.data.length !== sets.n * sets.c) {
    throw new RangeError(
      `${sampler}: labelSets is ${sets.n}×${sets.c} but the pool needs ${inputs.labelled.length}×${labels} (one row per pool point, one column per label)`,
    );
  }
  return sets;
}

/** Mean label count over the labelled rows (entries ≥ 0.5 count as present). */
export function meanLabelCount(labelSets: Matrix, labelled: Uint8Array): number {
  const { data, c } = labelSets;
  let rows = 0;
  let total = 0;
  for (let i = 0; i < labelled.length; i++) {
    if (labelled[i] === 0) continue;
    rows++;
    for (let j = i * c, end = j + c; j < end; j++) if (data[j]! >= 0.5) total++;
  }
  if (rows === 0) {
    throw new RangeError(
      "cardinality-inconsistency: no labelled points to take the mean label count from; start from a non-empty initial set",
    );
  }
  return total / rows;
}

/** |predicted label count − meanCount| per row of N×L sigmoid probabilities. */
export function cardinalityInconsistencyScores(probs: Matrix, meanCount: number): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = i * c, end = j + c; j < end; j++) if (data[j]! > 0.5) count++;
    out[i] = Math.abs(count - meanCount);
  }
  return out;
}

function scores(inputs: SamplerInputs): Float64Array {
  const probs = requireProbs("cardinality-inconsistency", inputs, "per-label");
  const sets = requireLabelSets("cardinality-inconsistency", inputs, probs.c);
  return cardinalityInconsistencyScores(probs, meanLabelCount(sets, inputs.labelled));
}

export const cardinalityInconsistency: Sampler = scoreSampler({
  name: "cardinality-inconsistency",
  description: "Multi-label: points whose predicted label count is furthest from the labelled set's mean count.",
  needs: ["probs", "labels"],
  tasks: ["multilabel"],
  scores,
});
