import { describe, expect, it } from "vitest";
import { squaredNorms } from "../../../lib/al/cluster/distances.ts";
import { random } from "../../../lib/al/samplers/random.ts";
import { kcenterGreedy } from "../../../lib/al/samplers/kcenter-greedy.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { contextFor, fashionMnist, matrixOf, randomEmbeddings } from "./diversity-fixtures.ts";

const sq = (x: Float32Array, i: number, j: number, d: number): number => {
  let s = 0;
  for (let q = 0; q < d; q++) s += (x[i * d + q]! - x[j * d + q]!) ** 2;
  return s;
};

const pick = (embeddings: number[][], labelled: number[], k: number, seed = 1): number[] =>
  Array.from(kcenterGreedy.select({ embeddings: matrixOf(embeddings), labelled: Uint8Array.from(labelled) }, k, {}, contextFor(seed)));

describe("kcenter-greedy", () => {
  it("picks the point farthest from the labelled set first, then farthest from all centres", () => {
    // Labelled: 0 (at 0). Distances 1, 5, 9, 10 → index 4 (10). Then min(|x|, |x − 10|) = 1, 5, 1 → index 2 (5).
    // Then 1 and 9 are both 1 away → lowest index, 1.
    expect(pick([[0], [1], [5], [9], [10]], [1, 0, 0, 0, 0], 3)).toEqual([4, 2, 1]);
    // In 2-D: labelled (0,0) and (10,0); (5,5) is √50 from both, (5,0) only 5 → (5,5) (index 3) first.
    expect(pick([[0, 0], [10, 0], [5, 0], [5, 5], [9, 1]], [1, 1, 0, 0, 0], 2)).toEqual([3, 2]);
  });

  it("with nothing labelled starts from a seeded random point, then goes farthest from it", () => {
    const points = [[0], [1], [5], [9], [10]];
    const starts = new Set<number>();
    for (let seed = 1; seed <= 30; seed++) {
      const [first, second] = pick(points, [0, 0, 0, 0, 0], 2, seed);
      starts.add(first!);
      // The second pick is the point farthest from the first.
      const far = points.map((p, i) => [Math.abs(p[0]! - points[first!]![0]!), -i] as const).sort((a, b) => b[0] - a[0] || b[1] - a[1])[0]!;
      expect(second).toBe(-far[1]);
      expect(pick(points, [0, 0, 0, 0, 0], 2, seed)).toEqual([first, second]);
    }
    expect(starts.size).toBeGreaterThan(2);
  });

  it("equals farthest-first over the unlabelled points, from the labelled ones, on random pools", () => {
    const r = createRandom(12, "kcenter-naive");
    for (let t = 0; t < 15; t++) {
      const n = 2 + r.int(400);
      const d = 1 + r.int(8);
      const embeddings = randomEmbeddings(300 + t, n, d);
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < 0.2 ? 1 : 0));
      labelled[0] = 1;
      labelled[n - 1] = 0;
      const unlabelled = labelled.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
      const k = 1 + r.int(Math.min(unlabelled, 50));
      const dist = Array.from({ length: n }, (_, i) => {
        if (labelled[i] === 1) return -Infinity;
        let best = Infinity;
        for (let j = 0; j < n; j++) if (labelled[j] === 1) best = Math.min(best, sq(embeddings.data, i, j, d));
        return best;
      });
      const expected: number[] = [];
      while (expected.length < k) {
        let pick = 0;
        for (let i = 1; i < n; i++) if (dist[i]! > dist[pick]!) pick = i;
        expected.push(pick);
        dist[pick] = -Infinity;
        for (let i = 0; i < n; i++) if (dist[i] !== -Infinity) dist[i] = Math.min(dist[i]!, sq(embeddings.data, i, pick, d));
      }
      expect(Array.from(kcenterGreedy.select({ embeddings, labelled }, k, {}, contextFor(t))), `case ${t}`).toEqual(expected);
    }
  });

  it("on Fashion-MNIST leaves a smaller covering radius than random picks", async () => {
    const { images } = await fashionMnist(600);
    const labelled = new Uint8Array(600);
    for (let i = 0; i < 600; i += 60) labelled[i] = 1;
    const radius = (picked: Int32Array): number => {
      const centres = [...picked, ...Array.from({ length: 10 }, (_, j) => j * 60)];
      const d = images.c;
      const norms = squaredNorms(images);
      let worst = 0;
      for (let i = 0; i < images.n; i++) {
        let best = Infinity;
        for (const c of centres) {
          let s = 0;
          for (let j = 0; j < d; j++) s += images.data[i * d + j]! * images.data[c * d + j]!;
          best = Math.min(best, norms[i]! + norms[c]! - 2 * s);
        }
        worst = Math.max(worst, best);
      }
      return Math.sqrt(worst);
    };
    const inputs = { embeddings: images, labelled };
    const core = radius(kcenterGreedy.select(inputs, 40, {}, contextFor(1)));
    for (let seed = 1; seed <= 3; seed++) expect(core).toBeLessThan(radius(random.select(inputs, 40, {}, contextFor(seed))));
  });

  it("names the missing input and an impossible k", () => {
    expect(() => kcenterGreedy.select({ labelled: new Uint8Array(3) }, 1, {}, contextFor(1))).toThrow(
      'kcenter-greedy: needs "embeddings" but the runner gave none',
    );
    expect(() => pick([[0], [1]], [1, 0], 2)).toThrow("kcenter-greedy: k = 2 exceeds the 1 unlabelled pool points; lower the acquisition size");
    expect(() => kcenterGreedy.select({ embeddings: matrixOf([[0], [1]]), labelled: new Uint8Array(3) }, 1, {}, contextFor(1))).toThrow(
      /embeddings has 2 rows but the pool has 3 points/,
    );
    expect(() => kcenterGreedy.select({ embeddings: matrixOf([[0], [NaN]]), labelled: new Uint8Array(2) }, 1, {}, contextFor(1))).toThrow(
      /embeddings row 1 holds NaN/,
    );
  });
});
