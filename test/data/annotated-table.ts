/**
 * A small real table with an annotator's labels and per-row costs, for the column oracle and
 * cost tests: the first rows of the shared Pima diabetes CSV, an `annotator` column that is the
 * true label except on every row i with i % 10 === 3 (flipped: pos ↔ neg), and a `seconds`
 * column of 1 + i % 4. Written as CSV, JSONL and Parquet (through DuckDB) with the same cells.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const sharedTabular = join(import.meta.dirname, "../../../shared/data/tabular");

export interface AnnotatedTable {
  csv: string;
  /** The header and data rows as written (strings). */
  header: string[];
  rows: string[][];
  /** Per data row: the true label, the annotator's label and the cost. */
  truth: string[];
  annotator: string[];
  seconds: number[];
}

/** The rows whose annotator label is wrong. */
export const isFlipped = (row: number): boolean => row % 10 === 3;

export function writeAnnotatedCsv(dir: string, count: number, name = "annotated.csv"): AnnotatedTable {
  const lines = readFileSync(join(sharedTabular, "diabetes.csv"), "utf8").trim().split(/\r?\n/);
  const header = [...lines[0]!.split(","), "annotator", "seconds"];
  const data = lines.slice(1, count + 1).map((l) => l.split(","));
  const truth = data.map((r) => r.at(-1)!);
  const annotator = truth.map((t, i) => (isFlipped(i) ? (t === "pos" ? "neg" : "pos") : t));
  const seconds = data.map((_, i) => 1 + (i % 4));
  const rows = data.map((r, i) => [...r, annotator[i]!, String(seconds[i])]);
  const csv = join(dir, name);
  writeFileSync(csv, [header, ...rows].map((r) => r.join(",")).join("\n") + "\n");
  return { csv, header, rows, truth, annotator, seconds };
}

/** The same table as JSONL and Parquet beside the CSV (DuckDB types the numbers). */
export async function writeJsonlAndParquet(table: AnnotatedTable): Promise<{ jsonl: string; parquet: string }> {
  const jsonl = table.csv.replace(/\.csv$/, ".jsonl");
  const parquet = table.csv.replace(/\.csv$/, ".parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const source = `read_csv('${table.csv}', header = true)`;
    await conn.run(`COPY (SELECT * FROM ${source}) TO '${jsonl}' (FORMAT json)`);
    await conn.run(`COPY (SELECT * FROM ${source}) TO '${parquet}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return { jsonl, parquet };
}

export const sharedText = join(import.meta.dirname, "../../../shared/data/text");

/**
 * The same annotator and costs on a small real text table: `count` sentences of the shared
 * subjectivity set (SUBJ, labels 0/1, sorted by label in the file, so rows alternate between
 * its two halves) in a `text` column, with `label`, `annotator` (flipped on rows i % 10 === 3)
 * and `seconds` (1 + i % 4).
 */
export function writeAnnotatedTextCsv(dir: string, count: number, name = "annotated-text.csv"): AnnotatedTable {
  const lines = readFileSync(join(sharedText, "subj/all.csv"), "utf8").trim().split(/\r?\n/);
  const body = lines.slice(1);
  // Each line is `"sentence",label` (no quotes or newlines inside the sentence).
  const picked = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? body[i / 2]! : body[body.length - 1 - (i - 1) / 2]!));
  const header = ["text", "label", "annotator", "seconds"];
  const split = picked.map((l) => [l.slice(0, l.lastIndexOf(",")), l.slice(l.lastIndexOf(",") + 1)] as const);
  const truth = split.map(([, label]) => label);
  const annotator = truth.map((t, i) => (isFlipped(i) ? (t === "1" ? "0" : "1") : t));
  const seconds = split.map((_, i) => 1 + (i % 4));
  const rows = split.map(([text, label], i) => [text, label, annotator[i]!, String(seconds[i])]);
  const csv = join(dir, name);
  writeFileSync(csv, [header, ...rows].map((r) => r.join(",")).join("\n") + "\n");
  return { csv, header, rows, truth, annotator, seconds };
}
