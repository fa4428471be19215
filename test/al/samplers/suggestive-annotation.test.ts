import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { bootstrapResample } from "../../../lib/al/providers.ts";
import { createRandom } from "../../../lib/al/random.ts";
import type { Samples } from "../../../lib/al/samplers/sampler.ts";
import { ensembleVarianceScores, facilityLocationGreedy, suggestiveAnnotation } from "../../../lib/al/samplers/suggestive-annotation.ts";

const ctx = () => ({ random: createRandom(1, "select") });
const matrixOf = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length });
const samplesOf = (points: number[][][]): Samples => ({ data: Float32Array.from(points.flat(2)), n: points.length, t: points[0]!.length, c: points[0]![0]!.length });

/** Plain greedy facility location, straight from the definition (the lazy version must agree). */
function plainGreedy(x: Matrix, candidates: number[], universe: number[], k: number): number[] {
  const cos = (a: number, b: number): number => {
    let s = 0, na = 0, nb = 0;
    for (let j = 0; j < x.c; j++) {
      s += x.data[a * x.c + j]! * x.data[b * x.c + j]!;
      na += x.data[a * x.c + j]! ** 2;
      nb += x.data[b * x.c + j]! ** 2;
    }
    return na === 0 || nb === 0 ? 0 : Math.fround(s / Math.sqrt(na) / Math.sqrt(nb));
  };
  const cover = universe.map(() => 0);
  const picks: number[] = [];
  const left = [...candidates];
  while (picks.length < k && left.length > 0) {
    let best = 0, bestGain = -1;
    left.forEach((a, i) => {
      const g = universe.reduce((sum, u, b) => sum + Math.max(0, cos(a, u) - cover[b]!), 0);
      if (g > bestGain + 1e-9) [best, bestGain] = [i, g];
    });
    const a = left.splice(best, 1)[0]!;
    picks.push(a);
    universe.forEach((u, b) => (cover[b] = Math.max(cover[b]!, cos(a, u))));
  }
  return picks;
}

describe("suggestive annotation", () => {
  it("uncertainty: the members' variance, averaged over classes (hand-computed)", () => {
    // Point 0: class 0 over passes 0.9, 0.5 → mean 0.7, variance 0.04; class 1 mirrors it → 0.04.
    // Point 1: every pass equal → 0. Point 2 (3 classes, 2 passes): [1,0,0] and [0,1,0] → variances 0.25, 0.25, 0 → 1/6.
    const s = ensembleVarianceScores(samplesOf([[[0.9, 0.1, 0], [0.5, 0.5, 0]], [[0.3, 0.7, 0], [0.3, 0.7, 0]], [[1, 0, 0], [0, 1, 0]]]));
    expect(s[0]).toBeCloseTo((0.04 + 0.04) / 3, 6);
    expect(s[1]).toBeCloseTo(0, 7);
    expect(s[2]).toBeCloseTo(0.5 / 3, 6);
  });

  it("representativeness: greedy cosine coverage of the pool (hand-computed)", () => {
    // Directions: three points near the x axis (0, 1, 2), one on the y axis (3), one diagonal (4).
    const x = matrixOf([[1, 0], [1, 0.1], [1, -0.1], [0, 1], [1, 1]]);
    const all = Int32Array.from([0, 1, 2, 3, 4]);
    // cos: (0,1) = (0,2) = 1/1.005 = 0.995, (1,2) = 0.99/1.01 = 0.980, (1,3) = 0.1/1.005 = 0.0995,
    // (0,4) = (3,4) = 0.707, (1,4) = 1.1/(1.005·√2) = 0.774, (2,4) = 0.9/(1.005·√2) = 0.633, (0,3) = 0.
    // First pick, coverage of the whole pool: 0 → 1 + 0.995 + 0.995 + 0 + 0.707 = 3.697;
    // 1 → 0.995 + 1 + 0.980 + 0.0995 + 0.774 = 3.849; 4 → 3.821; 2 and 3 less → 1.
    // Second: 3 adds 1 − 0.0995 = 0.900 (itself; 0.707 < 0.774 at 4); 4 adds (0.707 − 0.0995) +
    // (1 − 0.774) = 0.834; 0 and 2 add at most 0.005 + 0.020 → 3.
    expect(Array.from(facilityLocationGreedy(x, all, all, 2))).toEqual([1, 3]);
    expect(Array.from(facilityLocationGreedy(x, Int32Array.from([3, 1]), all, 1))).toEqual([1]);
  });

  it("lazy greedy picks exactly what plain greedy picks (property: random embeddings, zero rows, duplicates)", () => {
    const r = createRandom(11, "facility");
    for (let trial = 0; trial < 30; trial++) {
      const n = 5 + r.int(30), d = 1 + r.int(5);
      const rows = Array.from({ length: n }, () => Array.from({ length: d }, () => (r.next() < 0.1 ? 0 : 2 * r.next() - 1)));
      for (let i = 1; i < n; i++) if (r.next() < 0.15) rows[i] = [...rows[i - 1]!];
      const x = matrixOf(rows);
      const universe = Array.from({ length: n }, (_, i) => i).filter(() => r.next() < 0.8);
      const candidates = universe.filter(() => r.next() < 0.6);
      if (candidates.length === 0) continue;
      const k = 1 + r.int(candidates.length);
      expect(Array.from(facilityLocationGreedy(x, Int32Array.from(candidates), Int32Array.from(universe), k))).toEqual(plainGreedy(x, candidates, universe, k));
    }
  });

  it("selects k distinct unlabelled points among the 2k most uncertain", () => {
    const r = createRandom(5, "sa");
    const n = 40, t = 4, c = 3;
    const data = new Float32Array(n * t * c);
    for (let row = 0; row < n * t; row++) {
      let total = 0;
      for (let l = 0; l < c; l++) total += data[row * c + l] = r.next() ** (1 + (row % 7));
      for (let l = 0; l < c; l++) data[row * c + l]! /= total;
    }
    const mcSamples = { data, n, t, c };
    const embeddings = { data: Float32Array.from({ length: n * 3 }, () => r.next()), n, c: 3 };
    const labelled = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const scores = ensembleVarianceScores(mcSamples);
    const ranked = Array.from({ length: n }, (_, i) => i).filter((i) => !labelled[i]).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const picks = suggestiveAnnotation.select({ mcSamples, embeddings, labelled }, 4, {}, ctx());
    expect(new Set(picks).size).toBe(4);
    for (const i of picks) expect(ranked.slice(0, 8)).toContain(i);
    // With candidates = k the step has nothing to choose: the k most uncertain, in coverage order.
    const same = suggestiveAnnotation.select({ mcSamples, embeddings, labelled }, 4, { candidates: 4 }, ctx());
    expect([...same].sort((a, b) => a - b)).toEqual(ranked.slice(0, 4).sort((a, b) => a - b));
  });

  it("names what is missing or wrong, on one line", () => {
    const labelled = new Uint8Array(3);
    const mcSamples = samplesOf([[[0.5, 0.5]], [[0.2, 0.8]], [[1, 0]]]);
    expect(() => suggestiveAnnotation.select({ labelled, mcSamples }, 1, {}, ctx())).toThrow('suggestive-annotation: needs "embeddings" but the runner gave none');
    const embeddings = matrixOf([[1], [2], [3]]);
    expect(() => suggestiveAnnotation.select({ labelled, embeddings }, 1, {}, ctx())).toThrow('suggestive-annotation: needs "mcSamples" but the runner gave none');
    expect(() => suggestiveAnnotation.select({ labelled, mcSamples, embeddings }, 2, { candidates: 1 }, ctx())).toThrow(
      "suggestive-annotation: candidates = 1 is below the batch size k = 2; set candidates ≥ 2 (default 2k)",
    );
    expect(() => suggestiveAnnotation.parseOptions({ candidates: 0 }, "samplers[0].options")).toThrow(/samplers\[0\]\.options\.candidates/);
    expect(() => suggestiveAnnotation.select({ labelled, mcSamples, embeddings }, 4, {}, ctx())).toThrow(/k = 4 exceeds the 3 unlabelled/);
  });
});

describe("bootstrap members' training sets", () => {
  it("draw as many rows as labelled, with replacement, seeded", () => {
    const rows = Int32Array.from([3, 8, 12, 20, 21, 40]);
    const a = bootstrapResample(rows, createRandom(1, "bootstrap", 0, 2));
    expect(a).toHaveLength(6);
    for (const i of a) expect(rows).toContain(i);
    expect(Array.from(bootstrapResample(rows, createRandom(1, "bootstrap", 0, 2)))).toEqual(Array.from(a));
    // Over many draws some rows repeat (P(no repeat in 6 of 6) = 6!/6^6 ≈ 1.5%).
    let repeats = 0;
    for (let m = 0; m < 20; m++) repeats += new Set(bootstrapResample(rows, createRandom(1, "bootstrap", m, 0))).size < 6 ? 1 : 0;
    expect(repeats).toBeGreaterThan(15);
  });
});
