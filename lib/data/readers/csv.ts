/**
 * CSV reader (RFC 4180): a header line, fields separated by a delimiter, fields in double
 * quotes may hold the delimiter, newlines and doubled quotes (""). CRLF or LF line ends, an
 * optional UTF-8 byte-order mark, blank lines skipped. Cells stay strings; `lib/data/table.ts`
 * decides what they mean. Errors name the file and the line.
 */
import { readText } from "../files.ts";
import type { RawTable } from "../table.ts";

export interface CsvOptions {
  /** One character; default ",". */
  delimiter?: string;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** Parses CSV text; `source` names the file in errors. */
export function parseCsv(text: string, source: string, options: CsvOptions = {}): RawTable {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new Error(`${source}: CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const DELIM = delimiter.charCodeAt(0);
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const records: string[][] = [];
  const lines: number[] = [];

  while (i < n) {
    const startLine = line;
    const record: string[] = [];
    let blank = true;
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        blank = false;
        let j = i + 1;
        value = "";
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1) {
            throw new Error(`${source}: line ${line}: unterminated quoted field ${record.length + 1}; close the quote (write a quote inside a field as "")`);
          }
          value += text.slice(j, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            j = q + 2;
          } else {
            j = q + 1;
            break;
          }
        }
        line += countNewlines(text, i, j);
        i = j;
        const c = text.charCodeAt(i);
        if (i < n && c !== DELIM && c !== CR && c !== LF) {
          throw new Error(`${source}: line ${line}: unexpected ${JSON.stringify(text[i])} after the closing quote of field ${record.length + 1}; quote the whole field`);
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === DELIM || c === CR || c === LF) break;
          j++;
        }
        value = text.slice(i, j);
        if (value !== "") blank = false;
        i = j;
      }
      record.push(value);
      if (i < n && text.charCodeAt(i) === DELIM) {
        i++;
        blank = false;
        continue;
      }
      if (i < n && text.charCodeAt(i) === CR) i++;
      if (i < n && text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (blank) continue;
    records.push(record);
    lines.push(startLine);
  }

  const header = records[0];
  if (!header) throw new Error(`${source}: empty CSV file; expected a header line`);
  const columns = header.map((h) => h.trim());
  const seen = new Set<string>();
  columns.forEach((name, k) => {
    if (name === "") throw new Error(`${source}: line ${lines[0]}: column ${k + 1} of the header has no name`);
    if (seen.has(name)) throw new Error(`${source}: line ${lines[0]}: duplicate column "${name}" in the header`);
    seen.add(name);
  });
  for (let r = 1; r < records.length; r++) {
    if (records[r]!.length !== columns.length) {
      throw new Error(
        `${source}: line ${lines[r]}: ${records[r]!.length} fields, expected ${columns.length} as in the header; quote fields that contain "${delimiter}"`,
      );
    }
  }
  const rowLines = lines.slice(1);
  return { source, columns, rows: records.slice(1), where: (row) => `line ${rowLines[row]}` };
}

/** Reads a UTF-8 CSV file. */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<RawTable> {
  return parseCsv(await readText(path), path, options);
}
