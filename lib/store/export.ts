/**
 * Exports the store's result views as Parquet (or CSV) files for the report site. DuckDB writes
 * the files itself (COPY … TO), so no rows pass through JS.
 */
import { mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Store } from "./duckdb.ts";
import { metricNamesQuery, roundsQuery, runsQuery, selectionsQuery, sqlString } from "./views.ts";
import type { Query, StoreFilter } from "./views.ts";

export type ExportFormat = "parquet" | "csv";

export interface ExportOptions extends StoreFilter {
  outDir: string;
  /** Default "parquet"; "csv" writes rounds.csv, runs.csv, selections.csv instead. */
  format?: ExportFormat;
}

/** Absolute paths of the written files. */
export interface ExportedFiles {
  rounds: string;
  runs: string;
  selections: string;
}

/**
 * Writes rounds (pivoted, one row per experiment/run/round), runs and selections. Each file is
 * written next to its final name and renamed into place, so a reader never sees half a file.
 */
export async function exportParquet(store: Store, options: ExportOptions): Promise<ExportedFiles> {
  const format = options.format ?? "parquet";
  const filter: StoreFilter = options.experiment === undefined ? {} : { experiment: options.experiment };
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const files: ExportedFiles = {
    rounds: join(outDir, `rounds.${format}`),
    runs: join(outDir, `runs.${format}`),
    selections: join(outDir, `selections.${format}`),
  };
  await copyTo(store, await roundsOf(store, filter), files.rounds, format);
  await copyTo(store, runsQuery(filter), files.runs, format);
  await copyTo(store, selectionsQuery(filter), files.selections, format);
  return files;
}

/** The pivoted rounds view as Parquet bytes (for the site's data loader, which prints to stdout). */
export async function roundsParquetBytes(store: Store, filter: StoreFilter = {}): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "al-rounds-"));
  try {
    const file = join(dir, "rounds.parquet");
    await copyTo(store, await roundsOf(store, filter), file, "parquet");
    const bytes = await readFile(file);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function roundsOf(store: Store, filter: StoreFilter): Promise<Query> {
  const names = metricNamesQuery(filter);
  const metrics = (await store.query(names.sql, names.params)).map((r) => r.metric as string);
  return roundsQuery(metrics, filter);
}

async function copyTo(store: Store, query: Query, file: string, format: ExportFormat): Promise<void> {
  const partial = `${file}.partial`;
  const how = format === "csv" ? "FORMAT csv, HEADER" : "FORMAT parquet";
  try {
    await store.query(`COPY (${query.sql}) TO ${sqlString(partial)} (${how})`, query.params);
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`could not export ${file} from ${store.path}: ${message.replace(/\s*\n\s*/g, " ")}`);
  }
}
