/**
 * A user's table with an annotator's labels and a cost per row (`oracle: { column }`,
 * `cost: { column }`): the columns travel with every row through split and limits, never become
 * features, read the same from CSV, JSONL and Parquet, and bad cells are one-line errors naming
 * the file, the line and the column.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dataset } from "../../lib/data/dataset.ts";
import { checkDatasetRef, loadDataset } from "../../lib/data/registry.ts";
import type { FileDatasetConfig } from "../../lib/experiments/spec.ts";
import { isFlipped, writeAnnotatedCsv, writeJsonlAndParquet, type AnnotatedTable } from "./annotated-table.ts";

const dir = mkdtempSync(join(tmpdir(), "al-annotations-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FEATURES = ["pregnant", "glucose", "pressure", "triceps", "insulin", "mass", "pedigree", "age"];
const annotations = { oracle: ["annotator"], cost: "seconds" };
const ref = (file: string, extra: Partial<FileDatasetConfig> = {}): FileDatasetConfig => ({ file, name: "pima", label: "label", testFraction: 0.25, annotations, ...extra });

async function errorOf(config: FileDatasetConfig): Promise<string> {
  try {
    await loadDataset(config);
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

let table: AnnotatedTable;
let csv: Dataset;
beforeAll(async () => {
  table = writeAnnotatedCsv(dir, 120);
  csv = await loadDataset(ref(table.csv));
});

describe("annotation columns of a user's table", () => {
  it("give each pool point its own row's annotator label and cost, and stay out of the features", () => {
    const { pool, classes } = csv;
    expect(csv.features).toEqual(FEATURES);
    expect(pool.x.c).toBe(8);
    expect(pool.y.length).toBe(90);
    for (let i = 0; i < pool.y.length; i++) {
      const row = pool.rows![i]!;
      expect(classes[pool.y[i]!]).toBe(table.truth[row]);
      expect(classes[pool.annotators!.annotator![i]!]).toBe(table.annotator[row]);
      expect(pool.costs![i]).toBe(table.seconds[row]);
      // The annotator is wrong exactly on the flipped rows.
      expect(pool.annotators!.annotator![i] !== pool.y[i]).toBe(isFlipped(row));
    }
  });

  it("without the annotations the same file would train on them (a one-hot annotator and a seconds column)", async () => {
    const plain = await loadDataset(ref(table.csv, { annotations: undefined }));
    expect(plain.features).toEqual([...FEATURES, "annotator=neg", "annotator=pos", "seconds"]);
    expect(plain.checksum).not.toBe(csv.checksum);
  });

  it("read the same from JSONL and Parquet", async () => {
    const { jsonl, parquet } = await writeJsonlAndParquet(table);
    for (const file of [jsonl, parquet]) {
      const other = await loadDataset(ref(file));
      expect(other.features).toEqual(FEATURES);
      expect([...other.pool.rows!]).toEqual([...csv.pool.rows!]);
      expect([...other.pool.annotators!.annotator!]).toEqual([...csv.pool.annotators!.annotator!]);
      expect([...other.pool.costs!]).toEqual([...csv.pool.costs!]);
      expect([...other.pool.x.data]).toEqual([...csv.pool.x.data]);
    }
  });

  it("follow the rows through pool / test limits and swap", async () => {
    const limited = await loadDataset(ref(table.csv, { pool: 30, swap: true }));
    for (let i = 0; i < 30; i++) {
      const row = limited.pool.rows![i]!;
      expect(limited.classes[limited.pool.annotators!.annotator![i]!]).toBe(table.annotator[row]);
      expect(limited.pool.costs![i]).toBe(table.seconds[row]);
    }
  });

  /** The table with one cell replaced (data row `row`, column `column`), written as a new file. */
  const edited = (name: string, row: number, column: string, value: string): string => {
    const j = table.header.indexOf(column);
    const rows = table.rows.map((r, i) => (i === row ? r.map((c, k) => (k === j ? value : c)) : r));
    const file = join(dir, name);
    writeFileSync(file, [table.header, ...rows].map((r) => r.join(",")).join("\n") + "\n");
    return file;
  };

  it("refuse bad cells with one line: file, line, column and the fix", async () => {
    // Data row 5 is line 7 (the header is line 1).
    const unknown = edited("unknown.csv", 5, "annotator", "maybe");
    expect(await errorOf(ref(unknown))).toBe(`${unknown}: line 7, column "annotator": label "maybe" is not one of the classes neg, pos; the annotator's labels must use the label column's classes`);
    const empty = edited("empty.csv", 0, "annotator", "");
    expect(await errorOf(ref(empty))).toBe(`${empty}: line 2, column "annotator": missing label (""); the oracle column needs one annotator's label per row (fill the cell or drop the row)`);
    const negative = edited("negative.csv", 9, "seconds", "-2");
    expect(await errorOf(ref(negative))).toBe(`${negative}: line 11, column "seconds": cost "-2" is not a finite number > 0; fix the cell (every label costs something)`);
    const zero = edited("zero.csv", 9, "seconds", "0");
    expect(await errorOf(ref(zero))).toBe(`${zero}: line 11, column "seconds": cost "0" is not a finite number > 0; fix the cell (every label costs something)`);
    const text = edited("text.csv", 3, "seconds", "slow");
    expect(await errorOf(ref(text))).toBe(`${text}: line 5, column "seconds": "slow" is not a number; the cost column needs a number > 0 per row`);
    const blank = edited("blank.csv", 3, "seconds", "");
    expect(await errorOf(ref(blank))).toBe(`${blank}: line 5, column "seconds": missing cost (""); the cost column needs a number > 0 per row`);
  });

  it("refuse an absent column (listing the columns there), a column that is also a feature or the label, and non-table files", async () => {
    const columns = table.header.join(", ");
    expect(await errorOf(ref(table.csv, { annotations: { oracle: ["rater"] } }))).toBe(`${table.csv}: no oracle column "rater"; the columns are ${columns}`);
    expect(await errorOf(ref(table.csv, { annotations: { cost: "minutes" } }))).toBe(`${table.csv}: no cost column "minutes"; the columns are ${columns}`);
    expect(await errorOf(ref(table.csv, { features: [...FEATURES, "annotator"] }))).toBe('table spec: feature column "annotator" is the oracle or cost column; remove it from dataset.features');
    expect(await errorOf(ref(table.csv, { annotations: { oracle: ["label"] } }))).toBe(
      'table spec: column "label" holds annotations (oracle or cost), so it cannot also be the label, text or noise-flag column; name another column',
    );
    expect(await errorOf(ref(table.csv, { annotations: { oracle: ["annotator"], cost: "annotator" } }))).toBe('table spec: column "annotator" cannot hold both an annotator\'s labels and costs; name two columns');
    expect(() => checkDatasetRef({ file: join(dir, "arrays.npz"), name: "arrays", annotations: { oracle: ["annotator"] } }, "dataset")).toThrow(
      "dataset: oracle.column applies only to table files (csv, tsv, jsonl, parquet), not npz; convert the data to a table, or use { noise } or { confusion }",
    );
  });
});

describe("an annotator's label sets on a multi-label table", () => {
  // 40 rows, 3 labels; the annotator drops label "c" from every row that has it, and row 7 (line 9) gives {b}.
  const rows = Array.from({ length: 40 }, (_, i) => {
    const truth = ["a", "b", "c"].filter((_, l) => ((i + l) % 3 !== 0) || l === 0);
    const given = i === 7 ? ["b"] : truth.filter((l) => l !== "c").length > 0 ? truth.filter((l) => l !== "c") : ["a"];
    return { x: i / 40, truth, given };
  });
  const multiRef = (file: string): FileDatasetConfig => ({ file, name: "sets", labels: "labels", separator: "|", testFraction: 0.25, annotations: { oracle: ["annotator"] } });

  it("reads joined (CSV) and list (JSONL) cells alike: a 0/1 set per pool point and its first listed label", async () => {
    const csvPath = join(dir, "sets.csv");
    writeFileSync(csvPath, ["x,labels,annotator", ...rows.map((r) => `${r.x},${r.truth.join("|")},${r.given.join("|")}`)].join("\n") + "\n");
    const jsonlPath = join(dir, "sets.jsonl");
    writeFileSync(jsonlPath, rows.map((r) => JSON.stringify({ x: r.x, labels: r.truth, annotator: r.given })).join("\n") + "\n");
    const fromCsv = await loadDataset(multiRef(csvPath));
    const fromJsonl = await loadDataset(multiRef(jsonlPath));
    for (const ds of [fromCsv, fromJsonl]) {
      const { pool, classes } = ds;
      const sets = pool.annotatorSets!.annotator!;
      expect([sets.n, sets.c]).toEqual([30, 3]);
      for (let i = 0; i < 30; i++) {
        const r = rows[pool.rows![i]!]!;
        expect(classes.filter((_, l) => sets.data[i * 3 + l] === 1)).toEqual([...r.given].sort());
        expect(classes[pool.annotators!.annotator![i]!]).toBe(r.given[0]);
      }
      // Never a feature.
      expect(ds.features).toEqual(["x"]);
    }
    expect([...fromJsonl.pool.annotatorSets!.annotator!.data]).toEqual([...fromCsv.pool.annotatorSets!.annotator!.data]);
  });

  it("refuses an empty set, or a label outside the table's labels, naming file, line and column", async () => {
    const bad = (cell: string) => {
      const path = join(dir, `sets-bad-${cell.length}.jsonl`);
      writeFileSync(path, rows.map((r, i) => (i === 4 ? `{"x": ${r.x}, "labels": ${JSON.stringify(r.truth)}, "annotator": ${cell}}` : JSON.stringify({ x: r.x, labels: r.truth, annotator: r.given }))).join("\n") + "\n");
      return errorOf(multiRef(path));
    };
    expect(await bad("[]")).toMatch(/sets-bad-2\.jsonl: line 5, column "annotator": missing label set \(\[\]\); the oracle column needs one annotator's label set per row \(fill the cell or drop the row\)$/);
    expect(await bad('["a", "zz"]')).toMatch(/line 5, column "annotator": label "zz" is not one of the labels a, b, c; the annotator's label sets must use the data set's labels$/);
  });
});
