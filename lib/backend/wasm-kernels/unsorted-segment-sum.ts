/**
 * UnsortedSegmentSum for the wasm backend: out[s, ...] = Σ_{i : segmentIds[i] = s} x[i, ...].
 * tfjs uses it for the gradient of gather (embeddings); the wasm backend has none. A single
 * pass over the rows in index order (deterministic), accumulating float32 data in float64 so the
 * result is the correctly rounded sum whatever the number of rows. Follows TensorFlow: negative
 * ids are dropped, ids ≥ numSegments are an error, the output keeps x's dtype.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { sizeOf } from "./wasm-calls.ts";

export const unsortedSegmentSumName = "UnsortedSegmentSum";

function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new Error(`UnsortedSegmentSum (wasm): x has dtype ${x.dtype}; only float32 and int32 are supported`);
  }
  if (segmentIds.dtype !== "int32") throw new Error(`UnsortedSegmentSum (wasm): segmentIds has dtype ${segmentIds.dtype}; expected int32`);
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum (wasm): numSegments is ${numSegments}; expected an integer ≥ 0`);
  }
  const idRank = segmentIds.shape.length;
  if (idRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`UnsortedSegmentSum (wasm): segmentIds shape [${segmentIds.shape.join(", ")}] is not a prefix of x shape [${x.shape.join(", ")}]`);
  }
  const rowShape = x.shape.slice(idRank);
  const rows = sizeOf(segmentIds.shape);
  const width = sizeOf(rowShape);

  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  const sums = x.dtype === "float32" ? new Float64Array(numSegments * width) : new Int32Array(numSegments * width);
  for (let i = 0; i < rows; i++) {
    const id = ids[i]!;
    if (id < 0) continue;
    if (id >= numSegments) {
      throw new Error(`UnsortedSegmentSum (wasm): segmentIds[${i}] = ${id} is not below numSegments = ${numSegments} (an embedding index past the vocabulary?)`);
    }
    const src = i * width;
    const dst = id * width;
    if (x.dtype === "float32") for (let j = 0; j < width; j++) sums[dst + j]! += xs[src + j]!;
    else for (let j = 0; j < width; j++) sums[dst + j] = (sums[dst + j]! + xs[src + j]!) | 0;
  }
  // Allocate only now: makeOutput may grow the wasm heap, which detaches the views above.
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  backend.typedArrayFromHeap(out).set(sums);
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: unsortedSegmentSumName,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum,
};
