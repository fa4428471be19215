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
import { requireSamples } from "./mc-samples.ts";
import type { Sampler, SamplerInputs, Samples } from "./sampler.ts";
import { rowEntropy, sampleSums, xlog2xSlack } from "./simd-row-stats.ts";
import { TopKHeap } from "./top-k-heap.ts";
import { checkK, rowSumTolerance } from "./validate.ts";

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
 * BALD's top k without a full-precision log per value. Each point's T×C block is read once by
 * the SIMD kernels (simd-row-stats.ts): rowEntropy's float32 Σ p·log2 p over the block bounds
 * (1/T) Σ_t H[p_t] from below (xlog2xSlack), and sampleSums' float32 per-class sums give
 * H[mean p] within meanEntropySlack, so their difference plus both slacks is an upper bound on
 * the score. A bounded heap keeps the k best exact scores so far (pointTerms, as baldTerms);
 * a point is scored exactly only when its bound beats the heap's floor, so the picks and their
 * order, ties included, are those of ranking every score. Without the kernels (or for a block
 * wider than their chunk) every point is scored exactly.
 */
function selectByBald(inputs: SamplerInputs, k: number): Int32Array {
  const samples = requireSamples("bald", inputs);
  checkK("bald", k, inputs.labelled);
  const { data, n, t, c } = samples;
  const labelled = inputs.labelled;
  const bits = float32Bits(data);
  const block = t * c;
  const maxMean = 1 + rowSumTolerance(c);
  const maxSum = t * maxMean;
  const mean = new Float64Array(c);
  const terms: PointTerms = { h: 0, e: 0 };
  const heap = new TopKHeap(k, n);
  const offerExact = (i: number): void => {
    pointTerms(data, bits, i, t, c, mean, terms);
    heap.offer(terms.h > terms.e ? terms.h - terms.e : 0, i);
  };
  for (let i = 0; i < n; ) {
    const chunk = sampleSums === undefined ? undefined : rowEntropy?.(data, i, n - i, block);
    if (chunk === undefined || chunk.rows === 0) {
      if (labelled[i] === 0) offerExact(i);
      i++;
      continue;
    }
    const xlog2x = chunk.xlog2x;
    const sums = sampleSums!(chunk.rows, t, c);
    for (let q = 0; q < chunk.rows; q++, i++) {
      if (labelled[i] !== 0) continue;
      let h = 0;
      for (let l = q * c, end = l + c; l < end; l++) {
        const a = sums[l]! / t;
        if (a > 0) h -= a * Math.log(a);
      }
      const x = xlog2x[q]!;
      const expectedAtLeast = (-x * Math.LN2 - xlog2xSlack(x, block, maxSum)) / t;
      if (heap.admits(Math.max(0, h + meanEntropySlack(h, t, c, maxMean) - expectedAtLeast))) offerExact(i);
    }
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
