/** Margin sampling: prefer points where the two most likely classes are closest. */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import { float32Bits } from "./fast-log.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { laneSum32Slack, rowTop2 } from "./simd-row-stats.ts";
import { TopKHeap } from "./top-k-heap.ts";
import { ABOVE_ONE, checkKOf, checkProbabilityRow, checkScannedRow, requireProbsShape, rowSumTolerance } from "./validate.ts";

/** Turns two float32 bit patterns back into numbers without allocating per row. */
/**
 * The narrowest rows the SIMD kernel reads: below 4 classes the integer scan was faster
 * (per 10⁷ values, scan vs kernel: C = 2 37 vs 46 ms, C = 4 27 vs 24, C = 10 21 vs 11.5).
 */
const KERNEL_MIN_WIDTH = 4;
const scratchBits = new Int32Array(2);
const scratchFloats = new Float32Array(scratchBits.buffer);

/**
 * 1 − (p1 − p2) per row, with p1 ≥ p2 the two largest probabilities, so higher = more
 * informative like every other score. With one class there is no runner-up: p2 = 0.
 *
 * Speed: rows of 4 or more classes are read by a WebAssembly SIMD top-2 kernel where it runs
 * (simd-row-stats.ts rowTop2, four values per instruction; 2–3× faster than the scan below at
 * C = 10–100). Otherwise: with probabilities in random order, a compare-and-branch top-2 scan mispredicts a few
 * times per row and costs ~6× more than the arithmetic. Non-negative float32 values order like
 * their int32 bit patterns, so the fast path keeps the top two as integers with branch-free
 * max/min (sign-mask arithmetic). Rows holding a negative value, −0, ∞ or NaN — not
 * probabilities, but they must not change behaviour — take the plain float scan.
 */
export function marginScores(probs: Matrix): Float64Array {
  const out = new Float64Array(probs.n);
  marginScan(probs, undefined, out, undefined, new Uint8Array(0));
  return out;
}

/**
 * The scan behind marginScores; with `sampler` it also checks every row as requireProbs would
 * (validate.ts: the scan already has each row's sign bits, maximum and sum), and the pool is
 * read once instead of twice. Each score goes to `out` when given, else to `heap` when the
 * point is unlabelled and the score can make the top k; returns how many points the heap path
 * saw unlabelled (checkK's count). The SIMD kernel (simd-row-stats.ts rowTop2) reads the rows
 * where it can; the integer scan below is the same in JavaScript.
 */
function marginScan(probs: Matrix, sampler: string | undefined, out: Float64Array | undefined, heap: TopKHeap | undefined, labelled: Uint8Array): number {
  const { data, n, c } = probs;
  const bits = float32Bits(data);
  const tolerance = rowSumTolerance(c);
  const check = checkScannedRow; // a local: an imported binding can cost a getter call per row
  const aboveOne = ABOVE_ONE;
  const sumBound = tolerance - laneSum32Slack(c);
  let unlabelled = 0;
  for (let i = 0; i < n; ) {
    const chunk = c >= KERNEL_MIN_WIDTH ? rowTop2?.(data, i, n - i, c) : undefined;
    if (chunk !== undefined && chunk.rows > 0) {
      const { max, second, sum, sign } = chunk;
      for (let q = 0; q < chunk.rows; q++, i++) {
        const m = max[q]!;
        const s = sum[q]!;
        // A row the kernel flags is re-read in index order, which alone decides (validate.ts).
        if (sampler !== undefined && (sign[q]! < 0 || !(m <= aboveOne) || !(Math.abs(s - 1) <= sumBound))) checkProbabilityRow(sampler, "probs", data, i, c, tolerance);
        // No sign bit and a finite sum: every value is finite and ≥ 0, where the kernel's float
        // max and min order values as the integer scan does, so its top two are the same numbers.
        const score = sign[q]! >= 0 && s - s === 0 ? 1 - (m - second[q]!) : floatMargin(data, i * c, c);
        if (out !== undefined) out[i] = score;
        else if (labelled[i] === 0) {
          unlabelled++;
          if (heap!.admits(score)) heap!.offer(score, i);
        }
      }
      continue;
    }
    let p1 = 0;
    let p2 = 0;
    let sign = 0;
    let sum = 0;
    for (let j = i * c, end = j + c; j < end; j++) {
      const v = bits[j]!;
      sign |= v;
      sum += data[j]!;
      let d = (v - p1) | 0;
      let m = d >> 31; // all ones when v < p1
      const lo = (p1 + (d & m)) | 0; // min(v, p1)
      p1 = (v - (d & m)) | 0; // max(v, p1)
      d = (lo - p2) | 0;
      m = d >> 31;
      p2 = (lo - (d & m)) | 0; // max(lo, p2): also catches a second, equal maximum
    }
    // With a negative value in the row p1 may be wrong, but the sign bits flag the row anyway.
    if (sampler !== undefined) check(sampler, "probs", data, i, c, tolerance, sign, p1, sum);
    let score: number;
    if (sign >= 0 && p1 < 0x7f800000) {
      scratchBits[0] = p1;
      scratchBits[1] = p2;
      score = 1 - (scratchFloats[0]! - scratchFloats[1]!);
    } else {
      score = floatMargin(data, i * c, c);
    }
    if (out !== undefined) out[i] = score;
    else if (labelled[i] === 0) {
      unlabelled++;
      if (heap!.admits(score)) heap!.offer(score, i);
    }
    i++;
  }
  return unlabelled;
}

/** The plain scan, for rows outside the fast path's domain. */
function floatMargin(data: Float32Array, start: number, c: number): number {
  let p1 = -Infinity;
  let p2 = -Infinity;
  for (let j = start, end = start + c; j < end; j++) {
    const v = data[j]!;
    if (v > p1) {
      p2 = p1;
      p1 = v;
    } else if (v > p2) {
      p2 = v; // also catches a second, equal maximum: margin 0
    }
  }
  if (c === 1) p2 = 0;
  return 1 - (p1 - p2);
}

function select(inputs: SamplerInputs, k: number): Int32Array {
  const probs = requireProbsShape("margin", inputs);
  const heap = new TopKHeap(k, probs.n);
  checkKOf("margin", k, marginScan(probs, "margin", undefined, heap, inputs.labelled));
  return heap.take();
}

export const margin: Sampler = {
  ...scoreSampler({
    name: "margin",
    description: "Points with the smallest gap between the two most likely classes (1 − (p1 − p2)).",
    needs: ["probs"],
    // One pass: the scan checks each row itself.
    scores: (inputs) => {
      const probs = requireProbsShape("margin", inputs);
      const out = new Float64Array(probs.n);
      marginScan(probs, "margin", out, undefined, inputs.labelled);
      return out;
    },
  }),
  select,
};
