/**
 * A catalogue set read from the user's own copy (`dataset.dir`): which columns are used, the
 * `noisy` flag column, and the source row of every point in every split.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../lib/data/registry.ts";
import { MAX_FEATURE_MAGNITUDE } from "../../lib/data/table.ts";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding `files` (name → text). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "al-own-"));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const HEADER = "pregnant,glucose,pressure,triceps,insulin,mass,pedigree,age";

/** 50 rows; feature k of row r is 100·r + k (so a row's features name it), label r mod 2; noisy every 5th row. */
function diabetesCsv(withNoisy: boolean): string {
  const lines = [`${HEADER},label${withNoisy ? ",noisy" : ""}`];
  for (let r = 0; r < 50; r++) {
    const features = Array.from({ length: 8 }, (_, k) => 100 * r + k);
    lines.push([...features, r % 2, ...(withNoisy ? [r % 5 === 0 ? 1 : 0] : [])].join(","));
  }
  return lines.join("\n") + "\n";
}

describe("a catalogue set from the user's own file", () => {
  it("reads a noisy column as the noise flag, not as a feature", async () => {
    const dir = folder({ "diabetes.csv": diabetesCsv(true) });
    const ds = await loadDataset({ name: "diabetes", dir });
    expect(ds.features).toEqual(HEADER.split(","));
    expect(ds.pool.x.c).toBe(8);
    for (const split of [ds.pool, ds.test]) {
      expect(split.noisy).toBeDefined();
      // The flag follows its row through the seeded split: rows 0, 5, 10, … are flagged.
      split.rows!.forEach((row, i) => expect(split.noisy![i], `row ${row}`).toBe(row % 5 === 0 ? 1 : 0));
    }
  });

  it("gives every point of every split its source row; the features are that row's", async () => {
    const dir = folder({ "diabetes.csv": diabetesCsv(false) });
    const ds = await loadDataset({ name: "diabetes", dir, validationFraction: 0.2 });
    const all = [ds.pool, ds.test, ds.validation!].flatMap((s) => Array.from(s.rows!));
    // 50 rows: 10 test (0.2), 10 validation, 30 pool; together each row exactly once.
    expect([ds.pool.rows!.length, ds.test.rows!.length, ds.validation!.rows!.length]).toEqual([30, 10, 10]);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const split of [ds.pool, ds.test, ds.validation!]) {
      split.rows!.forEach((row, i) => {
        expect(split.x.data[i * 8]).toBe(100 * row);
        expect(split.y[i]).toBe(ds.classes.indexOf(String(row % 2)));
      });
    }
  });

  it("keeps source rows through the pool limit", async () => {
    const dir = folder({ "diabetes.csv": diabetesCsv(false) });
    const ds = await loadDataset({ name: "diabetes", dir, pool: 7 });
    expect(ds.pool.rows!.length).toBe(7);
    ds.pool.rows!.forEach((row, i) => expect(ds.pool.x.data[i * 8 + 3]).toBe(100 * row + 3));
  });

  it("predefined parts: rows count within each part's own file", async () => {
    const text = (labels: string[]) => ["text,label", ...labels.map((l, i) => `"w${i} ${l}",${l}`)].join("\n") + "\n";
    const dir = folder({ "train.csv": text(["a", "b", "a", "b"]), "test.csv": text(["b", "a", "b"]) });
    const ds = await loadDataset({ name: "trec", dir, features: "tfidf", vocabSize: 10 });
    expect(Array.from(ds.pool.rows!)).toEqual([0, 1, 2, 3]);
    expect(Array.from(ds.test.rows!)).toEqual([0, 1, 2]);
    expect(ds.test.texts![2]).toBe("w2 b");
  });

  it("refuses columns the entry does not read, naming them", async () => {
    const lines = diabetesCsv(false).trimEnd().split("\n");
    const csv = lines.map((line, i) => (i === 0 ? `${line},id,flag` : `${line},${i},0`)).join("\n") + "\n";
    const dir = folder({ "diabetes.csv": csv });
    await expect(loadDataset({ name: "diabetes", dir })).rejects.toThrow(/diabetes\.csv: unexpected columns "id", "flag"; this data set reads only label, 8 feature columns/);
  });

  it("refuses a header-only file, a feature beyond 1e30 and a noisy value other than 0/1, with line and column", async () => {
    const header = `${HEADER},label\n`;
    await expect(loadDataset({ name: "diabetes", dir: folder({ "diabetes.csv": header }) })).rejects.toThrow("diabetes.csv: the file has no data rows, only a header");
    const huge = diabetesCsv(false).replace("\n100,", "\n2e30,");
    expect(2e30).toBeGreaterThan(MAX_FEATURE_MAGNITUDE);
    await expect(loadDataset({ name: "diabetes", dir: folder({ "diabetes.csv": huge }) })).rejects.toThrow(
      /diabetes\.csv: line 3, column "pregnant": "2e30" is too large for the float32 learners/,
    );
    // 1e30 itself is accepted (the bound is inclusive).
    const edge = diabetesCsv(false).replace("\n100,", "\n1e30,");
    await expect(loadDataset({ name: "diabetes", dir: folder({ "diabetes.csv": edge }) })).resolves.toBeDefined();
    const noisy = diabetesCsv(true).replace(/,1,0\n/, ",1,yes\n");
    await expect(loadDataset({ name: "diabetes", dir: folder({ "diabetes.csv": noisy }) })).rejects.toThrow(/line 3, column "noisy": "yes" is not 0 or 1/);
  });
});
