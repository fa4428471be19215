/**
 * Weighted k-means (Lloyd's iterations) with k-means++ seeding and optional fixed centres.
 *
 * - Weights w_i ≥ 0 scale each point's pull on its centre (centre = Σ w x / Σ w over its
 *   members) and its chance of being drawn as a seed (∝ w_i · D_i², D_i the distance to the
 *   nearest centre chosen so far).
 * - Fixed centres (e.g. the labelled points, for IWKMeans) take part in every assignment step
 *   but never move, and count as already chosen when seeding, so the k free centres are drawn
 *   away from them and settle in regions the fixed ones do not cover. A point equally close to
 *   a fixed and a free centre goes to the fixed one.
 * - Restarts: one k-means++ start can leave two centres in one well-separated group and none in
 *   another (Lloyd cannot move a centre across the gap); on 5 separated blobs about 1 start in
 *   20 does. So `restarts` starts (default 10, scikit-learn's n_init before its 1.4 "auto") run
 *   one after another and the lowest inertia wins, the earliest on ties.
 * - Deterministic for a given `random` stream: the only draws are the k seeds of each start,
 *   start after start from the same stream, so `restarts: 1` is the single-start result.
 *
 * Cost: per start, seeding k·N·d and each iteration N·k·d (fixed centres are measured once).
 * Distances use the blocked ‖x‖² + ‖c‖² − 2x·c kernel in distances.ts.
 */
import type { Matrix } from "../matrix.ts";
import type { Random } from "../random.ts";
import { assignNearest, assignNearestOf, dotAt, lowerDistances, squaredNorms, squaredNormsOf } from "./distances.ts";

export interface KMeansOptions {
  /** The seeding stream. */
  random: Random;
  /** One weight ≥ 0 per point; default all 1. */
  weights?: ArrayLike<number>;
  /** Centres that never move (same width as the points). */
  fixed?: Matrix;
  /** Upper bound on Lloyd iterations (default 100). */
  maxIterations?: number;
  /**
   * Stop when the squared shift of the free centres, summed, is at most tolerance × the data's
   * total variance (mean squared distance to the mean); default 1e-4. Iterations also stop as
   * soon as no assignment changes.
   */
  tolerance?: number;
  /** Precomputed squaredNorms(points), to share with other passes. */
  norms?: Float64Array;
  /** k-means++ starts to run, keeping the lowest inertia (default 10; see the file comment). */
  restarts?: number;
}

export interface KMeansResult {
  /** The k free centres, k×d. */
  centres: Matrix;
  /** Per point: the free centre it belongs to (0 … k−1), or −1 when a fixed centre is nearest. */
  assignment: Int32Array;
  /** Per point: squared distance to the centre it belongs to (free or fixed). */
  distances: Float64Array;
  /** The points k-means++ drew as initial centres, in draw order. */
  seeds: Int32Array;
  /** Lloyd iterations run (centre updates). */
  iterations: number;
  /** True when iterations stopped before maxIterations. */
  converged: boolean;
  /** Σ w_i · distances_i. */
  inertia: number;
  /** The inertia each start reached, in start order; `inertia` is the smallest (earliest on ties). */
  startInertias: Float64Array;
}

const DEFAULT_MAX_ITERATIONS = 100;
const DEFAULT_TOLERANCE = 1e-4;
/** scikit-learn's long-standing n_init: enough that a bad start practically never wins. */
export const DEFAULT_RESTARTS = 10;

function checkInputs(points: Matrix, k: number, options: KMeansOptions): void {
  const { n, c: d } = points;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`kmeans: k = ${k} must be a whole number between 1 and the ${n} points; lower k`);
  }
  if (options.weights !== undefined) {
    if (options.weights.length !== n) {
      throw new RangeError(`kmeans: ${options.weights.length} weights for ${n} points; pass one weight per point`);
    }
    for (let i = 0; i < n; i++) {
      const w = options.weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new RangeError(`kmeans: weights[${i}] = ${w}; weights must be finite and ≥ 0`);
      }
    }
  }
  if (options.fixed !== undefined && options.fixed.n > 0 && options.fixed.c !== d) {
    throw new RangeError(`kmeans: fixed centres have ${options.fixed.c} columns but the points have ${d}; pass them in the same space`);
  }
  const { maxIterations, tolerance } = options;
  if (maxIterations !== undefined && (!Number.isInteger(maxIterations) || maxIterations < 0)) {
    throw new RangeError(`kmeans: maxIterations = ${maxIterations} must be a whole number ≥ 0`);
  }
  if (tolerance !== undefined && !(tolerance >= 0)) {
    throw new RangeError(`kmeans: tolerance = ${tolerance} must be ≥ 0`);
  }
  const { restarts } = options;
  if (restarts !== undefined && (!Number.isInteger(restarts) || restarts < 1)) {
    throw new RangeError(`kmeans: restarts = ${restarts} must be a whole number ≥ 1`);
  }
}

/**
 * Draws an index with probability ∝ mass[i] among indices with mass > 0, or — when the total
 * is 0 (every candidate sits on a centre, or has weight 0) — uniformly among those with
 * eligible[i] = 1. Uses exactly one draw from `random`.
 */
export function drawProportional(mass: Float64Array, eligible: Uint8Array, random: Random): number {
  let total = 0;
  for (let i = 0; i < mass.length; i++) total += mass[i]!;
  const u = random.next();
  if (total > 0 && Number.isFinite(total)) {
    const target = u * total;
    let acc = 0;
    let last = -1;
    for (let i = 0; i < mass.length; i++) {
      const m = mass[i]!;
      if (m <= 0) continue;
      acc += m;
      last = i;
      if (acc > target) return i;
    }
    return last; // rounding left target just past the running sum
  }
  let count = 0;
  for (let i = 0; i < eligible.length; i++) count += eligible[i]!;
  let r = Math.floor(u * count);
  for (let i = 0; i < eligible.length; i++) {
    if (eligible[i] === 1 && r-- === 0) return i;
  }
  throw new RangeError("drawProportional: nothing left to draw; k exceeds the number of points");
}

/**
 * k-means++ seeds: k distinct point indices, each drawn ∝ w_i · D_i² where D_i is the distance
 * to the nearest fixed centre or earlier seed (∝ w_i alone for the first seed when there are no
 * fixed centres). When every remaining point has zero mass, the draw is uniform over the points
 * not yet drawn, so duplicates and zero weights never stall it.
 */
export function kmeansPlusPlus(points: Matrix, k: number, options: KMeansOptions): Int32Array {
  checkInputs(points, k, options);
  const { n, c: d, data: x } = points;
  const norms = options.norms ?? squaredNorms(points);
  const weights = options.weights;
  const fixed = options.fixed !== undefined && options.fixed.n > 0 ? options.fixed : undefined;
  const distance = new Float64Array(n).fill(Infinity);
  const owner = new Int32Array(n);
  if (fixed) assignNearest(points, norms, fixed, squaredNorms(fixed), owner, distance);

  const eligible = new Uint8Array(n).fill(1);
  const mass = new Float64Array(n);
  const seeds = new Int32Array(k);
  const centre = new Float64Array(d);
  const centreNorm = new Float64Array(1);
  for (let s = 0; s < k; s++) {
    const first = s === 0 && !fixed;
    for (let i = 0; i < n; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      mass[i] = eligible[i] === 0 ? 0 : first ? w : w * distance[i]!;
    }
    const pick = drawProportional(mass, eligible, options.random);
    seeds[s] = pick;
    eligible[pick] = 0;
    if (s + 1 === k) break;
    for (let j = 0; j < d; j++) centre[j] = x[pick * d + j]!;
    centreNorm[0] = norms[pick]!;
    lowerDistances(x, d, norms, 0, n, centre, centreNorm, 1, distance, owner, 0);
  }
  return seeds;
}

/** Weighted k-means with k free centres, best of `restarts` k-means++ starts; see the file comment. */
export function kmeans(points: Matrix, k: number, options: KMeansOptions): KMeansResult {
  checkInputs(points, k, options);
  const n = points.n;
  const norms = options.norms ?? squaredNorms(points);
  const fixed = options.fixed !== undefined && options.fixed.n > 0 ? options.fixed : undefined;
  // Distance to the nearest fixed centre never changes: measure it once for all starts.
  const fixedDistance = new Float64Array(n).fill(Infinity);
  if (fixed) assignNearest(points, norms, fixed, squaredNorms(fixed), new Int32Array(n), fixedDistance);
  const scale = totalVariance(points);
  const restarts = options.restarts ?? DEFAULT_RESTARTS;
  const startInertias = new Float64Array(restarts);
  let best: Omit<KMeansResult, "startInertias"> | undefined;
  for (let r = 0; r < restarts; r++) {
    const result = kmeansStart(points, k, options, norms, fixedDistance, scale);
    startInertias[r] = result.inertia;
    if (best === undefined || result.inertia < best.inertia) best = result; // ties keep the earlier start
  }
  return { ...best!, startInertias };
}

/** One k-means++ start and its Lloyd iterations (inputs checked, shared pieces precomputed). */
function kmeansStart(
  points: Matrix,
  k: number,
  options: KMeansOptions,
  norms: Float64Array,
  fixedDistance: Float64Array,
  scale: number,
): Omit<KMeansResult, "startInertias"> {
  const { n, c: d, data: x } = points;
  const weights = options.weights;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;

  const seeds = kmeansPlusPlus(points, k, { ...options, norms });
  const centres = new Float64Array(k * d);
  for (let s = 0; s < k; s++) for (let j = 0; j < d; j++) centres[s * d + j] = x[seeds[s]! * d + j]!;

  const assignment = new Int32Array(n).fill(-2); // −2: not assigned yet, so the first pass "changes"
  const distances = new Float64Array(n);
  const freeDistance = new Float64Array(n);
  const freeOwner = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);

  const assign = (): boolean => {
    freeDistance.fill(Infinity);
    assignNearestOf(points, norms, centres, squaredNormsOf(centres, k, d), k, freeOwner, freeDistance);
    let changed = false;
    for (let i = 0; i < n; i++) {
      const toFixed = fixedDistance[i]! <= freeDistance[i]!;
      const a = toFixed ? -1 : freeOwner[i]!;
      if (a !== assignment[i]) changed = true;
      assignment[i] = a;
      distances[i] = toFixed ? fixedDistance[i]! : freeDistance[i]!;
    }
    return changed;
  };

  let iterations = 0;
  let converged = false;
  let stale = true; // centres moved since the last assignment
  for (;;) {
    const changed = assign();
    stale = false;
    if (!changed && iterations > 0) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    // Weighted means of the members; a centre whose members weigh nothing stays put.
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const a = assignment[i]!;
      if (a < 0) continue;
      const w = weights === undefined ? 1 : weights[i]!;
      if (w === 0) continue;
      mass[a] += w;
      for (let j = 0, o = a * d, xo = i * d; j < d; j++) sums[o + j] += w * x[xo + j]!;
    }
    let shift = 0;
    for (let a = 0; a < k; a++) {
      if (mass[a] === 0) continue;
      for (let j = 0, o = a * d; j < d; j++) {
        const v = sums[o + j]! / mass[a]!;
        const delta = v - centres[o + j]!;
        shift += delta * delta;
        centres[o + j] = v;
      }
    }
    iterations++;
    stale = true;
    if (shift <= tolerance * scale) {
      converged = true;
      break;
    }
  }
  if (stale) assign();

  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += (weights === undefined ? 1 : weights[i]!) * distances[i]!;
  return {
    centres: { data: Float32Array.from(centres), n: k, c: d },
    assignment,
    distances,
    seeds,
    iterations,
    converged,
    inertia,
  };
}

/** Mean squared distance of the points to their mean (the scale for the tolerance). */
function totalVariance(points: Matrix): number {
  const { n, c: d, data: x } = points;
  if (n === 0) return 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - mean[j]!;
      total += v * v;
    }
  }
  return total / n;
}

/**
 * One representative point per free centre: the member of each cluster nearest its centre
 * (lowest index on ties). Members are disjoint, so the picks are distinct; a cluster with no
 * members takes the point nearest its centre among those not picked yet. Returns row indices
 * of `points`, in centre order.
 */
export function clusterRepresentatives(points: Matrix, result: KMeansResult, norms?: Float64Array): Int32Array {
  const { n, c: d, data: x } = points;
  const k = result.centres.n;
  const best = new Int32Array(k).fill(-1);
  const bestDistance = new Float64Array(k).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const a = result.assignment[i]!;
    if (a < 0) continue;
    if (result.distances[i]! < bestDistance[a]!) {
      bestDistance[a] = result.distances[i]!;
      best[a] = i;
    }
  }
  const taken = new Uint8Array(n);
  for (let a = 0; a < k; a++) if (best[a]! >= 0) taken[best[a]!] = 1;
  const pointNorms = norms ?? squaredNorms(points);
  const centres = result.centres.data;
  for (let a = 0; a < k; a++) {
    if (best[a]! >= 0) continue;
    const centreNorm = dotAt(centres, a * d, centres, a * d, d);
    let pick = -1;
    let pickDistance = Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i] === 1) continue;
      const v = Math.max(0, pointNorms[i]! + centreNorm - 2 * dotAt(x, i * d, centres, a * d, d));
      if (v < pickDistance || pick < 0) {
        pickDistance = v;
        pick = i;
      }
    }
    if (pick < 0) throw new RangeError(`clusterRepresentatives: ${k} centres but only ${n} points`);
    best[a] = pick;
    taken[pick] = 1;
  }
  return best;
}
