import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { parseCsv, readCsv } from "../../lib/data/readers/csv.ts";
import { encodeTable, inferSchema, type TableSpec } from "../../lib/data/table.ts";

/** Temporary folders, removed after the file's tests. */
const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "al-csv-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** The encoded columns of one CSV text. */
function encode(text: string, spec: TableSpec, source = "t.csv") {
  const table = parseCsv(text, source);
  const schema = inferSchema([table], spec);
  return { schema, ...encodeTable(table, schema) };
}

describe("CSV reader", () => {
  it("reads quoted fields with commas, doubled quotes and newlines; CRLF, BOM and blank lines", () => {
    const text = '\ufeffid,text,label\r\n1,"a, b",x\r\n\r\n2,"say ""hi""",y\r\n3,"two\r\nlines",x\r\n4,,y';
    const t = parseCsv(text, "q.csv");
    expect(t.columns).toEqual(["id", "text", "label"]);
    expect(t.rows).toEqual([
      ["1", "a, b", "x"],
      ["2", 'say "hi"', "y"],
      ["3", "two\r\nlines", "x"],
      ["4", "", "y"],
    ]);
    // Line numbers count physical lines: the blank line 3 is skipped, row 3 spans lines 5–6.
    expect([0, 1, 2, 3].map((r) => t.where(r))).toEqual(["line 2", "line 4", "line 5", "line 7"]);
  });

  it("names the file and line of a ragged row, also after a multi-line field", () => {
    expect(() => parseCsv("a,b,c\n1,2,3\n4,5\n", "r.csv")).toThrow('r.csv: line 3: 2 fields, expected 3 as in the header; quote fields that contain ","');
    expect(() => parseCsv('a,b\n"x\ny",1\n2,3,4\n', "m.csv")).toThrow("m.csv: line 4: 3 fields, expected 2");
  });

  it("rejects an unterminated quote, text after a closing quote, a bad header and an empty file", () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n', "u.csv")).toThrow("u.csv: line 2: unterminated quoted field 2");
    expect(() => parseCsv('a,b\n"x"y,1\n', "c.csv")).toThrow('c.csv: line 2: unexpected "y" after the closing quote of field 1');
    expect(() => parseCsv("a,a\n1,2\n", "d.csv")).toThrow('d.csv: line 1: duplicate column "a" in the header');
    expect(() => parseCsv("a,,c\n1,2,3\n", "e.csv")).toThrow("e.csv: line 1: column 2 of the header has no name");
    expect(() => parseCsv("\n\n", "f.csv")).toThrow("f.csv: empty CSV file; expected a header line");
  });

  it("round-trips random fields through quoting (property test)", () => {
    const random = createRandom(7, "csv-property");
    const alphabet = ['a', 'b', ',', '"', "\n", "\r\n", " ", "é", "1"];
    for (let trial = 0; trial < 50; trial++) {
      const columns = 1 + random.int(4);
      const rows = Array.from({ length: 1 + random.int(6) }, () =>
        Array.from({ length: columns }, () => Array.from({ length: random.int(6) }, () => alphabet[random.int(alphabet.length)]).join("")),
      );
      // A row of one empty field is a blank line, which the reader skips: give it content.
      for (const row of rows) if (columns === 1 && row[0] === "") row[0] = "z";
      const quote = (f: string) => (/[",\r\n]/.test(f) || f === "" ? `"${f.replaceAll('"', '""')}"` : f);
      const header = Array.from({ length: columns }, (_, k) => `c${k}`);
      const text = [header, ...rows].map((r) => r.map(quote).join(",")).join(random.next() < 0.5 ? "\n" : "\r\n");
      const t = parseCsv(text, "p.csv");
      expect(t.columns).toEqual(header);
      expect(t.rows).toEqual(rows);
    }
  });

  it("reads tab-separated text with a delimiter option and reports a missing file by path", async () => {
    expect(parseCsv("a\tb\n1\t2,3\n", "t.tsv", { delimiter: "\t" }).rows).toEqual([["1", "2,3"]]);
    const dir = tempDir();
    await expect(readCsv(join(dir, "none.csv"))).rejects.toThrow(`${join(dir, "none.csv")}: cannot read data file (file not found)`);
    writeFileSync(join(dir, "ok.csv"), "x,label\n1,a\n");
    expect((await readCsv(join(dir, "ok.csv"))).rows).toEqual([["1", "a"]]);
  });
});

describe("tables → features and labels", () => {
  it("keeps numeric features, one-hot encodes non-numeric columns (levels sorted) and sorts classes", () => {
    const e = encode("size,colour,label\n1.5,red,b\n-2,blue,a\n3e2,red,b\n", { label: "label" });
    expect(e.schema.featureNames).toEqual(["size", "colour=blue", "colour=red"]);
    expect(e.schema.classes).toEqual(["a", "b"]);
    expect(Array.from(e.x!.data)).toEqual([1.5, 0, 1, -2, 1, 0, 300, 0, 1]);
    expect(Array.from(e.y)).toEqual([1, 0, 1]);
  });

  it("one-hot encodes a numeric column listed as categorical; numeric class names sort as numbers", () => {
    const e = encode("code,label\n10,10\n2,9\n10,-1\n", { label: "label", categorical: ["code"] });
    expect(e.schema.featureNames).toEqual(["code=10", "code=2"]);
    expect(e.schema.classes).toEqual(["-1", "9", "10"]);
    expect(Array.from(e.y)).toEqual([2, 1, 0]);
  });

  it("shares one schema across files: classes and levels from all of them", () => {
    const a = parseCsv("c,label\nx,p\n", "a.csv");
    const b = parseCsv("c,label\ny,q\n", "b.csv");
    const schema = inferSchema([a, b], { label: "label" });
    expect(schema.featureNames).toEqual(["c=x", "c=y"]);
    expect(Array.from(encodeTable(b, schema).x!.data)).toEqual([0, 1]);
    expect(Array.from(encodeTable(b, schema).y)).toEqual([1]);
  });

  it("names file, line and column for a non-numeric value in a numeric column", () => {
    expect(() => encode("a,b,label\n1,2,x\n3,abc,y\n", { label: "label" })).toThrow(
      't.csv: line 3, column "b": "abc" is not a number; fix the value (a column is one-hot encoded only when none of its values is a number)',
    );
  });

  it("rejects NaN and other missing values in numeric columns, with the line", () => {
    expect(() => encode("a,label\n1,x\nNaN,y\n", { label: "label" })).toThrow('t.csv: line 3, column "a": missing value ("NaN"); impute it or drop the row');
    expect(() => encode("a,label\n?,x\n2,y\n", { label: "label" })).toThrow('t.csv: line 2, column "a": missing value ("?")');
    expect(() => encode("a,b,label\n1,,x\n", { label: "label" })).toThrow('t.csv: line 2, column "b": missing value ("")');
  });

  it("rejects an empty label, naming line and column", () => {
    expect(() => encode("a,label\n1,x\n2,\n", { label: "label" })).toThrow('t.csv: line 3, column "label": empty label; every row needs a label');
    expect(() => encode('a,label\n1," "\n', { label: "label" })).toThrow('t.csv: line 2, column "label": empty label');
  });

  it("reads |-joined multi-labels: y = first listed label, duplicates dropped, empty parts rejected", () => {
    const e = encode("f,labels\n1,b|a\n2,c\n3,a|a|c\n", { labels: "labels" });
    expect(e.schema.task).toBe("multilabel");
    expect(e.schema.classes).toEqual(["a", "b", "c"]);
    expect(Array.from(e.labelSets!.data)).toEqual([1, 1, 0, 0, 0, 1, 1, 0, 1]);
    expect(Array.from(e.y)).toEqual([1, 2, 0]);
    expect(() => encode("f,labels\n1,a||b\n", { labels: "labels" })).toThrow('t.csv: line 2, column "labels": empty label in "a||b" (labels are joined by "|")');
    expect(() => encode("f,labels\n1,\n", { labels: "labels" })).toThrow('t.csv: line 2, column "labels": empty label');
  });

  it("keeps a text column as text and checks fixed classes and column names", () => {
    const e = encode('title,label\n"Hello, world",pos\nBye,neg\n', { text: "title", label: "label" });
    expect(e.x).toBeUndefined();
    expect(e.texts).toEqual(["Hello, world", "Bye"]);
    expect(() => encode("a,label\n1,maybe\n", { label: "label", classes: ["no", "yes"] })).toThrow(
      't.csv: line 2, column "label": label "maybe" is not one of the classes no, yes',
    );
    expect(() => encode("a,b\n1,2\n", { label: "label" })).toThrow('t.csv: no label column "label"; the columns are a, b');
    expect(() => encode("a,label\n1,x\n", { label: "label", categorical: ["zz"] })).toThrow('categorical column "zz" is not a feature column');
  });
});
