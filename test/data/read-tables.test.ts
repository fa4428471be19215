/**
 * Streaming `readTables`: the same schema and arrays as the whole-file path (parse the text, then
 * `inferSchema` + `encodeTable`), with chunks small enough to split quotes, CRLFs and UTF-8
 * characters; errors with the stream's line numbers; the `noisy` and `labels` spec options.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import { catalog, type TableEntry } from "../../lib/data/catalog.ts";
import { readTables } from "../../lib/data/read-tables.ts";
import { CsvReader, parseCsv } from "../../lib/data/readers/csv.ts";
import { JsonlReader, parseJsonl } from "../../lib/data/readers/jsonl.ts";
import { readTable } from "../../lib/data/readers/read-table.ts";
import { encodeTable, inferSchema, type Cell, type TableSpec } from "../../lib/data/table.ts";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "al-stream-"));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const shared = join(import.meta.dirname, "../../../shared/data");

/** The whole-file path: every file parsed to cells, then one schema, then each table encoded. */
async function wholeFile(paths: string[], spec: TableSpec) {
  const raw = [];
  for (const path of paths) raw.push(await readTable(path));
  const schema = inferSchema(raw, spec);
  return { schema, tables: raw.map((t) => encodeTable(t, schema)) };
}

/** Same array type and the same bytes (quicker than an element-wise toEqual on 3 million floats). */
function expectSameBits(a: ArrayBufferView | undefined, b: ArrayBufferView | undefined): void {
  expect(a?.constructor).toBe(b?.constructor);
  if (!a || !b) return;
  expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
}

async function expectSameAsWholeFile(paths: string[], spec: TableSpec, chunkSize?: number) {
  const whole = await wholeFile(paths, spec);
  const streamed = await readTables(paths, spec, chunkSize !== undefined ? { chunkSize } : {});
  expect(streamed.schema).toEqual(whole.schema);
  expect(streamed.tables).toHaveLength(whole.tables.length);
  streamed.tables.forEach((t, i) => {
    const w = whole.tables[i]!;
    expectSameBits(t.x?.data, w.x?.data);
    expect(t.x?.c).toEqual(w.x?.c);
    expectSameBits(t.y, w.y);
    expectSameBits(t.labelSets?.data, w.labelSets?.data);
    expect(t.texts).toEqual(w.texts);
    expectSameBits(t.noisy, w.noisy);
    expectSameBits(t.rows, w.rows);
  });
  return streamed;
}

/** Rows and their lines from a CsvReader fed `pieces`. */
function csvPieces(pieces: string[], source = "p.csv") {
  const rows: string[][] = [];
  const lines: number[] = [];
  let columns: string[] = [];
  const reader = new CsvReader(source, {}, { header: (c) => (columns = c), row: (f, line) => (rows.push(f), lines.push(line)) });
  for (const piece of pieces) reader.push(piece);
  reader.end();
  return { columns, rows, lines };
}

// Quotes with commas, doubled quotes and CRLF inside, CRLF line ends, a BOM, blank lines, and
// characters of 2, 3 and 4 UTF-8 bytes.
const TRICKY = '\ufeffid,text,label\r\n1,"a, b",é\r\n\r\n2,"say ""hi"" 日本",y\r\n3,"two\r\nlines 🙂",é\r\n4,,y\r\n\r\n';

describe("CsvReader across chunk boundaries", () => {
  it("gives parseCsv's rows and lines for every split of the text into two and three pieces", () => {
    const whole = parseCsv(TRICKY, "p.csv");
    const lines = whole.rows.map((_, r) => Number(whole.where(r).slice(5)));
    expect(lines).toEqual([2, 4, 5, 7]);
    for (let a = 0; a <= TRICKY.length; a++) {
      const two = csvPieces([TRICKY.slice(0, a), TRICKY.slice(a)]);
      expect(two.columns, `split at ${a}`).toEqual(["id", "text", "label"]);
      expect(two.rows, `split at ${a}`).toEqual(whole.rows);
      expect(two.lines, `split at ${a}`).toEqual(lines);
      for (let b = a; b <= TRICKY.length; b += 3) {
        const three = csvPieces([TRICKY.slice(0, a), TRICKY.slice(a, b), TRICKY.slice(b)]);
        expect(three.rows, `split at ${a}, ${b}`).toEqual(whole.rows);
        expect(three.lines, `split at ${a}, ${b}`).toEqual(lines);
      }
    }
  });

  it("one character at a time: the same rows (a long record is not lost while it waits)", () => {
    const long = `a,b\n"${"x,".repeat(500)}""q""",1\n2,3`;
    const pieces = [...long];
    expect(csvPieces(pieces).rows).toEqual([[`${"x,".repeat(500)}"q"`, "1"], ["2", "3"]]);
  });
});

describe("readTables streams files to the whole-file arrays", () => {
  it("tricky CSV read one byte at a time: UTF-8 characters split between chunks come out whole", async () => {
    // A text set reads only its label, its text and the flag: the id column serves as the flag.
    const bad = folder({ "t.csv": TRICKY });
    await expect(readTables([join(bad, "t.csv")], { label: "label", text: "text", noisy: "id" }, { chunkSize: 1 })).rejects.toThrow(
      `${join(bad, "t.csv")}: line 4, column "id": "2" is not 0 or 1; the "id" column flags mislabelled points`,
    );
    const ok = folder({ "t.csv": TRICKY.replace("\r\n2,", "\r\n0,").replace("\r\n3,", "\r\n1,").replace("\r\n4,", "\r\n0,") });
    for (const chunkSize of [1, 2, 3, 5]) {
      const t = await expectSameAsWholeFile([join(ok, "t.csv")], { label: "label", text: "text", noisy: "id" }, chunkSize);
      expect(t.tables[0]!.texts).toEqual(["a, b", 'say "hi" 日本', "two\r\nlines 🙂", ""]);
      expect(t.schema.classes).toEqual(["y", "é"]);
      expect(Array.from(t.tables[0]!.y)).toEqual([1, 0, 1, 0]);
      expect(Array.from(t.tables[0]!.noisy!)).toEqual([1, 0, 1, 0]);
    }
  });

  it("invalid UTF-8 becomes U+FFFD as in the whole-file read, also when the bad bytes straddle chunks", async () => {
    const bytes = Buffer.concat([Buffer.from("t,label\n"), Buffer.from([0x61, 0xff, 0x62, 0xc3]), Buffer.from(",x\n"), Buffer.from([0xe6, 0x97]), Buffer.from("z,y\n")]);
    const dir = folder({ "u.csv": bytes });
    for (const chunkSize of [1, 2, 3]) {
      const t = await expectSameAsWholeFile([join(dir, "u.csv")], { label: "label", text: "t" }, chunkSize);
      expect(t.tables[0]!.texts).toEqual(["a\ufffdb\ufffd", "\ufffdz"]);
    }
  });

  // Every table set of the catalogue, from the shared copies: schema, arrays and sha256.
  const tableSets = catalog.filter((e): e is TableEntry => "table" in e);
  it.each(tableSets.map((e) => [e.name, e] as const))("catalogue set %s: same arrays as the whole-file path, sha256 as catalogued", async (_, entry) => {
    const paths = entry.files.map((f) => join(shared, f.path));
    // An odd chunk size, so chunks end inside fields, quotes and CRLFs all through the files.
    const streamed = await expectSameAsWholeFile(paths, entry.table, 4093);
    expect(streamed.sha256).toEqual(entry.files.map((f) => f.sha256));
  });

  it("JSONL with CRLF, a BOM, blank lines and split characters, one byte at a time", async () => {
    const text = '\ufeff{"x": 1, "t": "é🙂", "labels": ["a", "b"]}\r\n\r\n{"x": 2.5, "t": "日本", "labels": "b"}\n\n{"x": -3, "t": "", "labels": ["c"]}';
    const dir = folder({ "l.jsonl": text });
    for (const chunkSize of [1, 2, 7]) {
      const t = await expectSameAsWholeFile([join(dir, "l.jsonl")], { labels: "labels", text: "t", features: ["x"] }, chunkSize);
      expect(Array.from(t.tables[0]!.x!.data)).toEqual([1, 2.5, -3]);
      expect(t.tables[0]!.texts).toEqual(["é🙂", "日本", ""]);
      expect(Array.from(t.tables[0]!.labelSets!.data)).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 1]);
    }
    // The JsonlReader on its own: lines keep their numbers across pieces.
    const lines: number[] = [];
    const reader = new JsonlReader("l.jsonl", { header: () => {}, row: (_: Cell[], line) => lines.push(line) });
    for (const c of text) reader.push(c);
    reader.end();
    expect(lines).toEqual([1, 3, 5]);
    expect(parseJsonl(text, "l.jsonl").where(2)).toBe("line 5");
  });

  it("Parquet row group by row group: letter in 2,048-row groups gives the CSV's arrays; errors give the file's row", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const dir = folder({});
      const csv = join(shared, "tabular/letter.csv");
      const out = join(dir, "letter.parquet");
      await conn.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${out}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
      const bytes = readFileSync(out);
      expect(parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).row_groups.length).toBeGreaterThan(5);
      const entry = catalog.find((e) => e.name === "letter") as TableEntry;
      const fromCsv = await readTables([csv], entry.table);
      const fromParquet = await expectSameAsWholeFile([out], entry.table);
      expectSameBits(fromParquet.tables[0]!.x!.data, fromCsv.tables[0]!.x!.data);
      expectSameBits(fromParquet.tables[0]!.y, fromCsv.tables[0]!.y);
      // Row 15,000 (in the eighth group) holds text in a numeric column.
      const bad = join(dir, "bad.parquet");
      await conn.run(`COPY (SELECT CASE WHEN range = 14999 THEN 'abc' ELSE CAST(range AS VARCHAR) END AS a, range % 3 AS label FROM range(20000)) TO '${bad}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
      await expect(readTables([bad], { label: "label" })).rejects.toThrow(`${bad}: row 15000, column "a": "abc" is not a number`);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe("readTables errors name the file and the stream's line", () => {
  const read = (text: string, spec: TableSpec = { label: "label" }, name = "e.csv") => {
    const dir = folder({ [name]: text });
    return readTables([join(dir, name)], spec, { chunkSize: 2 }).then(
      () => "no error",
      (e: Error) => e.message.replace(`${dir}/`, ""),
    );
  };

  it("CSV syntax: parseCsv's messages, with lines counted through multi-line fields", async () => {
    expect(await read('a,label\n"x\r\ny",1\n2,3,4\n')).toBe('e.csv: line 4: 3 fields, expected 2 as in the header; quote fields that contain ","');
    expect(await read('a,label\n1,2\n3,"open\n4,5\n')).toBe('e.csv: line 3: unterminated quoted field 2; close the quote (write a quote inside a field as "")');
    expect(await read('a,label\n"x"y,1\n')).toBe('e.csv: line 2: unexpected "y" after the closing quote of field 1; quote the whole field');
    expect(await read("a,a\n1,2\n")).toBe('e.csv: line 1: duplicate column "a" in the header');
    expect(await read("\r\n\r\n")).toBe("e.csv: empty CSV file; expected a header line");
    expect(await read("a,label\n")).toBe("e.csv: the file has no data rows, only a header; add rows or point dataset.dir at another copy");
  });

  it("values: line and column of the first bad cell, after a quoted multi-line text", async () => {
    expect(await read('a,b,label\n1,"2",x\n"3",\n"4",y\n5,6,y\n')).toBe('e.csv: line 3: 2 fields, expected 3 as in the header; quote fields that contain ","');
    expect(await read('a,t,label\n1,"x\ny",p\n2,z,\n', { label: "label", features: ["a"], text: "t" })).toBe('e.csv: line 4, column "label": empty label; every row needs a label');
    expect(await read("a,b,label\n1,2,x\n3,abc,y\n")).toBe(
      'e.csv: line 3, column "b": "abc" is not a number; fix the value (a column is one-hot encoded only when none of its values is a number)',
    );
    expect(await read('a,label\n1,x\n"\n",y\nNaN,x\n')).toBe('e.csv: line 3, column "a": missing value ("\\n"); impute it or drop the row');
    expect(await read('{"a": 1, "label": "x"}\n\n{"a": 2,}\n', { label: "label" }, "e.jsonl")).toMatch(/^e\.jsonl: line 3: invalid JSON/);
    expect(await read('{"a": 1, "label": "x"}\r\n{"a": null, "label": "y"}\r\n', { label: "label" }, "e.jsonl")).toBe('e.jsonl: line 2, column "a": missing value (null); impute it or drop the row');
    const missing = join(folder({}), "none.csv");
    await expect(readTables([missing], { label: "label" })).rejects.toThrow(`${missing}: cannot read data file (file not found)`);
  });
});

describe("TableSpec: noisy and labels options", () => {
  const spec = async (text: string, s: TableSpec) => {
    const dir = folder({ "s.csv": text });
    return expectSameAsWholeFile([join(dir, "s.csv")], s, 3);
  };

  it("noisy names the flag column; a column called noisy is then a feature; by default noisy is the flag", async () => {
    const text = "f,noisy,flag,label\n1,5,0,a\n2,6,1,b\n3,7,1,a\n";
    const named = await spec(text, { label: "label", noisy: "flag" });
    expect(named.schema.featureNames).toEqual(["f", "noisy"]);
    expect(Array.from(named.tables[0]!.noisy!)).toEqual([0, 1, 1]);
    expect(Array.from(named.tables[0]!.x!.data)).toEqual([1, 5, 2, 6, 3, 7]);
    const byDefault = await spec("f,noisy,label\n1,1,a\n2,0,b\n", { label: "label" });
    expect(byDefault.schema.featureNames).toEqual(["f"]);
    expect(Array.from(byDefault.tables[0]!.noisy!)).toEqual([1, 0]);
    const without = await spec("f,label\n1,a\n", { label: "label" });
    expect(without.tables[0]!.noisy).toBeUndefined();
    const dir = folder({ "s.csv": "f,label\n1,a\n", "t.csv": "f,flag,label\n1,2,a\n" });
    await expect(readTables([join(dir, "s.csv")], { label: "label", noisy: "flag" })).rejects.toThrow(`${join(dir, "s.csv")}: no noise-flag column "flag"; the columns are f, label`);
    await expect(readTables([join(dir, "t.csv")], { label: "label", noisy: "flag" })).rejects.toThrow(
      `${join(dir, "t.csv")}: line 2, column "flag": "2" is not 0 or 1; the "flag" column flags mislabelled points`,
    );
    expect(() => inferSchema([parseCsv("a,label\n1,x\n", "x.csv")], { label: "label", noisy: "label" })).toThrow('table spec: the noise-flag column "label" cannot also be a label or text column');
  });

  it("labels as several 0/1 columns: classes in the listed order, y = first flagged, sets from the flags", async () => {
    const text = "f1,cat,f2,dog,bird\n0.5,1,2,0,1\n1.5,0,3,1,0\n2.5,1,4,1,1\n";
    const e = await spec(text, { labels: ["dog", "cat", "bird"] });
    expect(e.schema.task).toBe("multilabel");
    expect(e.schema.classes).toEqual(["dog", "cat", "bird"]);
    expect(e.schema.featureNames).toEqual(["f1", "f2"]);
    expect(Array.from(e.tables[0]!.x!.data)).toEqual([0.5, 2, 1.5, 3, 2.5, 4]);
    // Rows: {cat, bird}, {dog}, {dog, cat, bird} in the order dog, cat, bird.
    expect(Array.from(e.tables[0]!.labelSets!.data)).toEqual([0, 1, 1, 1, 0, 0, 1, 1, 1]);
    expect(Array.from(e.tables[0]!.y)).toEqual([1, 0, 0]);
    // JSON booleans flag labels too.
    const dir = folder({ "b.jsonl": '{"x": 1, "a": true, "b": false}\n{"x": 2, "a": false, "b": true}\n' });
    const j = await readTables([join(dir, "b.jsonl")], { labels: ["a", "b"] }, { chunkSize: 4 });
    expect(Array.from(j.tables[0]!.labelSets!.data)).toEqual([1, 0, 0, 1]);
  });

  it("labels columns: a value other than 0/1, a row without labels, a missing column and bad specs are refused", async () => {
    const dir = folder({ "v.csv": "f,a,b\n1,1,0\n2,2,0\n", "z.csv": "f,a,b\n1,1,0\n2,0,0\n", "m.csv": "f,a\n1,1\n" });
    await expect(readTables([join(dir, "v.csv")], { labels: ["a", "b"] })).rejects.toThrow(`${join(dir, "v.csv")}: line 3, column "a": "2" is not 0 or 1; each labels column flags one label`);
    await expect(readTables([join(dir, "z.csv")], { labels: ["a", "b"] })).rejects.toThrow(
      `${join(dir, "z.csv")}: line 3: no label set; every row needs a 1 in one of the labels columns a, b`,
    );
    await expect(readTables([join(dir, "m.csv")], { labels: ["a", "b"] })).rejects.toThrow(`${join(dir, "m.csv")}: no labels column "b"; the columns are f, a`);
    await expect(readTables([join(dir, "m.csv")], { labels: [] })).rejects.toThrow("table spec: `labels` lists no columns");
    await expect(readTables([join(dir, "m.csv")], { labels: ["a", "a"] })).rejects.toThrow('table spec: `labels` lists column "a" twice');
    await expect(readTables([join(dir, "m.csv")], { labels: ["a"], classes: ["a"] })).rejects.toThrow("table spec: `classes` cannot be given with a list of `labels` columns");
  });
});
