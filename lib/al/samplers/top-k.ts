/**
 * Top-k selection without sorting the whole pool: a bounded heap (top-k-heap.ts) keeps the k
 * best seen so far, so picking 100 points from 10^6 costs O(N log k), not O(N log N).
 */
import { TopKHeap } from "./top-k-heap.ts";

/**
 * The k eligible indices with the highest scores, highest first; equal scores go to the
 * lowest index so results never depend on engine sort stability.
 *
 * NaN scores are treated as -Infinity, so a broken score never crashes selection and never
 * beats a real one. (Bad probabilities are rejected before scoring, by validate.ts: a NaN
 * probability need not give a NaN score — least-confidence skips it and ranks the row first.) Returns fewer than k indices when fewer are
 * eligible; samplers check k against the pool before calling this.
 *
 * @param eligible 1 = index may be chosen, 0 = skip it; same length as `scores`.
 */
export function topK(scores: ArrayLike<number>, k: number, eligible: Uint8Array): Int32Array {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`topK: k = ${k} must be a whole number ≥ 0; pass how many indices to keep`);
  }
  if (eligible.length !== scores.length) {
    throw new RangeError(
      `topK: eligible mask has ${eligible.length} entries but there are ${scores.length} scores; pass one flag per score`,
    );
  }
  const heap = new TopKHeap(k, scores.length);
  if (heap.capacity > 0) {
    for (let i = 0; i < scores.length; i++) if (eligible[i] !== 0) heap.offer(scores[i]!, i);
  }
  return heap.take();
}

/** topK over the points not yet labelled (labelled[i] ≠ 0 means never selectable). */
export function topKUnlabelled(scores: ArrayLike<number>, k: number, labelled: Uint8Array): Int32Array {
  const eligible = new Uint8Array(labelled.length);
  for (let i = 0; i < labelled.length; i++) eligible[i] = labelled[i] === 0 ? 1 : 0;
  return topK(scores, k, eligible);
}
