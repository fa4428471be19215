/**
 * Checks for the inputs diversity and hybrid samplers declare beyond "probs" (embeddings,
 * reference probabilities). Same style as validate.ts: one line naming the sampler, what is
 * wrong and how to fix it.
 */
import type { Matrix } from "../matrix.ts";
import type { EpochPredictions, SamplerInputs } from "./sampler.ts";
import { checkProbabilityRows } from "./validate.ts";

/** The pool embeddings, checked to be present, one finite row per pool point. */
export function requireEmbeddings(sampler: string, inputs: SamplerInputs): Matrix {
  const embeddings = inputs.embeddings;
  if (embeddings === undefined) {
    throw new TypeError(`${sampler}: needs "embeddings" but the runner gave none`);
  }
  const n = inputs.labelled.length;
  if (embeddings.n !== n) {
    throw new RangeError(
      `${sampler}: embeddings has ${embeddings.n} rows but the pool has ${n} points; pass one embedding row per pool point`,
    );
  }
  if (!Number.isInteger(embeddings.c) || embeddings.c < 1 || embeddings.data.length !== embeddings.n * embeddings.c) {
    throw new RangeError(
      `${sampler}: embeddings data has ${embeddings.data.length} values, expected ${embeddings.n}×${embeddings.c}; build it with matrix()`,
    );
  }
  // A NaN would silently poison every distance computed from it. v·0 is ±0 for a finite v and
  // NaN otherwise: four running sums of it check every value at a third of the cost of a
  // Number.isFinite test each; only a pool that fails is searched for the value to name.
  const data = embeddings.data;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const end = data.length & ~3;
  for (let i = 0; i < end; i += 4) {
    s0 += data[i]! * 0;
    s1 += data[i + 1]! * 0;
    s2 += data[i + 2]! * 0;
    s3 += data[i + 3]! * 0;
  }
  for (let i = end; i < data.length; i++) s0 += data[i]! * 0;
  if (s0 + s1 + s2 + s3 === 0) return embeddings;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new RangeError(
        `${sampler}: embeddings row ${Math.floor(i / embeddings.c)} holds ${data[i]}; embeddings must be finite numbers`,
      );
    }
  }
  return embeddings;
}

/** The reference classifier's probability of each pool point's true label (IConfidence's cap). */
export function requireReferenceProbs(sampler: string, inputs: SamplerInputs): Float32Array {
  const reference = inputs.referenceProbs;
  if (reference === undefined) {
    throw new TypeError(`${sampler}: needs "referenceProbs" but the runner gave none`);
  }
  const n = inputs.labelled.length;
  if (reference.length !== n) {
    throw new RangeError(
      `${sampler}: referenceProbs has ${reference.length} values but the pool has ${n} points; pass one per pool point`,
    );
  }
  // One probability per row: each must lie in [0, 1], like a per-label probability.
  checkProbabilityRows(sampler, "referenceProbs", reference, n, 1, "per-label");
  return reference;
}

/** The per-epoch predicted classes, checked: one row of E ≥ 1 class indices per pool point. */
export function requireEpochPredictions(sampler: string, inputs: SamplerInputs): EpochPredictions {
  const record = inputs.epochPredictions;
  if (record === undefined) {
    throw new TypeError(`${sampler}: needs "epochPredictions" but the runner gave none`);
  }
  const n = inputs.labelled.length;
  if (record.n !== n) {
    throw new RangeError(`${sampler}: epochPredictions has ${record.n} rows but the pool has ${n} points; pass one row per pool point`);
  }
  if (!Number.isInteger(record.e) || record.e < 1) {
    throw new RangeError(`${sampler}: epochPredictions has ${record.e} epochs; record at least one epoch per pool point`);
  }
  if (!(record.data instanceof Int32Array) || record.data.length !== record.n * record.e) {
    throw new RangeError(
      `${sampler}: epochPredictions data has ${record.data.length} values, expected ${record.n}×${record.e} = ${record.n * record.e}; pass an Int32Array of class indices`,
    );
  }
  const data = record.data;
  for (let k = 0; k < data.length; k++) {
    if (data[k]! < 0) {
      throw new RangeError(
        `${sampler}: epochPredictions row ${Math.floor(k / record.e)} (epoch ${k % record.e}) holds ${data[k]}; predicted classes are indices ≥ 0`,
      );
    }
  }
  return record;
}

/** The loss-prediction module's predicted loss per pool point, checked: N finite numbers. */
export function requirePredictedLoss(sampler: string, inputs: SamplerInputs): Float32Array {
  const predicted = inputs.predictedLoss;
  if (predicted === undefined) {
    throw new TypeError(`${sampler}: needs "predictedLoss" but the runner gave none`);
  }
  const n = inputs.labelled.length;
  if (predicted.length !== n) {
    throw new RangeError(`${sampler}: predictedLoss has ${predicted.length} values but the pool has ${n} points; pass one per pool point`);
  }
  for (let i = 0; i < n; i++) {
    // A NaN would sort anywhere; a diverged loss module must fail loudly, not select at random.
    if (!Number.isFinite(predicted[i]!)) throw new RangeError(`${sampler}: predictedLoss of pool point ${i} is ${predicted[i]}; predicted losses must be finite numbers`);
  }
  return predicted;
}

/** Indices i with labelled[i] = 0 (candidates) and labelled[i] = 1, in increasing order. */
export function splitPool(labelled: Uint8Array): { unlabelled: Int32Array; labelledIndices: Int32Array } {
  let count = 0;
  for (let i = 0; i < labelled.length; i++) if (labelled[i] === 0) count++;
  const unlabelled = new Int32Array(count);
  const labelledIndices = new Int32Array(labelled.length - count);
  for (let i = 0, u = 0, l = 0; i < labelled.length; i++) {
    if (labelled[i] === 0) unlabelled[u++] = i;
    else labelledIndices[l++] = i;
  }
  return { unlabelled, labelledIndices };
}
