/**
 * Nearest neighbours by Euclidean distance, shared by exploration gain and agreement. Brute
 * force with early abandoning: a candidate is dropped as soon as its partial squared distance
 * reaches the best so far, which skips most of the d-dimensional loop on image-sized inputs.
 */
import type { Matrix } from "../matrix.ts";
import { checkMatrix } from "./check.ts";

export interface Nearest {
  /** Row of the reference matrix nearest to each point (lowest row on ties). */
  index: Int32Array;
  /** Euclidean distance to it. */
  distance: Float64Array;
}

/** Checks after this many dimensions whether the partial distance already loses. */
const BLOCK = 16;

export function nearestNeighbours(points: Matrix, reference: Matrix, metric = "nearestNeighbours"): Nearest {
  checkMatrix(metric, "points", points);
  checkMatrix(metric, "reference", reference, undefined, points.c);
  if (reference.n === 0) {
    throw new RangeError(`${metric}: the reference set is empty; there is no nearest neighbour to measure against`);
  }
  const { n, c: d } = points;
  const p = points.data;
  const r = reference.data;
  const index = new Int32Array(n);
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const po = i * d;
    let best = Infinity;
    let bestRow = 0;
    for (let j = 0; j < reference.n; j++) {
      const ro = j * d;
      let sum = 0;
      let k = 0;
      while (k < d) {
        const end = Math.min(k + BLOCK, d);
        for (; k < end; k++) {
          const diff = p[po + k]! - r[ro + k]!;
          sum += diff * diff;
        }
        // ≥ keeps the earlier row on an exact tie, as the full comparison below does.
        if (sum >= best) break;
      }
      if (sum < best) {
        best = sum;
        bestRow = j;
      }
    }
    if (Number.isNaN(best) || best === Infinity) {
      throw new RangeError(`${metric}: point ${i} has no finite distance to the reference set; check for NaN or infinite features`);
    }
    index[i] = bestRow;
    distance[i] = Math.sqrt(best);
  }
  return { index, distance };
}
