/**
 * Squared Euclidean distances between rows of flat matrices, computed as ‖x‖² + ‖c‖² − 2x·c:
 * one dot product per pair instead of a subtract-square-sum pass, with the norms computed once.
 *
 * Every dot product here — norms included — sums in the same order (two partial sums, even and
 * odd coordinates, added at the end), so a row's distance to itself or to an exact copy is
 * exactly 0, and results are bit-identical whichever kernel computed them. Rounding below 0 is
 * clamped to 0.
 */
import type { Matrix } from "../matrix.ts";
import type { DotKernel } from "../simd/dots.ts";

/** Dot product of a[ao … ao+d) and b[bo … bo+d) in doubles, in the canonical order (see file comment). */
export function dotAt(a: Float32Array | Float64Array, ao: number, b: Float32Array | Float64Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    s0 += a[ao + j]! * b[bo + j]!;
    s1 += a[ao + j + 1]! * b[bo + j + 1]!;
  }
  if (j < d) s0 += a[ao + j]! * b[bo + j]!;
  return s0 + s1;
}

/** ‖row‖² for every row, in the canonical order. */
export function squaredNorms(m: Matrix): Float64Array {
  return squaredNormsOf(m.data, m.n, m.c);
}

/** ‖row‖² for the n rows (d wide) of a flat array, in the canonical order. */
export function squaredNormsOf(data: Float32Array | Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const u = data[o + j]!;
      const v = data[o + j + 1]!;
      s0 += u * u;
      s1 += v * v;
    }
    if (j < d) s0 += data[o + j]! * data[o + j]!;
    out[i] = s0 + s1;
  }
  return out;
}

/** Squared distance between row i of a and row j of b, given their squared norms (both matrices d wide). */
export function squaredDistanceAt(
  a: Float32Array | Float64Array,
  i: number,
  aNorm: number,
  b: Float32Array | Float64Array,
  j: number,
  bNorm: number,
  d: number,
): number {
  const v = aNorm + bNorm - 2 * dotAt(a, i * d, b, j * d, d);
  return v > 0 ? v : 0;
}

/**
 * The hot kernel: for rows [r0, r1) of x (d wide) and the m centres in `centres` (Float64,
 * d wide), lowers distance[i] to the squared distance to a centre when that is strictly
 * smaller, writing the centre's number (ownerBase + j) into owner[i]; rows at −Infinity are
 * skipped (callers mark rows that must never change that way). Centres are taken four at
 * a time so each loaded coordinate of x serves four multiply-adds (about 2× a one-centre loop
 * in V8); strict "<" in centre order means the earliest centre wins ties. With `gaps`, rows
 * that the centres provably cannot lower are skipped (same results; see CentreGaps).
 */
export function lowerDistances(
  x: Float32Array,
  d: number,
  norms: Float64Array,
  r0: number,
  r1: number,
  centres: Float64Array,
  centreNorms: Float64Array,
  m: number,
  distance: Float64Array,
  owner: Int32Array,
  ownerBase: number,
  gaps?: CentreGaps,
): void {
  const even = d - (d & 1);
  let j0 = 0;
  for (; j0 + 3 < m; j0 += 4) {
    const o0 = j0 * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    const n0 = centreNorms[j0]!;
    const n1 = centreNorms[j0 + 1]!;
    const n2 = centreNorms[j0 + 2]!;
    const n3 = centreNorms[j0 + 3]!;
    for (let i = r0; i < r1; i++) {
      if (distance[i] === -Infinity) continue; // a row marked "never lower" (picked or excluded)
      if (gaps !== undefined && farFromAll(gaps, ownerBase + j0, 4, owner[i]!, distance[i]!)) continue;
      const xo = i * d;
      let a0 = 0;
      let a1 = 0;
      let b0 = 0;
      let b1 = 0;
      let c0 = 0;
      let c1 = 0;
      let e0 = 0;
      let e1 = 0;
      let j = 0;
      for (; j < even; j += 2) {
        const u = x[xo + j]!;
        const v = x[xo + j + 1]!;
        a0 += u * centres[o0 + j]!;
        a1 += v * centres[o0 + j + 1]!;
        b0 += u * centres[o1 + j]!;
        b1 += v * centres[o1 + j + 1]!;
        c0 += u * centres[o2 + j]!;
        c1 += v * centres[o2 + j + 1]!;
        e0 += u * centres[o3 + j]!;
        e1 += v * centres[o3 + j + 1]!;
      }
      if (j < d) {
        const u = x[xo + j]!;
        a0 += u * centres[o0 + j]!;
        b0 += u * centres[o1 + j]!;
        c0 += u * centres[o2 + j]!;
        e0 += u * centres[o3 + j]!;
      }
      const xn = norms[i]!;
      let best = distance[i]!;
      let who = -1;
      let v = xn + n0 - 2 * (a0 + a1);
      if (v < 0) v = 0;
      if (v < best) {
        best = v;
        who = j0;
      }
      v = xn + n1 - 2 * (b0 + b1);
      if (v < 0) v = 0;
      if (v < best) {
        best = v;
        who = j0 + 1;
      }
      v = xn + n2 - 2 * (c0 + c1);
      if (v < 0) v = 0;
      if (v < best) {
        best = v;
        who = j0 + 2;
      }
      v = xn + n3 - 2 * (e0 + e1);
      if (v < 0) v = 0;
      if (v < best) {
        best = v;
        who = j0 + 3;
      }
      if (who >= 0) {
        distance[i] = best;
        owner[i] = ownerBase + who;
      }
    }
  }
  for (; j0 < m; j0++) {
    const o0 = j0 * d;
    const n0 = centreNorms[j0]!;
    for (let i = r0; i < r1; i++) {
      if (distance[i] === -Infinity) continue;
      if (gaps !== undefined && farFromAll(gaps, ownerBase + j0, 1, owner[i]!, distance[i]!)) continue;
      let v = xnMinus(x, i * d, centres, o0, d, norms[i]! + n0);
      if (v < 0) v = 0;
      if (v < distance[i]!) {
        distance[i] = v;
        owner[i] = ownerBase + j0;
      }
    }
  }
}

/**
 * lowerDistances by a SIMD kernel made for x with its row state (simd/dots.ts: norms, distance
 * and owner live in the kernel's memory, `kernel.state`): the same sums and comparisons, so the
 * same distances, owners and ties. Centres go four at a time (the last group may be smaller);
 * a group's rows that the gaps rule out are left out of the kernel's list.
 */
export function lowerDistancesWith(
  kernel: DotKernel,
  r0: number,
  r1: number,
  centres: Float64Array,
  centreNorms: Float64Array,
  m: number,
  ownerBase: number,
  gaps?: CentreGaps,
): void {
  const { distance, owner } = kernel.state!;
  const list = kernel.list;
  // Whether to test the gaps in this call (skipping a test only costs the computation it would save).
  let test = false;
  if (gaps !== undefined) {
    const calls = (gaps.calls = (gaps.calls ?? 0) + 1);
    gaps.tested ??= 0;
    gaps.skipped ??= 0;
    test = gaps.skipped * 16 >= gaps.tested || (calls & 7) === 0;
  }
  // Untested, every group of centres takes the same rows: list them once.
  let open = 0;
  if (!test) for (let i = r0; i < r1; i++) if (distance[i] !== -Infinity) list[open++] = i;
  for (let j0 = 0; j0 < m; j0 += 4) {
    const g = Math.min(4, m - j0);
    if (!test) {
      if (open > 0) kernel.lower(centres, centreNorms, j0, g, open, ownerBase + j0);
      continue;
    }
    let rows = 0;
    let tested = 0;
    for (let i = r0; i < r1; i++) {
      if (distance[i] === -Infinity) continue;
      tested++;
      if (farFromAll(gaps!, ownerBase + j0, g, owner[i]!, distance[i]!)) continue;
      list[rows++] = i;
    }
    // Counts that halve as they grow, so the rate follows the data as centres are added.
    let t = gaps!.tested! + tested;
    let k = gaps!.skipped! + tested - rows;
    if (t > 1 << 16) (t /= 2), (k /= 2);
    gaps!.tested = t;
    gaps!.skipped = k;
    if (rows > 0) kernel.lower(centres, centreNorms, j0, g, rows, ownerBase + j0);
  }
}

/**
 * Squared distances between centres, for skipping rows a new centre cannot come closer to:
 * gaps[(j − from)·stride + o] = ‖c_j − c_o‖² for centre j and every earlier centre o (centre
 * numbers as written to `owner`). If ‖c_j − c_o‖ ≥ 2·√D for a row at squared distance D from its nearest
 * centre o, the triangle inequality puts c_j at least √D away, so lowerDistances would not
 * change the row. `slack` (absolute, far above the rounding of any distance here) keeps that
 * true of the computed values too: the test is gap ≥ 4·D + slack.
 */
export interface CentreGaps {
  gaps: Float64Array;
  /** The centre number of gaps' first row (earlier centres have no row: they are never new). */
  from: number;
  stride: number;
  slack: number;
  /**
   * Rows tested and rows skipped so far (lowerDistancesWith): a test costs a lookup in a table
   * of k·(L + k) gaps, often a cache miss, and on unclustered data it almost never skips, so
   * testing pauses while fewer than 1 in 16 tests skip (with a probe every 8th call).
   */
  tested?: number;
  skipped?: number;
  calls?: number;
}

/** Whether none of the m centres first … first+m−1 can be closer to a row than its distance D to centre `owner`. */
function farFromAll(g: CentreGaps, first: number, m: number, owner: number, D: number): boolean {
  if (owner < 0) return false;
  const need = 4 * D + g.slack;
  for (let j = first - g.from; j < first - g.from + m; j++) if (!(g.gaps[j * g.stride + owner]! >= need)) return false;
  return true;
}

/** base − 2·x·c in the canonical order (the one-centre tail of lowerDistances). */
function xnMinus(x: Float32Array, xo: number, c: Float64Array, co: number, d: number, base: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    s0 += x[xo + j]! * c[co + j]!;
    s1 += x[xo + j + 1]! * c[co + j + 1]!;
  }
  if (j < d) s0 += x[xo + j]! * c[co + j]!;
  return base - 2 * (s0 + s1);
}

/**
 * Rows per block of the nearest-centre search: about 32K floats (128 KB), so a block stays in
 * L2 while every centre passes over it.
 */
export function rowBlock(d: number): number {
  return Math.max(8, Math.floor(32768 / Math.max(1, d)));
}

/**
 * For every row of `points`, the nearest of the `centres` (Float64, d wide, m of them) and its
 * squared distance. Writes `index[i]` / `distance[i]` only where a centre is strictly closer
 * than `distance[i]` already is, so callers can merge several centre sets (start with
 * distance = Infinity); on equal distances the earlier centre (lower index, earlier call) wins.
 * Centre numbers are written plus `indexOffset`. Blocked over rows so each block of rows is
 * read from memory once, not once per four centres.
 */
export function assignNearestOf(
  points: Matrix,
  pointNorms: Float64Array,
  centres: Float64Array,
  centreNorms: Float64Array,
  m: number,
  index: Int32Array,
  distance: Float64Array,
  indexOffset = 0,
): void {
  const d = points.c;
  const step = rowBlock(d);
  for (let r0 = 0; r0 < points.n; r0 += step) {
    lowerDistances(points.data, d, pointNorms, r0, Math.min(points.n, r0 + step), centres, centreNorms, m, distance, index, indexOffset);
  }
}

/** assignNearest with the centres as a (Float32) matrix; see assignNearestOf. */
export function assignNearest(
  points: Matrix,
  pointNorms: Float64Array,
  centres: Matrix,
  centreNorms: Float64Array,
  index: Int32Array,
  distance: Float64Array,
  indexOffset = 0,
): void {
  if (centres.c !== points.c) {
    throw new RangeError(
      `assignNearest: points have ${points.c} columns but centres have ${centres.c}; pass centres in the same space`,
    );
  }
  const wide = Float64Array.from(centres.data);
  assignNearestOf(points, pointNorms, wide, centreNorms, centres.n, index, distance, indexOffset);
}
