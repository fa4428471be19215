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
 * checks (the max, sum and sign bits checkProbabilityRows's kernel computes: the same rows are
 * flagged and re-read, so the same error is thrown, before k is checked, as requireSamples
 * then checkK did), each block's float32 Σ p·log2 p, which bounds (1/T) Σ_t H[p_t] from below
 * (blockXlog2xSlack), and its float32 per-class sums, which give H[mean p] within
 * meanEntropySlack: their difference plus both slacks is an upper bound on the score. A
 * bounded heap keeps the k best exact scores so far (pointTerms, as baldTerms); a point is
 * scored exactly only when its bound beats the heap's floor (or one of its rows was flagged and
 * passed, a −0), so the picks and their order, ties included, are those of ranking every score.
 * Without the kernel (or for a block wider than its chunk) the rows are checked by
 * requireSamples and every point is scored exactly.
 */
function selectByBald(inputs: SamplerInputs, k: number): Int32Array {
  const shaped = requireSamplesShape("bald", inputs);
  const { t, c } = shaped;
  const chunkOf = sampleBlockStats;
  if (chunkOf === undefined || t * c > SAMPLE_CHUNK_FLOATS) return selectExactly(requireSamples("bald", inputs), inputs.labelled, k);
  const { data, n } = shaped;
  const labelled = inputs.labelled;
  const bits = float32Bits(data);
  const tolerance = rowSumTolerance(c);
  const sumBound = tolerance - laneSum32Slack(c);
  const aboveOne = ABOVE_ONE;
  const maxMean = 1 + tolerance;
  const maxSum = t * maxMean;
  const mean = new Float64Array(c);
  const terms: PointTerms = { h: 0, e: 0 };
  const heap = new TopKHeap(k, n);
  let unlabelled = 0;
  for (let i = 0; i < n; ) {
    const { points, max, sum, sign, xlog2x, sums } = chunkOf(data, i, n - i, t, c);
    for (let q = 0, row = 0; q < points; q++, i++) {
      let flagged = false;
      for (let end = row + t; row < end; row++) {
        if (sign[row]! < 0 || !(max[row]! <= aboveOne) || !(Math.abs(sum[row]! - 1) <= sumBound)) {
          checkProbabilityRow("bald", "mcSamples", data, i * t + (row - q * t), c, tolerance, t);
          flagged = true;
        }
      }
      if (labelled[i] !== 0) continue;
      unlabelled++;
      if (!flagged) {
        let h = 0;
        for (let l = q * c, end = l + c; l < end; l++) {
          const a = sums[l]! / t;
          if (a > 0) h -= a * Math.log(a);
        }
        const x = xlog2x[q]!;
        const expectedAtLeast = (-x * Math.LN2 - blockXlog2xSlack(x, t, c, maxSum)) / t;
        if (!heap.admits(Math.max(0, h + meanEntropySlack(h, t, c, maxMean) - expectedAtLeast))) continue;
      }
      pointTerms(data, bits, i, t, c, mean, terms);
      heap.offer(terms.h > terms.e ? terms.h - terms.e : 0, i);
    }
  }
  checkKOf("bald", k, unlabelled);
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
