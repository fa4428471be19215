/**
 * The joint predictive state behind BatchBALD-style greedy batches (batchbald, binary-batchbald):
 * what a candidate's conditional entropy H(y_x | y_chosen) is computed against, for predictions
 * given as T weight samples p_t(· | x) over C classes, the weights uniform over t.
 *
 * The conditional entropy is a mixture over "configurations" y_{1:n−1} of the chosen points:
 *   H(y_x | y_{<n}) = Σ_y p̂(y) · H(Σ_t π_y(t) p_t(· | x)),  π_y(t) = p(t | y) ∝ Π_i p_t(y_i | x_i).
 * Each configuration is kept as its weight p̂(y) and its posterior π_y over the T samples, so a
 * candidate costs configurations × T × C and nothing of size N × C^b is ever built:
 * - exact: all C^{n−1} configurations (those of probability 0 dropped) while their count times C
 *   stays within `maxConfigurations`;
 * - sampled: beyond that, `draws` configurations sampled from the joint (draw t uniformly, then
 *   each y_i ~ p_t(· | x_i)), each weighted 1/draws — an unbiased Monte-Carlo estimate.
 * Configurations with bit-identical posteriors are merged, which leaves the result unchanged.
 * Memory: 2 · max(maxConfigurations, draws) · T float64, plus O(T·C).
 */
import type { Random } from "../random.ts";
import { createMixtureKernel, type MixtureKernel } from "../simd/mixtures.ts";
import type { Samples } from "./sampler.ts";

/** How the configurations are kept: exact while they fit, then sampled. */
export interface JointOptions {
  /** Configurations sampled once exact enumeration would exceed maxConfigurations. */
  draws: number;
  /** Exact enumeration while the chosen points' configurations × C stay within this. */
  maxConfigurations: number;
}

/** The configuration set: weights p̂(y) and posteriors π_y(t), row-major (configuration, t). */
interface Configurations {
  count: number;
  weight: Float64Array;
  posterior: Float64Array;
  /** For sampled configurations: the weight sample t each draw was generated from. */
  source: Int32Array | undefined;
}

/**
 * The joint predictive state of the points chosen so far: what a candidate's conditional
 * entropy H(y_x | y_chosen) is computed against. Starts empty (one configuration, uniform
 * posterior) and absorbs one chosen point at a time.
 */
export interface JointState {
  readonly samples: Samples;
  readonly options: JointOptions;
  readonly random: Random;
  current: Configurations;
  spare: Configurations;
  /** What candidates are scored against: `current` with identical posteriors merged. */
  scoring: Configurations;
  chosen: number[];
  /** Whether the configurations are sampled (Monte-Carlo) rather than exhaustive. */
  sampled: boolean;
  /** Scratch: a candidate's T×C block in float64, and 4 mixtures of C classes. */
  candidate: Float64Array;
  mix: Float64Array;
  /** The SIMD mixtures (same sums, bit-identical), undefined without WebAssembly SIMD. */
  kernel: MixtureKernel | undefined;
  /** Whether `kernel` holds `scoring`'s posteriors (cleared by absorb). */
  loaded: boolean;
}

export function createJointState(samples: Samples, options: JointOptions, random: Random): JointState {
  const { t, c } = samples;
  const capacity = Math.max(options.maxConfigurations, options.draws);
  const make = (): Configurations => ({
    count: 0,
    weight: new Float64Array(capacity),
    posterior: new Float64Array(capacity * t),
    source: undefined,
  });
  const current = make();
  current.count = 1;
  current.weight[0] = 1;
  current.posterior.fill(1 / t, 0, t);
  return {
    samples,
    options,
    random,
    current,
    spare: make(),
    scoring: current,
    chosen: [],
    sampled: false,
    candidate: new Float64Array(t * c),
    mix: new Float64Array(4 * c),
    kernel: createMixtureKernel(t, c),
    loaded: false,
  };
}

/** Adds point x to the chosen set: exact expansion while it fits, sampled configurations after. */
export function absorb(state: JointState, x: number): void {
  const { samples, options, random } = state;
  state.chosen.push(x);
  if (!state.sampled && state.current.count * samples.c <= options.maxConfigurations) {
    if (expandExact(state.current, state.spare, samples, x)) [state.current, state.spare] = [state.spare, state.current];
  } else if (!state.sampled) {
    sampleConfigurations(state.current, samples, state.chosen, options.draws, random);
    state.sampled = true;
  } else {
    extendSampled(state.current, samples, x, random);
  }
  // Exact configurations merge in place (lossless: equal posteriors have equal futures); sampled
  // draws keep their own rows, since each extends from its own weight sample, and merge into a copy.
  state.scoring = state.sampled ? state.spare : state.current;
  mergeEqualPosteriors(state.current, state.scoring, samples.t);
  state.loaded = false;
}

/** The SIMD kernel with `scoring` loaded, or undefined for the JavaScript loop. */
function loadedKernel(state: JointState): MixtureKernel | undefined {
  if (state.kernel !== undefined && !state.loaded) {
    // A kernel whose memory cannot hold the configurations gives way to the JavaScript loop.
    if (state.kernel.load(state.scoring.posterior, state.scoring.count, state.scoring.weight)) state.loaded = true;
    else state.kernel = undefined;
  }
  return state.kernel;
}

/**
 * An upper bound on conditionalEntropyOf(state, x), nats, from a float32 estimate and its
 * derived error bound (simd/mixtures.ts, screenBound): the candidate scans rule out candidates
 * on it, at about half the cost of the exact value's mixtures alone. Infinity without the SIMD
 * kernel or where the bound's premises fail (values outside [0, 2]), NaN where the estimate is
 * not finite: neither rules anything out.
 */
export function screenConditionalEntropy(state: JointState, x: number): number {
  const kernel = loadedKernel(state);
  if (kernel === undefined) return Infinity;
  const { t, c } = state.samples;
  const screen = kernel.screen(state.samples.data, x * t * c);
  return screen === undefined ? Infinity : screen.approx + screen.bound;
}

/** H(y_x | y_chosen) in nats (exact, or the Monte-Carlo estimate once sampled). */
export function conditionalEntropyOf(state: JointState, x: number): number {
  const { data, t, c } = state.samples;
  const o = x * t * c;
  const kernel = loadedKernel(state);
  if (kernel !== undefined) {
    const { count, weight } = state.scoring;
    const mix = kernel.mixtures(data, o);
    const stride = kernel.stride;
    // The same sum, in the same order, as conditionalEntropy below.
    let total = 0;
    for (let m = 0; m < count; m++) total += weight[m]! * entropyOf(mix, m * stride, c);
    return total;
  }
  const candidate = state.candidate;
  for (let j = 0; j < t * c; j++) candidate[j] = data[o + j]!;
  return conditionalEntropy(state.scoring, candidate, t, c, state.mix);
}

/**
 * ρ(t) = Σ_y p̂(y) π_y(t): the configurations' posteriors averaged by weight. By concavity of
 * entropy, Σ_y p̂(y) H(Σ_t π_y(t) p_t) ≤ H(Σ_t ρ(t) p_t) (Jensen), for the sampled estimate
 * too, so H(Σ_t ρ(t) p_t(· | x)) bounds a candidate's conditional entropy from above.
 * (With exact configurations ρ is uniform and the bound is the candidate's entropy.)
 */
export function posteriorMixture(state: JointState): Float64Array {
  const t = state.samples.t;
  const { count, weight, posterior } = state.scoring;
  const rho = new Float64Array(t);
  for (let m = 0; m < count; m++) {
    const w = weight[m]!;
    for (let u = 0; u < t; u++) rho[u] += w * posterior[m * t + u]!;
  }
  return rho;
}

/**
 * Copies `from` into `to` (which may be the same object) with configurations whose posteriors
 * are bit-identical merged into one, weights summed. Identical label sequences always give
 * identical posteriors, and a chosen point whose predictions do not depend on t splits a
 * configuration into C copies of the parent's posterior; confident models produce many such
 * duplicates, and each merged row is a row the candidate loop no longer visits.
 */
function mergeEqualPosteriors(from: Configurations, to: Configurations, t: number): void {
  const words = new Uint32Array(from.posterior.buffer, from.posterior.byteOffset, from.count * t * 2);
  const first = new Map<number, number>(); // hash → first unique index with that hash
  const next = new Int32Array(from.count).fill(-1); // further unique indices with the same hash
  let unique = 0;
  for (let q = 0; q < from.count; q++) {
    let h = 0x811c9dc5;
    for (let j = q * 2 * t, end = j + 2 * t; j < end; j++) h = Math.imul(h ^ words[j]!, 0x01000193);
    let match = -1;
    let u = first.get(h) ?? -1;
    let last = -1;
    while (u >= 0) {
      if (sameRow(to.posterior, u, from.posterior, q, t)) {
        match = u;
        break;
      }
      last = u;
      u = next[u]!;
    }
    if (match >= 0) {
      to.weight[match] = to.weight[match]! + from.weight[q]!;
      continue;
    }
    if (to !== from) to.posterior.set(from.posterior.subarray(q * t, (q + 1) * t), unique * t);
    else if (unique !== q) to.posterior.copyWithin(unique * t, q * t, (q + 1) * t);
    to.weight[unique] = from.weight[q]!;
    if (last >= 0) next[last] = unique;
    else first.set(h, unique);
    unique++;
  }
  to.count = unique;
  to.source = from.source;
}

function sameRow(a: Float64Array, i: number, b: Float64Array, j: number, t: number): boolean {
  for (let u = 0; u < t; u++) if (a[i * t + u] !== b[j * t + u]) return false;
  return true;
}

/**
 * Every configuration extended by every class of point x: weight w·p̂(l | y), posterior
 * π(t)·p_t(l | x) renormalised. Zero-probability extensions are dropped; weights are
 * renormalised to sum 1 (float32 rows need not sum to exactly 1). Returns false, leaving `to`
 * unused, when x gives every configuration probability 0 (an all-zero row carries no information).
 */
function expandExact(from: Configurations, to: Configurations, samples: Samples, x: number): boolean {
  const { data, t, c } = samples;
  const o = x * t * c;
  let count = 0;
  let total = 0;
  for (let q = 0; q < from.count; q++) {
    const w = from.weight[q]!;
    const row = q * t;
    for (let l = 0; l < c; l++) {
      const dst = count * t;
      let s = 0;
      for (let u = 0; u < t; u++) {
        const v = from.posterior[row + u]! * data[o + u * c + l]!;
        to.posterior[dst + u] = v;
        s += v;
      }
      if (!(s > 0) || !(w > 0)) continue;
      for (let u = 0; u < t; u++) to.posterior[dst + u] = to.posterior[dst + u]! / s;
      to.weight[count] = w * s;
      total += w * s;
      count++;
    }
  }
  if (count === 0) return false;
  for (let q = 0; q < count; q++) to.weight[q] = to.weight[q]! / total;
  to.count = count;
  to.source = undefined;
  return true;
}

/** A class drawn from point x's sample u (inverse CDF); -1 when that row is all zeros. */
function drawClass(samples: Samples, x: number, u: number, random: Random): number {
  const { data, t, c } = samples;
  const o = (x * t + u) * c;
  let sum = 0;
  for (let l = 0; l < c; l++) sum += data[o + l]!;
  if (!(sum > 0)) return -1;
  let r = random.next() * sum;
  for (let l = 0; l < c - 1; l++) {
    r -= data[o + l]!;
    if (r < 0) return l;
  }
  return c - 1;
}

/** Multiplies configuration d's posterior by p_t(l | x) and renormalises (kept as is if that is all zero). */
function condition(state: Configurations, samples: Samples, d: number, x: number, l: number): void {
  const { data, t, c } = samples;
  const row = d * t;
  const o = x * t * c + l;
  let s = 0;
  for (let u = 0; u < t; u++) s += state.posterior[row + u]! * data[o + u * c]!;
  if (!(s > 0)) return;
  for (let u = 0; u < t; u++) state.posterior[row + u] = (state.posterior[row + u]! * data[o + u * c]!) / s;
}

/** Replaces the configurations with `draws` samples from the joint of the chosen points. */
function sampleConfigurations(state: Configurations, samples: Samples, chosen: readonly number[], draws: number, random: Random): void {
  const { t } = samples;
  const source = new Int32Array(draws);
  state.posterior.fill(1 / t, 0, draws * t);
  state.weight.fill(1 / draws, 0, draws);
  for (let d = 0; d < draws; d++) {
    const u = random.int(t);
    source[d] = u;
    for (const x of chosen) {
      const l = drawClass(samples, x, u, random);
      if (l >= 0) condition(state, samples, d, x, l);
    }
  }
  state.count = draws;
  state.source = source;
}

/** Extends every sampled configuration with a label for x drawn from the draw's own weight sample. */
function extendSampled(state: Configurations, samples: Samples, x: number, random: Random): void {
  const source = state.source!;
  for (let d = 0; d < state.count; d++) {
    const l = drawClass(samples, x, source[d]!, random);
    if (l >= 0) condition(state, samples, d, x, l);
  }
}

/**
 * Σ_y w_y · H(Σ_t π_y(t) p_t(·|x)) for one candidate (its T×C block copied to float64). The
 * configurations × T × C inner products are register-tiled, 4 configurations × 2 classes per
 * pass over t (8 accumulators and 6 loaded values stay in registers; larger tiles spill and
 * were slower in V8), about twice as fast as the plain triple loop.
 */
function conditionalEntropy(state: Configurations, px: Float64Array, t: number, c: number, mix: Float64Array): number {
  const { count, weight: w, posterior: P } = state;
  let total = 0;
  let m = 0;
  for (; m + 3 < count; m += 4) {
    const r0 = m * t;
    const r1 = r0 + t;
    const r2 = r1 + t;
    const r3 = r2 + t;
    let l = 0;
    for (; l + 1 < c; l += 2) {
      let a0 = 0, a1 = 0, b0 = 0, b1 = 0, e0 = 0, e1 = 0, f0 = 0, f1 = 0;
      for (let u = 0, o = l; u < t; u++, o += c) {
        const d0 = px[o]!, d1 = px[o + 1]!;
        const p0 = P[r0 + u]!, p1 = P[r1 + u]!, p2 = P[r2 + u]!, p3 = P[r3 + u]!;
        a0 += p0 * d0; a1 += p0 * d1;
        b0 += p1 * d0; b1 += p1 * d1;
        e0 += p2 * d0; e1 += p2 * d1;
        f0 += p3 * d0; f1 += p3 * d1;
      }
      mix[l] = a0; mix[l + 1] = a1;
      mix[c + l] = b0; mix[c + l + 1] = b1;
      mix[2 * c + l] = e0; mix[2 * c + l + 1] = e1;
      mix[3 * c + l] = f0; mix[3 * c + l + 1] = f1;
    }
    if (l < c) {
      let a0 = 0, b0 = 0, e0 = 0, f0 = 0;
      for (let u = 0, o = l; u < t; u++, o += c) {
        const d = px[o]!;
        a0 += P[r0 + u]! * d; b0 += P[r1 + u]! * d; e0 += P[r2 + u]! * d; f0 += P[r3 + u]! * d;
      }
      mix[l] = a0; mix[c + l] = b0; mix[2 * c + l] = e0; mix[3 * c + l] = f0;
    }
    for (let j = 0; j < 4; j++) total += w[m + j]! * entropyOf(mix, j * c, c);
  }
  for (; m < count; m++) {
    const r0 = m * t;
    for (let l = 0; l < c; l++) {
      let a = 0;
      for (let u = 0, o = l; u < t; u++, o += c) a += P[r0 + u]! * px[o]!;
      mix[l] = a;
    }
    total += w[m]! * entropyOf(mix, 0, c);
  }
  return total;
}

/** Entropy in nats of the C values v[from..from+C). */
export function entropyOf(v: Float64Array, from: number, c: number): number {
  let h = 0;
  for (let j = from, end = from + c; j < end; j++) {
    const p = v[j]!;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/** The positions of a 0/1 mask's ones, in order (the batch samplers' chosen points). */
export function indicesOf(mask: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  const out = new Int32Array(count);
  for (let i = 0, m = 0; i < mask.length; i++) if (mask[i] === 1) out[m++] = i;
  return out;
}
