/**
 * Seeded train/validation split for early stopping. Multi-class splits are stratified (each
 * class sends round(fraction × its count) rows to validation but keeps at least one for
 * training), because AL training sets are small and a random split can drop a class from
 * training altogether. Multi-label sets are split at random.
 */
import { permutation, type Random } from "../al/random.ts";
import type { TaskTargets } from "./targets.ts";

export interface ValidationSplit {
  train: Int32Array;
  validation: Int32Array;
}

/** Splits rows 0..n-1; `validation` is empty when there are too few rows to hold any out. */
export function validationSplit(targets: TaskTargets, fraction: number, random: Random): ValidationSplit {
  const n = targets.task === "multiclass" ? targets.y.length : targets.y.n;
  const order = permutation(n, random);
  const held = new Uint8Array(n);
  if (targets.task === "multilabel") {
    const count = Math.min(n - 1, Math.round(fraction * n));
    for (let i = 0; i < count; i++) held[order[i]!] = 1;
  } else {
    // Visit rows in the seeded order; a class's first rows go to validation up to its quota.
    const counts = new Map<number, number>();
    for (const k of targets.y) counts.set(k, (counts.get(k) ?? 0) + 1);
    const quota = new Map<number, number>();
    for (const [k, c] of counts) quota.set(k, Math.min(c - 1, Math.round(fraction * c)));
    for (const i of order) {
      const k = targets.y[i]!;
      const left = quota.get(k)!;
      if (left > 0) {
        held[i] = 1;
        quota.set(k, left - 1);
      }
    }
  }
  const validation: number[] = [];
  const train: number[] = [];
  // Training rows keep the seeded order's randomness out of the split: sorted, the epoch
  // shuffles alone decide the batch order.
  for (let i = 0; i < n; i++) (held[i] ? validation : train).push(i);
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}
