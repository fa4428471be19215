/**
 * A deterministic 2-D PCA for the selection maps: centre the fitted rows, find the top two
 * eigenvectors of their covariance by seeded subspace (block power) iteration followed by a
 * Rayleigh–Ritz step, fix each component's sign, and project any rows onto them. The same
 * matrix, rows and seed always give the same numbers, so a rebuilt site draws the same map.
 * standardise() z-scores columns first where their units differ (tabular data).
 * lib/map/pool-map.ts calls it.
 */
import type { Matrix } from "../al/matrix.ts";
import { createRandom, permutation } from "../al/random.ts";

export interface Pca2 {
  /** Mean of the fitted rows, length c. */
  mean: Float64Array;
  /** The two unit components (length c each), in decreasing variance; a zero vector where the data has no second direction. */
  components: [Float64Array, Float64Array];
  /** Variance along each component (sample variance, n − 1). */
  variance: [number, number];
  /** Total variance of the fitted rows (trace of the covariance), for "share explained". */
  totalVariance: number;
}

export interface PcaOptions {
  /** Rows of `x` to fit on (default: all). */
  rows?: ArrayLike<number>;
  /** The fitted rows' covariance(), when the caller already formed it (then `rows` is not read). */
  covariance?: Covariance;
  /** Seed of the start vectors; default 0. */
  seed?: number;
  /** Iteration cap; default 500. */
  maxIterations?: number;
  /** Stop when the spanned subspace moves less than this (1 − |cos| per vector); default 1e-12. */
  tolerance?: number;
}

/** The centred rows' sample covariance, as covariance() returns it. */
export interface Covariance {
  /** Mean of the fitted rows. */
  mean: Float64Array;
  /** How many rows were fitted. */
  m: number;
  /** Trace of the covariance. */
  total: number;
  /** v ↦ Σv. */
  apply: (v: Float64Array) => Float64Array;
}

/** Up to this many columns the covariance is formed explicitly (c × c doubles); above, X is applied twice per step. */
const EXPLICIT_COVARIANCE_MAX_COLUMNS = 1000;

/** Top-two principal components of the (chosen) rows of `x`. */
export function pca2(x: Matrix, options: PcaOptions = {}): Pca2 {
  const { c } = x;
  const { mean, m, total, apply } = options.covariance ?? covariance(x, options.rows, "pca2");
  const zero = (): Pca2 => ({ mean, components: [new Float64Array(c), new Float64Array(c)], variance: [0, 0], totalVariance: 0 });
  if (m < 2 || c === 0 || !(total > 0)) return zero();

  const random = createRandom(options.seed ?? 0, "pca");
  let v1: Float64Array = Float64Array.from({ length: c }, () => random.next() - 0.5);
  let v2: Float64Array = Float64Array.from({ length: c }, () => random.next() - 0.5);
  [v1, v2] = orthonormalise(v1, v2, total);
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-12;
  for (let it = 0; it < maxIterations; it++) {
    const [w1, w2] = orthonormalise(apply(v1), apply(v2), total);
    const moved = Math.max(1 - Math.abs(dot(w1, v1)), 1 - Math.abs(dot(w2, v2)), 1 - Math.hypot(dot(w2, v1), dot(w2, v2)));
    v1 = w1;
    v2 = w2;
    if (moved < tolerance) break;
  }

  // Rayleigh–Ritz: the 2 × 2 covariance within the subspace, diagonalised, orders the pair.
  const a1 = apply(v1);
  const a2 = apply(v2);
  const h11 = dot(v1, a1);
  const h12 = dot(v1, a2);
  const h22 = dot(v2, a2);
  const theta = 0.5 * Math.atan2(2 * h12, h11 - h22);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const e1 = new Float64Array(c);
  const e2 = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    e1[j] = cos * v1[j]! + sin * v2[j]!;
    e2[j] = -sin * v1[j]! + cos * v2[j]!;
  }
  let l1 = quadratic(e1, apply(e1));
  let l2 = quadratic(e2, apply(e2));
  let [p1, p2] = l1 >= l2 ? [e1, e2] : [e2, e1];
  if (l2 > l1) [l1, l2] = [l2, l1];
  // Variance below rounding noise means no second direction: report it as such.
  const noise = total * 1e-12;
  if (l2 <= noise) {
    l2 = 0;
    p2 = new Float64Array(c);
  }
  return { mean, components: [fixSign(p1), fixSign(p2)], variance: [Math.max(l1, 0), Math.max(l2, 0)], totalVariance: total };
}

/** Coordinates of the given rows of `x` (default all) on the two components. */
export function project(x: Matrix, pca: Pca2, rows?: ArrayLike<number>): { x: Float64Array; y: Float64Array } {
  const { c, data } = x;
  const index = rows ? Int32Array.from(rows) : Int32Array.from({ length: x.n }, (_, i) => i);
  const px = new Float64Array(index.length);
  const py = new Float64Array(index.length);
  const [u, v] = pca.components;
  index.forEach((r, k) => {
    let a = 0;
    let b = 0;
    for (let j = 0; j < c; j++) {
      const d = data[r * c + j]! - pca.mean[j]!;
      a += d * u[j]!;
      b += d * v[j]!;
    }
    px[k] = a;
    py[k] = b;
  });
  return { x: px, y: py };
}

export interface PcaBasis {
  mean: Float64Array;
  /** Unit components (length c each), in decreasing variance; only those with variance above rounding noise. */
  components: Float64Array[];
  /** Variance along each component. */
  variance: number[];
  totalVariance: number;
}

export interface PcaBasisOptions extends PcaOptions {
  /** How many components at most. */
  components: number;
  /** Extra vectors iterated beside them, so the last wanted ones converge faster; default 10. */
  oversample?: number;
}

/**
 * The top `components` principal components by seeded subspace iteration on a block of
 * components + oversample vectors (re-orthonormalised each step, stopped when the block's captured
 * variance settles or after maxIterations, default 8), then Rayleigh–Ritz with a Jacobi eigensolver. When the block is as wide as the
 * data (c ≤ components + oversample) the start block is the identity and the result is the exact
 * eigendecomposition. Used to reduce features before UMAP, where distances in the top subspace are
 * what matters; pca2 stays the exact, tighter-converged choice for the map's own axes.
 */
export function pcaBasis(x: Matrix, options: PcaBasisOptions): PcaBasis {
  const { c } = x;
  const k = Math.max(0, Math.floor(options.components));
  const fit = options.covariance ?? covariance(x, options.rows, "pcaBasis");
  const { apply } = fit;
  if (k === 0 || fit.m < 2 || !(fit.total > 0)) return { mean: fit.mean, components: [], variance: [], totalVariance: 0 };
  const b = Math.min(c, k + Math.max(0, options.oversample ?? 10));
  let block: Float64Array[];
  if (b === c) {
    block = Array.from({ length: c }, (_, j) => basis(c, j));
  } else {
    const random = createRandom(options.seed ?? 0, "pca-basis");
    block = orthonormaliseBlock(Array.from({ length: b }, () => Float64Array.from({ length: c }, () => random.normal())));
    // A few power steps, as randomized PCA does (scikit-learn: 4 to 7): the oversampled block
    // captures the top subspace well by then, and each step costs b covariance products.
    const maxIterations = options.maxIterations ?? 8;
    const tolerance = options.tolerance ?? 1e-6;
    let captured = 0;
    for (let it = 0; it < maxIterations; it++) {
      const images = block.map(apply);
      let now = 0;
      for (let i = 0; i < b; i++) now += dot(block[i]!, images[i]!);
      block = orthonormaliseBlock(images);
      if (Math.abs(now - captured) <= tolerance * fit.total) break;
      captured = now;
    }
  }
  // Rayleigh–Ritz: the block's b × b covariance, diagonalised, gives the components in order.
  const images = block.map(apply);
  const h = new Float64Array(b * b);
  for (let i = 0; i < b; i++) for (let j = i; j < b; j++) h[i * b + j] = h[j * b + i] = 0.5 * (dot(block[i]!, images[j]!) + dot(block[j]!, images[i]!));
  const { values, vectors } = symmetricEigen(h, b);
  const order = Array.from({ length: b }, (_, i) => i).sort((p, q) => values[q]! - values[p]! || p - q);
  const noise = fit.total * 1e-12;
  const components: Float64Array[] = [];
  const variance: number[] = [];
  for (const i of order.slice(0, k)) {
    if (!(values[i]! > noise)) break;
    const v = new Float64Array(c);
    for (let a = 0; a < b; a++) {
      const w = vectors[a * b + i]!;
      if (w === 0) continue;
      const u = block[a]!;
      for (let j = 0; j < c; j++) v[j]! += w * u[j]!;
    }
    components.push(fixSign(v));
    variance.push(values[i]!);
  }
  return { mean: fit.mean, components, variance, totalVariance: fit.total };
}

/** Coordinates of the given rows of `x` (default all) on every component of `basis`: one array per row. */
export function projectBasis(x: Matrix, pca: PcaBasis, rows?: ArrayLike<number>): Float64Array[] {
  const { c, data } = x;
  const index = rows ? Int32Array.from(rows) : Int32Array.from({ length: x.n }, (_, i) => i);
  const centred = new Float64Array(c);
  return Array.from(index, (r) => {
    for (let j = 0; j < c; j++) centred[j] = data[r * c + j]! - pca.mean[j]!;
    return Float64Array.from(pca.components, (u) => dot(centred, u));
  });
}

/**
 * Columns z-scored over all rows: (value − mean) / sd with the population sd (divide by n, as
 * scikit-learn's StandardScaler does); a constant column (sd 0) becomes all zeros, since it
 * carries no direction. A new matrix; `x` is left as it is.
 */
export function standardise(x: Matrix): Matrix {
  const { n, c, data } = x;
  const mean = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) mean[j]! += data[i * c + j]!;
  if (n > 0) for (let j = 0; j < c; j++) mean[j]! /= n;
  // Two passes (mean first): no cancellation for columns with a large offset.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const d = data[i * c + j]! - mean[j]!;
      sq[j]! += d * d;
    }
  }
  const scale = Float64Array.from(sq, (s, j) => {
    const sd = n > 0 ? Math.sqrt(s / n) : 0;
    // A spread below float32 rounding of the values themselves (an identical column whose
    // mean did not come out exact) is no spread: scaling it up would turn rounding into signal.
    return sd > 1.2e-7 * Math.abs(mean[j]!) ? 1 / sd : 0;
  });
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) out[i * c + j] = (data[i * c + j]! - mean[j]!) * scale[j]!;
  return { data: out, n, c };
}

/** A deterministic sample of at most `max` of `n` indices, sorted (all of them when n ≤ max). */
export function sampleIndices(n: number, max: number, seed = 0): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  return permutation(n, createRandom(seed, "projection-sample")).slice(0, Math.max(0, max)).sort();
}

/**
 * Values rounded to about four significant digits of the largest magnitude (a fixed number of
 * decimals for all, so small values do not carry long tails into the JSON).
 */
export function roundCoordinates(values: ArrayLike<number>, digits = 4): number[] {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]!));
  const decimals = max > 0 ? Math.max(0, digits - 1 - Math.floor(Math.log10(max))) : 0;
  const scale = 10 ** Math.min(decimals, 15);
  return Array.from(values, (v) => {
    const r = Math.round(v * scale) / scale;
    return Object.is(r, -0) ? 0 : r;
  });
}

/**
 * The sample covariance of the chosen rows of `x` (default all) as an operator v ↦ Σv, with their
 * mean and total variance: formed once, so pca2 and pcaBasis on the same rows can share it (for
 * image pools forming it is most of the cost of either).
 */
export function covariance(x: Matrix, rows?: ArrayLike<number>, caller = "covariance"): Covariance {
  const { n, c, data } = x;
  const index = rows ? Int32Array.from(rows) : Int32Array.from({ length: n }, (_, i) => i);
  for (const r of index) if (!(r >= 0 && r < n)) throw new RangeError(`${caller}: row ${r} is outside the matrix (${n} rows)`);
  const m = index.length;
  const mean = new Float64Array(c);
  for (const r of index) for (let j = 0; j < c; j++) mean[j]! += data[r * c + j]!;
  if (m > 0) for (let j = 0; j < c; j++) mean[j]! /= m;
  // The centred rows, once, in doubles.
  const centred = new Float64Array(m * c);
  for (let k = 0; k < m; k++) {
    const base = index[k]! * c;
    for (let j = 0; j < c; j++) centred[k * c + j] = data[base + j]! - mean[j]!;
  }
  let total = 0;
  for (let i = 0; i < centred.length; i++) total += centred[i]! * centred[i]!;
  total = m > 1 ? total / (m - 1) : 0;
  const empty = m < 2 || !(total > 0);
  const apply = empty ? (v: Float64Array) => new Float64Array(v.length) : c <= EXPLICIT_COVARIANCE_MAX_COLUMNS ? covarianceOperator(centred, m, c) : implicitOperator(centred, m, c);
  return { mean, m, total, apply };
}

/**
 * Modified Gram–Schmidt, twice (once is not enough in floating point for a block that has
 * converged towards near-parallel vectors). A vector with nothing left after removing the earlier
 * ones (the data has fewer directions than the block) becomes zero and stays zero.
 */
function orthonormaliseBlock(vectors: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vectors) {
    const w = Float64Array.from(v);
    const before = Math.sqrt(dot(w, w));
    for (let pass = 0; pass < 2; pass++) {
      for (const u of out) {
        const p = dot(u, w);
        if (p !== 0) for (let j = 0; j < w.length; j++) w[j]! -= p * u[j]!;
      }
    }
    const norm = Math.sqrt(dot(w, w));
    if (norm > 1e-10 * before && norm > 0) for (let j = 0; j < w.length; j++) w[j]! /= norm;
    else w.fill(0);
    out.push(w);
  }
  return out;
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, row-major b × b) of a symmetric matrix by
 * cyclic Jacobi rotations: small (b ≤ 60 here), exact to rounding, and deterministic.
 */
function symmetricEigen(matrix: Float64Array, b: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(b * b);
  for (let i = 0; i < b; i++) v[i * b + i] = 1;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < b; p++) for (let q = p + 1; q < b; q++) off += a[p * b + q]! * a[p * b + q]!;
    if (!(off > 1e-30 * scale)) break;
    for (let p = 0; p < b; p++) {
      for (let q = p + 1; q < b; q++) {
        const apq = a[p * b + q]!;
        if (apq === 0) continue;
        const theta = (a[q * b + q]! - a[p * b + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < b; k++) {
          const akp = a[k * b + p]!;
          const akq = a[k * b + q]!;
          a[k * b + p] = cos * akp - sin * akq;
          a[k * b + q] = sin * akp + cos * akq;
        }
        for (let k = 0; k < b; k++) {
          const apk = a[p * b + k]!;
          const aqk = a[q * b + k]!;
          a[p * b + k] = cos * apk - sin * aqk;
          a[q * b + k] = sin * apk + cos * aqk;
        }
        for (let k = 0; k < b; k++) {
          const vkp = v[k * b + p]!;
          const vkq = v[k * b + q]!;
          v[k * b + p] = cos * vkp - sin * vkq;
          v[k * b + q] = sin * vkp + cos * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: b }, (_, i) => a[i * b + i]!), vectors: v };
}

/** The sign rule: the entry of largest magnitude (the first on ties) is positive, as in scikit-learn's svd_flip. */
function fixSign(v: Float64Array): Float64Array {
  let at = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]!) > Math.abs(v[at]!)) at = j;
  if (v[at]! < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j]! || 0;
  return v;
}

function covarianceOperator(centred: Float64Array, m: number, c: number): (v: Float64Array) => Float64Array {
  const cov = new Float64Array(c * c);
  for (let k = 0; k < m; k++) {
    const off = k * c;
    for (let i = 0; i < c; i++) {
      const xi = centred[off + i]!;
      if (xi === 0) continue;
      const rowI = i * c;
      for (let j = i; j < c; j++) cov[rowI + j]! += xi * centred[off + j]!;
    }
  }
  for (let i = 0; i < c; i++) {
    for (let j = i; j < c; j++) {
      const value = cov[i * c + j]! / (m - 1);
      cov[i * c + j] = value;
      cov[j * c + i] = value;
    }
  }
  return (v) => {
    const out = new Float64Array(c);
    for (let i = 0; i < c; i++) {
      let s = 0;
      const row = i * c;
      for (let j = 0; j < c; j++) s += cov[row + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
}

/** Xᵀ(X v) / (m − 1) without forming the covariance (wide data). */
function implicitOperator(centred: Float64Array, m: number, c: number): (v: Float64Array) => Float64Array {
  return (v) => {
    const out = new Float64Array(c);
    for (let k = 0; k < m; k++) {
      const off = k * c;
      let s = 0;
      for (let j = 0; j < c; j++) s += centred[off + j]! * v[j]!;
      if (s === 0) continue;
      for (let j = 0; j < c; j++) out[j]! += s * centred[off + j]!;
    }
    for (let j = 0; j < c; j++) out[j]! /= m - 1;
    return out;
  };
}

/**
 * Gram–Schmidt on two vectors. A vector that vanishes (rank-one data: the second direction
 * carries no variance) is replaced by a fixed unit vector orthogonal to the first, so the
 * iteration never divides by zero and stays deterministic.
 */
function orthonormalise(a: Float64Array, b: Float64Array, scale: number): [Float64Array, Float64Array] {
  const tiny = 1e-150 * Math.max(scale, 1e-300);
  let na = Math.sqrt(dot(a, a));
  if (!(na > tiny)) {
    a = basis(a.length, 0);
    na = 1;
  }
  const u = a.map((x) => x / na);
  const p = dot(u, b);
  let w = b.map((x, j) => x - p * u[j]!);
  let nw = Math.sqrt(dot(w, w));
  if (!(nw > 1e-12 * Math.sqrt(dot(b, b))) || !(nw > tiny)) {
    // The coordinate axis least aligned with u, made orthogonal to it.
    let at = 0;
    for (let j = 1; j < u.length; j++) if (Math.abs(u[j]!) < Math.abs(u[at]!)) at = j;
    const e = basis(u.length, at);
    const q = u[at]!;
    w = e.map((x, j) => x - q * u[j]!);
    nw = Math.sqrt(dot(w, w));
    if (!(nw > 0)) return [u, new Float64Array(u.length)];
  }
  return [u, w.map((x) => x / nw)];
}

function basis(c: number, at: number): Float64Array {
  const e = new Float64Array(c);
  if (c > 0) e[at] = 1;
  return e;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/** vᵀ(Av) for a unit (or zero) v. */
function quadratic(v: Float64Array, av: Float64Array): number {
  return dot(v, av);
}
