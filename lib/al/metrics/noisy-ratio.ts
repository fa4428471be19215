/** Noisy-sample ratio: how much of a batch is known label noise. */
import { checkIndices } from "./check.ts";

/**
 * Fraction of the batch (pool indices) with noisy[i] = 1. Data sets that inject noise (synthetic
 * blobs) record which points are noisy; uncertainty samplers are drawn to them, because a
 * mislabelled point sits where the model is unsure, so this explains stalls in the curve.
 */
export function noisyRatio(batch: ArrayLike<number>, noisy: Uint8Array): number {
  if (batch.length === 0) throw new RangeError("noisyRatio: the batch is empty; measure it on a selected batch");
  checkIndices("noisyRatio", "batch", batch, noisy.length);
  let count = 0;
  for (let i = 0; i < batch.length; i++) if (noisy[batch[i]!] === 1) count++;
  return count / batch.length;
}
