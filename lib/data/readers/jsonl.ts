/**
 * JSON Lines reader: one JSON object per line, blank lines skipped. The first object fixes the
 * columns (in its key order); a later line that lacks one of them or adds another is a ragged
 * row. Values keep their JSON types: numbers, strings, booleans, null, and lists of strings or
 * numbers (multi-label columns).
 *
 * `JsonlReader` takes the text in chunks of any size, so a file streams through it line by line;
 * `parseJsonl` is the same reader fed one chunk.
 */
import { readText } from "../files.ts";
import type { Cell, RawTable } from "../table.ts";

export interface JsonlHandlers {
  /** The columns, from the first record (on `line`), before its row. */
  header(columns: string[], line: number): void;
  row(cells: Cell[], line: number): void;
}

function cellOf(value: unknown, where: () => string): Cell {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value as Array<string | number>;
  throw new Error(`${where()}: expected a number, string, boolean, null or a list of strings/numbers, got ${JSON.stringify(value).slice(0, 40)}`);
}

export class JsonlReader {
  /** The start of a line that the chunks so far do not end. */
  private buffer = "";
  /** Line number of the line `buffer` starts. */
  private line = 1;
  private started = false;
  private columns: string[] | undefined;

  constructor(
    private readonly source: string,
    private readonly handlers: JsonlHandlers,
  ) {}

  push(text: string): void {
    if (!this.started && text !== "") {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // Search for the newline only in the new text: a long line is not rescanned per chunk.
    let from = this.buffer.length;
    const all = this.buffer === "" ? text : this.buffer + text;
    let start = 0;
    for (let nl = all.indexOf("\n", from); nl !== -1; nl = all.indexOf("\n", from)) {
      this.lineOf(all.slice(start, nl));
      start = from = nl + 1;
    }
    this.buffer = start === 0 ? all : all.slice(start);
  }

  end(text = ""): void {
    this.push(text);
    this.lineOf(this.buffer);
    this.buffer = "";
    if (!this.columns) throw new Error(`${this.source}: empty JSONL file; expected one JSON object per line`);
  }

  private lineOf(raw: string): void {
    const k = this.line++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    const at = `${this.source}: line ${k}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${at}: invalid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${at}: expected a JSON object per line`);
    const record = value as Record<string, unknown>;
    if (!this.columns) {
      this.columns = Object.keys(record);
      this.handlers.header(this.columns, k);
    }
    const columns = this.columns;
    const extra = Object.keys(record).find((key) => !columns.includes(key));
    if (extra !== undefined) throw new Error(`${at}: field "${extra}" is not in the first record (fields ${columns.join(", ")})`);
    const missing = columns.find((c) => !Object.hasOwn(record, c));
    if (missing !== undefined) throw new Error(`${at}: missing field "${missing}"`);
    this.handlers.row(
      columns.map((c) => cellOf(record[c], () => `${at}, field "${c}"`)),
      k,
    );
  }
}

/** Parses JSONL text; `source` names the file in errors. */
export function parseJsonl(text: string, source: string): RawTable {
  let columns: string[] = [];
  const rows: Cell[][] = [];
  const rowLines: number[] = [];
  new JsonlReader(source, {
    header: (names) => (columns = names),
    row: (cells, line) => {
      rows.push(cells);
      rowLines.push(line);
    },
  }).end(text);
  return { source, columns, rows, where: (row) => `line ${rowLines[row]}` };
}

export async function readJsonl(path: string): Promise<RawTable> {
  return parseJsonl(await readText(path), path);
}
