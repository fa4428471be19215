/** Exploration gain EG(t): how much closer the labelled set came to the test points this round. */
import type { Matrix } from "../matrix.ts";
import { checkMatrix } from "./check.ts";
import { nearestNeighbours } from "./nearest-neighbour.ts";

/**
 * EG(t) = Σ over test points x of d(x, L_{t−1}) − d(x, L_t), with d(x, L) the Euclidean
 * distance from x to its nearest labelled point. A batch spread into unexplored regions scores
 * high; a batch packed near already-labelled points scores ≈ 0. The space is the caller's: pass
 * input features or embeddings (and say which when storing it), the same space for all three.
 *
 * @param points the test points (or any fixed probe set), N×d
 * @param labelledBefore the labelled set's features at round t − 1
 * @param labelledAfter the labelled set's features at round t (usually before ∪ batch)
 */
export function explorationGain(points: Matrix, labelledBefore: Matrix, labelledAfter: Matrix): number {
  const before = nearestNeighbours(points, labelledBefore, "explorationGain").distance;
  const after = nearestNeighbours(points, labelledAfter, "explorationGain").distance;
  let gain = 0;
  for (let i = 0; i < before.length; i++) gain += before[i]! - after[i]!;
  return gain;
}

/**
 * The same EG(t) when L_t = L_{t−1} ∪ batch, in O(N·|batch|·d) instead of O(N·|L_t|·d): a round
 * only searches its batch. `distances` holds each point's distance to L_{t−1} (start with
 * nearestNeighbours(points, initialSet).distance) and is updated in place to L_t, ready for the
 * next round.
 */
export function explorationGainOfBatch(points: Matrix, batch: Matrix, distances: Float64Array): number {
  checkMatrix("explorationGainOfBatch", "points", points, distances.length);
  if (batch.n === 0) return 0; // nothing added, nothing gained
  const toBatch = nearestNeighbours(points, batch, "explorationGainOfBatch").distance;
  let gain = 0;
  for (let i = 0; i < distances.length; i++) {
    const d = toBatch[i]!;
    if (d < distances[i]!) {
      gain += distances[i]! - d;
      distances[i] = d;
    }
  }
  return gain;
}
