/** Entropy sampling: prefer points whose whole predictive distribution is most spread out. */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import { float32Bits, lnFloat32 } from "./fast-log.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { topK } from "./top-k.ts";
import { checkK, checkScannedRow, requireProbsShape, rowSumTolerance } from "./validate.ts";

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

/**
 * Entropy's top k without a full-precision log per value. One pass checks every row (as
 * checkedEntropyScores) and scores it with a coarse table log, within SCREEN_ERROR·Σp of the
 * exact entropy (each term p·ln p is off by at most p·SCREEN_ERROR; zeros add 0, subnormals
 * below 1e-36; a checked row's Σp is at most 1 + its tolerance). The k best screened rows, scored exactly, give a floor: the k-th best exact
 * score is at least their minimum. Only rows whose screened score is within the error of that
 * floor can reach it, and only those are scored exactly (entropyScores' arithmetic), so the
 * picks and their order, ties included, are those of ranking every exact score.
 */
function selectByEntropy(inputs: SamplerInputs, k: number): Int32Array {
  const probs = requireProbsShape("entropy", inputs);
  const { data, n, c } = probs;
  const bits = float32Bits(data);
  const screened = new Float64Array(n);
  const tolerance = rowSumTolerance(c);
  for (let i = 0; i < n; i++) {
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
    screened[i] = h0 + h1;
  }
  checkK("entropy", k, inputs.labelled);
  // A checked row sums to at most 1 + tolerance, so no screened score is further off than this.
  const slack = SCREEN_ERROR * (1 + tolerance) + 1e-9;
  const eligible = new Uint8Array(n);
  for (let i = 0; i < n; i++) eligible[i] = inputs.labelled[i] === 0 ? 1 : 0;
  const exact = new Float64Array(n).fill(-Infinity);
  let floor = Infinity;
  for (const i of topK(screened, k, eligible)) floor = Math.min(floor, (exact[i] = exactEntropy(data, bits, i, c)));
  for (let i = 0; i < n; i++) {
    if (eligible[i] === 1 && exact[i] === -Infinity && screened[i]! + 2 * slack >= floor) exact[i] = exactEntropy(data, bits, i, c);
  }
  return topK(exact, k, eligible);
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
