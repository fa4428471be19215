/** Accuracy: the fraction of test points whose predicted class is the true one. */

/**
 * Throws unless `predicted` and `truth` are non-empty and equally long. Shared with the other
 * label metrics: a length mismatch means predictions and labels are misaligned, and an
 * empty test set has no defined score.
 */
export function checkLabelPair(metric: string, predicted: Int32Array, truth: Int32Array): void {
  if (predicted.length !== truth.length) {
    throw new RangeError(
      `${metric}: predicted has ${predicted.length} labels but truth has ${truth.length}; pass one prediction per test point`,
    );
  }
  if (truth.length === 0) {
    throw new RangeError(`${metric}: no test points; evaluate on a non-empty test set`);
  }
}

export function accuracy(predicted: Int32Array, truth: Int32Array): number {
  checkLabelPair("accuracy", predicted, truth);
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct / truth.length;
}
