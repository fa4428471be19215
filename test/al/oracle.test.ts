/** The simulated annotator (lib/al/oracle.ts) and label costs (lib/al/cost.ts). */
import { describe, expect, it } from "vitest";
import { affordablePrefix, costOf, pointCosts } from "../../lib/al/cost.ts";
import { labelEntryNoise, labelNoise, labelSetNoise } from "../../lib/al/metrics/label-noise.ts";
import { givenLabel, givenLabelSet, givenLabels, oracleProblem, poolAnswerSets } from "../../lib/al/oracle.ts";
import { createRandom } from "../../lib/al/random.ts";
import type { Split } from "../../lib/data/dataset.ts";

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe("noise oracle", () => {
  it("flips about `noise` of the labels, always to another class, uniformly over the others", () => {
    const n = 30_000;
    const classes = 4;
    const r = createRandom(5, "truth");
    const y = Int32Array.from({ length: n }, () => r.int(classes));
    for (const noise of [0.05, 0.2, 0.5]) {
      const given = givenLabels({ noise }, 11, range(n), y, classes);
      const share = labelNoise(given, y);
      // Binomial sd at n = 30,000 is at most 0.0029; 4 sd either side.
      expect(Math.abs(share - noise)).toBeLessThan(0.012);
      // Each wrong label is one of the 3 other classes, each about a third of the flips of its class.
      const flips = new Map<string, number>();
      let wrong = 0;
      let outside = 0;
      for (let i = 0; i < n; i++) {
        if (!(given[i]! >= 0 && given[i]! < classes)) outside++;
        if (given[i] !== y[i]) {
          wrong++;
          const key = `${y[i]}>${given[i]}`;
          flips.set(key, (flips.get(key) ?? 0) + 1);
        }
      }
      expect(outside).toBe(0);
      expect(flips.size).toBe(classes * (classes - 1));
      for (const count of flips.values()) expect(Math.abs(count / wrong - 1 / 12)).toBeLessThan(0.02);
    }
  });

  it("answers each point from (seed, index) alone: any order, any subset, same labels", () => {
    const y = Int32Array.from({ length: 500 }, (_, i) => i % 3);
    const all = givenLabels({ noise: 0.3 }, 7, range(500), y, 3);
    const r = createRandom(1, "order");
    const picked = Int32Array.from({ length: 50 }, () => r.int(500));
    const some = givenLabels({ noise: 0.3 }, 7, picked, y, 3);
    picked.forEach((p, i) => expect(some[i]).toBe(all[p]));
    // Another seed is another annotator.
    expect(givenLabels({ noise: 0.3 }, 8, range(500), y, 3)).not.toEqual(all);
    // Noise 0 is a perfect annotator.
    expect(givenLabels({ noise: 0 }, 7, range(500), y, 3)).toEqual(y);
  });

  it("with two classes, a flip is always the other class", () => {
    for (let i = 0; i < 200; i++) {
      const g = givenLabel({ noise: 0.99 }, 3, i, 1, 2);
      expect(g === 0 || g === 1).toBe(true);
    }
    const y = new Int32Array(1000).fill(1);
    expect(labelNoise(givenLabels({ noise: 0.99 }, 3, range(1000), y, 2), y)).toBeGreaterThan(0.97);
  });
});

describe("confusion oracle", () => {
  it("follows the matrix rows: identity keeps, a permutation swaps, a split row splits", () => {
    const y = Int32Array.from({ length: 4000 }, (_, i) => i % 2);
    expect(givenLabels({ confusion: [[1, 0], [0, 1]] }, 1, range(4000), y, 2)).toEqual(y);
    expect(givenLabels({ confusion: [[0, 1], [1, 0]] }, 1, range(4000), y, 2)).toEqual(Int32Array.from(y, (v) => 1 - v));
    // Class 0 is labelled 1 a quarter of the time; class 1 is always right.
    const given = givenLabels({ confusion: [[0.75, 0.25], [0, 1]] }, 2, range(4000), y, 2);
    let zeroWrong = 0;
    for (let i = 0; i < 4000; i++) {
      if (y[i] === 1) expect(given[i]).toBe(1);
      else if (given[i] === 1) zeroWrong++;
    }
    // 2,000 class-0 points: sd of the share is 0.0097.
    expect(Math.abs(zeroWrong / 2000 - 0.25)).toBeLessThan(0.04);
  });

  it("names the field and the fix when a matrix does not fit the data", () => {
    expect(oracleProblem({ confusion: [[1, 0], [0, 1]] }, 3)).toBe("oracle.confusion: expected 3 rows (one per class of the data set), got 2");
    expect(oracleProblem({ confusion: [[1, 0, 0], [0, 1], [0, 0, 1]] }, 3)).toBe("oracle.confusion[1]: expected 3 entries (a square matrix), got 2");
    expect(oracleProblem({ confusion: [[0.5, 0.4], [0, 1]] }, 2)).toBe("oracle.confusion[0]: the row sums to 0.9, expected 1 (each row is a distribution over given labels)");
    expect(oracleProblem({ confusion: [[1.5, -0.5], [0, 1]] }, 2)).toBe("oracle.confusion[0][0]: expected a probability in [0, 1], got 1.5");
    expect(oracleProblem({ noise: 1 }, 2)).toBe("oracle.noise: expected a share in [0, 1), got 1");
    expect(oracleProblem({ confusion: [[0.3333333333, 0.6666666667], [0, 1]] }, 2)).toBeUndefined();
  });
});

describe("multi-label oracle", () => {
  // 3 labels per point; truth rows cycle through {0}, {0, 2}, {1}, {}.
  const truthRows = [[1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]];
  const n = 40_000;
  const c = 3;
  const truth = Float32Array.from({ length: n * c }, (_, j) => truthRows[Math.floor(j / c) % 4]![j % c]!);
  const y = Int32Array.from({ length: n }, (_, i) => [0, 0, 1, 0][i % 4]!);
  const pool = { y, labelSets: { data: truth, n, c } };

  it("flips each label's answer with chance `noise`, independently of the point's other labels", () => {
    const { sets } = poolAnswerSets({ noise: 0.2 }, 4, pool, "t");
    const share = labelEntryNoise(sets.data, truth, c);
    expect(Math.abs(share - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / (n * c)));
    // Both flips of label 0 and of label 2 at once: 0.2² of the points, not 0.2 (independent draws).
    let both = 0;
    for (let i = 0; i < n; i++) if (sets.data[i * c] !== truth[i * c] && sets.data[i * c + 2] !== truth[i * c + 2]) both++;
    expect(Math.abs(both / n - 0.04)).toBeLessThan(5 * Math.sqrt((0.04 * 0.96) / n));
    // A point's set is wrong when any of its 3 answers is: 1 − 0.8³.
    expect(Math.abs(labelSetNoise(sets.data, truth, c) - (1 - 0.8 ** 3))).toBeLessThan(0.01);
  });

  it("draws absent and present labels from the 2×2 matrix's rows", () => {
    const { sets } = poolAnswerSets({ confusion: [[0.9, 0.1], [0.25, 0.75]] }, 9, pool, "t");
    let present = 0, kept = 0, absent = 0, added = 0;
    for (let j = 0; j < truth.length; j++) {
      if (truth[j] === 1) {
        present++;
        kept += sets.data[j]!;
      } else {
        absent++;
        added += sets.data[j]!;
      }
    }
    expect(Math.abs(kept / present - 0.75)).toBeLessThan(5 * Math.sqrt((0.75 * 0.25) / present));
    expect(Math.abs(added / absent - 0.1)).toBeLessThan(5 * Math.sqrt((0.1 * 0.9) / absent));
  });

  it("answers a point the same way whatever else is asked, and from its own seed stream", () => {
    const all = poolAnswerSets({ noise: 0.3 }, 7, pool, "t").sets.data;
    const one = new Float32Array(c);
    for (const i of [0, 5, 123, n - 1]) {
      givenLabelSet({ noise: 0.3 }, 7, i, truth.subarray(i * c, (i + 1) * c), one);
      expect([...one]).toEqual([...all.subarray(i * c, (i + 1) * c)]);
    }
    expect([...poolAnswerSets({ noise: 0.3 }, 8, pool, "t").sets.data]).not.toEqual([...all]);
    // No noise: the true sets, bit for bit.
    expect([...poolAnswerSets({ noise: 0 }, 7, pool, "t").sets.data]).toEqual([...truth]);
  });

  it("keeps the true primary label while it is given, else the lowest given label, else -1", () => {
    const { sets, primary } = poolAnswerSets({ noise: 0.4 }, 3, pool, "t");
    for (let i = 0; i < 2000; i++) {
      const row = [...sets.data.subarray(i * c, (i + 1) * c)];
      const expected = row[y[i]!] === 1 ? y[i]! : row.indexOf(1);
      expect(primary[i]).toBe(expected);
    }
    expect([...primary].includes(-1)).toBe(true);
  });

  it("checks a multi-label confusion matrix is 2×2, whatever the label count", () => {
    expect(oracleProblem({ confusion: [[0.9, 0.1], [0.2, 0.8]] }, 14, "multilabel")).toBeUndefined();
    expect(oracleProblem({ confusion: [[0.9, 0.1, 0], [0.2, 0.8, 0], [0, 0, 1]] }, 3, "multilabel")).toMatch(/^oracle\.confusion: on multi-label data expected one 2×2 matrix/);
    expect(oracleProblem({ noise: 0.1 }, 1, "multilabel")).toBeUndefined();
  });

  it("counts wrong sets and wrong answers by hand", () => {
    // Points: {0} given {0}; {0, 2} given {0}; {1} given {0, 2}.
    const given = [1, 0, 0, 1, 0, 0, 1, 0, 1];
    const truthSets = [1, 0, 0, 1, 0, 1, 0, 1, 0];
    expect(labelSetNoise(given, truthSets, 3)).toBeCloseTo(2 / 3, 12);
    expect(labelEntryNoise(given, truthSets, 3)).toBeCloseTo(4 / 9, 12);
    expect([labelSetNoise([], [], 3), labelEntryNoise([], [], 3)]).toEqual([0, 0]);
    expect(() => labelSetNoise([1, 0], [1, 0], 3)).toThrow("labelSetNoise: 2 entries are not whole sets of 3 labels");
  });
});

describe("label costs", () => {
  const split = (texts?: string[]): Split => ({ x: { data: new Float32Array(3), n: 3, c: 1 }, y: new Int32Array(3), ...(texts ? { texts } : {}) });

  it("are a constant or base + perCharacter × text length", () => {
    expect([...pointCosts(2.5, split(), "s")]).toEqual([2.5, 2.5, 2.5]);
    expect([...pointCosts({ perCharacter: 0.5, base: 1 }, split(["ab", "", "abcd"]), "s")]).toEqual([2, 1, 3]);
    expect(costOf(pointCosts({ perCharacter: 0.5, base: 1 }, split(["ab", "", "abcd"]), "s"), [0, 2])).toBe(5);
  });

  it("refuse data without text and points that would cost nothing, in one line", () => {
    expect(() => pointCosts({ perCharacter: 1 }, split(), "wdbc")).toThrow('cost.perCharacter: data set "wdbc" keeps no raw text; give a constant cost (cost: 1) or use a text set');
    expect(() => pointCosts({ perCharacter: 1 }, split(["a", "", "b"]), "t")).toThrow('cost: pool point 1 of "t" has an empty text and costs 0; give cost.base > 0');
    expect(() => pointCosts(0, split(), "t")).toThrow("cost: expected a number > 0, got 0");
  });

  it("cut a batch to its longest affordable prefix in rank order", () => {
    const costs = Float64Array.from([1, 5, 2, 0.1]);
    // Ranked 2, 0, 1, 3: 2 + 1 = 3 fits in 4, the next (5) does not, and nothing after it is taken.
    expect([...affordablePrefix(costs, Int32Array.from([2, 0, 1, 3]), 4)]).toEqual([2, 0]);
    expect([...affordablePrefix(costs, Int32Array.from([2, 0, 1, 3]), 100)]).toEqual([2, 0, 1, 3]);
    expect([...affordablePrefix(costs, Int32Array.from([1]), 4.9)]).toEqual([]);
    // Ten points at 0.1 fit exactly in 1 despite float sums (0.1 × 10 = 0.9999999999999999).
    expect(affordablePrefix(new Float64Array(10).fill(0.1), range(10), 1).length).toBe(10);
  });
});
