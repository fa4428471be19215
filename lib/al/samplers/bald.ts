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
import { rowEntropy, xlog2xSlack } from "./simd-row-stats.ts";
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
 * BALD's top k without a full-precision log per value. H[mean p] needs only C logs per point
 * and is computed exactly; the expected entropy's T·C logs are screened first: the SIMD
 * kernel reads the point's T×C block as one row (simd-row-stats.ts rowEntropy), whose float32
 * Σ p·log2 p bounds (1/T) Σ_t H[p_t] from below within xlog2xSlack, so H[mean p] minus that
 * bound is an upper bound on the score. A bounded heap keeps the k best exact scores so far
 * (pointTerms, as baldTerms); a point is scored exactly only when its bound beats the heap's
 * floor, so the picks and their order, ties included, are those of ranking every score.
 * Without the kernel (or for a block wider than its chunk) every point is scored exactly.
 */
function selectByBald(inputs: SamplerInputs, k: number): Int32Array {
  const samples = requireSamples("bald", inputs);
  checkK("bald", k, inputs.labelled);
  const { data, n, t, c } = samples;
  const labelled = inputs.labelled;
  const bits = float32Bits(data);
  const block = t * c;
  const maxSum = t * (1 + rowSumTolerance(c));
  const mean = new Float64Array(c);
  const terms: PointTerms = { h: 0, e: 0 };
  const heap = new TopKHeap(k, n);
  const offerExact = (i: number): void => {
    pointTerms(data, bits, i, t, c, mean, terms);
    heap.offer(terms.h > terms.e ? terms.h - terms.e : 0, i);
  };
  for (let i = 0; i < n; ) {
    const chunk = rowEntropy?.(data, i, n - i, block);
    if (chunk === undefined || chunk.rows === 0) {
      if (labelled[i] === 0) offerExact(i);
      i++;
      continue;
    }
    const xlog2x = chunk.xlog2x;
    for (let q = 0; q < chunk.rows; q++, i++) {
      if (labelled[i] !== 0) continue;
      mean.fill(0);
      for (let j = i * block, end = j + block; j < end; j += c) {
        for (let l = 0; l < c; l++) mean[l] += data[j + l]!;
      }
      let h = 0;
      for (let l = 0; l < c; l++) h -= xlnx(mean[l]! / t);
      const x = xlog2x[q]!;
      const expectedAtLeast = (-x * Math.LN2 - xlog2xSlack(x, block, maxSum)) / t;
      if (heap.admits(Math.max(0, h - expectedAtLeast))) offerExact(i);
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
