/**
 * Every registered set, read from a folder laid out like ../shared/data (as CI does with
 * AL_DATA_DIR): row counts, task, classes, features, splits, and the catalog's hashes against
 * the shared manifest. Each set is loaded once per file (the `load` cache).
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dataset, Split } from "../../lib/data/dataset.ts";
import { catalog } from "../../lib/data/catalog.ts";
import { sha256File } from "../../lib/data/checksum.ts";
import { checkDatasetRef, datasetNames, loadDataset } from "../../lib/data/registry.ts";
import { tokenize } from "../../lib/data/text/tokenize.ts";
import type { DatasetOptions } from "../../lib/experiments/spec.ts";

/** Temporary folders, removed after the file's tests. */
const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "al-sets-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const shared = join(import.meta.dirname, "../../../shared/data");
const manifest = JSON.parse(readFileSync(join(shared, "manifest.json"), "utf8")) as {
  datasets: Array<{ name: string; task: string; files: Array<{ path: string; sha256: string; bytes: number }> }>;
};

let savedDataDir: string | undefined;
beforeAll(() => {
  savedDataDir = process.env.AL_DATA_DIR;
  process.env.AL_DATA_DIR = shared;
});
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.AL_DATA_DIR;
  else process.env.AL_DATA_DIR = savedDataDir;
});

const loaded = new Map<string, Promise<Dataset>>();
function load(ref: DatasetOptions): Promise<Dataset> {
  const key = JSON.stringify(ref);
  if (!loaded.has(key)) loaded.set(key, loadDataset(ref));
  return loaded.get(key)!;
}

function rowsOf(split: Split): number[] {
  return Array.from(split.rows!);
}

/**
 * name → [task, kind, pool rows, test rows, classes, features per row]. Split sets hold out
 * round(0.2 N): 690 → 138, 569 → round(113.8) = 114, 768 → round(153.6) = 154, 3186 → 637,
 * 6435 → 1287, 4601 → 920, 10662 → round(2132.4) = 2132; noisy-blobs (20 + 2·5 blobs) × 50 = 1500
 * points, half held out. Text sets: token ids padded to their default length.
 */
const expected: Record<string, [string, string, number, number, number, number]> = {
  mnist: ["multiclass", "image", 8000, 2000, 10, 784],
  sst2: ["multiclass", "text", 6920, 1821, 2, 48],
  trec: ["multiclass", "text", 5452, 500, 6, 24],
  subj: ["multiclass", "text", 8000, 2000, 2, 56],
  mr: ["multiclass", "text", 8530, 2132, 2, 48],
  australian: ["multiclass", "tabular", 552, 138, 2, 14],
  wdbc: ["multiclass", "tabular", 455, 114, 2, 30],
  diabetes: ["multiclass", "tabular", 614, 154, 2, 8],
  // 7 numeric columns + 54 one-hot columns from the 13 categorical ones.
  german: ["multiclass", "tabular", 800, 200, 2, 61],
  letter: ["multiclass", "tabular", 16000, 4000, 26, 16],
  splice: ["multiclass", "tabular", 2549, 637, 3, 180],
  satellite: ["multiclass", "tabular", 5148, 1287, 6, 36],
  spambase: ["multiclass", "tabular", 3681, 920, 2, 57],
  segment: ["multiclass", "tabular", 1848, 462, 7, 19],
  phishing: ["multiclass", "tabular", 8844, 2211, 2, 30],
  "yeast-multilabel": ["multilabel", "tabular", 1200, 300, 14, 103],
  "noisy-blobs": ["multiclass", "synthetic", 750, 750, 10, 2],
};

describe("registered data sets from AL_DATA_DIR", () => {
  it.each(Object.entries(expected))("%s loads with its row counts, task, classes and features", async (name, [task, kind, pool, test, classes, c]) => {
    const ds = await load({ name });
    expect([ds.task, ds.kind]).toEqual([task, kind]);
    expect([ds.pool.x.n, ds.test.x.n]).toEqual([pool, test]);
    expect(ds.classes).toHaveLength(classes);
    expect([ds.pool.x.c, ds.test.x.c]).toEqual([c, c]);
    expect(ds.pool.x.data.length).toBe(pool * c);
    expect(ds.pool.y.length).toBe(pool);
    for (const split of [ds.pool, ds.test]) {
      expect(split.x.data.every((v) => Number.isFinite(v))).toBe(true);
      expect(split.y.every((y) => y >= 0 && y < classes)).toBe(true);
    }
    expect(ds.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("lists every set of the shared manifest (and the bundled and synthetic ones)", () => {
    const aliases: Record<string, string> = { "mnist-10k": "mnist", yeast: "yeast-multilabel" };
    const names = manifest.datasets.map((d) => aliases[d.name] ?? d.name);
    // cifar10 is not in the shared folder: its files come from the upstream archive (test/data/cifar.test.ts);
    // mnist-full's training files are downloaded (only MNIST's test set is shared).
    expect(datasetNames().sort()).toEqual([...names, "cifar10", "fashion-mnist-small", "mnist-full", "noisy-blobs"].sort());
  });

  it("the catalog's paths, sizes and sha256 are the manifest's, and the shared files match them", async () => {
    const byPath = new Map(manifest.datasets.flatMap((d) => d.files.map((f) => [f.path, f] as const)));
    const files = catalog.filter((e) => e.name !== "mnist-full").flatMap((e) => e.files).filter((f) => !f.path.includes("fashion-mnist-small"));
    expect(files.map((f) => f.path).sort()).toEqual([...byPath.keys()].sort());
    for (const file of files) {
      const m = byPath.get(file.path)!;
      expect([file.sha256, file.bytes]).toEqual([m.sha256, m.bytes]);
      // The smaller files are hashed here; the two large image files are covered by the manifest check.
      if (file.bytes < 5_000_000) expect(await sha256File(join(shared, file.path))).toBe(file.sha256);
    }
    for (const e of catalog) {
      const m = manifest.datasets.find((d) => d.files.some((f) => f.path === e.files[0]?.path));
      if (m) expect(e.task).toBe(m.task);
    }
  });

  it("mnist-full: the upstream training files, and the test files of the shared mnist entry", () => {
    const full = catalog.find((e) => e.name === "mnist-full")!;
    const tenK = catalog.find((e) => e.name === "mnist")!;
    expect(full.files.map((f) => [f.split, f.part])).toEqual([["pool", "images"], ["pool", "labels"], ["test", "images"], ["test", "labels"]]);
    // The test part is the shared 10k set's files, byte for byte.
    expect(full.files.slice(2).map((f) => [f.path, f.sha256, f.download?.sha256])).toEqual(tenK.files.map((f) => [f.path, f.sha256, f.download?.sha256]));
    // The training files are only downloaded: their reference hash is the upstream one.
    for (const f of full.files.slice(0, 2)) expect([f.sha256, f.bytes]).toEqual([f.download!.sha256, f.download!.bytes]);
  });

  it("the bundled subset's files have the sha256 the catalog lists", async () => {
    const small = catalog.find((e) => e.name === "fashion-mnist-small")!;
    for (const file of small.files) expect(await sha256File(join(small.bundledDir!, file.path.split("/").pop()!))).toBe(file.sha256);
  });

  it("fashion-mnist: 60,000 + 10,000 images from the manifest layout", async () => {
    const ds = await loadDataset({ name: "fashion-mnist", pool: 100, test: 10_000 });
    expect([ds.kind, ds.shape, ds.test.x.n]).toEqual(["image", [28, 28], 10_000]);
    // Fashion-MNIST's test set has exactly 1,000 images per class.
    expect(Array.from({ length: 10 }, (_, c) => ds.test.y.filter((y) => y === c).length)).toEqual(new Array(10).fill(1000));
    await expect(loadDataset({ name: "fashion-mnist", pool: 60_001 })).rejects.toThrow("asked for 60001 rows but the file has 60000");
  });

  it("the older $AL_DATA_DIR/<name>/<file> layout is still found", async () => {
    const root = tempDir();
    symlinkSync(join(shared, "image/fashion-mnist"), join(root, "fashion-mnist"));
    const legacy = await loadDataset({ name: "fashion-mnist", pool: 100, test: 100 }, { dataDir: root });
    const current = await load({ name: "fashion-mnist", pool: 100, test: 100 });
    expect(legacy.checksum).toBe(current.checksum);
    expect(legacy.pool.x.data).toEqual(current.pool.x.data);
  });

  it("fashion-mnist-small keeps the checksum formula of earlier versions (stored run ids stay valid)", async () => {
    const ds = await load({ name: "fashion-mnist-small" });
    const small = catalog.find((e) => e.name === "fashion-mnist-small")!;
    const hash = createHash("sha256");
    for (const f of small.files) hash.update(createHash("sha256").update(readFileSync(join(small.bundledDir!, f.path.split("/").pop()!))).digest());
    hash.update(JSON.stringify({ pool: null, test: null }));
    expect(ds.checksum).toBe(hash.digest("hex"));
  });

  it("arxiv-titles: 41,000 titles, 84 labels, multi-label, y = the first listed label, duplicates on one side", async () => {
    const ds = await load({ name: "arxiv-titles" });
    expect([ds.task, ds.kind, ds.classes.length]).toEqual(["multilabel", "text", 84]);
    expect(ds.pool.x.n + ds.test.x.n).toBe(41_000);
    // Grouping duplicates moves at most the 49 repeated rows off the exact 20 % (8,200).
    expect(Math.abs(ds.test.x.n - 8200)).toBeLessThanOrEqual(49);
    for (const split of [ds.pool, ds.test]) {
      const sets = split.labelSets!;
      expect([sets.n, sets.c]).toEqual([split.x.n, 84]);
      let bad = 0;
      for (let i = 0; i < sets.n; i++) {
        let count = 0;
        for (let j = 0; j < 84; j++) count += sets.data[i * 84 + j]!;
        if (count < 1 || count > 8 || sets.data[i * 84 + split.y[i]!] !== 1) bad++;
      }
      expect(bad).toBe(0);
    }
    // File row 0: "Dual Recurrent Attention Units for Visual Question Answering", cs.AI|cs.CL|cs.CV|cs.NE|stat.ML.
    const both = [ds.pool, ds.test];
    const split = both.find((s) => rowsOf(s).includes(0))!;
    const i = rowsOf(split).indexOf(0);
    expect(split.texts![i]).toBe("Dual Recurrent Attention Units for Visual Question Answering");
    expect(ds.classes[split.y[i]!]).toBe("cs.AI");
    const labels = ds.classes.filter((_, j) => split.labelSets!.data[i * 84 + j] === 1);
    expect(labels).toEqual(["cs.AI", "cs.CL", "cs.CV", "cs.NE", "stat.ML"]);
    // 49 rows repeat an earlier title once lower-cased and tokenized, and no title is on both sides.
    const sideOf = new Map<string, string>();
    let repeats = 0;
    for (const [side, s] of [["pool", ds.pool], ["test", ds.test]] as const) {
      for (const text of s.texts!) {
        const key = tokenize(text).join(" ");
        if (sideOf.has(key)) {
          repeats++;
          expect(sideOf.get(key)).toBe(side);
        } else sideOf.set(key, side);
      }
    }
    expect(repeats).toBe(49);
    // The vocabulary comes from the pool: id 0 = padding, 1 = out-of-vocabulary.
    expect(ds.vocabulary!.slice(0, 2)).toEqual(["<pad>", "<unk>"]);
    expect(ds.shape).toEqual([24]);
  });

  it("sst2 ships a validation split (dev.csv); trec keeps its test file", async () => {
    const sst2 = await load({ name: "sst2" });
    expect(sst2.validation!.x.n).toBe(872);
    expect(sst2.validation!.x.c).toBe(48);
    const trec = await load({ name: "trec" });
    expect(trec.validation).toBeUndefined();
    expect(trec.test.texts![0]).toBe("How far is it from Denver to Aspen ?");
  });

  it("text features: tokens use only pool words; tfidf rows have unit norm over at most vocabSize columns", async () => {
    const tokens = await load({ name: "trec" });
    const vocab = new Set(tokens.vocabulary);
    const poolWords = new Set(tokens.pool.texts!.flatMap(tokenize));
    expect(vocab.size - 2).toBe(poolWords.size);
    // A test word absent from the pool encodes as 1 (OOV).
    const i = tokens.test.texts!.findIndex((t) => tokenize(t).some((w) => !poolWords.has(w)));
    const words = tokenize(tokens.test.texts![i]!);
    words.slice(0, 24).forEach((w, k) => {
      expect(tokens.test.x.data[i * 24 + k]).toBe(poolWords.has(w) ? tokens.vocabulary!.indexOf(w) : 1);
    });
    const tfidf = await load({ name: "trec", features: "tfidf", vocabSize: 500 });
    expect([tfidf.pool.x.c, tfidf.shape, tfidf.features!.length]).toEqual([500, [500], 500]);
    for (let r = 0; r < 50; r++) {
      let norm = 0;
      for (let j = 0; j < 500; j++) norm += tfidf.pool.x.data[r * 500 + j]! ** 2;
      expect(norm === 0 || Math.abs(norm - 1) < 1e-5).toBe(true);
    }
    expect(tfidf.checksum).not.toBe(tokens.checksum);
  });

  it("splits are stratified, fixed by splitSeed (never a run seed), and swap exchanges the halves", async () => {
    const a = await load({ name: "wdbc" });
    const again = await loadDataset({ name: "wdbc" });
    expect(rowsOf(again.test)).toEqual(rowsOf(a.test));
    expect(again.checksum).toBe(a.checksum);
    const b = await load({ name: "wdbc", splitSeed: 1 });
    expect(rowsOf(b.test)).not.toEqual(rowsOf(a.test));
    expect(b.checksum).not.toBe(a.checksum);
    // wdbc has 212 + 357 rows: the test part takes 42.4 → 42 and 71.4 → 71, plus one to the larger
    // remainder (0.4 = 0.4: the tie goes to class 0) → 43 + 71 = 114.
    const count = (s: Split, c: number) => s.y.filter((y) => y === c).length;
    expect([count(a.test, 0), count(a.test, 1)]).toEqual([43, 71]);
    expect(new Set([...rowsOf(a.pool), ...rowsOf(a.test)]).size).toBe(569);
    const swapped = await load({ name: "wdbc", swap: true });
    expect(rowsOf(swapped.pool)).toEqual(rowsOf(a.test));
    expect(rowsOf(swapped.test)).toEqual(rowsOf(a.pool));
    const v = await load({ name: "wdbc", testFraction: 0.3, validationFraction: 0.1 });
    // 569 · 0.3 = 170.7 → 171; 569 · 0.1 = 56.9 → 57; the rest 341.
    expect([v.pool.x.n, v.validation!.x.n, v.test.x.n]).toEqual([341, 57, 171]);
    await expect(loadDataset({ name: "wdbc", pool: 456 })).rejects.toThrow("wdbc: asked for 456 pool rows but the pool part has 455; lower dataset.pool");
    const limited = await load({ name: "wdbc", pool: 100, test: 50 });
    expect(rowsOf(limited.pool)).toEqual(rowsOf(a.pool).slice(0, 100));
    expect(rowsOf(limited.test)).toEqual(rowsOf(a.test).slice(0, 50));
  });

  it("sets with predefined parts: a validation part carved from the pool, and swap", async () => {
    // trec: round(5452 · 0.1) = 545 validation rows out of the pool; the test file is untouched.
    const trec = await load({ name: "trec", validationFraction: 0.1 });
    expect([trec.pool.x.n, trec.validation!.x.n, trec.test.x.n]).toEqual([4907, 545, 500]);
    expect(new Set([...rowsOf(trec.pool), ...rowsOf(trec.validation!)]).size).toBe(5452);
    const small = await load({ name: "fashion-mnist-small", validationFraction: 0.1, pool: 2000 });
    expect([small.pool.x.n, small.validation!.x.n, small.test.x.n]).toEqual([2000, 300, 1000]);
    const swapped = await load({ name: "fashion-mnist-small", swap: true, pool: 500 });
    const plain = await load({ name: "fashion-mnist-small" });
    expect([swapped.pool.x.n, swapped.test.x.n]).toEqual([500, 3000]);
    expect(swapped.pool.y).toEqual(plain.test.y.subarray(0, 500));
    expect(swapped.checksum).not.toBe(plain.checksum);
  });

  it("multi-label tabular: yeast has 14 labels and label sets of 1 to 11", async () => {
    const ds = await load({ name: "yeast-multilabel" });
    expect(ds.classes).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]);
    const sizes = new Set<number>();
    for (const s of [ds.pool, ds.test]) {
      for (let i = 0; i < s.x.n; i++) sizes.add(s.labelSets!.data.subarray(i * 14, i * 14 + 14).reduce((a, b) => a + b, 0));
    }
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBe(11);
  });

  it("german one-hot encodes its categorical columns; diabetes orders its string classes", async () => {
    const german = await load({ name: "german" });
    expect(german.features!.slice(0, 5)).toEqual(["checking_status=0<=X<200", "checking_status=<0", "checking_status=>=200", "checking_status=no checking", "duration"]);
    // Each row has exactly one 1 among a categorical column's levels.
    const cols = german.features!.map((f, j) => [f, j] as const).filter(([f]) => f.startsWith("purpose="));
    expect(cols).toHaveLength(10);
    const ones = Array.from({ length: german.pool.x.n }, (_, i) => cols.reduce((a, [, j]) => a + german.pool.x.data[i * 61 + j]!, 0));
    expect(new Set(ones)).toEqual(new Set([1]));
    expect((await load({ name: "diabetes" })).classes).toEqual(["neg", "pos"]);
    expect((await load({ name: "phishing" })).classes).toEqual(["-1", "1"]);
  });

  it("noisy-blobs keeps its noisy flags through the split", async () => {
    const ds = await load({ name: "noisy-blobs" });
    // 5 noisy pairs × 2 blobs × 50 points = 500 noisy points over both halves.
    const noisy = [ds.pool, ds.test].reduce((a, s) => a + s.noisy!.reduce((b, v) => b + v, 0), 0);
    expect(noisy).toBe(500);
    const swapped = await load({ name: "noisy-blobs", swap: true });
    expect(swapped.pool.x.data).toEqual(ds.test.x.data);
    expect(swapped.pool.noisy).toEqual(ds.test.noisy);
  });

  it.each([
    [{ name: "wdbc", features: "tfidf" as const }, '"features" applies only to text data sets ("wdbc" is tabular); remove it'],
    [{ name: "sst2", testFraction: 0.3 }, '"testFraction" does not apply: "sst2" has a predefined test split; remove it'],
    [{ name: "sst2", validationFraction: 0.1 }, '"validationFraction" does not apply: "sst2" ships a validation split; remove it'],
    [{ name: "fashion-mnist", splitSeed: 3 }, '"splitSeed" has nothing to split: "fashion-mnist" has predefined splits; remove it'],
    [{ name: "mnist", testFraction: 0.6, validationFraction: 0.4 }, "testFraction (0.6) + validationFraction (0.4) must be below 1"],
    [{ name: "letter", noisyPairs: 3 }, '"noisyPairs" applies only to noisy-blobs; remove it'],
    [{ name: "noisy-blobs", dir: "/tmp" }, '"dir" does not apply to a generated data set; remove it'],
    [{ name: "trec", features: "tfidf" as const, maxLength: 10 }, '"maxLength" applies only to features: "tokens"; remove it'],
  ])("rejects options that do not apply: %j", async (ref, message) => {
    await expect(loadDataset(ref)).rejects.toThrow(message);
    expect(() => checkDatasetRef(ref, "dataset")).toThrow(`dataset: ${message}`);
  });

  it("a directory with the set's files by base name works for split sets too", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "x"));
    symlinkSync(join(shared, "tabular/wdbc.csv"), join(dir, "x", "wdbc.csv"));
    const ds = await loadDataset({ name: "wdbc", dir: join(dir, "x") });
    expect(ds.checksum).toBe((await load({ name: "wdbc" })).checksum);
    await expect(loadDataset({ name: "wdbc", dir })).rejects.toThrow(`${join(dir, "wdbc.csv")}: cannot read data file (file not found)`);
  });
});
