/**
 * BALD (Bayesian active learning by disagreement, Houlsby et al. 2011; Gal et al. 2017): prefer
 * points where the model's stochastic predictions disagree, i.e. the mutual information between
 * the label and the weights is highest:
 *   I(y; w | x) = H[(1/T) Σ_t p_t] − (1/T) Σ_t H[p_t]
 * — the entropy of the mean prediction minus the mean entropy of each pass. Pure noise (every
 * pass equally unsure) scores 0; confident passes that contradict each other score highest.
 */
import { scoreSampler } from "./score-sampler.ts";
import { float32Bits, lnFloat32, xlnx } from "./fast-log.ts";
import { requireSamples, requireSamplesShape } from "./mc-samples.ts";
import type { Sampler, SamplerInputs, Samples } from "./sampler.ts";
import { blockXlog2xSlack, laneSum32Slack, SAMPLE_CHUNK_FLOATS, sampleBlockStats } from "./simd-row-stats.ts";
import { TopKHeap } from "./top-k-heap.ts";
import { ABOVE_ONE, checkK, checkKOf, checkProbabilityRow, rowSumTolerance } from "./validate.ts";

export interface BaldTerms {
  /** I(y; w | x) per point, nats, clamped at 0 (rounding can push it a hair below). */
  scores: Float64Array;
  /** (1/T) Σ_t H[p_t] per point: the expected entropy given the weights (aleatoric part). */
  expectedEntropy: Float64Array;
}

/** One point's two terms (no per-point allocation: `mean` is a C-long scratch). */
interface PointTerms {
  h: number;
  e: number;
}

/** H[mean p] and (1/T) Σ_t H[p_t] of point i, into `out`: the one place they are computed. */
function pointTerms(data: Float32Array, bits: Int32Array, i: number, t: number, c: number, mean: Float64Array, out: PointTerms): void {
  mean.fill(0);
  let sumXlnx = 0; // Σ_t Σ_c p ln p
  const block = t * c;
  for (let j = i * block, end = j + block; j < end; j += c) {
    for (let l = 0; l < c; l++) {
      const p = data[j + l]!;
      mean[l] += p;
      if (p > 0) sumXlnx += p * lnFloat32(p, bits[j + l]!);
    }
  }
  let h = 0;
  for (let l = 0; l < c; l++) h -= xlnx(mean[l]! / t);
  out.h = h;
  out.e = -sumXlnx / t;
}

/** BALD scores and their expected-entropy term in one pass over N×T×C, no per-point allocation. */
export function baldTerms(samples: Samples): BaldTerms {
  const { data, n, t, c } = samples;
  const bits = float32Bits(data);
  const scores = new Float64Array(n);
  const expectedEntropy = new Float64Array(n);
  const mean = new Float64Array(c);
  const terms: PointTerms = { h: 0, e: 0 };
  for (let i = 0; i < n; i++) {
    pointTerms(data, bits, i, t, c, mean, terms);
    expectedEntropy[i] = terms.e;
    scores[i] = terms.h > terms.e ? terms.h - terms.e : 0;
  }
  return { scores, expectedEntropy };
}

/** I(y; w | x) per point (see baldTerms). */
export function baldScores(samples: Samples): Float64Array {
  return baldTerms(samples).scores;
}

/**
 * How far H[mean p] from float32 per-class sums (sampleSums: each a chain of t − 1 rounded adds
 * of non-negative values, so within ε = (t + 1)·2⁻²⁴ of the exact sum, relatively) may be from
 * the one pointTerms computes: |Δ(a ln a)| ≤ |Δa|·(|ln a| + 1 + 2ε) for a mean a, summed over the
 * classes ≤ ε·(Σ a·|ln a| + Σ a·(1 + 2ε)), where Σ a ≤ maxMean and Σ a·|ln a| ≤ H + 2.2e-5 (a
 * mean above 1 is within 10⁻⁵ of it). Twice that, plus the float64 side (C logs and a C-term
 * sum, ≤ C·2⁻⁵⁰ relatively), subnormal sums (C·1e-35) and 1e-9 for room.
 */
export function meanEntropySlack(h: number, t: number, c: number, maxMean: number): number {
  const eps = (t + 1) * 2 ** -24;
  return 2 * eps * (Math.abs(h) + 2.2e-5 + 2 * maxMean) + c * 2 ** -50 * (Math.abs(h) + 1) + c * 1e-35 + 1e-9;
}

/**
 * BALD's top k without a full-precision log per value, reading the samples once. The SIMD pass
 * (simd-row-stats.ts sampleBlockStats) gives, per chunk of point blocks, each sample row's
 * checks (the max, sum and sign bits checkProbabilityRows's kernel computes, and whether any
 * row of the point fails its tests: the same rows are flagged and re-read, so the same error is
 * thrown, before k is checked, as requireSamples then checkK did), each block's float32 Σ p·log2 p, which gives (1/T) Σ_t H[p_t] within
 * blockXlog2xSlack, and its float32 per-class sums, which give H[mean p] within
 * meanEntropySlack: so each point's score lies in [lower, upper]. The k-th largest lower
 * bound τ is at most the k-th largest score, so a point whose upper bound is below τ has k
 * scores strictly above it and cannot be picked; only the others are scored exactly
 * (pointTerms, as baldTerms), in index order, into a bounded heap, which also skips a point
 * whose upper bound cannot beat its floor. So the picks and their order, ties included, are
 * those of ranking every score. A point one of whose rows was flagged and passed (a −0) is
 * always scored exactly. Rescoring after the scan, not during it, matters on pools in no
 * particular order: a heap filled in index order admits about k·(1 + ln(N/k)) points
 * (the records of a random sequence) however tight the bounds; τ admits those within the
 * bounds' width of the k-th score. Without the kernel (or for a block wider than its chunk)
 * the rows are checked by requireSamples and every point is scored exactly.
 */
function selectByBald(inputs: SamplerInputs, k: number): Int32Array {
  const shaped = requireSamplesShape("bald", inputs);
  const { t, c } = shaped;
  const chunkOf = sampleBlockStats;
  if (chunkOf === undefined || t * c > SAMPLE_CHUNK_FLOATS) return selectExactly(requireSamples("bald", inputs), inputs.labelled, k);
  const { data, n } = shaped;
  const labelled = inputs.labelled;
  const tolerance = rowSumTolerance(c);
  const sumBound = tolerance - laneSum32Slack(c);
  const aboveOne = ABOVE_ONE;
  const maxMean = 1 + tolerance;
  const maxSum = t * maxMean;
  const bounds = { aboveOne, sumBound };
  // Each unlabelled point's upper bound (∞: score it exactly); the lower bounds only feed
  // `lowest`, whose floor is τ once it is full (−∞ before: every point is a candidate).
  const upper = new Float64Array(n);
  const lowest = new TopKHeap(k, n);
  const lnT = Math.log(t);
  const hFormSlack = maxMean * (1e-11 + (c + 2) * 2 ** -51 * (lnT + 1));
  let unlabelled = 0;
  for (let i = 0; i < n; ) {
    const { points, flag, max, sum, sign, xlog2x, sums } = chunkOf(data, i, n - i, t, c, bounds);
    const sumBits = float32Bits(sums);
    for (let q = 0; q < points; q++, i++) {
      const flagged = flag[q] !== 0;
      // The flagged point's rows, re-tested as the kernel did (only those are re-read).
      for (let row = q * t, end = flagged ? row + t : row; row < end; row++) {
        if (sign[row]! < 0 || !(max[row]! <= aboveOne) || !(Math.abs(sum[row]! - 1) <= sumBound)) {
          checkProbabilityRow("bald", "mcSamples", data, i * t + (row - q * t), c, tolerance, t);
        }
      }
      if (labelled[i] !== 0) continue;
      unlabelled++;
      if (flagged) {
        upper[i] = Infinity;
        continue;
      }
      // H[mean p] = −Σ (s/T)·ln(s/T) = (S·ln T − Σ s·ln s)/T for the class sums s (S = Σ s), with
      // the table log of each float32 s: off by under 6e-12 per unit of s, so by maxMean·6e-12
      // in all; this form's float64 rounding is at most (C + 2)·2⁻⁵² of S·ln T + Σ|s·ln s|
      // ≤ 2·T·maxMean·(ln T + 1). hSlack adds both to meanEntropySlack.
      let total = 0;
      let sLnS = 0;
      for (let l = q * c, end = l + c; l < end; l++) {
        const v = sums[l]!;
        total += v;
        if (v > 0) sLnS += v * lnFloat32(v, sumBits[l]!);
      }
      const h = (total * lnT - sLnS) / t;
      const x = xlog2x[q]!;
      const hSlack = meanEntropySlack(h, t, c, maxMean) + hFormSlack;
      const eSlack = blockXlog2xSlack(x, t, c, maxSum) / t;
      const e = (-x * Math.LN2) / t;
      upper[i] = Math.max(0, h + hSlack - (e - eSlack));
      const low = h - hSlack - (e + eSlack);
      if (lowest.admits(low)) lowest.offer(low, i);
    }
  }
  checkKOf("bald", k, unlabelled);
  const tau = lowest.floor;
  const bits = float32Bits(data);
  const mean = new Float64Array(c);
  const terms: PointTerms = { h: 0, e: 0 };
  const heap = new TopKHeap(k, n);
  for (let i = 0; i < n; i++) {
    const u = upper[i]!;
    if (labelled[i] !== 0 || !(u >= tau) || !heap.admits(u)) continue;
    pointTerms(data, bits, i, t, c, mean, terms);
    heap.offer(terms.h > terms.e ? terms.h - terms.e : 0, i);
  }
  return heap.take();
}

/** BALD's top k with every unlabelled point scored exactly (pointTerms), for checked samples. */
function selectExactly(samples: Samples, labelled: Uint8Array, k: number): Int32Array {
  checkK("bald", k, labelled);
  const { data, n, t, c } = samples;
  const bits = float32Bits(data);
  const mean = new Float64Array(c);
  const terms: PointTerms = { h: 0, e: 0 };
  const heap = new TopKHeap(k, n);
  for (let i = 0; i < n; i++) {
    if (labelled[i] !== 0) continue;
    pointTerms(data, bits, i, t, c, mean, terms);
    heap.offer(terms.h > terms.e ? terms.h - terms.e : 0, i);
  }
  return heap.take();
}

export const bald: Sampler = {
  ...scoreSampler({
    name: "bald",
    description: "Points with the highest mutual information between label and weights (H[mean p] − mean H[p]).",
    needs: ["mcSamples"],
    scores: (inputs) => baldScores(requireSamples("bald", inputs)),
  }),
  select: (inputs, k) => selectByBald(inputs, k),
};
