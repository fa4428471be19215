/**
 * The files of one table data set → one shared schema and an encoded table per file. The one
 * entry point for table files (CSV, TSV, JSONL, Parquet), so the readers behind it may change
 * (e.g. stream) without touching the loaders.
 */
import { readTable, type TableFormat } from "./readers/read-table.ts";
import { encodeTable, inferSchema, type EncodedTable, type TableSchema, type TableSpec } from "./table.ts";

export interface ReadTablesOptions {
  /** Format of every file; default from each file's extension. */
  format?: TableFormat;
}

export async function readTables(paths: readonly string[], spec: TableSpec, options: ReadTablesOptions = {}): Promise<{ schema: TableSchema; tables: EncodedTable[] }> {
  const raw = [];
  for (const path of paths) raw.push(await readTable(path, options.format));
  const schema = inferSchema(raw, spec);
  return { schema, tables: raw.map((t) => encodeTable(t, schema)) };
}
