import { describe, expect, it } from "vitest";
import { assignNearest, dotAt, lowerDistances, squaredDistanceAt, squaredNorms } from "../../../lib/al/cluster/distances.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { matrixOf } from "../samplers/diversity-fixtures.ts";

/** Σ (x − c)², the definition, for comparison. */
function naive(x: ArrayLike<number>, xo: number, c: ArrayLike<number>, co: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (x[xo + j]! - c[co + j]!) ** 2;
  return s;
}

describe("distances", () => {
  it("squared norms and dot products by hand", () => {
    // [3,4]: 9 + 16 = 25; [1,2,2]: 1 + 4 + 4 = 9; [1,2,2]·[2,0,1] = 2 + 0 + 2 = 4
    expect(Array.from(squaredNorms(matrixOf([[3, 4, 0], [1, 2, 2]])))).toEqual([25, 9]);
    expect(dotAt(Float32Array.of(1, 2, 2), 0, Float32Array.of(2, 0, 1), 0, 3)).toBe(4);
    // ‖[1,2,2] − [2,0,1]‖² = 1 + 4 + 1 = 6 = 9 + 5 − 2·4
    expect(squaredDistanceAt(Float32Array.of(1, 2, 2), 0, 9, Float32Array.of(2, 0, 1), 0, 5, 3)).toBe(6);
  });

  it("assignNearest: nearest centre, earliest centre on a tie", () => {
    const points = matrixOf([[0, 0], [3, 4], [6, 8], [7, 8]]);
    const centres = matrixOf([[0, 0], [6, 8]]);
    const index = new Int32Array(4);
    const distance = new Float64Array(4).fill(Infinity);
    assignNearest(points, squaredNorms(points), centres, squaredNorms(centres), index, distance);
    // [3,4] is 25 from both centres → centre 0; [7,8] is 1 from [6,8]
    expect(Array.from(index)).toEqual([0, 0, 1, 1]);
    expect(Array.from(distance)).toEqual([0, 25, 0, 1]);
    // A second centre set merges: only strictly closer centres replace (numbered from the
    // offset 10): [3,4] and [7,8] now sit on a centre; [0,0] and [6,8] keep theirs (0 is not < 0).
    const more = matrixOf([[3, 4], [7, 8], [0, 0]]);
    assignNearest(points, squaredNorms(points), more, squaredNorms(more), index, distance, 10);
    expect(Array.from(index)).toEqual([0, 10, 1, 11]);
    expect(Array.from(distance)).toEqual([0, 0, 0, 0]);
  });

  it("lowerDistances equals Σ(x − c)² for 1 … 9 centres and odd widths; a copy of a row is at exactly 0", () => {
    const r = createRandom(11, "lower");
    for (let t = 0; t < 60; t++) {
      const d = 1 + r.int(9);
      const n = 1 + r.int(30);
      const m = 1 + r.int(9);
      const x = Float32Array.from({ length: n * d }, () => r.normal());
      const centres = new Float64Array(m * d);
      for (let j = 0; j < m; j++) {
        // Some centres are exact copies of a row.
        const src = r.int(2) === 0 ? r.int(n) : -1;
        for (let q = 0; q < d; q++) centres[j * d + q] = src >= 0 ? x[src * d + q]! : r.normal();
      }
      const norms = squaredNorms({ data: x, n, c: d });
      const centreNorms = new Float64Array(m).map((_, j) => dotAt(centres, j * d, centres, j * d, d));
      const distance = new Float64Array(n).fill(Infinity);
      const owner = new Int32Array(n).fill(-1);
      lowerDistances(x, d, norms, 0, n, centres, centreNorms, m, distance, owner, 0);
      for (let i = 0; i < n; i++) {
        let best = Infinity;
        for (let j = 0; j < m; j++) best = Math.min(best, naive(x, i * d, centres, j * d, d));
        expect(distance[i]).toBeCloseTo(best, 9);
        expect(naive(x, i * d, centres, owner[i]! * d, d)).toBeCloseTo(best, 9);
        if (best === 0) expect(distance[i]).toBe(0);
      }
    }
  });
});
