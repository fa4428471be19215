/**
 * JSON Lines reader: one JSON object per line, blank lines skipped. The first object fixes the
 * columns (in its key order); a later line that lacks one of them or adds another is a ragged
 * row. Values keep their JSON types: numbers, strings, booleans, null, and lists of strings or
 * numbers (multi-label columns).
 */
import { readText } from "../files.ts";
import type { Cell, RawTable } from "../table.ts";

function cellOf(value: unknown, where: () => string): Cell {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value as Array<string | number>;
  throw new Error(`${where()}: expected a number, string, boolean, null or a list of strings/numbers, got ${JSON.stringify(value).slice(0, 40)}`);
}

/** Parses JSONL text; `source` names the file in errors. */
export function parseJsonl(text: string, source: string): RawTable {
  const lines = text.charCodeAt(0) === 0xfeff ? text.slice(1).split("\n") : text.split("\n");
  let columns: string[] | undefined;
  const rows: Cell[][] = [];
  const rowLines: number[] = [];
  lines.forEach((raw, k) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    const at = `${source}: line ${k + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${at}: invalid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${at}: expected a JSON object per line`);
    const record = value as Record<string, unknown>;
    if (!columns) columns = Object.keys(record);
    const extra = Object.keys(record).find((key) => !columns!.includes(key));
    if (extra !== undefined) throw new Error(`${at}: field "${extra}" is not in the first record (fields ${columns.join(", ")})`);
    const missing = columns.find((c) => !Object.hasOwn(record, c));
    if (missing !== undefined) throw new Error(`${at}: missing field "${missing}"`);
    rows.push(columns.map((c) => cellOf(record[c], () => `${at}, field "${c}"`)));
    rowLines.push(k + 1);
  });
  if (!columns) throw new Error(`${source}: empty JSONL file; expected one JSON object per line`);
  return { source, columns, rows, where: (row) => `line ${rowLines[row]}` };
}

export async function readJsonl(path: string): Promise<RawTable> {
  return parseJsonl(await readText(path), path);
}
