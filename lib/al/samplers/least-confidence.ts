/** Least-confidence sampling: prefer points whose top class is least probable. */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import { float32Bits } from "./fast-log.ts";
import { RowScan } from "./row-scan.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { TopKHeap } from "./top-k-heap.ts";
import { laneSum32Slack, rowStats } from "./simd-row-stats.ts";
import { ABOVE_ONE, checkKOf, checkProbabilityRow, checkReadRow, requireProbsShape, rowSumTolerance } from "./validate.ts";

/** 1 − max_c p(c) per row: 0 for a certain prediction, up to 1 − 1/C for a uniform one. */
export function leastConfidenceScores(probs: Matrix): Float64Array {
  const { data, n, c } = probs;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let p1 = -Infinity;
    for (let j = i * c, end = j + c; j < end; j++) if (data[j]! > p1) p1 = data[j]!;
    out[i] = 1 - p1;
  }
  return out;
}

/**
 * The one pass behind the sampler: each row is checked as requireProbs would (the validating
 * scan already has its maximum) and its score goes to `out` when given, else to `heap` when
 * the point is unlabelled and the score can make the top k. Returns how many points the heap
 * path saw unlabelled (checkK's count, without a pass of its own). The SIMD kernel reads the rows
 * where it can (simd-row-stats.ts); RowScan is the same check in JavaScript.
 */
function scan(sampler: string, probs: Matrix, out: Float64Array | undefined, heap: TopKHeap | undefined, labelled: Uint8Array): number {
  const { data, n, c } = probs;
  const bits = float32Bits(data);
  const tolerance = rowSumTolerance(c);
  const sumBound = tolerance - laneSum32Slack(c);
  const aboveOne = ABOVE_ONE; // a local: an imported binding can cost a getter call per read
  const row = new RowScan();
  let unlabelled = 0;
  for (let i = 0; i < n; ) {
    const chunk = rowStats?.(data, i, n - i, c);
    if (chunk !== undefined && chunk.rows > 0) {
      const { max, sum, sign } = chunk;
      for (let q = 0; q < chunk.rows; q++, i++) {
        const m = max[q]!;
        // A row the kernel flags is re-read in index order, which alone decides (validate.ts).
        if (sign[q]! < 0 || !(m <= aboveOne) || !(Math.abs(sum[q]! - 1) <= sumBound)) checkProbabilityRow(sampler, "probs", data, i, c, tolerance);
        const s = 1 - m;
        if (out !== undefined) out[i] = s;
        else if (labelled[i] === 0) {
          unlabelled++;
          if (heap!.admits(s)) heap!.offer(s, i);
        }
      }
    } else {
      row.read(data, bits, i * c, c);
      checkReadRow(sampler, "probs", data, i, c, tolerance, row);
      const s = 1 - row.max;
      if (out !== undefined) out[i] = s;
      else if (labelled[i] === 0) {
        unlabelled++;
        if (heap!.admits(s)) heap!.offer(s, i);
      }
      i++;
    }
  }
  return unlabelled;
}

function select(inputs: SamplerInputs, k: number): Int32Array {
  const probs = requireProbsShape("least-confidence", inputs);
  const heap = new TopKHeap(k, probs.n);
  const unlabelled = scan("least-confidence", probs, undefined, heap, inputs.labelled);
  checkKOf("least-confidence", k, unlabelled);
  return heap.take();
}

export const leastConfidence: Sampler = {
  ...scoreSampler({
    name: "least-confidence",
    description: "Points whose most likely class has the lowest probability (1 − max p).",
    needs: ["probs"],
    scores: (inputs) => {
      const probs = requireProbsShape("least-confidence", inputs);
      const out = new Float64Array(probs.n);
      scan("least-confidence", probs, out, undefined, inputs.labelled);
      return out;
    },
  }),
  select,
};
