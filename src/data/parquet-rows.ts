/**
 * Rows → Parquet bytes for a page, written by an in-memory DuckDB (the store is never written):
 * Parquet v2 pages (delta-encoded integers, dictionary-coded text) with snappy, the one codec
 * hyparquet (the browser reader) decodes unaided. Repeated text (a run id over its rounds, the
 * advisor's templated sentences) and small integer counts shrink to a fraction of their JSON,
 * which is what keeps a page of a 1,000-run experiment under 2 MB (bench/site.bench.ts).
 * rounds-table.ts writes the rounds the same way, with its own decimal columns.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { sqlString } from "../../lib/store/views.ts";

export type ParquetValue = string | number | boolean | null | readonly number[];

export interface ParquetRowsOptions {
  /** Column name → DuckDB type (VARCHAR, INTEGER, DOUBLE, INTEGER[] …), in file order. */
  columns: Readonly<Record<string, string>>;
  /** Key-value metadata for the file footer (e.g. bin edges stored once), read back with hyparquet's parquetMetadata. */
  metadata?: Readonly<Record<string, string>>;
}

const quoted = (k: string) => `"${k.replaceAll('"', '""')}"`;

/** The rows in their given order, one Parquet column per `columns` entry. */
export async function rowsParquet(rows: readonly Record<string, ParquetValue>[], options: ParquetRowsOptions): Promise<Uint8Array> {
  const entries = Object.entries(options.columns);
  if (entries.length === 0) throw new Error("rowsParquet: no columns given; pass options.columns as {name: DuckDB type}");
  const dir = await mkdtemp(join(tmpdir(), "al-site-parquet-"));
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const json = join(dir, "rows.json");
    const out = join(dir, "rows.parquet");
    // A position column keeps the given order through read_json (it is not written).
    await writeFile(json, JSON.stringify(rows.map((r, i) => ({ ...r, __position: i }))));
    const spec = [...entries, ["__position", "INTEGER"]].map(([k, v]) => `${sqlString(k!)}: '${v}'`).join(", ");
    const names = entries.map(([k]) => quoted(k)).join(", ");
    // An empty table still yields a file with the right columns.
    const source = rows.length === 0
      ? `SELECT ${entries.map(([k, v]) => `NULL::${v} AS ${quoted(k)}`).join(", ")} LIMIT 0`
      : `SELECT ${names} FROM read_json(${sqlString(json)}, format = 'array', columns = {${spec}}) ORDER BY "__position"`;
    const metadata = Object.entries(options.metadata ?? {});
    const kv = metadata.length === 0 ? "" : `, KV_METADATA {${metadata.map(([k, v]) => `${quoted(k)}: ${sqlString(v)}`).join(", ")}}`;
    await conn.run(`COPY (${source}) TO ${sqlString(out)} (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION snappy${kv})`);
    return new Uint8Array(await readFile(out));
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}
