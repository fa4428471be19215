import { describe, expect, it } from "vitest";
import { takeRows, type Matrix } from "../../../lib/al/matrix.ts";
import { nearestNeighbours } from "../../../lib/al/metrics/nearest-neighbour.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { nearestRows } from "../../../lib/al/simd/nearest.ts";
import { loadDataset } from "../../../lib/data/registry.ts";
import type { RunConfig } from "../../../lib/experiments/spec.ts";

const m = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length });

describe("SIMD nearest neighbours (exploration gain, agreement)", () => {
  it("by hand: squared distances, the lowest row on a tie, a fifth row in a second block", () => {
    const reference = Float32Array.of(0, 0, 3, 4, 1, 1, 3, 4, -1, -1);
    // (3, 4) is rows 1 and 3: row 1 wins the tie at distance² 0; (−1, −2): row 4 (the second
    // block) at 1 beats row 0 at 5 and row 2 at 13; (0.5, 0.5): rows 0 and 2 both at 0.5, row 0.
    const points = Float32Array.of(3, 4, -1, -2, 0.5, 0.5);
    for (const chunkRows of [undefined, 4]) {
      const found = nearestRows(points, 3, reference, 5, 2, { chunkRows });
      expect(found).toBeDefined();
      expect(Array.from(found!.row)).toEqual([1, 4, 0]);
      expect(Array.from(found!.squared)).toEqual([0, 1, 0.5]);
    }
  });

  it("a reference searched in chunks gives what one pass gives (ties across chunk boundaries)", () => {
    const r = createRandom(6, "nearest-chunks");
    for (let trial = 0; trial < 40; trial++) {
      const d = 1 + r.int(20);
      const n = 1 + r.int(20);
      const refs = 5 + r.int(40);
      const reference = Float32Array.from({ length: refs * d }, () => Math.round(r.normal() * 2));
      for (let j = 4; j < refs; j += 5) reference.copyWithin(j * d, 0, d);
      const points = Float32Array.from({ length: n * d }, () => Math.round(r.normal() * 2));
      const whole = nearestRows(points, n, reference, refs, d)!;
      const chunked = nearestRows(points, n, reference, refs, d, { chunkRows: 4 * (1 + r.int(3)) })!;
      expect(Array.from(chunked.row), `trial ${trial}`).toEqual(Array.from(whole.row));
      expect(Array.from(chunked.squared)).toEqual(Array.from(whole.squared));
      const js = nearestNeighbours({ data: points, n, c: d }, { data: reference, n: refs, c: d }, "t", { simd: false });
      expect(Array.from(chunked.row)).toEqual(Array.from(js.index));
    }
  });

  it("index and distance bit-identical to the JavaScript loop (widths 1–70, any row counts, ties, NaN and ∞ features)", () => {
    const r = createRandom(5, "nearest");
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + r.int(70);
      const n = 1 + r.int(30);
      const refs = 1 + r.int(23);
      const fill = (rows: number): Float32Array =>
        Float32Array.from({ length: rows * d }, () => (r.next() < 0.3 ? Math.round(r.normal()) : r.normal() * 10 ** r.int(3)));
      const points = { data: fill(n), n, c: d };
      const reference = { data: fill(refs), n: refs, c: d };
      // Exact ties: copies of row 0 throughout, and some points equal to a reference row.
      if (trial % 4 === 0) for (let j = 2; j < refs; j += 3) reference.data.copyWithin(j * d, 0, d);
      if (trial % 3 === 0) points.data.set(reference.data.subarray((refs - 1) * d, refs * d), 0);
      // A NaN in some reference rows (never nearest), an ∞ in one (never nearest unless alone).
      if (trial % 5 === 1 && refs > 1) reference.data[r.int(refs - 1) * d + r.int(d)] = NaN;
      if (trial % 7 === 2 && refs > 1) reference.data[(refs - 1) * d] = Infinity;
      const simd = nearestNeighbours(points, reference, "t");
      const js = nearestNeighbours(points, reference, "t", { simd: false });
      expect(Array.from(simd.index), `trial ${trial}, d ${d}, ${refs} rows`).toEqual(Array.from(js.index));
      const wrong = Array.from(simd.distance).filter((v, i) => !Object.is(v, js.distance[i]));
      expect(wrong, `trial ${trial}`).toEqual([]);
    }
  });

  it("no finite distance: the same one-line error from both loops", () => {
    const points = m([[1, 2]]);
    const reference = m([[NaN, 0], [Infinity, 1]]);
    for (const simd of [true, false]) {
      expect(() => nearestNeighbours(points, reference, "agreement", { simd })).toThrow(
        "agreement: point 0 has no finite distance to the reference set; check for NaN or infinite features",
      );
    }
  });

  it("real Fashion-MNIST images: the test set against a batch and against a labelled set, both loops agree", async () => {
    const ds = await loadDataset({ name: "fashion-mnist-small" } as RunConfig["dataset"]);
    const rows = (k: number, step: number): number[] => Array.from({ length: k }, (_, i) => (i * step + 3) % ds.pool.x.n);
    const test = takeRows(ds.test.x, rows(300, 1).map((i) => i % ds.test.x.n));
    for (const reference of [takeRows(ds.pool.x, rows(50, 7)), takeRows(ds.pool.x, rows(301, 5))]) {
      const simd = nearestNeighbours(test, reference);
      const js = nearestNeighbours(test, reference, "nearestNeighbours", { simd: false });
      expect(Array.from(simd.index)).toEqual(Array.from(js.index));
      expect(Array.from(simd.distance)).toEqual(Array.from(js.distance));
      // A point's own copy in the reference is at distance 0.
      const self = nearestNeighbours(takeRows(reference, [17]), reference);
      expect([self.index[0], self.distance[0]]).toEqual([17, 0]);
    }
  });
});
