/**
 * Class weights: "balanced" or one positive number per class. Multi-class: each example's loss
 * is scaled by its class's weight ("balanced": n / (classes present × n_c), so every present
 * class carries the same total weight). Multi-label: the positive term of each label's binary
 * cross-entropy is scaled ("balanced": negatives / positives of that label, 1 when it has no positives or no negatives),
 * the usual fix for rare labels.
 */
import { z } from "zod";
import { labelCounts, type TaskTargets } from "./targets.ts";

export const classWeightsSchema = z.union([z.literal("balanced"), z.array(z.number().gt(0)).min(1)]);
export type ClassWeights = z.output<typeof classWeightsSchema>;

/** Throws when an explicit weight list does not match the class count (known at create()). */
export function checkClassWeights(learner: string, weights: ClassWeights | undefined, classes: number): void {
  if (Array.isArray(weights) && weights.length !== classes) {
    throw new RangeError(`${learner}: classWeights has ${weights.length} entries but the data has ${classes} classes; give one weight per class or "balanced"`);
  }
}

/** Per-class (multi-class) or per-label positive (multi-label) weights for these targets. */
export function resolveClassWeights(weights: ClassWeights | undefined, targets: TaskTargets, classes: number): Float32Array | undefined {
  if (weights === undefined) return undefined;
  if (Array.isArray(weights)) return Float32Array.from(weights);
  const counts = labelCounts(targets, classes);
  const n = targets.task === "multiclass" ? targets.y.length : targets.y.n;
  const out = new Float32Array(classes).fill(1);
  if (targets.task === "multiclass") {
    let present = 0;
    for (const c of counts) if (c > 0) present++;
    for (let k = 0; k < classes; k++) if (counts[k]! > 0) out[k] = n / (present * counts[k]!);
  } else {
    for (let k = 0; k < classes; k++) if (counts[k]! > 0 && counts[k]! < n) out[k] = (n - counts[k]!) / counts[k]!;
  }
  return out;
}
