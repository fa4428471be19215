/**
 * BADGE (Ash et al. 2020): k-means++ seeding on last-layer gradient embeddings, so the batch is
 * both uncertain (large gradients) and diverse (gradients pointing different ways).
 *
 * The gradient embedding of a pool point is g = a ⊗ h with a = p − onehot(ŷ) (ŷ = argmax p,
 * the model's own guess standing in for the unknown label) and h its penultimate embedding:
 * C·d numbers per point, 76,800 for C = 100 and d = 768 — 6 GB for 20,000 points. It is never
 * formed. Every distance the seeding needs comes from the factors:
 *
 *   ‖a⊗h‖² = ‖a‖²‖h‖²,   ⟨a⊗h, a'⊗h'⟩ = ⟨a,a'⟩⟨h,h'⟩,
 *   ‖g − g'‖² = ‖a‖²‖h‖² + ‖a'‖²‖h'‖² − 2⟨a,a'⟩⟨h,h'⟩
 *
 * so memory stays O(N·(C + d)) and each pick costs O(N·(C + d)).
 *
 * Seeding, as in the authors' implementation: the first centre is the unlabelled point with
 * the largest gradient norm (lowest index on ties); each next one is drawn with probability
 * ∝ D², the squared distance to its nearest centre so far (one draw from the rng per pick).
 * When every remaining point has D² = 0 (all gradients zero or duplicated), the draw is
 * uniform over the points not yet picked. Labelled points play no part.
 */
import { drawProportional } from "../cluster/kmeans.ts";
import type { Matrix } from "../matrix.ts";
import type { Random } from "../random.ts";
import { createGradientDotKernel, type GradientDotKernel } from "../simd/gradient-dots.ts";
import { requireEmbeddings, splitPool } from "./require-inputs.ts";
import type { Sampler } from "./sampler.ts";
import { checkK, parseNoOptions, requireProbs } from "./validate.ts";

/** The factors of the gradient embeddings of some pool rows. */
export interface GradientFactors {
  /** Pool rows covered, in order; position i below refers to rows[i]. */
  rows: Int32Array;
  classes: number;
  /** rows.length × C: a_i = p_i − onehot(argmax p_i). */
  a: Float64Array;
  /** ‖a_i‖². */
  aNorms: Float64Array;
  /** The pool embeddings (all rows; row rows[i] is h_i). */
  embeddings: Matrix;
  /** ‖h_i‖². */
  hNorms: Float64Array;
  /** The pool probabilities (all rows) and each covered row's ŷ = argmax p_i (what the SIMD dots read instead of a). */
  probs: Matrix;
  top: Int32Array;
  /** Σ_l p_i[l], and whether every covered probability and embedding value is ≥ 0 (what the bounds may assume). */
  pSums: Float64Array;
  probsNonNegative: boolean;
  embeddingsNonNegative: boolean;
}

/** Both sums in the canonical order of cluster/distances.ts, so ‖g_i − g_i‖² is exactly 0. */
function dot64(x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    s0 += x[xo + j]! * y[yo + j]!;
    s1 += x[xo + j + 1]! * y[yo + j + 1]!;
  }
  if (j < n) s0 += x[xo + j]! * y[yo + j]!;
  return s0 + s1;
}

function dot32(x: Float32Array, xo: number, y: Float32Array, yo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    s0 += x[xo + j]! * y[yo + j]!;
    s1 += x[xo + j + 1]! * y[yo + j + 1]!;
  }
  if (j < n) s0 += x[xo + j]! * y[yo + j]!;
  return s0 + s1;
}

/** dot32(x, o, x, o, d) — the same sums in the same order — setting seen.negative when a value is < 0 or NaN. */
function squaredNormAndSign(x: Float32Array, o: number, d: number, seen: { negative: boolean }): number {
  let s0 = 0;
  let s1 = 0;
  let low = 0;
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const u = x[o + j]!;
    const v = x[o + j + 1]!;
    s0 += u * u;
    s1 += v * v;
    if (!(u >= 0 && v >= 0)) low = -1;
  }
  if (j < d) {
    const u = x[o + j]!;
    s0 += u * u;
    if (!(u >= 0)) low = -1;
  }
  if (low < 0) seen.negative = true;
  return s0 + s1;
}

export function gradientFactors(probs: Matrix, embeddings: Matrix, rows: Int32Array): GradientFactors {
  const c = probs.c;
  const d = embeddings.c;
  const m = rows.length;
  const a = new Float64Array(m * c);
  const aNorms = new Float64Array(m);
  const hNorms = new Float64Array(m);
  const tops = new Int32Array(m);
  const pSums = new Float64Array(m);
  let probsNonNegative = true;
  const embeddingSign = { negative: false };
  for (let i = 0; i < m; i++) {
    const o = rows[i]! * c;
    let top = 0;
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const p = probs.data[o + j]!;
      sum += p;
      if (!(p >= 0)) probsNonNegative = false;
      if (p > probs.data[o + top]!) top = j;
    }
    pSums[i] = sum;
    tops[i] = top;
    for (let j = 0; j < c; j++) a[i * c + j] = probs.data[o + j]! - (j === top ? 1 : 0);
    aNorms[i] = dot64(a, i * c, a, i * c, c);
    hNorms[i] = squaredNormAndSign(embeddings.data, rows[i]! * d, d, embeddingSign);
  }
  return { rows, classes: c, a, aNorms, embeddings, hNorms, probs, top: tops, pSums, probsNonNegative, embeddingsNonNegative: !embeddingSign.negative };
}

/** ‖g_i − g_j‖² from the factors (positions i, j in f.rows). */
export function gradientSquaredDistance(f: GradientFactors, i: number, j: number): number {
  const c = f.classes;
  const d = f.embeddings.c;
  const ip = dot64(f.a, i * c, f.a, j * c, c) * dot32(f.embeddings.data, f.rows[i]! * d, f.embeddings.data, f.rows[j]! * d, d);
  const v = f.aNorms[i]! * f.hNorms[i]! + f.aNorms[j]! * f.hNorms[j]! - 2 * ip;
  return v > 0 ? v : 0;
}

/** Knobs for tests and benchmarks, not experiment options. */
export interface BadgeTuning {
  /** Compute every distance instead of skipping those the norm bounds rule out (same picks, slower). */
  exhaustive?: boolean;
  /** false: the JavaScript dot products even where the SIMD kernel loads (same picks; tests compare the two). */
  simd?: boolean;
}

/** The SIMD dots for f's rows, reading a from the float32 probabilities (see simd/gradient-dots.ts). */
function gradientKernel(f: GradientFactors): GradientDotKernel | undefined {
  const c = f.classes;
  const aTop = Float64Array.from(f.top, (top, i) => f.a[i * c + top]!);
  return createGradientDotKernel(f.probs.data, c, f.rows, f.top, aTop, f.embeddings.c);
}

/**
 * BADGE's k picks among `rows` (positions into rows, in pick order). A new centre can lower a
 * point's D² only if it is closer than the point's nearest centre so far; lower bounds rule
 * most points out before the dot products — from the norms alone (|‖g‖ − ‖g'‖|), from an
 * interval for ⟨a, a'⟩ that two lookups give, then from ⟨a, a'⟩ with Cauchy–Schwarz on ⟨h, h'⟩ —
 * and a skipped point is exactly one whose D² would not have changed, so the picks are those of
 * the plain loop. The dot products run in a SIMD kernel where one loads (simd/gradient-dots.ts),
 * with the same values.
 */
export function badgeSeeding(f: GradientFactors, k: number, random: Random, tuning: BadgeTuning = {}): Int32Array {
  const m = f.rows.length;
  const c = f.classes;
  const d = f.embeddings.c;
  const h = f.embeddings.data;
  const { a, aNorms, hNorms, rows } = f;
  const gNorms = new Float64Array(m);
  for (let i = 0; i < m; i++) gNorms[i] = aNorms[i]! * hNorms[i]!;
  const hLengths = hNorms.map(Math.sqrt);
  const gLengths = gNorms.map(Math.sqrt);
  const nonNegative = f.embeddingsNonNegative;
  const exhaustive = tuning.exhaustive === true;
  const kernel = tuning.simd === false ? undefined : gradientKernel(f);
  const list = kernel?.list ?? new Int32Array(m);
  const jsDots = new Float64Array(kernel === undefined ? m : 0);
  // The points that need ⟨h, h'⟩ in a pick: position, pool row, ⟨a, a'⟩, then ⟨h, h'⟩.
  const keptAt = new Int32Array(m);
  const keptRows = new Int32Array(m);
  const keptA = new Float64Array(m);
  const hips = new Float64Array(m);
  const { top } = f;
  const probs = f.probs.data;
  // The interval for ⟨a, a'⟩ needs probabilities (≥ 0); each row's sum bounds ⟨p, p'⟩.
  const intervals = f.probsNonNegative;
  const { pSums } = f;

  const picks = new Int32Array(k);
  const distance = new Float64Array(m).fill(Infinity);
  const eligible = new Uint8Array(m).fill(1);
  let first = 0;
  for (let i = 1; i < m; i++) if (gNorms[i]! > gNorms[first]!) first = i;

  for (let t = 0, centre = first; ; ) {
    picks[t] = centre;
    eligible[centre] = 0;
    distance[centre] = 0;
    if (++t === k) break;
    const ca = centre * c;
    const ch = rows[centre]! * d;
    const cg = gNorms[centre]!;
    const chNorm = hLengths[centre]!;
    const cLength = gLengths[centre]!;
    // Pass 1: the points a new centre might bring closer, by bounds that need no dot product:
    // ‖g − g'‖ ≥ |‖g‖ − ‖g'‖|, then an interval for ⟨a, a'⟩ from two lookups, since
    // ⟨a, a'⟩ = ⟨p, p'⟩ − p'[ŷ] − p[ŷ'] + [ŷ = ŷ'] with 0 ≤ ⟨p, p'⟩ ≤ max p' · Σ p for
    // probabilities. Every bound keeps the margin below, so a skipped point is one whose D²
    // would not have changed.
    const yc = top[centre]!;
    const pc = rows[centre]! * c;
    let maxP = 0;
    for (let l = 0; l < c; l++) if (probs[pc + l]! > maxP) maxP = probs[pc + l]!;
    let count = 0;
    for (let i = 0; i < m; i++) {
      if (eligible[i] === 0) continue;
      const base = gNorms[i]! + cg;
      if (!exhaustive) {
        const gap = gLengths[i]! - cLength;
        if (gap * gap - 1e-9 * base >= distance[i]!) continue;
        if (intervals) {
          const rest = (top[i] === yc ? 1 : 0) - probs[rows[i]! * c + yc]! - probs[pc + top[i]!]!;
          const hi = rest + maxP * pSums[i]! * (1 + 1e-12) + 1e-12;
          const lo = rest - 1e-12;
          const hMax = hLengths[i]! * chNorm;
          const reach = (nonNegative ? Math.max(hi, 0) : Math.max(hi, -lo)) * hMax;
          if (base - 2 * reach - 1e-9 * base >= distance[i]!) continue;
        }
      }
      list[count++] = i;
    }
    // ⟨a, a'⟩ for the listed points: the SIMD kernel where it loads, same values.
    const aDots = kernel !== undefined ? kernel.aDots(a, ca, count) : jsDots;
    if (kernel === undefined) for (let q = 0; q < count; q++) jsDots[q] = dot64(a, list[q]! * c, a, ca, c);
    // Pass 2: skip the d-wide dot product when no value it could take lowers the distance.
    // Cauchy–Schwarz bounds ⟨h, h'⟩ by ±‖h‖‖h'‖ (below by 0 when no embedding is negative), so
    // ‖g − g'‖² = base − 2⟨a, a'⟩⟨h, h'⟩ is at least `floor`; the margin (1e-9 of base, far
    // above float64 rounding) keeps a skip from ever changing what the exact value would do.
    let kept = 0;
    for (let q = 0; q < count; q++) {
      const i = list[q]!;
      const aip = aDots[q]!;
      const base = gNorms[i]! + cg;
      const hMax = hLengths[i]! * chNorm;
      const floor = base - 2 * (aip >= 0 ? aip * hMax : nonNegative ? 0 : -aip * hMax);
      if (!exhaustive && floor - 1e-9 * base >= distance[i]!) continue;
      keptAt[kept] = i;
      keptRows[kept] = rows[i]!;
      keptA[kept++] = aip;
    }
    if (kernel !== undefined) kernel.hDots(h, keptRows, kept, rows[centre]!, hips);
    else for (let q = 0; q < kept; q++) hips[q] = dot32(h, keptRows[q]! * d, h, ch, d);
    for (let q = 0; q < kept; q++) {
      const i = keptAt[q]!;
      let v = gNorms[i]! + cg - 2 * (keptA[q]! * hips[q]!);
      if (v < 0) v = 0;
      if (v < distance[i]!) distance[i] = v;
    }
    centre = drawProportional(distance, eligible, random);
  }
  return picks;
}

export const badge: Sampler = {
  name: "badge",
  description: "k-means++ seeding on last-layer gradient embeddings (p − onehot(ŷ)) ⊗ h: uncertain and diverse.",
  needs: ["probs", "embeddings"],
  parseOptions: parseNoOptions,
  select(inputs, k, _options, context) {
    const probs = requireProbs("badge", inputs, "distribution");
    const embeddings = requireEmbeddings("badge", inputs);
    checkK("badge", k, inputs.labelled);
    const { unlabelled } = splitPool(inputs.labelled);
    const factors = gradientFactors(probs, embeddings, unlabelled);
    return badgeSeeding(factors, k, context.random).map((i) => unlabelled[i]!);
  },
};
