/**
 * CSV reader (RFC 4180): a header line, fields separated by a delimiter, fields in double
 * quotes may hold the delimiter, newlines and doubled quotes (""). CRLF or LF line ends, an
 * optional UTF-8 byte-order mark, blank lines skipped. Cells stay strings; `lib/data/table.ts`
 * decides what they mean. Errors name the file and the line.
 *
 * `CsvReader` takes the text in chunks of any size (a quoted field, a CRLF or a doubled quote
 * may be split across two), so a file streams through it; `parseCsv` is the same reader fed
 * one chunk.
 */
import { readText } from "../files.ts";
import type { RawTable } from "../table.ts";

export interface CsvOptions {
  /** One character; default ",". */
  delimiter?: string;
}

export interface CsvHandlers {
  /** The header's column names (trimmed, checked), with the header's line. */
  header(columns: string[], line: number): void;
  /** One data row (as many fields as the header), with the line it starts on. */
  row(fields: string[], line: number): void;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

export class CsvReader {
  private readonly delimiter: string;
  private readonly DELIM: number;
  /** Text not yet consumed: the start of a record that the chunks so far do not complete. */
  private buffer = "";
  /** Physical line at the start of `buffer`. */
  private line = 1;
  private started = false;
  /** Parse again only once `buffer` reaches this length, so a long record is not rescanned per chunk. */
  private wait = 0;
  private columns: string[] | undefined;

  constructor(
    private readonly source: string,
    options: CsvOptions,
    private readonly handlers: CsvHandlers,
  ) {
    const delimiter = options.delimiter ?? ",";
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
      throw new Error(`${source}: CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter;
    this.DELIM = delimiter.charCodeAt(0);
  }

  push(text: string): void {
    this.buffer = this.buffer === "" ? text : this.buffer + text;
    if (this.buffer.length >= this.wait) this.parse(false);
  }

  /** The last chunk (if any); then checks that the file had a header. */
  end(text = ""): void {
    this.buffer += text;
    this.parse(true);
    if (!this.columns) throw new Error(`${this.source}: empty CSV file; expected a header line`);
  }

  private record(fields: string[], line: number): void {
    const { source } = this;
    if (!this.columns) {
      const columns = fields.map((h) => h.trim());
      const seen = new Set<string>();
      columns.forEach((name, k) => {
        if (name === "") throw new Error(`${source}: line ${line}: column ${k + 1} of the header has no name`);
        if (seen.has(name)) throw new Error(`${source}: line ${line}: duplicate column "${name}" in the header`);
        seen.add(name);
      });
      this.columns = columns;
      this.handlers.header(columns, line);
      return;
    }
    if (fields.length !== this.columns.length) {
      throw new Error(`${source}: line ${line}: ${fields.length} fields, expected ${this.columns.length} as in the header; quote fields that contain "${this.delimiter}"`);
    }
    this.handlers.row(fields, line);
  }

  /**
   * Consumes every complete record in `buffer`. Unless `final`, a record that reaches the end of
   * the buffer (or ends on a quote or CR whose meaning the next character decides) waits for
   * more text.
   */
  private parse(final: boolean): void {
    const { source, DELIM } = this;
    const text = this.buffer;
    const n = text.length;
    let i = 0;
    if (!this.started) {
      if (n === 0) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    let line = this.line;
    let consumed = i;
    records: while (i < n) {
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
              if (!final) break records;
              throw new Error(`${source}: line ${line}: unterminated quoted field ${record.length + 1}; close the quote (write a quote inside a field as "")`);
            }
            if (q + 1 === n && !final) break records;
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
          if (j === n && !final) break records;
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
        if (i < n && text.charCodeAt(i) === CR) {
          i++;
          if (i === n && !final) break records;
        }
        if (i < n && text.charCodeAt(i) === LF) i++;
        line++;
        break;
      }
      consumed = i;
      this.line = line;
      if (!blank) this.record(record, startLine);
    }
    this.buffer = consumed === 0 ? text : text.slice(consumed);
    this.wait = final ? 0 : 2 * this.buffer.length;
  }
}

/** Parses CSV text; `source` names the file in errors. */
export function parseCsv(text: string, source: string, options: CsvOptions = {}): RawTable {
  let columns: string[] = [];
  const rows: string[][] = [];
  const lines: number[] = [];
  new CsvReader(source, options, {
    header: (names) => (columns = names),
    row: (fields, line) => {
      rows.push(fields);
      lines.push(line);
    },
  }).end(text);
  return { source, columns, rows, where: (row) => `line ${lines[row]}` };
}

/** Reads a UTF-8 CSV file. */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<RawTable> {
  return parseCsv(await readText(path), path, options);
}
