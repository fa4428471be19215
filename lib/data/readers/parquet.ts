/**
 * Parquet reader on hyparquet (pure JS, works in Node): flat columns of numbers, strings and
 * booleans, plus list columns for multi-label data. 64-bit integers become numbers (an error if
 * they do not fit exactly). hyparquet decodes uncompressed and snappy pages itself; gzip and
 * brotli come from node:zlib (and zstd where this Node has it); other codecs fail with a hint.
 */
import * as zlib from "node:zlib";
import { parquetMetadata, parquetReadObjects, type Compressors } from "hyparquet";
import { readBytes } from "../files.ts";
import type { Cell, RawTable } from "../table.ts";

const MAGIC = "PAR1";

type Decompress = (input: Uint8Array) => Uint8Array;
const zstd = (zlib as unknown as { zstdDecompressSync?: Decompress }).zstdDecompressSync;
const compressors: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zstd ? { ZSTD: (input: Uint8Array) => zstd(input) } : {}),
};

function cellOf(value: unknown, where: () => string): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`${where()}: integer ${value} does not fit a double exactly`);
    return n;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const list = Array.from(value as ArrayLike<unknown>, (v) => cellOf(v, where));
    if (list.every((v) => typeof v === "string" || typeof v === "number")) return list as Array<string | number>;
  }
  throw new Error(`${where()}: unsupported value ${String(value).slice(0, 40)}; expected numbers, strings, booleans or lists of them`);
}

export interface ParquetHandlers {
  header(columns: string[]): void;
  /** One row; `row` counts from 0 over the whole file. */
  row(cells: Cell[], row: number): void;
}

/**
 * Reads Parquet bytes one row group at a time into `handlers`, so that only one group's rows are
 * ever decoded at once (the file's bytes are held whole). `source` names the file in errors.
 */
export async function readParquetRows(bytes: Uint8Array, source: string, handlers: ParquetHandlers): Promise<void> {
  const text = (from: number): string => String.fromCharCode(...bytes.subarray(from, from + 4));
  if (bytes.length < 4 || text(0) !== MAGIC) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new Error(`${source}: bad magic number 0x${head}; expected a Parquet file (starting with "PAR1")`);
  }
  if (bytes.length < 12 || text(bytes.length - 4) !== MAGIC) {
    throw new Error(`${source}: truncated Parquet file (${bytes.length} bytes, no footer); re-create or re-download it`);
  }
  // hyparquet slices the ArrayBuffer by file offsets: it must be the file's alone (a small Node
  // Buffer may be a view into a shared pool, so copy unless the bytes own their buffer).
  let buffer: ArrayBuffer;
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    buffer = bytes.buffer;
  } else {
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    buffer = copy.buffer;
  }
  const fail = (error: unknown): Error => {
    const message = (error as Error).message;
    const hint = /compression|codec/i.test(message) ? "; rewrite the file with snappy or no compression" : "";
    return new Error(`${source}: cannot read Parquet file (${message})${hint}`);
  };
  let metadata: ReturnType<typeof parquetMetadata>;
  let columns: string[];
  try {
    metadata = parquetMetadata(buffer);
    columns = topLevelNames(metadata.schema);
  } catch (error) {
    throw fail(error);
  }
  handlers.header(columns);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let records: Array<Record<string, unknown>>;
    try {
      records = await parquetReadObjects({ file: buffer, metadata, compressors, rowStart, rowEnd });
    } catch (error) {
      throw fail(error);
    }
    records.forEach((record, k) => {
      const r = rowStart + k;
      handlers.row(
        columns.map((c) => cellOf(record[c], () => `${source}: row ${r + 1}, column "${c}"`)),
        r,
      );
    });
    rowStart = rowEnd;
  }
}

/** Parses Parquet bytes; `source` names the file in errors. */
export async function parseParquet(bytes: Uint8Array, source: string): Promise<RawTable> {
  let columns: string[] = [];
  const rows: Cell[][] = [];
  await readParquetRows(bytes, source, { header: (names) => (columns = names), row: (cells) => rows.push(cells) });
  return { source, columns, rows, where: (row) => `row ${row + 1}` };
}

/** The names of the top-level columns, from the flattened schema (nested groups skipped over). */
function topLevelNames(schema: ReadonlyArray<{ name: string; num_children?: number | undefined }>): string[] {
  const names: string[] = [];
  let i = 1;
  const skip = (index: number): number => {
    // Returns the index after the subtree rooted at `index`.
    let next = index + 1;
    for (let k = 0; k < (schema[index]!.num_children ?? 0); k++) next = skip(next);
    return next;
  };
  for (let k = 0; k < (schema[0]!.num_children ?? 0); k++) {
    names.push(schema[i]!.name);
    i = skip(i);
  }
  return names;
}

export async function readParquet(path: string): Promise<RawTable> {
  return parseParquet(await readBytes(path), path);
}
