import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { balancedSample, splitIndices } from "../../lib/data/splits.ts";

const count = (labels: Int32Array, rows: Int32Array, c: number) => rows.filter((r) => labels[r] === c).length;

describe("splitIndices", () => {
  it("stratifies by hand-computed quotas (largest remainder, ties to the lower class)", () => {
    // Classes of 10, 7 and 3 rows, test 0.25: exact 2.5, 1.75, 0.75 → floors 2, 1, 0 (3 rows);
    // target round(20 · 0.25) = 5, 2 more: remainders 0.75 (class 1), 0.75 (class 2), 0.5 → classes 1 and 2.
    const labels = Int32Array.from([...Array(10).fill(0), ...Array(7).fill(1), ...Array(3).fill(2)]);
    const parts = splitIndices(20, { test: 0.25, random: createRandom(1), labels });
    expect([0, 1, 2].map((c) => count(labels, parts.test, c))).toEqual([2, 2, 1]);
    expect(parts.train.length + parts.test.length).toBe(20);
    expect(parts.validation).toHaveLength(0);
    expect(Array.from(parts.test)).toEqual([...parts.test].sort((a, b) => a - b));
  });

  it("keeps every class's proportion within one row and the totals exact (property test)", () => {
    const random = createRandom(11, "split-property");
    for (let trial = 0; trial < 60; trial++) {
      const n = 5 + random.int(400);
      const k = 1 + random.int(6);
      const labels = Int32Array.from({ length: n }, () => random.int(k));
      const test = 0.05 + 0.5 * random.next();
      const validation = random.next() < 0.5 ? 0 : 0.4 * random.next();
      const parts = splitIndices(n, { test, validation, random: createRandom(trial), labels });
      expect(parts.test.length).toBe(Math.round(n * test));
      const all = [...parts.train, ...parts.validation, ...parts.test].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
      for (let c = 0; c < k; c++) {
        const size = labels.filter((y) => y === c).length;
        expect(Math.abs(count(labels, parts.test, c) - size * test)).toBeLessThan(1 + 1e-9);
      }
    }
  });

  it("is a function of its random stream: same seed, same split; another seed, another split", () => {
    const labels = Int32Array.from({ length: 200 }, (_, i) => i % 4);
    const a = splitIndices(200, { test: 0.3, validation: 0.1, random: createRandom(4, "s"), labels });
    const b = splitIndices(200, { test: 0.3, validation: 0.1, random: createRandom(4, "s"), labels });
    const c = splitIndices(200, { test: 0.3, validation: 0.1, random: createRandom(5, "s"), labels });
    expect(b).toEqual(a);
    expect(c.test).not.toEqual(a.test);
    // 50 per class: test 15 each (60), validation 5 each (20).
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([120, 20, 60]);
    expect([0, 1, 2, 3].map((k) => count(labels, a.validation, k))).toEqual([5, 5, 5, 5]);
  });

  it("keeps groups on one side and splits unlabelled rows at random", () => {
    const groups = Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 4));
    const parts = splitIndices(100, { test: 0.2, random: createRandom(2), groups });
    // 25 groups of 4 → 5 groups (20 rows) held out, each whole.
    expect(parts.test).toHaveLength(20);
    const testGroups = new Set(Array.from(parts.test, (r) => groups[r]));
    expect(testGroups.size).toBe(5);
    for (const r of parts.train) expect(testGroups.has(groups[r]!)).toBe(false);
  });

  it("rejects fractions that leave no training rows", () => {
    expect(() => splitIndices(10, { test: 0.5, validation: 0.5, random: createRandom(1) })).toThrow("must be ≥ 0 and sum to less than 1");
    expect(() => splitIndices(10, { test: 0.2, random: createRandom(1), labels: new Int32Array(3) })).toThrow("split: 3 labels for 10 rows");
  });
});

describe("balancedSample", () => {
  it("draws the same number from every class among the allowed rows", () => {
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    const among = Int32Array.from({ length: 30 }, (_, i) => i * 2); // even rows: classes 0, 2, 1, 0, …
    const chosen = balancedSample(labels, 2, createRandom(8), among);
    expect(chosen).toHaveLength(6);
    expect([0, 1, 2].map((c) => count(labels, chosen, c))).toEqual([2, 2, 2]);
    for (const r of chosen) expect(r % 2).toBe(0);
    expect(balancedSample(labels, 2, createRandom(8), among)).toEqual(chosen);
    expect(() => balancedSample(labels, 30, createRandom(8), among)).toThrow("balancedSample: class 0 has 10 rows, fewer than the 30 asked for");
  });
});
