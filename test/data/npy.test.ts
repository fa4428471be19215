/**
 * NumPy files: the .npy reader (versions, byte orders, every supported dtype, refusals), the
 * .npz zip reader (stored, deflated, numpy's zip64 local headers, damage), and .npy / .npz as a
 * user's own data set through loadDataset. The bytes are written by hand (test/data/npy-fixtures.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../lib/data/registry.ts";
import { npyFloat32, npyNumbers, parseNpy, parseNpz } from "../../lib/data/readers/npy.ts";
import { crc32 } from "../../lib/data/readers/zip.ts";
import type { FileDatasetConfig } from "../../lib/experiments/spec.ts";
import { npy, npz } from "./npy-fixtures.ts";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function folder(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), "al-npy-"));
  temps.push(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

describe(".npy reader", () => {
  it("reads a version-1 little-endian float32 matrix: shape and values", () => {
    const a = parseNpy(npy("<f4", [2, 3], [1, 2.5, -3, 4, 0, 6]), "a.npy");
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe("f4");
    expect(Array.from(npyFloat32(a))).toEqual([1, 2.5, -3, 4, 0, 6]);
  });

  it("reads every supported dtype in both byte orders", () => {
    const cases: Array<[string, number[]]> = [
      ["<f8", [0.1, -2e300, 3]],
      [">f8", [0.1, -2e300, 3]],
      [">f4", [0.5, -1.25, 8]],
      ["|i1", [-128, 0, 127]],
      ["|u1", [0, 200, 255]],
      ["|b1", [1, 0, 1]],
      ["<i2", [-32768, 5, 32767]],
      [">i2", [-2, 300, 7]],
      ["<u2", [0, 65535, 9]],
      ["<i4", [-2147483648, 1, 2147483647]],
      [">u4", [4294967295, 0, 12]],
      ["<i8", [-(2 ** 53) + 1, -1, 2 ** 40]],
      [">u8", [2 ** 53 - 1, 0, 3]],
    ];
    for (const [descr, values] of cases) {
      const a = parseNpy(npy(descr, [3], values), `${descr}.npy`);
      expect(Array.from(npyNumbers(a)), descr).toEqual(values);
    }
  });

  it("reads version 2 and 3 headers (4-byte header length)", () => {
    for (const version of [2, 3] as const) {
      const a = parseNpy(npy("<i4", [2, 2], [1, 2, 3, 4], { version }), "v.npy");
      expect(a.shape).toEqual([2, 2]);
      expect(Array.from(npyNumbers(a))).toEqual([1, 2, 3, 4]);
    }
  });

  it("refuses Fortran order, bad magic, truncated or padded data and unsupported dtypes", () => {
    expect(() => parseNpy(npy("<f4", [2, 2], [1, 2, 3, 4], { fortran: true }), "f.npy")).toThrow(
      "f.npy: the array is stored in Fortran (column-major) order; save np.ascontiguousarray(a) instead",
    );
    expect(() => parseNpy(new TextEncoder().encode("x,y\n1,2\n"), "t.npy")).toThrow('t.npy: not a .npy file (it does not start with "\\x93NUMPY")');
    const whole = npy("<f8", [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => parseNpy(whole.subarray(0, whole.length - 8), "cut.npy")).toThrow(
      "cut.npy: truncated: the header says 4×2 f8 (64 data bytes) but the file holds 56; copy the file again or re-save it",
    );
    const padded = new Uint8Array(whole.length + 3);
    padded.set(whole);
    expect(() => parseNpy(padded, "pad.npy")).toThrow("pad.npy: 3 bytes after the 4×2 f8 data");
    expect(() => parseNpy(npy("<f4", [1], [1], { header: "{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }" }), "s.npy")).toThrow(
      's.npy: dtype "<U5" is not supported',
    );
    expect(() => parseNpy(npy("<f4", [1], [1], { header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }" }), "r.npy")).toThrow(
      "r.npy: unreadable .npy header",
    );
  });
});

describe(".npz reader", () => {
  const x = npy("<f4", [2, 2], [1, 2, 3, 4]);
  const y = npy("<i8", [2], [0, 1]);

  it("CRC-32 matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  for (const options of [{}, { deflate: true }, { deflate: true, zip64Local: true }]) {
    it(`reads named arrays (${JSON.stringify(options)})`, () => {
      const arrays = parseNpz(npz({ x, y }, options), "d.npz");
      expect([...arrays.keys()]).toEqual(["x", "y"]);
      expect(Array.from(npyFloat32(arrays.get("x")!()))).toEqual([1, 2, 3, 4]);
      expect(Array.from(npyNumbers(arrays.get("y")!()))).toEqual([0, 1]);
    });
  }

  it("detects damage: a flipped data byte, a cut archive", () => {
    const bytes = npz({ x, y });
    const flipped = Uint8Array.from(bytes);
    flipped[170] = flipped[170]! ^ 0xff; // x.npy data: local header 30 + 5 (name), npy header 128, so bytes 163–178
    const damaged = parseNpz(flipped, "d.npz");
    expect(() => damaged.get("x")!()).toThrow(/^d\.npz: entry "x\.npy": CRC-32 mismatch \(the archive is damaged\)$/);
    expect(() => parseNpz(bytes.subarray(0, bytes.length - 30), "cut.npz")).toThrow("cut.npz: not a readable zip (.npz) archive: no end-of-central-directory record");
  });
});

function fileRef(dir: string, ref: Partial<FileDatasetConfig> & { file: string }): FileDatasetConfig {
  return { name: "arrays", ...ref, file: join(dir, ref.file), ...(ref.labelsFile ? { labelsFile: join(dir, ref.labelsFile) } : {}), ...(ref.testFile ? { testFile: join(dir, ref.testFile) } : {}), ...(ref.testLabelsFile ? { testLabelsFile: join(dir, ref.testLabelsFile) } : {}) };
}

/** 10 rows; features of row r: [r, 10 r]; labels r mod 2 stored as 7 and 9 (class names). */
const X10 = npy("<f8", [10, 2], Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? k / 2 : 5 * k - 5)));
const Y10 = npy("<i4", [10], Array.from({ length: 10 }, (_, r) => (r % 2 === 0 ? 7 : 9)));

describe("NumPy files as the user's data set", () => {
  it(".npy features + labelsFile: classes from the values, rows traced, split 8 / 2", async () => {
    const dir = folder({ "x.npy": X10, "y.npy": Y10 });
    const ds = await loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy" }));
    expect(ds.classes).toEqual(["7", "9"]);
    expect(ds.kind).toBe("tabular");
    expect(ds.shape).toEqual([2]);
    expect(ds.pool.x.n).toBe(8);
    expect(ds.test.x.n).toBe(2);
    for (const split of [ds.pool, ds.test]) {
      for (let i = 0; i < split.x.n; i++) {
        const r = split.rows![i]!;
        expect([split.x.data[2 * i], split.x.data[2 * i + 1]]).toEqual([r, 10 * r]);
        expect(split.y[i]).toBe(r % 2);
      }
    }
  });

  it(".npz with images (N×H×W flattened, shape kept), a noise flag, and a second archive as test", async () => {
    const images = (n: number, base: number) => npy("|u1", [n, 2, 3], Array.from({ length: n * 6 }, (_, k) => base + k));
    const dir = folder({
      "train.npz": npz({ images: images(4, 0), classes: npy("<i8", [4], [0, 1, 2, 0]), noisy: npy("|b1", [4], [0, 1, 0, 0]) }, { deflate: true }),
      "test.npz": npz({ images: images(2, 100), classes: npy("<i8", [2], [2, 1]), noisy: npy("|b1", [2], [0, 0]) }),
    });
    const ds = await loadDataset(fileRef(dir, { file: "train.npz", testFile: "test.npz", xKey: "images", yKey: "classes" }));
    expect(ds.kind).toBe("image");
    expect(ds.shape).toEqual([2, 3]);
    expect(ds.classes).toEqual(["0", "1", "2"]);
    expect(ds.pool.x.c).toBe(6);
    expect(Array.from(ds.pool.x.data.subarray(6, 12))).toEqual([6, 7, 8, 9, 10, 11]);
    expect(Array.from(ds.pool.y)).toEqual([0, 1, 2, 0]);
    expect(Array.from(ds.pool.noisy!)).toEqual([0, 1, 0, 0]);
    expect(Array.from(ds.test.x.data.subarray(0, 6))).toEqual([100, 101, 102, 103, 104, 105]);
    expect(Array.from(ds.test.rows!)).toEqual([0, 1]);
  });

  it(".npy test part (testFile + testLabelsFile), a validation part carved from the pool, and a named noise array in .npz", async () => {
    const dir = folder({
      "x.npy": X10,
      "y.npy": Y10,
      "tx.npy": npy("<f4", [3, 2], [100, 101, 102, 103, 104, 105]),
      "ty.npy": npy("|u1", [3], [9, 7, 9]),
      "d.npz": npz({ x: X10, y: Y10, flags: npy("|u1", [10], [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]) }),
    });
    const ds = await loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy", testFile: "tx.npy", testLabelsFile: "ty.npy", validationFraction: 0.2 }));
    expect([ds.pool.x.n, ds.validation!.x.n, ds.test.x.n]).toEqual([8, 2, 3]);
    expect(Array.from(ds.test.x.data)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(Array.from(ds.test.y)).toEqual([1, 0, 1]);
    const flagged = await loadDataset(fileRef(dir, { file: "d.npz", noisy: "flags", testFraction: 0.5 }));
    for (const split of [flagged.pool, flagged.test]) for (let i = 0; i < split.x.n; i++) expect(split.noisy![i]).toBe(split.rows![i] === 0 || split.rows![i] === 9 ? 1 : 0);
    await expect(loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy", testFile: "tx.npy" }))).rejects.toThrow('"testFile" is a .npy of features; add "testLabelsFile" (its labels)');
    await expect(loadDataset(fileRef(dir, { file: "d.npz", noisy: "flag" }))).rejects.toThrow(`${join(dir, "d.npz")}: no array "flag" in the archive (it holds "x", "y", "flags"); set dataset.noisy to the right name`);
  });

  it("an N×L 0/1 label matrix is multi-label; the first set label is y", async () => {
    const dir = folder({ "x.npy": X10, "y.npy": npy("|u1", [10, 3], Array.from({ length: 30 }, (_, k) => (k % 3 === 2 || (Math.floor(k / 3) % 2 === 0 && k % 3 === 0) ? 1 : 0))) });
    const ds = await loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy", testFraction: 0.5 }));
    expect(ds.task).toBe("multilabel");
    expect(ds.classes).toEqual(["0", "1", "2"]);
    for (let i = 0; i < ds.pool.x.n; i++) {
      const r = ds.pool.rows![i]!;
      const set = Array.from(ds.pool.labelSets!.data.subarray(3 * i, 3 * i + 3));
      expect(set).toEqual([r % 2 === 0 ? 1 : 0, 0, 1]);
      expect(ds.pool.y[i]).toBe(r % 2 === 0 ? 0 : 2);
    }
  });

  it("standardize: pool mean 0 and sd 1 per column; the test part uses the pool's statistics", async () => {
    const dir = folder({ "x.npy": X10, "y.npy": Y10 });
    const ds = await loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy", standardize: true }));
    const raw = await loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy" }));
    for (let j = 0; j < 2; j++) {
      const col = Array.from({ length: raw.pool.x.n }, (_, i) => raw.pool.x.data[2 * i + j]!);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      for (let i = 0; i < ds.test.x.n; i++) expect(ds.test.x.data[2 * i + j]).toBeCloseTo((raw.test.x.data[2 * i + j]! - mean) / sd, 5);
      const z = Array.from({ length: ds.pool.x.n }, (_, i) => ds.pool.x.data[2 * i + j]!);
      expect(z.reduce((a, b) => a + b, 0) / z.length).toBeCloseTo(0, 6);
      expect(Math.sqrt(z.reduce((a, b) => a + b * b, 0) / z.length)).toBeCloseTo(1, 5);
    }
    expect(ds.checksum).not.toBe(raw.checksum);
  });

  it("refuses x/y shape mismatches, missing arrays, non-integer labels, 1-D features", async () => {
    const dir = folder({
      "x.npy": X10,
      "y9.npy": npy("<i4", [9], [0, 1, 0, 1, 0, 1, 0, 1, 0]),
      "yf.npy": npy("<f8", [10], [0, 1, 0.5, 1, 0, 1, 0, 1, 0, 1]),
      "v.npy": npy("<f4", [10], Array.from({ length: 10 }, (_, i) => i)),
      "d.npz": npz({ x: X10, labels: Y10 }),
    });
    await expect(loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y9.npy" }))).rejects.toThrow(
      `${join(dir, "y9.npy")}: 9 labels for the 10 rows of ${join(dir, "x.npy")} (shapes (10, 2) and (9,)); give one label per row`,
    );
    await expect(loadDataset(fileRef(dir, { file: "d.npz" }))).rejects.toThrow(`${join(dir, "d.npz")}: no array "y" in the archive (it holds "x", "labels"); set dataset.yKey to the right name`);
    await expect(loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "yf.npy" }))).rejects.toThrow(`${join(dir, "yf.npy")}: row 2: label 0.5 is not an integer class`);
    await expect(loadDataset(fileRef(dir, { file: "v.npy", labelsFile: "yf.npy" }))).rejects.toThrow(`${join(dir, "v.npy")}: features of shape (10,); expected one row per example`);
    const ok = await loadDataset(fileRef(dir, { file: "d.npz", yKey: "labels" }));
    expect(ok.classes).toEqual(["7", "9"]);
  });

  it("refuses options that do not apply to arrays", async () => {
    const dir = folder({ "x.npy": X10, "y.npy": Y10, "d.npz": npz({ x: X10, y: Y10 }) });
    await expect(loadDataset(fileRef(dir, { file: "x.npy" }))).rejects.toThrow('a .npy file holds the features only; add "labelsFile"');
    await expect(loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy", label: "y" }))).rejects.toThrow('"label" applies only to table files (csv, tsv, jsonl, parquet), not npy; remove it');
    await expect(loadDataset(fileRef(dir, { file: "d.npz", labelsFile: "y.npy" }))).rejects.toThrow('"labelsFile" applies only to .npy files (npz files hold their labels); remove it');
    await expect(loadDataset(fileRef(dir, { file: "x.npy", labelsFile: "y.npy", xKey: "a" }))).rejects.toThrow('"xKey" applies only to .npz archives; remove it');
  });
});
