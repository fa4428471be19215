/** Batch tensors gathered from flat row-major arrays by index (the seeded epoch order). */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../../al/matrix.ts";
import type { TaskTargets } from "../targets.ts";

/** Rows indices[start..end) of `x` as a [rows, c] tensor. */
export function rowsTensor(x: Matrix, indices: ArrayLike<number>, start: number, end: number): tf.Tensor2D {
  const out = new Float32Array((end - start) * x.c);
  for (let i = start; i < end; i++) {
    const r = indices[i]!;
    out.set(x.data.subarray(r * x.c, (r + 1) * x.c), (i - start) * x.c);
  }
  return tf.tensor2d(out, [end - start, x.c]);
}

/** Contiguous rows [start, end) without an index list (inference). */
export function sliceTensor(x: Matrix, start: number, end: number): tf.Tensor2D {
  return tf.tensor2d(x.data.subarray(start * x.c, end * x.c), [end - start, x.c]);
}

/** Targets of the batch: one-hot rows (multi-class) or label rows (multi-label), [rows, classes]. */
export function targetsTensor(targets: TaskTargets, classes: number, indices: ArrayLike<number>, start: number, end: number): tf.Tensor2D {
  const out = new Float32Array((end - start) * classes);
  for (let i = start; i < end; i++) {
    const r = indices[i]!;
    if (targets.task === "multiclass") out[(i - start) * classes + targets.y[r]!] = 1;
    else out.set(targets.y.data.subarray(r * classes, (r + 1) * classes), (i - start) * classes);
  }
  return tf.tensor2d(out, [end - start, classes]);
}

/**
 * Loss weights of the batch from class weights: per example [rows] (multi-class) or per
 * label entry [rows, classes] (multi-label: the weight on positives, 1 on negatives).
 */
export function weightsTensor(targets: TaskTargets, weights: Float32Array, indices: ArrayLike<number>, start: number, end: number): tf.Tensor {
  const classes = weights.length;
  if (targets.task === "multiclass") {
    const out = new Float32Array(end - start);
    for (let i = start; i < end; i++) out[i - start] = weights[targets.y[indices[i]!]!]!;
    return tf.tensor1d(out);
  }
  const out = new Float32Array((end - start) * classes);
  for (let i = start; i < end; i++) {
    const r = indices[i]!;
    for (let k = 0; k < classes; k++) out[(i - start) * classes + k] = targets.y.data[r * classes + k] ? weights[k]! : 1;
  }
  return tf.tensor2d(out, [end - start, classes]);
}
