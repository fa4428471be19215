/**
 * Checks a learner's inputs against its shape before any work is done, so a misaligned call
 * fails with one line naming the learner and the mismatch instead of a tensor-shape error deep
 * inside training.
 */
import type { Matrix } from "../al/matrix.ts";
import type { LearnerShape, Targets } from "./learner.ts";

/** Targets tagged with their task: class indices, or an N×L 0/1 label matrix. */
export type TaskTargets = { task: "multiclass"; y: Int32Array } | { task: "multilabel"; y: Matrix };

/** Throws unless `x` has the learner's feature count. */
export function checkFeatures(learner: string, shape: LearnerShape, x: Matrix): void {
  if (x.c !== shape.inputSize) {
    throw new RangeError(`${learner}: expected ${shape.inputSize} features per row, got ${x.c}; build the learner with the data's shape`);
  }
}

/** Throws on the first NaN or infinite feature (the classical learners cannot skip them). */
export function checkFinite(learner: string, x: Matrix): void {
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i]!)) {
      throw new RangeError(`${learner}: feature ${i % x.c} of row ${Math.floor(i / x.c)} is ${x.data[i]}; impute or drop missing values first`);
    }
  }
}

/** Validates (x, y) for `shape.task` and returns the targets tagged with the task. */
export function checkTargets(learner: string, shape: LearnerShape, x: Matrix, y: Targets): TaskTargets {
  checkFeatures(learner, shape, x);
  if (x.n === 0) throw new RangeError(`${learner}: fit() needs at least one labelled row`);
  if ((shape.task ?? "multiclass") === "multiclass") {
    if (!(y instanceof Int32Array)) {
      throw new TypeError(`${learner}: a multi-class learner needs class indices (Int32Array), got a ${y.n}×${y.c} label matrix; build it with task "multilabel"`);
    }
    if (y.length !== x.n) throw new RangeError(`${learner}: ${y.length} labels for ${x.n} rows; pass one label per row`);
    for (let i = 0; i < y.length; i++) {
      const k = y[i]!;
      if (!(k >= 0 && k < shape.classes)) throw new RangeError(`${learner}: label ${k} at row ${i} is outside 0..${shape.classes - 1}`);
    }
    return { task: "multiclass", y };
  }
  if (y instanceof Int32Array) {
    throw new TypeError(`${learner}: a multi-label learner needs an N×${shape.classes} 0/1 label matrix, got class indices`);
  }
  if (y.n !== x.n || y.c !== shape.classes) {
    throw new RangeError(`${learner}: label matrix is ${y.n}×${y.c}, expected ${x.n}×${shape.classes} (one row per example, one column per label)`);
  }
  for (let i = 0; i < y.data.length; i++) {
    const v = y.data[i]!;
    if (v !== 0 && v !== 1) throw new RangeError(`${learner}: label matrix value ${v} at row ${Math.floor(i / y.c)}, column ${i % y.c} is not 0 or 1`);
  }
  return { task: "multilabel", y };
}

/** Positive-label counts per class/label (multi-class: class frequencies). */
export function labelCounts(targets: TaskTargets, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  if (targets.task === "multiclass") for (const k of targets.y) counts[k]!++;
  else for (let i = 0; i < targets.y.data.length; i++) counts[i % classes]! += targets.y.data[i]!;
  return counts;
}
