/**
 * A nearest-class-mean learner in plain JS for the loop's tests: fast, deterministic, no tfjs.
 * Probabilities are exp(−d²/10) over the class means, normalised. Tests add their own
 * predictSamples (and call records) on top.
 */
import type { Matrix } from "../../lib/al/matrix.ts";
import type { Learner } from "../../lib/learners/learner.ts";

export type CentroidCore = Pick<Learner, "fit" | "predictProba"> & { clear(): void };

export function centroidCore(classes: number): CentroidCore {
  let means: Float64Array | undefined;
  return {
    clear: () => {
      means = undefined;
    },
    async fit(x, targets) {
      const y = targets as Int32Array;
      means = new Float64Array(classes * x.c);
      const counts = new Float64Array(classes);
      for (let i = 0; i < x.n; i++) {
        counts[y[i]!]!++;
        for (let j = 0; j < x.c; j++) means[y[i]! * x.c + j]! += x.data[i * x.c + j]!;
      }
      for (let c = 0; c < classes; c++) for (let j = 0; j < x.c; j++) means[c * x.c + j]! /= Math.max(1, counts[c]!);
    },
    async predictProba(x): Promise<Matrix> {
      const out = new Float32Array(x.n * classes);
      for (let i = 0; i < x.n; i++) {
        let total = 0;
        for (let c = 0; c < classes; c++) {
          let d = 0;
          for (let j = 0; j < x.c; j++) d += (x.data[i * x.c + j]! - means![c * x.c + j]!) ** 2;
          out[i * classes + c] = Math.exp(-d / 10);
          total += out[i * classes + c]!;
        }
        for (let c = 0; c < classes; c++) out[i * classes + c]! /= total || 1;
      }
      return { data: out, n: x.n, c: classes };
    },
  };
}
