/**
 * Data provenance (issue 12): every loader says which files it read (`Dataset.readFrom`: absolute
 * path, sha256 of the bytes, size; an image folder as one entry), `al run` stores that and the
 * data checksum with each run (runs.data_checksum, data_files), and `al show` prints them: also
 * for an old run after its CSV was edited and re-run under a new id.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import type { CifarEntry } from "../../lib/data/catalog.ts";
import { loadImageFolder } from "../../lib/data/loaders/images.ts";
import { datasetRegistry, loadDataset } from "../../lib/data/registry.ts";
import { CIFAR_RECORD } from "../../lib/data/readers/cifar.ts";
import { queryStore } from "../cli/al.ts";
import { context } from "../reliability/harness.ts";
import { npy } from "./npy-fixtures.ts";

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "al-provenance-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const shared = join(import.meta.dirname, "../../../shared/data");
const sha = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** What readFrom must say of a file: computed here from its bytes. */
function entryOf(path: string): { path: string; sha256: string; bytes: number } {
  const bytes = readFileSync(path);
  return { path, sha256: sha(bytes), bytes: bytes.byteLength };
}

/** 60 rows of `a,b,y`: y = 1 where a + b > 10, with a few crossings so neither class is pure. */
function csv(): string {
  const lines = ["a,b,y"];
  for (let i = 0; i < 60; i++) {
    const a = i % 10;
    const b = (i * 7) % 11;
    lines.push(`${a},${b},${(a + b > 10) !== (i % 13 === 0) ? 1 : 0}`);
  }
  return lines.join("\n") + "\n";
}

describe("Dataset.readFrom: the files each loader read", () => {
  it("a user's CSV, and a .npy pair with a test pair (in the order file, labelsFile, testFile, testLabelsFile)", async () => {
    const dir = tempDir();
    const file = join(dir, "mine.csv");
    writeFileSync(file, csv());
    const ds = await loadDataset({ name: "mine", file, label: "y" });
    expect(ds.readFrom).toEqual([entryOf(file)]);

    const x = npy("<f8", [10, 2], Array.from({ length: 20 }, (_, k) => k));
    const y = npy("<i4", [10], Array.from({ length: 10 }, (_, r) => r % 2));
    const tx = npy("<f8", [4, 2], Array.from({ length: 8 }, (_, k) => k));
    const ty = npy("<i4", [4], [0, 1, 0, 1]);
    const paths = ["x.npy", "y.npy", "tx.npy", "ty.npy"].map((n) => join(dir, n));
    [x, y, tx, ty].forEach((bytes, i) => writeFileSync(paths[i]!, bytes));
    const arrays = await loadDataset({ name: "arrays", file: paths[0]!, labelsFile: paths[1]!, testFile: paths[2]!, testLabelsFile: paths[3]! });
    expect(arrays.readFrom).toEqual(paths.map(entryOf));
    // Four different files, so four different hashes (no entry is a copy of another's).
    expect(new Set(arrays.readFrom!.map((f) => f.sha256)).size).toBe(4);
  });

  it("catalogue sets: the located files, with the sha256 and size the catalogue lists for them", async () => {
    const wdbc = await loadDataset({ name: "wdbc", dir: join(shared, "tabular") });
    expect(wdbc.readFrom).toEqual([entryOf(join(shared, "tabular/wdbc.csv"))]);
    const listed = datasetRegistry.wdbc!.files[0]!;
    expect([wdbc.readFrom![0]!.sha256, wdbc.readFrom![0]!.bytes]).toEqual([listed.sha256, listed.bytes]);

    const small = await loadDataset({ name: "fashion-mnist-small", pool: 10, test: 10 }, { dataDir: "", download: false });
    const entry = datasetRegistry["fashion-mnist-small"]!;
    expect(small.readFrom!.map((f) => ({ sha256: f.sha256, bytes: f.bytes }))).toEqual(entry.files.map((f) => ({ sha256: f.sha256, bytes: f.bytes })));
    for (const f of small.readFrom!) expect(f).toEqual(entryOf(f.path));
  });

  it("CIFAR: the six batch files", async () => {
    const dir = tempDir();
    const real = datasetRegistry.cifar10 as CifarEntry;
    real.members.forEach((m, i) => {
      const bytes = new Uint8Array(2 * CIFAR_RECORD);
      bytes[0] = i;
      bytes[CIFAR_RECORD] = (i + 1) % 10;
      bytes[1 + i] = 200;
      writeFileSync(join(dir, m.name), bytes);
    });
    const ds = await loadDataset({ name: "cifar10", dir });
    expect(ds.readFrom).toEqual(real.members.map((m) => entryOf(join(dir, m.name))));
  });

  it("an image folder: one entry for the folder, its sha256 over each file's relative path and bytes, the total size and the count", async () => {
    const root = tempDir();
    const files: Record<string, Uint8Array> = {};
    for (const [k, cls] of [[0, "cat"], [1, "cat"], [2, "cat"], [3, "dog"], [4, "dog"], [5, "dog"]] as const) {
      const image = new PNG({ width: 2, height: 2 });
      image.data = Buffer.alloc(16, 40 * k);
      files[`${cls}/${k}.png`] = PNG.sync.write(image);
    }
    for (const [rel, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(root, "imgs", rel)), { recursive: true });
      writeFileSync(join(root, "imgs", rel), bytes);
    }
    const ds = await loadImageFolder({ images: "imgs", size: 1, testFraction: 0.34 }, { baseDir: root });
    // Listing order: classes in code-unit order, files in path order (the keys above already are).
    const perFile = Object.entries(files).map(([rel, bytes]) => createHash("sha256").update(`${rel}\0`).update(bytes).digest());
    const total = Object.values(files).reduce((n, b) => n + b.byteLength, 0);
    expect(ds.readFrom).toEqual([{ path: join(root, "imgs"), sha256: sha(Buffer.concat(perFile)), bytes: total, fileCount: 6 }]);
  });

  it("generated sets read no files", async () => {
    expect((await loadDataset({ name: "noisy-blobs", blobs: 4, perBlob: 5 })).readFrom).toEqual([]);
  });
});

describe("al run stores the data's provenance, al show prints it", () => {
  it("a user's CSV: al show names the file and its sha256; after an edit the new run has the new hash, the old run keeps the old", { timeout: 240_000 }, async () => {
    const ctx = context(tempDir());
    const file = ctx.file("mine.csv", csv());
    ctx.experiment("exp", {
      name: "mine",
      dataset: { file: "mine.csv", label: "y" },
      learner: "logistic",
      samplers: ["margin"],
      initial: { size: 10 },
      acquisition: { size: 5 },
      rounds: 1,
      seeds: [1],
    });
    const db = join(ctx.dir, "results/al.duckdb");
    const ids = async (): Promise<string[]> => (await queryStore(db, "SELECT run_id FROM runs ORDER BY started_at")).map((r) => String(r.run_id));
    const showRun = (id: string) => {
      const r = ctx.al("show", id);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };

    const first = ctx.al("run", "exp.ts", "--workers", "1");
    expect(first.code, first.stderr).toBe(0);
    const [oldId] = await ids();
    const oldBytes = readFileSync(file);
    const oldSha = sha(oldBytes);
    const [stored] = await queryStore(db, `SELECT data_checksum, data_files::VARCHAR AS files FROM runs WHERE run_id = '${oldId}'`);
    const checksum = (await loadDataset({ name: "mine", file, label: "y" })).checksum;
    expect(stored!.data_checksum).toBe(checksum);
    expect(JSON.parse(String(stored!.files))).toEqual([{ path: file, sha256: oldSha, bytes: oldBytes.byteLength }]);
    const text = showRun(oldId!);
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.startsWith("data: mine ("));
    expect(lines[at]).toMatch(new RegExp(`\\) · checksum ${checksum.slice(0, 16)}…$`));
    expect(lines[at + 1]).toBe(`  file: ${file} (sha256 ${oldSha}, ${oldBytes.byteLength} bytes)`);
    expect(JSON.parse(ctx.al("show", oldId!, "--json").stdout).data).toMatchObject({ checksum, files: [{ path: file, sha256: oldSha, bytes: oldBytes.byteLength }] });

    // One cell changes: new bytes, new checksum, so a new run; the old run still says what it read.
    writeFileSync(file, csv().replace("\n3,10,1\n", "\n3,10,0\n"));
    const newBytes = readFileSync(file);
    expect(sha(newBytes)).not.toBe(oldSha);
    const second = ctx.al("run", "exp.ts", "--workers", "1");
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout + second.stderr).toContain("mine: 1 done, 0 reused, 0 failed");
    const after = await ids();
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(oldId);
    const newId = after[1]!;
    expect(showRun(newId)).toContain(`\n  file: ${file} (sha256 ${sha(newBytes)}, ${newBytes.byteLength} bytes)\n`);
    const old = showRun(oldId!);
    expect(old).toContain(`\n  file: ${file} (sha256 ${oldSha}, ${oldBytes.byteLength} bytes)\n`);
    expect(old).not.toContain(sha(newBytes));
    expect(statSync(file).size).toBe(newBytes.byteLength);
  });
});
