/**
 * Top-k selection without sorting the whole pool: a bounded heap keeps the k best seen so
 * far, so picking 100 points from 10^6 costs O(N log k), not O(N log N).
 */

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
  // The heap root is the *worst* kept entry, so a better newcomer replaces it in O(log k).
  const capacity = Math.min(k, scores.length);
  const heapIndex = new Int32Array(capacity);
  const heapKey = new Float64Array(capacity);
  let size = 0;

  // a is worse than b: lower key, or same key and higher index (lower index wins ties).
  const worse = (ka: number, ia: number, kb: number, ib: number): boolean => ka < kb || (ka === kb && ia > ib);

  const siftDown = (from: number, count: number): void => {
    let i = from;
    const key = heapKey[i]!;
    const index = heapIndex[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= count) break;
      const r = l + 1;
      let child = l;
      if (r < count && worse(heapKey[r]!, heapIndex[r]!, heapKey[l]!, heapIndex[l]!)) child = r;
      if (!worse(heapKey[child]!, heapIndex[child]!, key, index)) break;
      heapKey[i] = heapKey[child]!;
      heapIndex[i] = heapIndex[child]!;
      i = child;
    }
    heapKey[i] = key;
    heapIndex[i] = index;
  };

  if (capacity > 0) {
    for (let i = 0; i < scores.length; i++) {
      if (eligible[i] === 0) continue;
      const s = scores[i]!;
      const key = s !== s ? -Infinity : s; // NaN → -Infinity
      if (size < capacity) {
        // Sift up.
        let j = size++;
        while (j > 0) {
          const parent = (j - 1) >> 1;
          if (!worse(key, i, heapKey[parent]!, heapIndex[parent]!)) break;
          heapKey[j] = heapKey[parent]!;
          heapIndex[j] = heapIndex[parent]!;
          j = parent;
        }
        heapKey[j] = key;
        heapIndex[j] = i;
      } else if (worse(heapKey[0]!, heapIndex[0]!, key, i)) {
        heapKey[0] = key;
        heapIndex[0] = i;
        siftDown(0, size);
      }
    }
  }

  // Pop worst-first into the back of the output: best ends up first.
  const out = new Int32Array(size);
  for (let end = size - 1; end >= 0; end--) {
    out[end] = heapIndex[0]!;
    heapKey[0] = heapKey[end]!;
    heapIndex[0] = heapIndex[end]!;
    siftDown(0, end);
  }
  return out;
}

/** topK over the points not yet labelled (labelled[i] ≠ 0 means never selectable). */
export function topKUnlabelled(scores: ArrayLike<number>, k: number, labelled: Uint8Array): Int32Array {
  const eligible = new Uint8Array(labelled.length);
  for (let i = 0; i < labelled.length; i++) eligible[i] = labelled[i] === 0 ? 1 : 0;
  return topK(scores, k, eligible);
}
