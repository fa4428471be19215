/**
 * Logistic regression (pure TypeScript): multinomial softmax for multi-class, one sigmoid per
 * label for multi-label, L2-penalised (the bias is not), fitted by L-BFGS on standardised
 * features. Loss = Σ_i w_i·CE_i / Σ_i w_i + λ/2·‖W‖², w_i from class weights (default 1).
 * Deterministic; a fit continues from the current weights (keep-train warm-starts), reset()
 * zeroes them. Epochs do not apply: each fit runs to convergence or maxIterations.
 */
import { z } from "zod";
import type { Matrix } from "../al/matrix.ts";
import type { Random } from "../al/random.ts";
import { parseWith } from "../experiments/errors.ts";
import { checkClassWeights, classWeightsSchema, resolveClassWeights } from "./class-weights.ts";
import { minimizeLbfgs } from "./lbfgs.ts";
import type { Learner, LearnerFactory, LearnerShape, Targets } from "./learner.ts";
import { applyScaler, fitScaler, type Scaler } from "./standardize.ts";
import { checkFeatures, checkFinite, checkTargets, type TaskTargets } from "./targets.ts";

export const logisticOptionsSchema = z.strictObject({
  /** λ of the L2 penalty on the weights (per-example-averaged loss). */
  l2: z.number().min(0).default(1e-3),
  maxIterations: z.int().min(1).default(200),
  /** Converged when every gradient entry is at most this. */
  tolerance: z.number().gt(0).default(1e-5),
  standardize: z.boolean().default(true),
  classWeights: classWeightsSchema.optional(),
});
export type LogisticOptions = z.output<typeof logisticOptionsSchema>;

/** Loss and gradient over standardised rows; theta = [W (d×C, row-major), b (C)]. */
function objective(x: Matrix, targets: TaskTargets, classes: number, weights: Float32Array | undefined, l2: number) {
  const { n, c: d } = x;
  const z = new Float64Array(classes);
  const r = new Float64Array(classes);
  let totalWeight = 0;
  if (targets.task === "multiclass" && weights) for (const k of targets.y) totalWeight += weights[k]!;
  else totalWeight = n;
  return (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const bias = d * classes;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let k = 0; k < classes; k++) z[k] = theta[bias + k]!;
      for (let f = 0; f < d; f++) {
        const v = x.data[row + f]!;
        if (v === 0) continue;
        const w = f * classes;
        for (let k = 0; k < classes; k++) z[k]! += v * theta[w + k]!;
      }
      if (targets.task === "multiclass") {
        const y = targets.y[i]!;
        const wi = weights ? weights[y]! : 1;
        let max = -Infinity;
        for (let k = 0; k < classes; k++) max = Math.max(max, z[k]!);
        let sum = 0;
        for (let k = 0; k < classes; k++) sum += Math.exp(z[k]! - max);
        loss += wi * (max + Math.log(sum) - z[y]!);
        for (let k = 0; k < classes; k++) r[k] = wi * (Math.exp(z[k]! - max) / sum - (k === y ? 1 : 0));
      } else {
        for (let k = 0; k < classes; k++) {
          const y = targets.y.data[i * classes + k]!;
          const pw = y && weights ? weights[k]! : 1;
          const zk = z[k]!;
          // softplus(±z) computed stably; σ(z) from the same exponent.
          const e = Math.exp(-Math.abs(zk));
          const softplusPos = Math.max(zk, 0) + Math.log1p(e);
          const sigma = zk >= 0 ? 1 / (1 + e) : e / (1 + e);
          loss += y ? pw * (softplusPos - zk) : softplusPos;
          r[k] = y ? pw * (sigma - 1) : sigma;
        }
      }
      for (let k = 0; k < classes; k++) grad[bias + k]! += r[k]!;
      for (let f = 0; f < d; f++) {
        const v = x.data[row + f]!;
        if (v === 0) continue;
        const w = f * classes;
        for (let k = 0; k < classes; k++) grad[w + k]! += v * r[k]!;
      }
    }
    loss /= totalWeight;
    for (let j = 0; j < grad.length; j++) grad[j]! /= totalWeight;
    for (let j = 0; j < bias; j++) {
      loss += 0.5 * l2 * theta[j]! * theta[j]!;
      grad[j]! += l2 * theta[j]!;
    }
    return loss;
  };
}

function createLogistic(options: LogisticOptions, shape: LearnerShape): Learner {
  const name = "logistic";
  const classes = shape.classes;
  const multilabel = shape.task === "multilabel";
  checkClassWeights(name, options.classWeights, classes);
  let theta: Float64Array | undefined;
  let scaler: Scaler | undefined;
  let fitted = false;

  const prepare = (x: Matrix, what: string): Matrix => {
    if (!theta) throw new Error(`${name}: ${what}() before reset(seed)`);
    checkFeatures(name, shape, x);
    checkFinite(name, x);
    return scaler ? applyScaler(x, scaler) : x;
  };

  return {
    reset(): void {
      theta = new Float64Array((shape.inputSize + 1) * classes);
      scaler = undefined;
      fitted = false;
    },

    async fit(x: Matrix, y: Targets, _options: { epochs: number; random: Random }): Promise<void> {
      if (!theta) throw new Error(`${name}: fit() before reset(seed)`);
      const targets = checkTargets(name, shape, x, y);
      checkFinite(name, x);
      scaler = options.standardize ? fitScaler(x) : undefined;
      const xs = scaler ? applyScaler(x, scaler) : x;
      const weights = resolveClassWeights(options.classWeights, targets, classes);
      minimizeLbfgs(objective(xs, targets, classes, weights, options.l2), theta, { maxIterations: options.maxIterations, tolerance: options.tolerance });
      fitted = true;
    },

    async predictProba(x: Matrix): Promise<Matrix> {
      const xs = prepare(x, "predictProba");
      if (!fitted) throw new Error(`${name}: predictProba() before fit()`);
      const w = theta!;
      const d = xs.c;
      const bias = d * classes;
      const out = new Float32Array(xs.n * classes);
      const z = new Float64Array(classes);
      for (let i = 0; i < xs.n; i++) {
        for (let k = 0; k < classes; k++) z[k] = w[bias + k]!;
        for (let f = 0; f < d; f++) {
          const v = xs.data[i * d + f]!;
          if (v !== 0) for (let k = 0; k < classes; k++) z[k]! += v * w[f * classes + k]!;
        }
        if (multilabel) {
          for (let k = 0; k < classes; k++) out[i * classes + k] = 1 / (1 + Math.exp(-z[k]!));
        } else {
          let max = -Infinity;
          for (let k = 0; k < classes; k++) max = Math.max(max, z[k]!);
          let sum = 0;
          for (let k = 0; k < classes; k++) sum += Math.exp(z[k]! - max);
          for (let k = 0; k < classes; k++) out[i * classes + k] = Math.exp(z[k]! - max) / sum;
        }
      }
      return { data: out, n: xs.n, c: classes };
    },

    /** The input features (the model is linear in them). */
    async embed(x: Matrix): Promise<Matrix> {
      if (!theta) throw new Error(`${name}: embed() before reset(seed)`);
      checkFeatures(name, shape, x);
      return x;
    },

    dispose(): void {
      theta = undefined;
      scaler = undefined;
    },
  };
}

export const logistic: LearnerFactory<LogisticOptions> = {
  name: "logistic",
  description: "L2 logistic regression (multinomial, or one sigmoid per label), L-BFGS on standardised features",
  parseOptions: (options, path) => parseWith(logisticOptionsSchema, options ?? {}, path),
  create: createLogistic,
};
