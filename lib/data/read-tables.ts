/**
 * The files of one table data set → one shared schema and an encoded table per file. The one
 * entry point for table files (CSV, TSV, JSONL, Parquet).
 *
 * Two streaming passes, so that a file's cells never sit in memory together: pass 1 reads each
 * file chunk by chunk into a `SchemaScan` (classes, numeric or one-hot columns, levels, row
 * count, sha256 of the bytes); pass 2 reads each file again into a `TableEncoder`, which writes
 * straight into arrays allocated for the counted rows. Peak memory is the output arrays plus a
 * chunk (and, for Parquet, the file's bytes and one row group). The arrays are the ones
 * `inferSchema` + `encodeTable` make from the whole file, bit for bit.
 */
import { createHash, type Hash } from "node:crypto";
import { readBytes } from "./files.ts";
import { readChunks } from "./readers/chunks.ts";
import { CsvReader } from "./readers/csv.ts";
import { JsonlReader } from "./readers/jsonl.ts";
import { readParquetRows } from "./readers/parquet.ts";
import { tableFormat, type TableFormat } from "./readers/read-table.ts";
import { SchemaScan, TableEncoder, type Cell, type EncodedTable, type TableSchema, type TableSpec, type Where } from "./table.ts";

export interface ReadTablesOptions {
  /** Format of every file; default from each file's extension. */
  format?: TableFormat;
  /** Bytes read at a time; default 1 MiB (tests force tiny chunks to split quotes and characters). */
  chunkSize?: number;
}

export interface ReadTables {
  schema: TableSchema;
  tables: EncodedTable[];
  /** sha256 (hex) of each file's bytes: the bytes both passes read. */
  sha256: string[];
}

/** What a pass does with one file's rows. */
interface RowSink {
  begin(columns: string[], where: Where): void;
  row(cells: readonly Cell[], position: number): void;
}

const lineWhere: Where = (line) => `line ${line}`;
const rowWhere: Where = (row) => `row ${row + 1}`;

/** Streams one file's rows into `sink`, its bytes into `hash`. */
async function streamRows(path: string, format: TableFormat, chunkSize: number | undefined, hash: Hash, sink: RowSink): Promise<void> {
  if (format === "parquet") {
    // Parquet's footer (at the end) says where everything is: the reader needs the bytes whole.
    const bytes = await readBytes(path);
    hash.update(bytes);
    await readParquetRows(bytes, path, { header: (columns) => sink.begin(columns, rowWhere), row: (cells, r) => sink.row(cells, r) });
    return;
  }
  const handlers = { header: (columns: string[]) => sink.begin(columns, lineWhere), row: (cells: Cell[], line: number) => sink.row(cells, line) };
  const reader = format === "jsonl" ? new JsonlReader(path, handlers) : new CsvReader(path, { delimiter: format === "tsv" ? "\t" : "," }, handlers);
  await readChunks(path, { ...(chunkSize !== undefined ? { chunkSize } : {}), bytes: (chunk) => hash.update(chunk), text: (text) => reader.push(text) });
  reader.end();
}

export async function readTables(paths: readonly string[], spec: TableSpec, options: ReadTablesOptions = {}): Promise<ReadTables> {
  const formats = paths.map((path) => options.format ?? tableFormat(path));
  const scan = new SchemaScan(spec);
  const counts: number[] = [];
  const sha256: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const hash = createHash("sha256");
    await streamRows(path, formats[i]!, options.chunkSize, hash, {
      begin: (columns, where) => scan.begin(path, columns, where),
      row: (cells, position) => scan.row(cells, position),
    });
    counts.push(scan.end());
    sha256.push(hash.digest("hex"));
  }
  const schema = scan.finish();

  const tables: EncodedTable[] = [];
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const hash = createHash("sha256");
    let encoder: TableEncoder | undefined;
    await streamRows(path, formats[i]!, options.chunkSize, hash, {
      begin: (columns, where) => (encoder = new TableEncoder(schema, path, columns, counts[i]!, where)),
      row: (cells, position) => encoder!.row(cells, position),
    });
    if (hash.digest("hex") !== sha256[i]) throw new Error(`${path}: the file changed while it was read; read it again when nothing writes to it`);
    tables.push(encoder!.end());
  }
  return { schema, tables, sha256 };
}
