/**
 * k-nearest neighbours (pure TypeScript): Euclidean or cosine distance on (optionally)
 * standardised features; probabilities are the neighbours' votes (class shares, or each
 * label's positive share), uniform or weighted by 1/distance (exact matches then decide alone).
 * Ties in distance go to the lower training index, so predictions are deterministic. With fewer
 * training rows than k, all of them vote.
 */
import { z } from "zod";
import type { Matrix } from "../al/matrix.ts";
import type { Random } from "../al/random.ts";
import { parseWith } from "../experiments/errors.ts";
import type { Learner, LearnerFactory, LearnerShape, Targets } from "./learner.ts";
import { applyScaler, fitScaler, type Scaler } from "./standardize.ts";
import { checkFeatures, checkFinite, checkTargets, type TaskTargets } from "./targets.ts";

export const knnOptionsSchema = z.strictObject({
  k: z.int().min(1).default(5),
  weights: z.enum(["uniform", "distance"]).default("uniform"),
  metric: z.enum(["euclidean", "cosine"]).default("euclidean"),
  standardize: z.boolean().default(true),
});
export type KnnOptions = z.output<typeof knnOptionsSchema>;

interface Memory {
  x: Matrix;
  /** Row norms (cosine). */
  norms: Float64Array;
  targets: TaskTargets;
  scaler?: Scaler;
}

function rowNorms(x: Matrix): Float64Array {
  const out = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) {
    let s = 0;
    for (let f = 0; f < x.c; f++) s += x.data[i * x.c + f]! ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** Squared Euclidean distances from query row `row` of `q` to every training row. */
function squaredDistances(q: Float32Array, row: number, t: Float32Array, n: number, d: number, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let f = 0, o = j * d; f < d; f++) {
      const diff = q[row + f]! - t[o + f]!;
      s += diff * diff;
    }
    out[j] = s;
  }
}

/** 1 − cosine similarity (1 when either vector is zero). */
function cosineDistances(q: Float32Array, row: number, qNorm: number, t: Float32Array, norms: Float64Array, d: number, out: Float64Array): void {
  for (let j = 0; j < norms.length; j++) {
    let s = 0;
    for (let f = 0, o = j * d; f < d; f++) s += q[row + f]! * t[o + f]!;
    const denom = qNorm * norms[j]!;
    out[j] = denom > 0 ? 1 - s / denom : 1;
  }
}

function createKnn(options: KnnOptions, shape: LearnerShape): Learner {
  const name = "knn";
  const classes = shape.classes;
  let ready = false;
  let memory: Memory | undefined;

  return {
    reset(): void {
      ready = true;
      memory = undefined;
    },

    async fit(x: Matrix, y: Targets, _options: { epochs: number; random: Random }): Promise<void> {
      if (!ready) throw new Error(`${name}: fit() before reset(seed)`);
      const targets = checkTargets(name, shape, x, y);
      checkFinite(name, x);
      // Copies: the caller may reuse its arrays; a later fit replaces the memory (kNN has no weights to keep).
      const scaler = options.standardize ? fitScaler(x) : undefined;
      const stored = scaler ? applyScaler(x, scaler) : { data: x.data.slice(), n: x.n, c: x.c };
      const kept: TaskTargets = targets.task === "multiclass" ? { task: "multiclass", y: targets.y.slice() } : { task: "multilabel", y: { ...targets.y, data: targets.y.data.slice() } };
      memory = { x: stored, norms: rowNorms(stored), targets: kept, ...(scaler ? { scaler } : {}) };
    },

    async predictProba(x: Matrix): Promise<Matrix> {
      if (!ready) throw new Error(`${name}: predictProba() before reset(seed)`);
      if (!memory) throw new Error(`${name}: predictProba() before fit()`);
      checkFeatures(name, shape, x);
      checkFinite(name, x);
      const { x: train, norms, targets } = memory;
      const q = memory.scaler ? applyScaler(x, memory.scaler) : x;
      const k = Math.min(options.k, train.n);
      const d = train.c;
      const bestD = new Float64Array(k);
      const bestI = new Int32Array(k);
      const out = new Float32Array(x.n * classes);
      const votes = new Float64Array(classes);
      const dist = new Float64Array(train.n);
      for (let i = 0; i < q.n; i++) {
        const row = i * d;
        let qNorm = 0;
        if (options.metric === "cosine") {
          for (let f = 0; f < d; f++) qNorm += q.data[row + f]! ** 2;
          qNorm = Math.sqrt(qNorm);
        }
        if (options.metric === "euclidean") squaredDistances(q.data, row, train.data, train.n, d, dist);
        else cosineDistances(q.data, row, qNorm, train.data, norms, d, dist);
        // Insertion into the sorted best-k list; strict < keeps the lower index on ties.
        let found = 0;
        for (let j = 0; j < train.n; j++) {
          const v = dist[j]!;
          if (found === k && v >= bestD[k - 1]!) continue;
          let p = found < k ? found++ : k - 1;
          while (p > 0 && bestD[p - 1]! > v) {
            bestD[p] = bestD[p - 1]!;
            bestI[p] = bestI[p - 1]!;
            p--;
          }
          bestD[p] = v;
          bestI[p] = j;
        }
        votes.fill(0);
        let total = 0;
        const exact = options.weights === "distance" && bestD[0]! <= 0;
        for (let p = 0; p < k; p++) {
          const dist = options.metric === "euclidean" ? Math.sqrt(bestD[p]!) : bestD[p]!;
          const w = options.weights === "uniform" ? 1 : exact ? (dist <= 0 ? 1 : 0) : 1 / dist;
          if (w === 0) continue;
          total += w;
          const j = bestI[p]!;
          if (targets.task === "multiclass") votes[targets.y[j]!]! += w;
          else for (let c = 0; c < classes; c++) votes[c]! += w * targets.y.data[j * classes + c]!;
        }
        for (let c = 0; c < classes; c++) out[i * classes + c] = votes[c]! / total;
      }
      return { data: out, n: x.n, c: classes };
    },

    /** The input features (kNN's representation is the data itself). */
    async embed(x: Matrix): Promise<Matrix> {
      if (!ready) throw new Error(`${name}: embed() before reset(seed)`);
      checkFeatures(name, shape, x);
      return x;
    },

    dispose(): void {
      memory = undefined;
      ready = false;
    },
  };
}

export const knn: LearnerFactory<KnnOptions> = {
  name: "knn",
  description: "k-nearest neighbours (Euclidean or cosine), probabilities from neighbour votes",
  parseOptions: (options, path) => parseWith(knnOptionsSchema, options ?? {}, path),
  create: createKnn,
};
