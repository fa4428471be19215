/**
 * The training sets on which the random forest's accuracy is compared with scikit-learn's (the
 * learner bench and test/learners/forest-accuracy.test.ts build them here, so both see the same
 * rows): wdbc, letter, satellite, and 2-D and 40-D noisy blobs; a fixed test set per data set,
 * and training sets of the first `labels` rows of a seeded permutation of the rest (random, not
 * stratified).
 */
import type { Matrix } from "../../lib/al/matrix.ts";
import { createRandom, permutation } from "../../lib/al/random.ts";
import { defaultBlobsOptions, noisyBlobs } from "../../lib/data/synthetic/blobs.ts";
import { loadTabular } from "./real-data.ts";

export interface LabelledSet {
  x: Matrix;
  y: Int32Array;
}

export interface AccuracySplit {
  train: LabelledSet;
  test: LabelledSet;
  classes: number;
}

export const accuracySets = ["wdbc", "letter", "satellite", "blobs-2d", "blobs-40d"] as const;
export type AccuracySet = (typeof accuracySets)[number];

function rows(set: LabelledSet, indices: Int32Array): LabelledSet {
  const d = set.x.c;
  const x = new Float32Array(indices.length * d);
  const y = new Int32Array(indices.length);
  indices.forEach((r, i) => {
    x.set(set.x.data.subarray(r * d, (r + 1) * d), i * d);
    y[i] = set.y[r]!;
  });
  return { x: { data: x, n: indices.length, c: d }, y };
}

const cache = new Map<AccuracySet, { pool: LabelledSet; test: LabelledSet }>();

/** The full training pool and the fixed test set of `set`. */
function pool(set: AccuracySet): { pool: LabelledSet; test: LabelledSet } {
  let found = cache.get(set);
  if (found) return found;
  if (set === "blobs-2d" || set === "blobs-40d") {
    // 2-D or 40-D, 10 classes, 20 clean blobs and 5 noisy pairs of 100 points: 3,000 rows, 1,000 for testing.
    const blobs = noisyBlobs({ ...defaultBlobsOptions, dimension: set === "blobs-2d" ? 2 : 40, perBlob: 100, seed: 0 });
    const order = permutation(blobs.x.n, createRandom(1, "forest-accuracy", "blobs"));
    const all = { x: blobs.x, y: blobs.y };
    found = { test: rows(all, order.slice(0, 1000)), pool: rows(all, order.slice(1000)) };
  } else {
    // 30% of the rows for testing (wdbc 171, letter 6,000, satellite 1,931).
    const split = loadTabular(`${set}.csv`, 0.3, 1);
    found = { test: split.test, pool: split.train };
  }
  cache.set(set, found);
  return found;
}

/** `labels` training rows (all of the pool when it is smaller: wdbc has 398) and the test set. */
export function accuracySplit(set: AccuracySet, labels: number): AccuracySplit {
  const { pool: all, test } = pool(set);
  const order = permutation(all.x.n, createRandom(labels, "forest-accuracy", set));
  const train = rows(all, order.slice(0, Math.min(labels, all.x.n)));
  return { train, test, classes: Math.max(...all.y, ...test.y) + 1 };
}
