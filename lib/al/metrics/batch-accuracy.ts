/** Reverse batch accuracy / easiness: accuracy of given predictions on the selected batch only. */
import { checkLabelPair } from "./accuracy.ts";
import { checkIndices } from "./check.ts";

/**
 * Fraction of the batch (pool indices) on which `predicted` equals `truth`, both indexed by pool
 * point. Pass the current model's predictions once the batch's labels arrive for the reverse
 * batch accuracy (low = the sampler picks points the model gets wrong, i.e. hard ones), or a
 * reference classifier's (trained on an independent labelled set) for easiness.
 */
export function batchAccuracy(predicted: Int32Array, truth: Int32Array, batch: ArrayLike<number>): number {
  checkLabelPair("batchAccuracy", predicted, truth);
  if (batch.length === 0) throw new RangeError("batchAccuracy: the batch is empty; measure it on a selected batch");
  checkIndices("batchAccuracy", "batch", batch, truth.length);
  let correct = 0;
  for (let i = 0; i < batch.length; i++) {
    const j = batch[i]!;
    if (predicted[j] === truth[j]) correct++;
  }
  return correct / batch.length;
}
