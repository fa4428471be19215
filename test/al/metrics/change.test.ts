import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Matrix, takeRows } from "../../../lib/al/matrix.ts";
import { agreement } from "../../../lib/al/metrics/agreement.ts";
import { batchAccuracy } from "../../../lib/al/metrics/batch-accuracy.ts";
import { contradictionRatio } from "../../../lib/al/metrics/contradiction-ratio.ts";
import { explorationGain, explorationGainOfBatch } from "../../../lib/al/metrics/exploration-gain.ts";
import { nearestNeighbours } from "../../../lib/al/metrics/nearest-neighbour.ts";
import { noisyRatio } from "../../../lib/al/metrics/noisy-ratio.ts";
import { createRandom, permutation } from "../../../lib/al/random.ts";
import { readIdx } from "../../../lib/data/readers/idx.ts";

const m = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length });
const labels = (v: number[]): Int32Array => Int32Array.from(v);

describe("contradiction ratio", () => {
  it("by hand", () => {
    // changed at i1 and i3 of 5 → 0.4
    expect(contradictionRatio(labels([0, 1, 2, 2, 1]), labels([0, 2, 2, 1, 1]))).toBe(0.4);
    expect(contradictionRatio(labels([3, 3]), labels([3, 3]))).toBe(0);
    expect(() => contradictionRatio(labels([0]), labels([0, 1]))).toThrow(/previous has 1 predictions but current has 2/);
  });
});

describe("exploration gain", () => {
  it("by hand in 2-D", () => {
    // test points (0,0), (10,0), (10,4); labelled before {(1,0)}; after adds (10,1)
    // before: d = 1, 9, √(81 + 16) = √97; after: 1, 1, 3 → EG = 0 + 8 + (√97 − 3)
    const test = m([[0, 0], [10, 0], [10, 4]]);
    const before = m([[1, 0]]);
    const after = m([[1, 0], [10, 1]]);
    expect(explorationGain(test, before, after)).toBeCloseTo(8 + Math.sqrt(97) - 3, 6);
    // a batch on top of a labelled point explores nothing
    expect(explorationGain(test, before, m([[1, 0], [1, 0]]))).toBe(0);
  });

  it("the incremental form equals the definition round after round (seeded random points)", () => {
    const random = createRandom(2, "test", "eg");
    const rand = (n: number): Matrix => ({ data: Float32Array.from({ length: n * 5 }, () => random.normal()), n, c: 5 });
    const test = rand(40);
    const pool = rand(60);
    const distances = nearestNeighbours(test, takeRows(pool, [0, 1, 2])).distance;
    let labelled = [0, 1, 2];
    for (let round = 0; round < 5; round++) {
      const batch = [3 + 10 * round, 4 + 10 * round, 9 + 10 * round];
      const next = [...labelled, ...batch];
      const expected = explorationGain(test, takeRows(pool, labelled), takeRows(pool, next));
      expect(expected).toBeGreaterThan(0);
      expect(explorationGainOfBatch(test, takeRows(pool, batch), distances)).toBeCloseTo(expected, 9);
      labelled = next;
    }
    expect(Array.from(distances)).toEqual(Array.from(nearestNeighbours(test, takeRows(pool, labelled)).distance));
  });

  it("rejects an empty labelled set and mismatched spaces", () => {
    expect(() => explorationGain(m([[0, 0]]), { data: new Float32Array(0), n: 0, c: 2 }, m([[1, 1]]))).toThrow(
      /explorationGain: the reference set is empty/,
    );
    expect(() => explorationGain(m([[0, 0]]), m([[0, 0, 0]]), m([[1, 1]]))).toThrow(/reference has 3 columns but 2 were expected/);
  });
});

describe("nearest neighbours on real Fashion-MNIST images", () => {
  it("the early-abandoning search equals a plain brute force (index and distance)", async () => {
    // ../shared/data: the canonical test images; 200 probes against 300 references
    const images = await readIdx(join(import.meta.dirname, "../../../../shared/data/image/fashion-mnist/t10k-images-idx3-ubyte.gz"));
    const all: Matrix = { data: Float32Array.from(images.data.subarray(0, 500 * 784), (v) => v / 255), n: 500, c: 784 };
    const order = permutation(500, createRandom(1, "test", "nn"));
    const probes = takeRows(all, order.subarray(0, 200));
    const reference = takeRows(all, order.subarray(200));
    const got = nearestNeighbours(probes, reference);
    for (let i = 0; i < probes.n; i++) {
      let best = Infinity;
      let bestRow = -1;
      for (let j = 0; j < reference.n; j++) {
        let s = 0;
        for (let k = 0; k < 784; k++) s += (probes.data[i * 784 + k]! - reference.data[j * 784 + k]!) ** 2;
        if (s < best) {
          best = s;
          bestRow = j;
        }
      }
      expect(got.index[i]).toBe(bestRow);
      expect(got.distance[i]).toBeCloseTo(Math.sqrt(best), 9);
    }
  });
});

describe("agreement with 1-NN", () => {
  it("by hand", () => {
    // labelled: (0,0) class 0, (10,0) class 1; batch (1,0) → 1-NN class 0, (9,0) → 1, (6,0) → 1
    // model predicts 0, 0, 1 → agrees on points 0 and 2 → 2/3
    const labelled = { points: m([[0, 0], [10, 0]]), labels: labels([0, 1]) };
    expect(agreement(labels([0, 0, 1]), m([[1, 0], [9, 0], [6, 0]]), labelled)).toBeCloseTo(2 / 3, 14);
    // equidistant (5,0): the lower labelled row (class 0) wins
    expect(agreement(labels([0]), m([[5, 0]]), labelled)).toBe(1);
  });

  it("rejects mismatched inputs", () => {
    const labelled = { points: m([[0, 0]]), labels: labels([0, 1]) };
    expect(() => agreement(labels([0]), m([[1, 0]]), labelled)).toThrow(/labelled.points has 1 rows but labelled.labels has 2/);
    expect(() => agreement(labels([0, 1]), m([[1, 0]]), labelled)).toThrow(/batch has 1 rows but 2 were expected/);
  });
});

describe("batch accuracy and noisy ratio", () => {
  it("by hand", () => {
    // pool predictions vs truth: right at 0, 2, 3; batch {1, 2, 3} → 2/3
    const predicted = labels([1, 0, 2, 2, 0]);
    const truth = labels([1, 1, 2, 2, 1]);
    expect(batchAccuracy(predicted, truth, [1, 2, 3])).toBeCloseTo(2 / 3, 14);
    expect(() => batchAccuracy(predicted, truth, [7])).toThrow(/batch\[0\] = 7 is not an index into the 5 points/);
    expect(() => batchAccuracy(predicted, truth, [])).toThrow(/the batch is empty/);
    // noisy flags at 1 and 4; batch {0, 1, 4, 3} → 2/4
    expect(noisyRatio([0, 1, 4, 3], Uint8Array.from([0, 1, 0, 0, 1]))).toBe(0.5);
    expect(() => noisyRatio([], new Uint8Array(3))).toThrow(/the batch is empty/);
  });
});
