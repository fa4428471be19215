/**
 * Image folders: PNGs written with pngjs and JPEGs with jpeg-js into temporary folders; resize
 * weights and pixels checked against hand-computed values; class order, rows and sources,
 * checksums, both layouts, the spec variant and every one-line error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { deflateSync } from "node:zlib";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { parseWith } from "../../lib/al/errors.ts";
import { axisWeights, resizeImage } from "../../lib/data/image/resize.ts";
import { loadImageFolder, type ImageFolderSet } from "../../lib/data/loaders/images.ts";
import { decodeImage, readImage } from "../../lib/data/readers/image.ts";
import { checkDatasetRef, loadDataset } from "../../lib/data/registry.ts";
import { datasetSchema, imageFolderName, imageFolderSchema, type ImageFolderInput } from "../../lib/experiments/spec.ts";

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "al-img-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

type Rgb = [number, number, number];

/** RGBA bytes of a width × height image whose pixel (x, y) is `colour(x, y)`. */
function rgba(width: number, height: number, colour: (x: number, y: number) => Rgb): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  return data;
}

function png(width: number, height: number, colour: (x: number, y: number) => Rgb): Buffer {
  const image = new PNG({ width, height });
  image.data = Buffer.from(rgba(width, height, colour));
  return PNG.sync.write(image);
}

function jpg(width: number, height: number, colour: (x: number, y: number) => Rgb): Buffer {
  return jpeg.encode({ width, height, data: rgba(width, height, colour) }, 100).data;
}

/** Writes files (relative path → bytes) under a new temporary folder. */
function folder(files: Record<string, Uint8Array | string>): string {
  const root = tempDir();
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), bytes);
  }
  return root;
}

const flat = (c: Rgb) => () => c;

/** CRC-32 (the PNG/zlib polynomial), bit by bit: node:zlib has crc32 only from Node 20.15. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const load = (images: string, extra: Partial<ImageFolderInput> = {}): Promise<ImageFolderSet> => loadImageFolder({ images, size: 2, ...extra });

describe("resize", () => {
  it("averages the source pixels each output pixel covers when shrinking", () => {
    const half = axisWeights(4, 2);
    expect(half.index.map((a) => [...a])).toEqual([[0, 1], [2, 3]]);
    expect(half.weight.map((a) => [...a])).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    // 3 → 2: output 0 covers [0, 1.5): all of pixel 0 and half of pixel 1.
    const third = axisWeights(3, 2);
    expect(third.index.map((a) => [...a])).toEqual([[0, 1], [1, 2]]);
    third.weight.flatMap((a) => [...a]).forEach((w, i) => expect(w).toBeCloseTo([2 / 3, 1 / 3, 1 / 3, 2 / 3][i]!, 12));
  });

  it("interpolates between pixel centres when enlarging, edges clamped", () => {
    const up = axisWeights(2, 4);
    expect(up.index.map((a) => [...a])).toEqual([[0], [0, 1], [0, 1], [1]]);
    expect(up.weight.map((a) => [...a])).toEqual([[1], [0.75, 0.25], [0.25, 0.75], [1]]);
    expect(() => axisWeights(0, 2)).toThrow("resize: sizes must be integers ≥ 1, got 0 → 2");
  });

  it("resizes HWC images along both axes", () => {
    // 4 wide × 2 high, grey: each half averages a 2×2 block.
    const grey = resizeImage({ width: 4, height: 2, channels: 1, data: Float32Array.of(10, 20, 30, 40, 50, 60, 70, 80) }, 2, 1);
    expect([...grey.data]).toEqual([35, 55]);
    // 3 × 1 → 2 × 1: (2/3·0 + 1/3·30, 1/3·30 + 2/3·90).
    const third = resizeImage({ width: 3, height: 1, channels: 1, data: Float32Array.of(0, 30, 90) }, 2, 1);
    expect(third.data[0]).toBeCloseTo(10, 4);
    expect(third.data[1]).toBeCloseTo(70, 4);
    // RGB 2 × 2 → 1 × 1: per channel means; channels stay interleaved.
    const rgb = resizeImage({ width: 2, height: 2, channels: 3, data: Float32Array.of(0, 100, 200, 4, 104, 204, 8, 108, 208, 12, 112, 212) }, 1, 1);
    expect([...rgb.data]).toEqual([6, 106, 206]);
    // 1 × 2 → 1 × 4 (height grows): 10, 0.75·10 + 0.25·50, 0.25·10 + 0.75·50, 50.
    const tall = resizeImage({ width: 1, height: 2, channels: 1, data: Float32Array.of(10, 50) }, 1, 4);
    expect([...tall.data]).toEqual([10, 20, 40, 50]);
  });
});

describe("image files", () => {
  it("decodes PNG and JPEG by their bytes, converts to BT.601 grey or RGB, scales to [0, 1]", () => {
    const colour: Rgb = [200, 100, 50];
    const grey = readImage(png(3, 3, flat(colour)), "a.png", { size: [1, 1], channels: 1 });
    // 0.299·200 + 0.587·100 + 0.114·50 = 124.2
    expect(grey).toHaveLength(1);
    expect(grey[0]).toBeCloseTo(124.2 / 255, 5);
    const rgb = readImage(png(3, 3, flat(colour)), "a.png", { size: [2, 2], channels: 3 });
    expect(rgb).toHaveLength(12);
    for (let p = 0; p < 4; p++) for (let c = 0; c < 3; c++) expect(rgb[p * 3 + c]).toBeCloseTo(colour[c]! / 255, 5);
    // A flat 16×16 JPEG at quality 100 decodes within a few levels of its colour.
    const fromJpeg = readImage(jpg(16, 16, flat(colour)), "a.jpg", { size: [4, 4], channels: 3 });
    for (let i = 0; i < fromJpeg.length; i++) expect(Math.abs(fromJpeg[i]! - colour[i % 3]! / 255)).toBeLessThan(4 / 255);
    expect(decodeImage(jpg(5, 3, flat(colour)), "a.jpg")).toMatchObject({ width: 5, height: 3 });
    // A grey-scale PNG, and a 16-bit one (written chunk by chunk here: level 0x5a5a → 90 of 255).
    const image = new PNG({ width: 2, height: 2 });
    image.data = Buffer.from(rgba(2, 2, flat([90, 90, 90])));
    expect(readImage(PNG.sync.write(image, { colorType: 0 }), "g.png", { size: [1, 1], channels: 1 })[0]).toBeCloseTo(90 / 255, 5);
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
      const out = Buffer.alloc(body.length + 8);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), body.length + 4);
      return out;
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(2, 0);
    header.writeUInt32BE(2, 4);
    header.set([16, 0, 0, 0, 0], 8); // bit depth 16, grey, deflate, no filter, no interlace
    const rows = Buffer.from([0, 0x5a, 0x5a, 0x5a, 0x5a, 0, 0x5a, 0x5a, 0x5a, 0x5a]);
    const deep = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
    expect(decodeImage(deep, "deep.png")).toMatchObject({ width: 2, height: 2 });
    expect(readImage(deep, "deep.png", { size: [1, 1], channels: 3 })[1]).toBeCloseTo(90 / 255, 5);
  });

  it("keeps row-major HWC order when shrinking a non-square image", () => {
    // 8 wide × 4 high, each 2×2 block one colour: block (bx, by) = (10·bx, 20·by, 7).
    const bytes = png(8, 4, (x, y) => [10 * Math.floor(x / 2), 20 * Math.floor(y / 2), 7]);
    const out = readImage(bytes, "wide.png", { size: [2, 4], channels: 3 });
    expect(out).toHaveLength(2 * 4 * 3);
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 4; x++) {
        const at = (y * 4 + x) * 3;
        expect([out[at]! * 255, out[at + 1]! * 255, out[at + 2]! * 255].map((v) => Math.round(v * 1000) / 1000)).toEqual([10 * x, 20 * y, 7]);
      }
  });

  it("names the file when it is not an image or is corrupt", () => {
    expect(() => decodeImage(Buffer.from("hello"), "cat/a.png")).toThrow("cat/a.png: not a PNG or JPEG image (its first bytes match neither); replace or remove the file");
    const cut = png(4, 4, flat([1, 2, 3])).subarray(0, 40);
    expect(() => decodeImage(cut, "cat/b.png")).toThrow(/^cat\/b\.png: corrupt PNG image \(.+\); replace or remove the file$/);
    const badJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(20, 7)]);
    expect(() => decodeImage(badJpeg, "cat/c.jpg")).toThrow(/^cat\/c\.jpg: corrupt JPEG image \(.+\); replace or remove the file$/);
  });
});

describe("class-folders", () => {
  // Class names in code-unit order: "Zebra" < "ant" < "bee". Files in path order within a class.
  // Each file one flat grey level, so a row's pixels tell which file it came from.
  const levels: Record<string, number> = {
    "Zebra/z1.png": 10,
    "Zebra/z2.jpg": 30,
    "ant/b.png": 50,
    "ant/a.png": 70,
    "ant/sub/c.png": 90,
    "bee/x.jpeg": 110,
    "bee/y.png": 130,
    "bee/w.PNG": 150,
  };
  const files = () => {
    const out: Record<string, Uint8Array | string> = { ".DS_Store": "finder junk", "ant/.hidden.txt": "ignored" };
    for (const [rel, v] of Object.entries(levels)) out[rel] = /\.jpe?g$/.test(rel) ? jpg(8, 8, flat([v, v, v])) : png(4, 4, flat([v, v, v]));
    return out;
  };
  const sorted = ["Zebra/z1.png", "Zebra/z2.jpg", "ant/a.png", "ant/b.png", "ant/sub/c.png", "bee/w.PNG", "bee/x.jpeg", "bee/y.png"];

  it("sorts classes and files, labels by folder, and traces every row to its file", async () => {
    const root = folder(files());
    const ds = await load(root, { channels: 1, testFraction: 0.25 });
    expect(ds.classes).toEqual(["Zebra", "ant", "bee"]);
    expect(ds.shape).toEqual([2, 2, 1]);
    expect(ds.kind).toBe("image");
    expect(ds.sources.pool).toEqual(sorted);
    expect(ds.pool.x.n + ds.test.x.n).toBe(8);
    expect(ds.test.x.n).toBe(2);
    const seen: number[] = [];
    for (const part of [ds.pool, ds.test]) {
      expect(part.x.c).toBe(4);
      for (let i = 0; i < part.x.n; i++) {
        const rel = ds.sources.pool[part.rows![i]!]!;
        seen.push(part.rows![i]!);
        expect(ds.classes[part.y[i]!]).toBe(rel.split("/")[0]);
        const level = levels[rel]! / 255;
        for (let j = 0; j < 4; j++) expect(Math.abs(part.x.data[i * 4 + j]! - level)).toBeLessThan(/\.jpe?g$/.test(rel) ? 3 / 255 : 1e-6);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Deterministic: the same folder gives the same split and checksum.
    const again = await load(root, { channels: 1, testFraction: 0.25 });
    expect([...again.pool.rows!]).toEqual([...ds.pool.rows!]);
    expect(again.checksum).toBe(ds.checksum);
  });

  it("changes its checksum when a file's bytes, a file's class or the pixel options change", async () => {
    const root = folder(files());
    const base = (await load(root)).checksum;
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect((await load(root, { size: 3 })).checksum).not.toBe(base);
    expect((await load(root, { channels: 1 })).checksum).not.toBe(base);
    expect((await load(root, { splitSeed: 1 })).checksum).not.toBe(base);
    writeFileSync(join(root, "ant/a.png"), png(4, 4, flat([71, 70, 70])));
    const edited = (await load(root)).checksum;
    expect(edited).not.toBe(base);
    // Same bytes under another class folder: a different data set.
    rmSync(join(root, "ant/a.png"));
    writeFileSync(join(root, "bee/a.png"), png(4, 4, flat([71, 70, 70])));
    expect((await load(root)).checksum).not.toBe(edited);
  });

  it("applies the pool / test limits and the validation fraction", async () => {
    const root = folder(files());
    const ds = await load(root, { testFraction: 0.25, validationFraction: 0.25, pool: 3, test: 1 });
    expect([ds.pool.x.n, ds.test.x.n, ds.validation!.x.n]).toEqual([3, 1, 2]);
    expect(ds.pool.x.c).toBe(12);
    await expect(load(root, { pool: 7 })).rejects.toThrow(/asked for 7 pool rows but the pool part has 6; lower dataset\.pool/);
  });

  it("refuses folders it cannot read as a data set, naming the file or folder", async () => {
    const two = { "a/1.png": png(2, 2, flat([0, 0, 0])), "b/1.png": png(2, 2, flat([9, 9, 9])) };
    let root = folder({ ...two, "b/anim.gif": "GIF89a" });
    await expect(load(root)).rejects.toThrow(`${join(root, "b/anim.gif")}: unsupported format ".gif"; image folders read .png, .jpg, .jpeg (convert the file or remove it)`);
    root = folder({ ...two, "b/photo.webp": "RIFF" });
    await expect(load(root)).rejects.toThrow(`${join(root, "b/photo.webp")}: unsupported format ".webp"`);
    root = folder({ ...two, "b/notes": "x" });
    await expect(load(root)).rejects.toThrow(`${join(root, "b/notes")}: unsupported file without an extension`);
    root = folder({ ...two, "b/2.png": "not an image" });
    await expect(load(root)).rejects.toThrow(`${join(root, "b/2.png")}: not a PNG or JPEG image`);
    root = folder({ ...two, "stray.png": png(2, 2, flat([0, 0, 0])) });
    await expect(load(root)).rejects.toThrow(`${join(root, "stray.png")}: a file in the root of a class-folders layout; put each image in a sub-folder named after its class`);
    root = folder(two);
    mkdirSync(join(root, "c/empty"), { recursive: true });
    writeFileSync(join(root, "c/.keep"), "");
    await expect(load(root)).rejects.toThrow(`${join(root, "c")}: class folder has no images (.png, .jpg, .jpeg); add images or remove the folder`);
    root = folder({ "a/1.png": two["a/1.png"] });
    await expect(load(root)).rejects.toThrow(`${root}: found 1 class folder ("a"); an image folder needs at least 2 classes, one sub-folder of images each`);
    await expect(load(join(root, "nope"))).rejects.toThrow(`${join(root, "nope")}: image folder not found (looked for ${join(root, "nope")}); check dataset.images`);
    await expect(load(join(root, "a/1.png"))).rejects.toThrow(`${join(root, "a/1.png")}: not a folder`);
  });

  it("resolves a relative folder against baseDir (default: the working directory)", async () => {
    const root = folder({ "imgs/a/1.png": png(2, 2, flat([0, 0, 0])), "imgs/b/1.png": png(2, 2, flat([255, 255, 255])) });
    const ds = await loadImageFolder({ images: "imgs", size: 1 }, { baseDir: root });
    expect(ds.name).toBe("imgs");
    expect(ds.pool.x.n + ds.test.x.n).toBe(2);
    await expect(loadImageFolder({ images: "imgs", size: 0 })).rejects.toThrow("dataset.size: Too small");
  });
});

describe("split-folders", () => {
  const two = (v: number) => png(2, 2, flat([v, v, v]));

  it("reads train/ as the pool and test/ as the test part, in the train part's class numbering", async () => {
    const root = folder({
      "train/cat/1.png": two(10),
      "train/cat/2.png": two(20),
      "train/dog/1.png": two(30),
      "test/dog/9.png": two(40),
    });
    const ds = await load(root, { layout: "split-folders", channels: 1, size: 1 });
    expect(ds.classes).toEqual(["cat", "dog"]);
    expect(ds.sources).toEqual({ pool: ["train/cat/1.png", "train/cat/2.png", "train/dog/1.png"], test: ["test/dog/9.png"] });
    expect([...ds.pool.rows!]).toEqual([0, 1, 2]);
    expect([...ds.pool.y]).toEqual([0, 0, 1]);
    expect([...ds.test.y]).toEqual([1]);
    expect(ds.test.x.data[0]).toBeCloseTo(40 / 255, 6);
    const carved = await load(root, { layout: "split-folders", size: 1, validationFraction: 0.34 });
    expect([carved.pool.x.n, carved.validation!.x.n, carved.test.x.n]).toEqual([2, 1, 1]);
  });

  it("refuses a test class the train part lacks, other entries at the root, and a test fraction", async () => {
    let root = folder({ "train/cat/1.png": two(1), "train/dog/1.png": two(2), "test/cow/1.png": two(3) });
    await expect(load(root, { layout: "split-folders" })).rejects.toThrow(`${join(root, "test", "cow")}: class "cow" has no train/ folder`);
    root = folder({ "train/cat/1.png": two(1), "train/dog/1.png": two(2), "test/cat/1.png": two(3), "val/cat/1.png": two(4) });
    await expect(load(root, { layout: "split-folders" })).rejects.toThrow(`${join(root, "val")}: unexpected folder; layout "split-folders" holds only train/ and test/ folders`);
    root = folder({ "train/cat/1.png": two(1), "train/dog/1.png": two(2) });
    await expect(load(root, { layout: "split-folders" })).rejects.toThrow(`${root}: no test/ folder`);
    await expect(load(root, { layout: "split-folders", testFraction: 0.3 })).rejects.toThrow('"testFraction" does not apply: layout "split-folders" has a predefined test split; remove it');
  });
});

describe("the spec's images variant", () => {
  it("normalises name and size, and reports the field that is wrong", () => {
    expect(parseWith(datasetSchema, { images: "data/My Imgs/", size: 8 }, "dataset")).toEqual({ images: "data/My Imgs/", layout: "class-folders", channels: 3, name: "my-imgs", size: [8, 8] });
    expect(parseWith(datasetSchema, { images: "x", size: [4, 6], channels: 1, name: "mine" }, "dataset")).toMatchObject({ name: "mine", size: [4, 6], channels: 1 });
    expect(() => parseWith(datasetSchema, { images: "x", size: 0 }, "e.ts: dataset")).toThrow("e.ts: dataset.size: Too small: expected number to be >=1, got 0");
    expect(() => parseWith(datasetSchema, { images: "x" }, "e.ts: dataset")).toThrow("e.ts: dataset.size: required field is missing");
    expect(() => parseWith(datasetSchema, { images: "x", size: 2, channels: 2 }, "e.ts: dataset")).toThrow("e.ts: dataset.channels");
    expect(() => parseWith(datasetSchema, { images: "x", size: 2, dir: "y" }, "e.ts: dataset")).toThrow("e.ts: dataset.dir: unknown field");
    // A catalogue reference still reports its own fields.
    expect(() => parseWith(datasetSchema, { name: "mnist", pool: 0 }, "e.ts: dataset")).toThrow("e.ts: dataset.pool: Too small");
    expect(imageFolderName(".")).toBe("images");
    expect(imageFolderName("C:\\data\\_Cats & Dogs")).toBe("cats-dogs");
  });

  it("loads through the registry's loadDataset and checks options with checkDatasetRef", async () => {
    const root = folder({ "a/1.png": png(2, 2, flat([0, 0, 0])), "b/1.png": png(2, 2, flat([255, 255, 255])), "b/2.png": png(2, 2, flat([200, 200, 200])) });
    const ref = parseWith(imageFolderSchema, { images: root, size: 2, channels: 1, testFraction: 0.34 }, "dataset");
    const ds = await loadDataset(ref);
    expect(ds.shape).toEqual([2, 2, 1]);
    expect(ds.pool.x.n + ds.test.x.n).toBe(3);
    expect(() => checkDatasetRef({ ...ref, layout: "split-folders" }, "dataset")).toThrow('dataset: "testFraction" does not apply');
    expect(() => checkDatasetRef(ref, "dataset")).not.toThrow();
  });
});
