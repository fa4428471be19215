/**
 * Squared Euclidean distances between rows of flat matrices, computed as ‖x‖² + ‖c‖² − 2x·c:
 * one dot product per pair instead of a subtract-square-sum pass, and the norms are computed
 * once. Every norm is the same dot routine applied to the row itself, so a row's distance to
 * itself (or to an exact copy) is exactly 0, and rounding below 0 is clamped.
 */
import type { Matrix } from "../matrix.ts";

/**
 * Dot product of a[ao … ao+d) and b[bo … bo+d), accumulated in doubles. Four independent
 * accumulators let the CPU overlap the multiply-adds; the summation order is fixed, so the
 * result is deterministic and symmetric (dot(a, b) === dot(b, a)).
 */
export function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += a[ao + j]! * b[bo + j]!;
    s1 += a[ao + j + 1]! * b[bo + j + 1]!;
    s2 += a[ao + j + 2]! * b[bo + j + 2]!;
    s3 += a[ao + j + 3]! * b[bo + j + 3]!;
  }
  for (; j < d; j++) s0 += a[ao + j]! * b[bo + j]!;
  return s0 + s1 + (s2 + s3);
}

/** ‖row‖² for every row (as dotAt(row, row), see the file comment). */
export function squaredNorms(m: Matrix): Float64Array {
  const { data, n, c } = m;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = dotAt(data, i * c, data, i * c, c);
  return out;
}

/** Squared distance between row i of a and row j of b, given their squared norms. */
export function squaredDistanceAt(
  a: Float32Array,
  i: number,
  aNorm: number,
  b: Float32Array,
  j: number,
  bNorm: number,
  d: number,
): number {
  const v = aNorm + bNorm - 2 * dotAt(a, i * d, b, j * d, d);
  return v > 0 ? v : 0;
}

/** Rows per block of the nearest-centre search: a block of rows stays in L1/L2 while the centres stream past. */
const ROW_BLOCK = 64;
/** Centres per block: 32 × 128 floats = 16 KB, so a centre block stays in L1 across the row block. */
const CENTRE_BLOCK = 32;

/**
 * For every row of `points`, the nearest row of `centres` and its squared distance. Writes
 * `index[i]` / `distance[i]` only where a centre is strictly closer than `distance[i]` already
 * is, so callers can merge several centre sets (start with distance = Infinity); on equal
 * distances the earlier centre (lower index, earlier call) wins. Centre indices are written
 * plus `indexOffset`.
 */
export function assignNearest(
  points: Matrix,
  pointNorms: Float64Array,
  centres: Matrix,
  centreNorms: Float64Array,
  index: Int32Array,
  distance: Float64Array,
  indexOffset = 0,
): void {
  const d = points.c;
  if (centres.c !== d) {
    throw new RangeError(`assignNearest: points have ${d} columns but centres have ${centres.c}; pass centres in the same space`);
  }
  const x = points.data;
  const c = centres.data;
  const n = points.n;
  const k = centres.n;
  for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
    const r1 = Math.min(n, r0 + ROW_BLOCK);
    for (let c0 = 0; c0 < k; c0 += CENTRE_BLOCK) {
      const c1 = Math.min(k, c0 + CENTRE_BLOCK);
      for (let i = r0; i < r1; i++) {
        const xi = i * d;
        const xn = pointNorms[i]!;
        let best = distance[i]!;
        let bestIndex = -1;
        for (let j = c0; j < c1; j++) {
          let v = xn + centreNorms[j]! - 2 * dotAt(x, xi, c, j * d, d);
          if (v < 0) v = 0;
          if (v < best) {
            best = v;
            bestIndex = j;
          }
        }
        if (bestIndex >= 0) {
          distance[i] = best;
          index[i] = bestIndex + indexOffset;
        }
      }
    }
  }
}
