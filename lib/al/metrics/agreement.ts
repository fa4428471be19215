/** Agreement: does the model label the selected batch the way a 1-nearest-neighbour classifier would? */
import type { Matrix } from "../matrix.ts";
import { checkMatrix } from "./check.ts";
import { nearestNeighbours } from "./nearest-neighbour.ts";

export interface LabelledReference {
  /** Features of the labelled set before the batch is labelled, M×d. */
  points: Matrix;
  /** Their labels, length M. */
  labels: Int32Array;
}

/**
 * Fraction of the selected batch on which the model's predicted label equals the label of the
 * nearest labelled point (Euclidean, lowest row on ties). High agreement means the batch sits
 * where the labelled data already speaks clearly — easy points; well above a random batch's
 * agreement suggests the sampler should pick harder ones.
 *
 * @param predicted the model's predicted labels on the batch, length B
 * @param batch the batch's features, B×d, in the same space as `labelled.points`
 */
export function agreement(predicted: Int32Array, batch: Matrix, labelled: LabelledReference): number {
  checkMatrix("agreement", "batch", batch, predicted.length);
  if (predicted.length === 0) throw new RangeError("agreement: the batch is empty; measure agreement on a selected batch");
  if (labelled.labels.length !== labelled.points.n) {
    throw new RangeError(
      `agreement: labelled.points has ${labelled.points.n} rows but labelled.labels has ${labelled.labels.length}; pass one label per labelled point`,
    );
  }
  const { index } = nearestNeighbours(batch, labelled.points, "agreement");
  let same = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labelled.labels[index[i]!]) same++;
  return same / predicted.length;
}
