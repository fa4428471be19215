/** Entropy sampling: prefer points whose whole predictive distribution is most spread out. */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import { float32Bits, lnFloat32 } from "./fast-log.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { entropyUpperBound, laneSum32Slack, rowEntropy } from "./simd-row-stats.ts";
import { TopKHeap } from "./top-k-heap.ts";
import { ABOVE_ONE, checkKOf, checkProbabilityRow, checkScannedRow, requireProbsShape, rowSumTolerance } from "./validate.ts";

/**
 * Shannon entropy −Σ p ln p per row, in nats. Terms with p ≤ 0 contribute 0 (the limit of
 * p ln p as p → 0), so softmax underflow to exact zeros never yields NaN. Logs come from the
 * float32 bit pattern (fast-log.ts, ~1e-11 accurate): about twice as fast as Math.log here.
 */
export function entropyScores(probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const bits = float32Bits(data);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = i * c, end = j + c; j < end; j++) {
      const p = data[j]!;
      if (p > 0) h -= p * lnFloat32(p, bits[j]!);
    }
    out[i] = h;
  }
  return out;
}

/**
 * entropyScores that also checks every row as requireProbs would (validate.ts checkScannedRow),
 * in the same pass: the pool is read once instead of twice. A row is checked before it is
 * scored, so a bad value throws where requireProbs would have.
 */
function checkedEntropyScores(sampler: string, probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const bits = float32Bits(data);
  const out = new Float64Array(n);
  const tolerance = rowSumTolerance(c);
  for (let i = 0; i < n; i++) {
    let h = 0;
    let sign = 0;
    let top = 0;
    let sum = 0;
    for (let j = i * c, end = j + c; j < end; j++) {
      const b = bits[j]!;
      const p = data[j]!;
      sign |= b;
      top = b > top ? b : top;
      sum += p;
      if (p > 0) h -= p * lnFloat32(p, b);
    }
    checkScannedRow(sampler, "probs", data, i, c, tolerance, sign, top, sum);
    out[i] = h;
  }
  return out;
}

/** Mantissa bits of the screening log's table: 2^11 buckets, 16 KB, so it stays in L1. */
const SCREEN_BITS = 11;
/** ln of each bucket's geometric midpoint: within ½·ln(1 + 2^−11) of every float32 in the bucket. */
const SCREEN_LN = Float64Array.from({ length: 1 << SCREEN_BITS }, (_, k) => 0.5 * (Math.log1p(k / 2 ** SCREEN_BITS) + Math.log1p((k + 1) / 2 ** SCREEN_BITS)));
/** (e − 127)·ln 2 for each biased exponent e (e = 0 too, so zeros and subnormals stay finite). */
const SCREEN_EXP = Float64Array.from({ length: 256 }, (_, e) => (e - 127) * Math.LN2);
const SCREEN_SHIFT = 23 - SCREEN_BITS;
const SCREEN_MASK = (1 << SCREEN_BITS) - 1;
/** The screening log's largest error for a normal float32, plus room for rounding. */
const SCREEN_ERROR = 0.5 * Math.log1p(2 ** -SCREEN_BITS) + 1e-12;
/** The narrowest rows the SIMD screen reads: with one class it was no faster than the table screen. */
const KERNEL_MIN_WIDTH = 2;

/**
 * Entropy's top k without a full-precision log per value. One pass checks every row (as
 * checkedEntropyScores) and screens it: an upper bound on its exact entropy, from the SIMD
 * kernel's float32 Σ p·log2 p (simd-row-stats.ts rowEntropy, bounded by entropyUpperBound)
 * or, in JavaScript, from a coarse table log (within SCREEN_ERROR·Σp of the exact entropy: each
 * term p·ln p is off by at most p·SCREEN_ERROR; zeros add 0, subnormals below 1e-36; a checked
 * row's Σp is at most 1 + its tolerance). A bounded heap keeps the k best exact scores so far;
 * a row is scored exactly (entropyScores' arithmetic) only when its bound beats the heap's
 * floor, and a row whose bound does not cannot enter it (an equal score loses to the earlier
 * index). So the picks and their order, ties included, are those of ranking every exact score.
 */
function selectByEntropy(inputs: SamplerInputs, k: number): Int32Array {
  const probs = requireProbsShape("entropy", inputs);
  const { data, n, c } = probs;
  const labelled = inputs.labelled;
  const bits = float32Bits(data);
  const tolerance = rowSumTolerance(c);
  const sumBound = tolerance - laneSum32Slack(c);
  const aboveOne = ABOVE_ONE;
  const maxSum = 1 + tolerance;
  // Twice the table screen's error, for room.
  const slack = 2 * (SCREEN_ERROR * maxSum + 1e-9);
  const kernel = c >= KERNEL_MIN_WIDTH ? rowEntropy : undefined;
  const heap = new TopKHeap(k, n);
  let unlabelled = 0;
  for (let i = 0; i < n; ) {
    const chunk = kernel?.(data, i, n - i, c);
    if (chunk !== undefined && chunk.rows > 0) {
      const { max, sum, sign, xlog2x } = chunk;
      for (let q = 0; q < chunk.rows; q++, i++) {
        // A row the kernel flags is re-read in index order, which alone decides (validate.ts);
        // one that passes (a −0) is scored exactly without the screen.
        const flagged = sign[q]! < 0 || !(max[q]! <= aboveOne) || !(Math.abs(sum[q]! - 1) <= sumBound);
        if (flagged) checkProbabilityRow("entropy", "probs", data, i, c, tolerance);
        if (labelled[i] !== 0) continue;
        unlabelled++;
        if (flagged || heap.admits(entropyUpperBound(xlog2x[q]!, c, maxSum))) heap.offer(exactEntropy(data, bits, i, c), i);
      }
      continue;
    }
    let h0 = 0;
    let h1 = 0;
    let sign = 0;
    let top = 0;
    let sum = 0;
    let j = i * c;
    const end = j + c;
    // Two screening sums, so the adds need not wait on each other (the order is free: only the
    // error bound matters); the row sum keeps checkScannedRow's order.
    for (; j + 1 < end; j += 2) {
      const b = bits[j]!;
      const p = data[j]!;
      const b1 = bits[j + 1]!;
      const q = data[j + 1]!;
      sign |= b | b1;
      top = b > top ? b : top;
      top = b1 > top ? b1 : top;
      sum += p;
      sum += q;
      // No branch: a checked row holds no negatives (−0 gives exponent 0 and adds −0·finite).
      h0 -= p * (SCREEN_EXP[(b >>> 23) & 255]! + SCREEN_LN[(b >>> SCREEN_SHIFT) & SCREEN_MASK]!);
      h1 -= q * (SCREEN_EXP[(b1 >>> 23) & 255]! + SCREEN_LN[(b1 >>> SCREEN_SHIFT) & SCREEN_MASK]!);
    }
    if (j < end) {
      const b = bits[j]!;
      const p = data[j]!;
      sign |= b;
      top = b > top ? b : top;
      sum += p;
      h0 -= p * (SCREEN_EXP[(b >>> 23) & 255]! + SCREEN_LN[(b >>> SCREEN_SHIFT) & SCREEN_MASK]!);
    }
    checkScannedRow("entropy", "probs", data, i, c, tolerance, sign, top, sum);
    if (labelled[i] === 0) {
      unlabelled++;
      if (heap.admits(h0 + h1 + slack)) heap.offer(exactEntropy(data, bits, i, c), i);
    }
    i++;
  }
  checkKOf("entropy", k, unlabelled);
  return heap.take();
}

/** Row i's entropy exactly as entropyScores computes it. */
function exactEntropy(data: Float32Array, bits: Int32Array, i: number, c: number): number {
  let h = 0;
  for (let j = i * c, end = j + c; j < end; j++) {
    const p = data[j]!;
    if (p > 0) h -= p * lnFloat32(p, bits[j]!);
  }
  return h;
}

export const entropy: Sampler = {
  ...scoreSampler({
    name: "entropy",
    description: "Points with the highest predictive entropy (−Σ p ln p, nats).",
    needs: ["probs"],
    scores: (inputs) => checkedEntropyScores("entropy", requireProbsShape("entropy", inputs)),
  }),
  select: (inputs, k) => selectByEntropy(inputs, k),
};
