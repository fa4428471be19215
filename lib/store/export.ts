/**
 * Exports the store's result views as Parquet (or CSV) files for the report site. DuckDB writes
 * the files itself (COPY … TO), so no rows pass through JS.
 */
import { mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Store } from "./duckdb.ts";
import { analysisQuery, metricNamesQuery, roundMaskQuery, roundsQuery, runsQuery, selectionsQuery, sqlString } from "./views.ts";
import type { Query, StoreFilter } from "./views.ts";

export type ExportFormat = "parquet" | "csv";

export interface ExportOptions extends StoreFilter {
  outDir: string;
  /** Default "parquet"; "csv" writes rounds.csv, runs.csv, selections.csv instead. */
  format?: ExportFormat;
  /**
   * Write each table as a Hive-partitioned directory (experiment=…/dataset=…/sampler=…/) instead
   * of one file, so readers (DuckDB, Arrow, Spark) can skip what they don't need.
   */
  partition?: boolean;
}

/** Absolute paths of the written files. */
export interface ExportedFiles {
  rounds: string;
  runs: string;
  selections: string;
  /** Derived per run: stopping rules, advice per round, curve summaries. */
  stopping: string;
  advice: string;
  summaries: string;
  /** One row per pool/test point of each run: −2 test, −1 never selected, r = first trained on in round r. */
  roundMask: string;
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
  const name = (table: string) => join(outDir, options.partition ? table : `${table}.${format}`);
  const files: ExportedFiles = {
    rounds: name("rounds"),
    runs: name("runs"),
    selections: name("selections"),
    stopping: name("stopping"),
    advice: name("advice"),
    summaries: name("summaries"),
    roundMask: name("round_mask"),
  };
  const partition = options.partition ?? false;
  await copyTo(store, await roundsOf(store, filter), files.rounds, format, partition);
  await copyTo(store, runsQuery(filter), files.runs, format, partition);
  await copyTo(store, selectionsQuery(filter), files.selections, format, partition);
  for (const table of ["stopping", "advice", "summaries"] as const) await copyTo(store, analysisQuery(table, filter), files[table], format, partition);
  await copyTo(store, roundMaskQuery(filter), files.roundMask, format, partition);
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

async function copyTo(store: Store, query: Query, file: string, format: ExportFormat, partition = false): Promise<void> {
  const partial = `${file}.partial`;
  let how = format === "csv" ? "FORMAT csv, HEADER" : "FORMAT parquet";
  if (partition) how += ", PARTITION_BY (experiment, dataset, sampler)";
  try {
    await rm(partial, { recursive: true, force: true });
    await store.query(`COPY (${query.sql}) TO ${sqlString(partial)} (${how})`, query.params);
    // A partitioned export replaces the previous directory as a whole.
    if (partition) await rm(file, { recursive: true, force: true });
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`could not export ${file} from ${store.path}: ${message.replace(/\s*\n\s*/g, " ")}`);
  }
}
