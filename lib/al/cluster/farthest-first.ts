/**
 * Greedy farthest-first traversal (the k-center greedy / core-set step): repeatedly take the
 * point whose squared distance to its nearest centre is largest.
 *
 * Done lazily over blocks of points, with the same picks as the plain loop. The plain loop
 * updates every point's nearest-centre distance after every pick (N·d per pick). Here each
 * block keeps the largest distance it had when last brought up to date; distances only shrink
 * as centres are added, so that stale value bounds the block's true maximum from above. A
 * max-heap over those bounds finds the block to look at: if it is behind, it catches up on all
 * its pending centres at once (four centres per pass over its rows, see lowerDistances, about
 * 2× a one-centre pass) and goes back into the heap; once the top block is up to date, its
 * maximum is the global one. Blocks that fall behind the frontier are skipped until it reaches
 * them. In high dimensions distances concentrate, so that skips only about a quarter of the
 * work (bench/diversity.bench.ts); the batched catching-up is most of the gain. Within a block,
 * a row is also skipped when every pending centre is at least twice its distance away from
 * the row's nearest centre (triangle inequality, distances.ts CentreGaps): on clustered
 * embeddings most rows are, and the picks stay exactly those of the plain loop.
 */
import type { Matrix } from "../matrix.ts";
import { createDotKernel, type DotKernel } from "../simd/dots.ts";
import { assignNearest, type CentreGaps, lowerDistances, lowerDistancesWith, squaredDistanceAt, squaredNorms } from "./distances.ts";

/** Most centre-to-centre gaps kept (k·(L + k) float64, 32 MB); beyond that no rows are skipped by them. */
const MAX_GAPS = 2 ** 22;

/**
 * The table of centre-to-centre squared distances for lowerDistances' skipping (see
 * CentreGaps), one row per pick; undefined when it would be too large. Distances here are
 * computed as ‖x‖² + ‖c‖² − 2x·c, whose rounding is a fraction of the norms (below 1e-13 of the
 * largest squared norm M at d in the thousands), not of the distance. With E = 1e-10·M bounding
 * the error of every computed row distance, gap and new distance, a gap ≥ 4D + 13E puts the
 * true new distance at ≥ D + 2E, so the computed one cannot fall below the computed D.
 */
function centreGaps(k: number, L: number, norms: Float64Array, initialNorms: Float64Array): CentreGaps | undefined {
  if (k * (L + k) > MAX_GAPS) return undefined;
  let largest = 0;
  for (let i = 0; i < norms.length; i++) if (norms[i]! > largest) largest = norms[i]!;
  for (let i = 0; i < initialNorms.length; i++) if (initialNorms[i]! > largest) largest = initialNorms[i]!;
  return { gaps: new Float64Array(k * (L + k)), from: L, stride: L + k, slack: 13 * (1e-10 * largest) + Number.MIN_VALUE };
}

/** Rows per block: small enough to skip work at a fine grain, big enough that catching up amortises. */
const BLOCK = 128;

export interface FarthestFirstOptions {
  /** Centres already chosen (e.g. the labelled set), same width as the points. */
  initial?: Matrix;
  /** With no initial centres: the index of the first pick (e.g. a seeded random point). */
  first?: number;
  /** Rows never picked (exclude[i] = 1), e.g. the labelled points when `points` is the whole pool. */
  exclude?: Uint8Array;
  /** Precomputed squaredNorms(points), to share with other passes. */
  norms?: Float64Array;
  /** False: the JavaScript loop even where the SIMD kernel is available (same picks; for tests and benchmarks). */
  simd?: boolean;
}

/**
 * k row indices of `points` in pick order. Each pick is the point farthest from the current
 * centres (initial centres plus earlier picks); ties go to the lowest index, and points at
 * distance 0 remain pickable (after every farther point), so k ≤ points.n always succeeds.
 */
export function farthestFirst(points: Matrix, k: number, options: FarthestFirstOptions = {}): Int32Array {
  const { n, c: d, data: x } = points;
  const { exclude } = options;
  if (exclude !== undefined && exclude.length !== n) {
    throw new RangeError(`farthestFirst: exclude has ${exclude.length} flags for ${n} points; pass one per point`);
  }
  let open = n;
  if (exclude !== undefined) for (let i = 0; i < n; i++) if (exclude[i] !== 0) open--;
  if (!Number.isInteger(k) || k < 0 || k > open) {
    throw new RangeError(`farthestFirst: k = ${k} must be a whole number between 0 and the ${open} points that may be picked`);
  }
  const hasInitial = options.initial !== undefined && options.initial.n > 0;
  const first = options.first;
  if (!hasInitial && k > 0 && (first === undefined || !Number.isInteger(first) || first < 0 || first >= n || exclude?.[first])) {
    throw new RangeError(`farthestFirst: with no initial centres pass first, the index of a row that may be picked, got ${first}`);
  }
  // The SIMD kernel (bit-identical to lowerDistances), when available: the pool is copied in
  // once, and the norms, distances and owners live in its memory.
  const kernel = k > 0 && options.simd !== false ? createDotKernel(x, n, d, BLOCK, true) : undefined;
  // Kernels go back for reuse however the traversal ends.
  const kernels: DotKernel[] = kernel === undefined ? [] : [kernel];
  try {
    return traverse(points, k, options, kernel, kernels);
  } finally {
    for (const made of kernels) made.release();
  }
}

/** farthestFirst once its arguments are checked, on `kernel` where there is one; kernels it makes go into `kernels`. */
function traverse(points: Matrix, k: number, options: FarthestFirstOptions, kernel: DotKernel | undefined, kernels: DotKernel[]): Int32Array {
  const { n, c: d, data: x } = points;
  const { exclude } = options;
  const hasInitial = options.initial !== undefined && options.initial.n > 0;
  const first = options.first;
  const state = kernel?.state;
  const norms = state?.norms ?? new Float64Array(n);
  norms.set(options.norms ?? squaredNorms(points));
  const distance = (state?.distance ?? new Float64Array(n)).fill(Infinity);
  const owner = (state?.owner ?? new Int32Array(n)).fill(-1);
  // Excluded rows sit at −Infinity: never the farthest, and skipped by every distance update.
  if (exclude !== undefined) for (let i = 0; i < n; i++) if (exclude[i] !== 0) distance[i] = -Infinity;
  if (hasInitial) {
    const initial = options.initial!;
    if (kernel !== undefined && initial.c === d) {
      const wide = Float64Array.from(initial.data);
      const wideNorms = squaredNorms(initial);
      for (let r0 = 0; r0 < n; r0 += BLOCK) lowerDistancesWith(kernel, r0, Math.min(n, r0 + BLOCK), wide, wideNorms, initial.n, 0);
    } else assignNearest(points, norms, initial, squaredNorms(initial), owner, distance);
  }

  const chosen = new Int32Array(k);
  const centres = new Float64Array(k * d);
  const centreNorms = new Float64Array(k);
  // Centre numbers in `owner`: initial centres 0 … L−1, then pick t is L + t.
  const L = hasInitial ? options.initial!.n : 0;
  const initialNorms = hasInitial ? squaredNorms(options.initial!) : new Float64Array(0);
  const gaps = centreGaps(k, L, norms, initialNorms);
  // Each pick's gaps to the L + t centres before it; on small pools the scalar loop costs as
  // much as the distance updates, so with SIMD the centres are rows of a second kernel.
  const centreKernel = gaps !== undefined && kernel !== undefined && (!hasInitial || options.initial!.c === d) ? createDotKernel(new Float32Array((L + k) * d), L + k, d, L + k) : undefined;
  if (centreKernel !== undefined) kernels.push(centreKernel);
  // The scalar gaps' float64 copy of the initial centres; the kernel holds its own.
  const initialRows = hasInitial && gaps !== undefined && centreKernel === undefined ? Float64Array.from(options.initial!.data) : new Float64Array(0);
  if (centreKernel !== undefined) {
    if (hasInitial) centreKernel.rows.set(options.initial!.data.subarray(0, L * d));
    for (let q = 0; q < L + k; q++) centreKernel.list[q] = q;
  }
  let t = 0;
  const take = (i: number): void => {
    chosen[t] = i;
    for (let j = 0; j < d; j++) centres[t * d + j] = x[i * d + j]!;
    centreNorms[t] = norms[i]!;
    distance[i] = -Infinity; // never picked again
    if (gaps !== undefined) {
      const row = t * gaps.stride;
      if (centreKernel !== undefined) {
        const dots = centreKernel.dots(centres, t, 1, L + t);
        for (let o = 0; o < L + t; o++) {
          const v = norms[i]! + (o < L ? initialNorms[o]! : centreNorms[o - L]!) - 2 * dots[o * 4]!;
          gaps.gaps[row + o] = v > 0 ? v : 0;
        }
        centreKernel.rows.set(x.subarray(i * d, i * d + d), (L + t) * d);
      } else {
        for (let o = 0; o < L; o++) gaps.gaps[row + o] = squaredDistanceAt(x, i, norms[i]!, initialRows, o, initialNorms[o]!, d);
        for (let o = 0; o < t; o++) gaps.gaps[row + L + o] = squaredDistanceAt(x, i, norms[i]!, centres, o, centreNorms[o]!, d);
      }
    }
    t++;
  };
  if (k === 0) return chosen;
  if (!hasInitial) take(first!);

  const blocks = Math.ceil(n / BLOCK);
  const blockMax = new Float64Array(blocks);
  const blockArg = new Int32Array(blocks);
  const upTo = new Int32Array(blocks); // centres [0, upTo) are applied to the block
  const rescan = (b: number): void => {
    let best = -Infinity;
    let arg = b * BLOCK;
    for (let i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
      if (distance[i]! > best) {
        best = distance[i]!;
        arg = i;
      }
    }
    blockMax[b] = best;
    blockArg[b] = arg;
  };
  for (let b = 0; b < blocks; b++) rescan(b);

  // Max-heap of block numbers: larger bound first, lower block first on ties (so the lowest
  // index wins ties globally, as in the plain loop).
  const heap = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) heap[b] = b;
  const above = (a: number, b: number): boolean => blockMax[a]! > blockMax[b]! || (blockMax[a] === blockMax[b] && a < b);
  const siftDown = (from: number): void => {
    let i = from;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= blocks) break;
      const r = l + 1;
      const child = r < blocks && above(heap[r]!, heap[l]!) ? r : l;
      if (!above(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  };
  for (let i = (blocks >> 1) - 1; i >= 0; i--) siftDown(i);

  while (t < k) {
    for (;;) {
      const b = heap[0]!;
      const from = upTo[b]!;
      if (from === t) break;
      const r0 = b * BLOCK;
      const r1 = Math.min(n, r0 + BLOCK);
      const pending = centres.subarray(from * d, t * d);
      const pendingNorms = centreNorms.subarray(from, t);
      if (kernel !== undefined) lowerDistancesWith(kernel, r0, r1, pending, pendingNorms, t - from, L + from, gaps);
      else lowerDistances(x, d, norms, r0, r1, pending, pendingNorms, t - from, distance, owner, L + from, gaps);
      upTo[b] = t;
      rescan(b);
      siftDown(0);
    }
    // The top block is up to date and bounds every other block: its maximum is the global one.
    take(blockArg[heap[0]!]!);
  }
  return chosen;
}
