/**
 * Nearest neighbours by Euclidean distance, shared by exploration gain and agreement. Brute
 * force with early abandoning: a candidate is dropped as soon as its partial squared distance
 * reaches the best so far, which skips most of the d-dimensional loop on image-sized inputs.
 * Where WebAssembly SIMD runs, four reference rows are summed at a time (simd/nearest.ts) with
 * bit-identical sums and the same tie rule, so the answer does not depend on which path ran.
 */
import type { Matrix } from "../matrix.ts";
import { nearestRows, type NearestRows } from "../simd/nearest.ts";
import { checkMatrix } from "./check.ts";

export interface Nearest {
  /** Row of the reference matrix nearest to each point (lowest row on ties). */
  index: Int32Array;
  /** Euclidean distance to it. */
  distance: Float64Array;
}

/** Checks after this many dimensions whether the partial distance already loses. */
const BLOCK = 16;

/** Which loop to run: the SIMD kernel where it loads (default), or the JavaScript one (tests compare the two). */
export interface NearestOptions {
  simd?: boolean;
}

export function nearestNeighbours(points: Matrix, reference: Matrix, metric = "nearestNeighbours", options: NearestOptions = {}): Nearest {
  checkMatrix(metric, "points", points);
  checkMatrix(metric, "reference", reference, undefined, points.c);
  if (reference.n === 0) {
    throw new RangeError(`${metric}: the reference set is empty; there is no nearest neighbour to measure against`);
  }
  const { n, c: d } = points;
  const found =
    (options.simd === false ? undefined : nearestRows(points.data, n, reference.data, reference.n, d)) ??
    nearestRowsScalar(points.data, n, reference.data, reference.n, d);
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // +∞ when no row has a finite distance (NaN sums never become the best).
    if (found.squared[i] === Infinity) {
      throw new RangeError(`${metric}: point ${i} has no finite distance to the reference set; check for NaN or infinite features`);
    }
    distance[i] = Math.sqrt(found.squared[i]!);
  }
  return { index: found.row, distance };
}

/** The JavaScript loop: the same answer as simd/nearest.ts's nearestRows. */
function nearestRowsScalar(p: Float32Array, n: number, r: Float32Array, m: number, d: number): NearestRows {
  const squared = new Float64Array(n);
  const row = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const po = i * d;
    let best = Infinity;
    let bestRow = 0;
    for (let j = 0; j < m; j++) {
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
    squared[i] = best;
    row[i] = bestRow;
  }
  return { squared, row };
}
