/**
 * JSONL and Parquet readers: round trips of real shared data through DuckDB (`COPY … TO …`),
 * compared with the CSV reader's result, and their error paths.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../../lib/data/readers/csv.ts";
import { parseJsonl, readJsonl } from "../../lib/data/readers/jsonl.ts";
import { parseParquet, readParquet } from "../../lib/data/readers/parquet.ts";
import { readTable } from "../../lib/data/readers/read-table.ts";
import { encodeTable, inferSchema, type RawTable, type TableSpec } from "../../lib/data/table.ts";

/** Temporary folders, removed after the file's tests. */
const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "al-tables-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const shared = join(import.meta.dirname, "../../../shared/data");
const dir = tempDir();
let conn: DuckDBConnection;
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

function encoded(table: RawTable, spec: TableSpec) {
  const schema = inferSchema([table], spec);
  return { schema, ...encodeTable(table, schema) };
}

describe("Parquet reader", () => {
  it("reads wdbc written by DuckDB to the same features and labels as the CSV", async () => {
    const csv = join(shared, "tabular/wdbc.csv");
    const out = join(dir, "wdbc.parquet");
    await conn.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${out}' (FORMAT parquet)`);
    const fromCsv = encoded(await readCsv(csv), { label: "label" });
    const fromParquet = encoded(await readTable(out), { label: "label" });
    expect(fromParquet.schema.featureNames).toEqual(fromCsv.schema.featureNames);
    expect(fromParquet.schema.classes).toEqual(["0", "1"]);
    expect(fromParquet.x!.data).toEqual(fromCsv.x!.data);
    expect(fromParquet.y).toEqual(fromCsv.y);
  });

  it("reads list columns as multi-labels, strings as categories, and gzip-compressed pages", async () => {
    const out = join(dir, "lists.parquet");
    await conn.run(
      `COPY (SELECT * FROM (VALUES (1.5, 'red', ['b', 'a']), (2.0, 'blue', ['c'])) t(size, colour, labels)) TO '${out}' (FORMAT parquet, COMPRESSION gzip)`,
    );
    const e = encoded(await readParquet(out), { labels: "labels" });
    expect(e.schema.featureNames).toEqual(["size", "colour=blue", "colour=red"]);
    expect(Array.from(e.x!.data)).toEqual([1.5, 0, 1, 2, 1, 0]);
    expect(e.schema.classes).toEqual(["a", "b", "c"]);
    expect(Array.from(e.labelSets!.data)).toEqual([1, 1, 0, 0, 0, 1]);
    expect(Array.from(e.y)).toEqual([1, 2]);
  });

  it("zstd pages: read where this Node has zstd, else a one-line hint to rewrite the file", async () => {
    const out = join(dir, "zstd.parquet");
    await conn.run(`COPY (SELECT 1 AS a, 'x' AS label) TO '${out}' (FORMAT parquet, COMPRESSION zstd)`);
    if ("zstdDecompressSync" in zlib) {
      expect((await readParquet(out)).rows).toEqual([[1, "x"]]);
    } else {
      await expect(readParquet(out)).rejects.toThrow(`${out}: cannot read Parquet file (parquet unsupported compression codec: ZSTD); rewrite the file with snappy or no compression`);
    }
  });

  it("names the file for a bad magic number and a truncated file; rows are located by number", async () => {
    await expect(parseParquet(new TextEncoder().encode("a,b\n1,2\n"), "x.parquet")).rejects.toThrow(
      'x.parquet: bad magic number 0x612c620a; expected a Parquet file (starting with "PAR1")',
    );
    const out = join(dir, "whole.parquet");
    await conn.run(`COPY (SELECT range AS a, range % 2 AS label FROM range(100)) TO '${out}' (FORMAT parquet)`);
    const bytes = readFileSync(out);
    await expect(parseParquet(bytes.subarray(0, bytes.length - 10), "cut.parquet")).rejects.toThrow("cut.parquet: truncated Parquet file");
    const table = await parseParquet(bytes, "whole.parquet");
    expect(table.rows).toHaveLength(100);
    expect(table.rows[99]).toEqual([99, 1]);
    expect(table.where(4)).toBe("row 5");
  });
});

describe("JSONL reader", () => {
  it("reads yeast written by DuckDB as JSON lines to the same features as the CSV", async () => {
    const csv = join(shared, "tabular/yeast-multilabel.csv");
    const out = join(dir, "yeast.jsonl");
    await conn.run(`COPY (SELECT * FROM read_csv('${csv}', all_varchar = false)) TO '${out}' (FORMAT json)`);
    const fromCsv = encoded(await readCsv(csv), { labels: "labels" });
    const fromJsonl = encoded(await readJsonl(out), { labels: "labels" });
    expect(fromJsonl.x!.data).toEqual(fromCsv.x!.data);
    expect(fromJsonl.labelSets!.data).toEqual(fromCsv.labelSets!.data);
    expect(fromJsonl.schema.classes).toEqual(fromCsv.schema.classes);
  });

  it("takes typed values and label lists; skips blank lines", () => {
    const t = parseJsonl('{"x": 1, "ok": true, "labels": ["a", "b"]}\r\n\n{"x": 2.5, "ok": false, "labels": "b"}\n', "l.jsonl");
    expect(t.columns).toEqual(["x", "ok", "labels"]);
    const e = encoded(t, { labels: "labels" });
    expect(Array.from(e.x!.data)).toEqual([1, 1, 2.5, 0]);
    expect(Array.from(e.labelSets!.data)).toEqual([1, 1, 0, 1]);
    expect(t.where(1)).toBe("line 3");
  });

  it("names file and line for invalid JSON, ragged records, nested values and NaN-like gaps", () => {
    expect(() => parseJsonl('{"a": 1}\n{"a": 2,}\n', "j.jsonl")).toThrow("j.jsonl: line 2: invalid JSON");
    expect(() => parseJsonl('{"a": 1}\n[1]\n', "j.jsonl")).toThrow("j.jsonl: line 2: expected a JSON object per line");
    expect(() => parseJsonl('{"a": 1, "b": 2}\n{"a": 1}\n', "j.jsonl")).toThrow('j.jsonl: line 2: missing field "b"');
    expect(() => parseJsonl('{"a": 1}\n{"a": 1, "c": 3}\n', "j.jsonl")).toThrow('j.jsonl: line 2: field "c" is not in the first record (fields a)');
    expect(() => parseJsonl('{"a": {"b": 1}}\n', "j.jsonl")).toThrow('j.jsonl: line 1, field "a": expected a number, string, boolean, null or a list');
    expect(() => parseJsonl("", "j.jsonl")).toThrow("j.jsonl: empty JSONL file");
    const gap = parseJsonl('{"a": 1, "label": "x"}\n{"a": null, "label": "y"}\n', "g.jsonl");
    expect(() => encoded(gap, { label: "label" })).toThrow('g.jsonl: line 2, column "a": missing value (null)');
    const noLabel = parseJsonl('{"a": 1, "label": null}\n', "n.jsonl");
    expect(() => encoded(noLabel, { label: "label" })).toThrow('n.jsonl: line 1, column "label": empty label');
  });

  it("picks the reader by extension", async () => {
    writeFileSync(join(dir, "t.ndjson"), '{"a": 1}\n');
    expect((await readTable(join(dir, "t.ndjson"))).rows).toEqual([[1]]);
    writeFileSync(join(dir, "t.tsv"), "a\tb\n1\t2\n");
    expect((await readTable(join(dir, "t.tsv"))).rows).toEqual([["1", "2"]]);
    expect(() => readTable(join(dir, "t.xlsx"))).toThrow("t.xlsx: unknown table format; expected a .csv, .tsv, .jsonl, .ndjson or .parquet file");
  });
});
