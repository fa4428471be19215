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

/** Whether every value of the given rows (d wide) is ≥ 0, e.g. ReLU features. */
function rowsNonNegative(h: Float32Array, d: number, rows: Int32Array): boolean {
  for (let i = 0; i < rows.length; i++) {
    for (let j = rows[i]! * d, end = j + d; j < end; j++) if (!(h[j]! >= 0)) return false;
  }
  return true;
}

export function gradientFactors(probs: Matrix, embeddings: Matrix, rows: Int32Array): GradientFactors {
  const c = probs.c;
  const d = embeddings.c;
  const m = rows.length;
  const a = new Float64Array(m * c);
  const aNorms = new Float64Array(m);
  const hNorms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const o = rows[i]! * c;
    let top = 0;
    for (let j = 1; j < c; j++) if (probs.data[o + j]! > probs.data[o + top]!) top = j;
    for (let j = 0; j < c; j++) a[i * c + j] = probs.data[o + j]! - (j === top ? 1 : 0);
    aNorms[i] = dot64(a, i * c, a, i * c, c);
    hNorms[i] = dot32(embeddings.data, rows[i]! * d, embeddings.data, rows[i]! * d, d);
  }
  return { rows, classes: c, a, aNorms, embeddings, hNorms };
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
}

/**
 * BADGE's k picks among `rows` (positions into rows, in pick order). A new centre can lower a
 * point's D² only if it is closer than the point's nearest centre so far; lower bounds from
 * the norms alone (|‖g‖ − ‖g'‖|, then ⟨a, a'⟩ with Cauchy–Schwarz on ⟨h, h'⟩) rule most points
 * out before the d-wide dot product, and a skipped point is exactly one whose D² would not
 * have changed, so the picks are those of the plain loop.
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
  const nonNegative = rowsNonNegative(h, d, rows);
  const exhaustive = tuning.exhaustive === true;

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
    for (let i = 0; i < m; i++) {
      if (eligible[i] === 0) continue;
      const base = gNorms[i]! + cg;
      // Before any dot product: ‖g − g'‖ ≥ |‖g‖ − ‖g'‖| (the same margin as below).
      const gap = gLengths[i]! - cLength;
      if (!exhaustive && gap * gap - 1e-9 * base >= distance[i]!) continue;
      const aip = dot64(a, i * c, a, ca, c);
      // Skip the d-wide dot product when no value it could take lowers the distance. Cauchy–
      // Schwarz bounds ⟨h, h'⟩ by ±‖h‖‖h'‖ (below by 0 when no embedding is negative), so
      // ‖g − g'‖² = base − 2⟨a, a'⟩⟨h, h'⟩ is at least `floor`; the margin (1e-9 of base, far
      // above float64 rounding) keeps a skip from ever changing what the exact value would do.
      const hMax = hLengths[i]! * chNorm;
      const floor = base - 2 * (aip >= 0 ? aip * hMax : nonNegative ? 0 : -aip * hMax);
      if (!exhaustive && floor - 1e-9 * base >= distance[i]!) continue;
      let v = base - 2 * (aip * dot32(h, rows[i]! * d, h, ch, d));
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
