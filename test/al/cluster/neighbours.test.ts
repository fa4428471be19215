import { describe, expect, it } from "vitest";
import { nearestNeighbours } from "../../../lib/al/cluster/neighbours.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { matrixOf, randomEmbeddings } from "../samplers/diversity-fixtures.ts";

describe("nearestNeighbours", () => {
  it("by hand: sorted squared distances, ties to the lower reference row, padding when short", () => {
    const queries = matrixOf([[0], [4]]);
    const reference = matrixOf([[1], [-1], [3], [10]]);
    const found = nearestNeighbours(queries, reference, 3);
    // query 0: 1 → 1, −1 → 1 (tie: row 0 first), 3 → 9
    // query 4: 3 → 1, 1 → 9, −1 → 25 (10 → 36 is fourth)
    expect(Array.from(found.indices)).toEqual([0, 1, 2, 2, 0, 1]);
    expect(Array.from(found.distances)).toEqual([1, 1, 9, 1, 9, 25]);
    const short = nearestNeighbours(queries, matrixOf([[1]]), 2);
    expect(Array.from(short.indices)).toEqual([0, -1, 0, -1]);
    expect(short.distances[1]).toBe(Infinity);
  });

  it("never returns a point as its own neighbour when ids match", () => {
    const points = matrixOf([[0], [1], [1], [5]]);
    const ids = Int32Array.of(0, 1, 2, 3);
    const found = nearestNeighbours(points, points, 1, { queryIds: ids, referenceIds: ids });
    // 0 → 1 (row 1), 1 → its copy (row 2, at 0), 2 → row 1 (at 0), 5 → 1 (row 1, 16; tie with row 2 → row 1)
    expect(Array.from(found.indices)).toEqual([1, 2, 1, 1]);
    expect(Array.from(found.distances)).toEqual([1, 0, 0, 16]);
  });

  it("matches sorting all distances on random inputs", () => {
    const r = createRandom(8, "knn");
    for (let t = 0; t < 20; t++) {
      const d = 1 + r.int(6);
      const q = randomEmbeddings(t, 1 + r.int(80), d);
      const ref = randomEmbeddings(50 + t, 1 + r.int(150), d);
      const k = 1 + r.int(8);
      const found = nearestNeighbours(q, ref, k);
      for (let i = 0; i < q.n; i++) {
        const all = Array.from({ length: ref.n }, (_, j) => {
          let s = 0;
          for (let c = 0; c < d; c++) s += (q.data[i * d + c]! - ref.data[j * d + c]!) ** 2;
          return s;
        }).sort((a, b) => a - b);
        for (let t2 = 0; t2 < k; t2++) {
          const expected = t2 < ref.n ? all[t2]! : Infinity;
          if (expected === Infinity) expect(found.distances[i * k + t2]).toBe(Infinity);
          else expect(found.distances[i * k + t2]).toBeCloseTo(expected, 9);
        }
      }
    }
  });
});
