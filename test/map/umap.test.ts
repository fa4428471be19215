import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { UMAP_MIN_POINTS, umap2 } from "../../lib/map/umap.ts";

/** Two tight clusters of 40 points in 10-D, centred at 0 and at 10·(1, …, 1), interleaved in order. */
function twoClusters(seed: number): number[][] {
  const random = createRandom(seed, "test");
  return Array.from({ length: 80 }, (_, i) => Array.from({ length: 10 }, () => (i % 2) * 10 + random.normal() * 0.3));
}

describe("umap2", () => {
  it("is deterministic: the same rows and seed give equal arrays, another seed other ones", () => {
    const rows = twoClusters(1);
    const a = umap2(rows, { nEpochs: 100 });
    const b = umap2(rows, { nEpochs: 100 });
    expect([...a.x]).toEqual([...b.x]);
    expect([...a.y]).toEqual([...b.y]);
    const c = umap2(rows, { nEpochs: 100, seed: 1 });
    expect([...c.x]).not.toEqual([...a.x]);
  });

  it("keeps two far-apart clusters apart: every point's nearest 2-D neighbour is from its own cluster", () => {
    const { x, y } = umap2(twoClusters(2), { nEpochs: 200 });
    expect(x).toHaveLength(80);
    for (let i = 0; i < 80; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < 80; j++) {
        const d = (x[i]! - x[j]!) ** 2 + (y[i]! - y[j]!) ** 2;
        if (j !== i && d < bestD) [best, bestD] = [j, d];
      }
      expect(best % 2).toBe(i % 2);
    }
    // And the clusters' centres are further apart than any point is from its own centre.
    const centre = (parity: number) => [0, 1].map((k) => {
      const v = k === 0 ? x : y;
      let s = 0;
      for (let i = parity; i < 80; i += 2) s += v[i]!;
      return s / 40;
    });
    const [c0, c1] = [centre(0), centre(1)];
    const gap = Math.hypot(c0[0]! - c1[0]!, c0[1]! - c1[1]!);
    for (let i = 0; i < 80; i++) {
      const c = i % 2 === 0 ? c0 : c1;
      expect(Math.hypot(x[i]! - c[0]!, y[i]! - c[1]!)).toBeLessThan(gap / 2);
    }
  });

  it("works below 15 points with fewer neighbours, and refuses too few points or ragged rows", () => {
    const rows = twoClusters(3).slice(0, 8);
    const { x } = umap2(rows, { nEpochs: 50 });
    expect(x).toHaveLength(8);
    expect([...x].every(Number.isFinite)).toBe(true);
    expect(() => umap2(rows.slice(0, UMAP_MIN_POINTS - 1))).toThrow(`umap2: needs at least ${UMAP_MIN_POINTS} points, got ${UMAP_MIN_POINTS - 1}`);
    expect(() => umap2([...rows.slice(0, 5), [1, 2]])).toThrow("umap2: row 5 has 2 values, row 0 has 10: give every point the same features");
  });
});
