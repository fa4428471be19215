import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { informationDensity, meanCosineToPool } from "../../../lib/al/samplers/information-density.ts";
import { contextFor, matrixOf, randomEmbeddings } from "./diversity-fixtures.ts";

describe("information-density", () => {
  // x0 = x1 = (1, 0), x2 = (0, 1): mean unit vector (2/3, 1/3) → similarity 2/3, 2/3, 1/3.
  const embeddings = matrixOf([[1, 0], [1, 0], [0, 1]]);
  // Entropies: ln 2 = 0.693147, 0.9·0.105361 + 0.1·2.302585 = 0.325083, ln 3 = 1.098612.
  const probs = matrixOf([[0.5, 0.5, 0], [0.9, 0.1, 0], [1 / 3, 1 / 3, 1 / 3]]);
  const labelled = new Uint8Array(3);
  const order = (beta: number): number[] =>
    Array.from(informationDensity.select({ probs, embeddings, labelled }, 3, informationDensity.parseOptions({ beta }, "o"), contextFor(1)));

  it("multiplies uncertainty by the mean similarity to the pool, to the power β", () => {
    // β = 1: 0.693147·2/3 = 0.462098, 0.325083·2/3 = 0.216722, 1.098612/3 = 0.366204.
    const s = informationDensity.score!({ probs, embeddings, labelled }, informationDensity.parseOptions(undefined, "o"));
    [0.462098, 0.216722, 0.366204].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 5));
    expect(order(1)).toEqual([0, 2, 1]);
    // β = 0: plain entropy → 2, 0, 1. β = 2: 0.308065, 0.144481, 0.122068 → 0, 1, 2.
    expect(order(0)).toEqual([2, 0, 1]);
    expect(order(2)).toEqual([0, 1, 2]);
  });

  it("averages over the unlabelled points only; other uncertainties by option", () => {
    // x0 labelled: mean unit vector of x1, x2 = (1/2, 1/2) → similarity 1/2 for everyone.
    expect(Array.from(meanCosineToPool(embeddings, Uint8Array.of(1, 0, 0)))).toEqual([0.5, 0.5, 0.5]);
    // margin: 1 − (p1 − p2) = 1, 0.2, 1 → × 2/3, 2/3, 1/3 = 0.667, 0.133, 0.333.
    const s = informationDensity.score!({ probs, embeddings, labelled }, informationDensity.parseOptions({ uncertainty: "margin" }, "o"));
    [2 / 3, 0.2 * (2 / 3), 1 / 3].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
    expect(() => informationDensity.parseOptions({ uncertainty: "bald" }, "samplers[0].options")).toThrow(/samplers\[0\]\.options\.uncertainty/);
  });

  it("the O(N·d) mean similarity equals the mean of all pairwise cosines (zero rows count as 0)", () => {
    const r = createRandom(4, "cos");
    for (let t = 0; t < 10; t++) {
      const n = 1 + r.int(40);
      const d = 1 + r.int(6);
      const e = randomEmbeddings(t, n, d);
      const mask = Uint8Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
      const fast = meanCosineToPool(e, mask);
      const norm = (i: number) => Math.hypot(...e.data.subarray(i * d, (i + 1) * d));
      for (let i = 0; i < n; i++) {
        let sum = 0;
        let count = 0;
        for (let j = 0; j < n; j++) {
          if (mask[j] === 1) continue;
          count++;
          let dot = 0;
          for (let q = 0; q < d; q++) dot += e.data[i * d + q]! * e.data[j * d + q]!;
          if (norm(i) > 0 && norm(j) > 0) sum += dot / (norm(i) * norm(j));
        }
        expect(fast[i]).toBeCloseTo(count === 0 ? 0 : Math.max(0, sum / count), 6);
      }
    }
  });
});
