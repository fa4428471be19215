import { describe, expect, it } from "vitest";
import { defaultBlobsOptions, noisyBlobs, type BlobsOptions } from "../../lib/data/synthetic/blobs.ts";
import { loadDataset } from "../../lib/data/registry.ts";

const small: BlobsOptions = { blobs: 6, perBlob: 20, dimension: 3, centreRange: 5, spread: 0.5, classes: 3, noisyPairs: 2, seed: 4 };

describe("noisy blobs", () => {
  it("has (blobs + 2·pairs) × perBlob points; clean blob b has class b mod classes", () => {
    const b = noisyBlobs(small);
    // (6 + 2·2) · 20 = 200 points of dimension 3.
    expect([b.x.n, b.x.c, b.y.length, b.centres.n]).toEqual([200, 3, 200, 10]);
    for (let blob = 0; blob < 6; blob++) expect(b.y[blob * 20]).toBe(blob % 3);
    for (let i = 0; i < 200; i++) expect(b.blob[i]).toBe(Math.floor(i / 20));
  });

  it("flags exactly the points of noisy pairs; a pair shares its centre and has two classes", () => {
    const b = noisyBlobs(small);
    // Pairs are blobs 6–7 and 8–9: rows 120…199.
    expect(Array.from(b.noisy).map((v, i) => (v === 1) === i >= 120).every(Boolean)).toBe(true);
    for (const a of [6, 8]) {
      expect(b.centres.data.subarray(a * 3, a * 3 + 3)).toEqual(b.centres.data.subarray((a + 1) * 3, (a + 1) * 3 + 3));
      expect(b.y[a * 20]).not.toBe(b.y[(a + 1) * 20]);
    }
  });

  it("is seeded: same options, same points; another seed, other points", () => {
    expect(noisyBlobs(small)).toEqual(noisyBlobs(small));
    expect(noisyBlobs({ ...small, seed: 5 }).x.data).not.toEqual(noisyBlobs(small).x.data);
  });

  it("keeps centres in range and points at the given spread (property test over seeds)", () => {
    for (let seed = 0; seed < 10; seed++) {
      const b = noisyBlobs({ ...small, seed, perBlob: 400, spread: 2 });
      for (const v of b.centres.data) expect(Math.abs(v)).toBeLessThanOrEqual(5);
      // Deviations from the centre: mean ≈ 0 and standard deviation ≈ 2 over 10 · 400 · 3 values.
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < b.x.n; i++) {
        for (let k = 0; k < 3; k++) {
          const d = b.x.data[i * 3 + k]! - b.centres.data[b.blob[i]! * 3 + k]!;
          sum += d;
          squares += d * d;
        }
      }
      const m = b.x.n * 3;
      expect(Math.abs(sum / m)).toBeLessThan(0.1);
      expect(Math.abs(Math.sqrt(squares / m) - 2)).toBeLessThan(0.1);
    }
  });

  it("rejects impossible parameters", () => {
    expect(() => noisyBlobs({ ...small, classes: 1 })).toThrow("noisy blobs: classes must be an integer ≥ 2, got 1");
    expect(() => noisyBlobs({ ...small, spread: 0 })).toThrow("noisy blobs: spread must be a positive number, got 0");
    expect(() => noisyBlobs({ ...small, blobs: 0, noisyPairs: 0 })).toThrow("no blobs");
  });

  it("as a registered set: a stratified 50/50 split fixed by splitSeed; swap exchanges the halves", async () => {
    const ref = { name: "noisy-blobs", blobs: 6, perBlob: 20, dimension: 3, centreRange: 5, spread: 0.5, classes: 3, noisyPairs: 2, dataSeed: 4 };
    const ds = await loadDataset(ref);
    const generated = noisyBlobs(small);
    expect([ds.pool.x.n, ds.test.x.n, ds.shape, ds.classes]).toEqual([100, 100, [3], ["0", "1", "2"]]);
    // Each row keeps its generated point, label and noisy flag.
    for (const split of [ds.pool, ds.test]) {
      split.rows!.forEach((r, i) => {
        expect(split.y[i]).toBe(generated.y[r]);
        expect(split.noisy![i]).toBe(generated.noisy[r]);
        expect(split.x.data[i * 3]).toBe(generated.x.data[r * 3]);
      });
    }
    // Classes are split evenly: each class's count is halved (to within one row).
    for (let c = 0; c < 3; c++) {
      const total = generated.y.filter((y) => y === c).length;
      expect(Math.abs(ds.test.y.filter((y) => y === c).length - total / 2)).toBeLessThanOrEqual(0.5);
    }
    const swapped = await loadDataset({ ...ref, swap: true });
    expect(swapped.pool.rows).toEqual(ds.test.rows);
    expect(swapped.test.rows).toEqual(ds.pool.rows);
    expect(swapped.checksum).not.toBe(ds.checksum);
    const other = await loadDataset({ ...ref, splitSeed: 9 });
    expect(other.test.rows).not.toEqual(ds.test.rows);
    expect((await loadDataset({ name: "noisy-blobs" })).pool.x.n).toBe(((defaultBlobsOptions.blobs + 2 * defaultBlobsOptions.noisyPairs) * defaultBlobsOptions.perBlob) / 2);
  });
});
