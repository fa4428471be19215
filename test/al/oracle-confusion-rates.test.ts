/**
 * A confusion-matrix oracle gives the labels its matrix says: over a large pool, the share of
 * true-class-t points labelled g is within a binomial tolerance of confusion[t][g], for random
 * matrices (zeros and a dominant diagonal included) and on a real data set's pool.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { givenLabels, oracleProblem, poolAnswers } from "../../lib/al/oracle.ts";
import { createRandom, type Random } from "../../lib/al/random.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { sharedData } from "../learners/real-data.ts";

/** A random row-stochastic matrix: about a third of the off-diagonal entries 0, a heavier diagonal. */
function randomMatrix(classes: number, random: Random): number[][] {
  return Array.from({ length: classes }, (_, t) => {
    const weights = Array.from({ length: classes }, (_, g) => (g === t ? 2 + 3 * random.next() : random.next() < 1 / 3 ? 0 : random.next()));
    const sum = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / sum);
  });
}

/** counts[t][g]: points of true class t labelled g. */
function tally(given: Int32Array, truth: Int32Array, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) counts[truth[i]!]![given[i]!]!++;
  return counts;
}

/**
 * Every cell within 5 binomial sd (+1 for the discreteness) of n_t · p; a 0 entry is never given.
 * 5 sd: a chance failure per cell is below 1e-6, and the seeds are fixed.
 */
function expectRates(counts: number[][], matrix: number[][]): void {
  counts.forEach((row, t) => {
    const n = row.reduce((a, b) => a + b, 0);
    row.forEach((count, g) => {
      const p = matrix[t]![g]!;
      if (p === 0) expect(count, `class ${t} labelled ${g}`).toBe(0);
      else expect(Math.abs(count - n * p), `class ${t} labelled ${g}: ${count} of ${n}, p = ${p}`).toBeLessThanOrEqual(5 * Math.sqrt(n * p * (1 - p)) + 1);
    });
  });
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe("confusion oracle flip rates", () => {
  it("match random matrices of 2 to 7 classes over 20,000 points, for any seed", () => {
    const r = createRandom(17, "matrices");
    for (let trial = 0; trial < 24; trial++) {
      const classes = 2 + (trial % 6);
      const matrix = randomMatrix(classes, r);
      expect(oracleProblem({ confusion: matrix }, classes)).toBeUndefined();
      const y = Int32Array.from({ length: 20_000 }, () => r.int(classes));
      const given = givenLabels({ confusion: matrix }, 1000 + trial, range(y.length), y, classes);
      expectRates(tally(given, y, classes), matrix);
    }
  });

  it("match the matrix on a real pool (image segmentation, 7 classes, 1,800 points)", async () => {
    process.env.AL_DATA_DIR ??= sharedData;
    const ds: Dataset = await loadDataset({ name: "segment", pool: 1800, test: 400 });
    const classes = ds.classes.length;
    expect(classes).toBe(7);
    // Each class kept 70% of the time; 30% goes to the next class (cyclically) and the one after, 20/10.
    const matrix = Array.from({ length: classes }, (_, t) => Array.from({ length: classes }, (_, g) => (g === t ? 0.7 : g === (t + 1) % classes ? 0.2 : g === (t + 2) % classes ? 0.1 : 0)));
    const given = poolAnswers({ confusion: matrix }, 5, ds.pool, classes, ds.name);
    expectRates(tally(given, ds.pool.y, classes), matrix);
    // The overall noise is 30% (every row keeps 0.7), within 5 sd of 1,800 draws.
    const wrong = given.filter((g, i) => g !== ds.pool.y[i]).length / given.length;
    expect(Math.abs(wrong - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / given.length));
  });
});
