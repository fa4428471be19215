import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { topK, topKUnlabelled } from "../../lib/al/samplers/top-k.ts";

const all = (n: number): Uint8Array => new Uint8Array(n).fill(1);

/** Reference: full sort, highest first, NaN as -Infinity, lowest index on ties. */
function bruteTopK(scores: number[], k: number, eligible: Uint8Array): number[] {
  const key = (i: number): number => (Number.isNaN(scores[i]) ? -Infinity : scores[i]!);
  return scores
    .map((_, i) => i)
    .filter((i) => eligible[i] === 1)
    .sort((a, b) => key(b) - key(a) || a - b)
    .slice(0, k);
}

describe("topK", () => {
  it("returns the highest scores first", () => {
    expect(Array.from(topK([0.1, 0.9, 0.5, 0.7], 3, all(4)))).toEqual([1, 3, 2]);
  });

  it("breaks ties by lowest index", () => {
    expect(Array.from(topK([1, 2, 2, 1, 2], 4, all(5)))).toEqual([1, 2, 4, 0]);
    expect(Array.from(topK([5, 5, 5, 5], 2, all(4)))).toEqual([0, 1]);
  });

  it("skips ineligible indices", () => {
    expect(Array.from(topK([9, 8, 7, 6], 2, Uint8Array.from([0, 1, 0, 1])))).toEqual([1, 3]);
    expect(Array.from(topKUnlabelled([9, 8, 7, 6], 2, Uint8Array.from([1, 0, 1, 0])))).toEqual([1, 3]);
  });

  it("treats NaN as -Infinity without crashing", () => {
    expect(Array.from(topK([NaN, 1, NaN, -Infinity, 0], 5, all(5)))).toEqual([1, 4, 0, 2, 3]);
  });

  it("returns fewer than k when fewer are eligible, and nothing for k = 0", () => {
    expect(Array.from(topK([1, 2, 3], 5, Uint8Array.from([1, 0, 1])))).toEqual([2, 0]);
    expect(topK([1, 2, 3], 0, all(3)).length).toBe(0);
    expect(topK([], 3, new Uint8Array(0)).length).toBe(0);
  });

  it("rejects a bad k or a mismatched mask", () => {
    expect(() => topK([1, 2], -1, all(2))).toThrow(/topK: k = -1/);
    expect(() => topK([1, 2], 1.5, all(2))).toThrow(/whole number/);
    expect(() => topK([1, 2], 1, all(3))).toThrow(/3 entries but there are 2 scores/);
  });

  it("matches a full sort on 300 random cases with ties, NaN and masks", () => {
    const r = createRandom(11, "top-k");
    for (let t = 0; t < 300; t++) {
      const n = r.int(80);
      const scores = Array.from({ length: n }, () => {
        const u = r.next();
        if (u < 0.05) return NaN;
        if (u < 0.1) return -Infinity;
        return r.int(10) / 10; // coarse values: many exact ties
      });
      const eligible = Uint8Array.from({ length: n }, () => (r.next() < 0.7 ? 1 : 0));
      const k = r.int(n + 3);
      expect(Array.from(topK(scores, k, eligible))).toEqual(bruteTopK(scores, k, eligible));
      expect(Array.from(topK(Float64Array.from(scores), k, eligible))).toEqual(bruteTopK(scores, k, eligible));
    }
  });
});
