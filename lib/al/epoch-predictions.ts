/**
 * The per-epoch record a fit hands back (`recordPredictions`), as the loop assembles it for
 * label dispersion: the columns of several one-epoch fits joined (acquire-on-saturation trains
 * epoch by epoch).
 */
import type { FitResult } from "../learners/learner.ts";
import type { EpochPredictions } from "./samplers/sampler.ts";

/** The record of a fit that was asked for one; `learner` names it when it gave none. */
export function recordOf(result: FitResult | void, learner: string): EpochPredictions {
  const record = result?.epochPredictions;
  if (!record) {
    throw new Error(`learner "${learner}" recorded no per-epoch predictions; label dispersion needs a learner that trains in epochs (mlp, cnn, …)`);
  }
  return record;
}

/** Records of the same rows side by side, in fit order: N×(E₁ + E₂ + …). */
export function joinEpochs(parts: readonly EpochPredictions[]): EpochPredictions {
  const n = parts[0]?.n ?? 0;
  const e = parts.reduce((sum, part) => sum + part.e, 0);
  const data = new Int32Array(n * e);
  let offset = 0;
  for (const part of parts) {
    if (part.n !== n) throw new RangeError(`joinEpochs: records of ${n} and ${part.n} rows; join records of the same rows`);
    for (let i = 0; i < n; i++) data.set(part.data.subarray(i * part.e, (i + 1) * part.e), i * e + offset);
    offset += part.e;
  }
  return { data, n, e };
}
