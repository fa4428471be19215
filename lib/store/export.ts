/**
 * Exports the store's result views as Parquet (or CSV) files for the report site. DuckDB writes
 * the files itself (COPY … TO), so no rows pass through JS.
 */
import { mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SpecError } from "../experiments/errors.ts";
import { fsReason, makeDirectory } from "./make-directory.ts";
import type { Store } from "./duckdb.ts";
import { analysisQuery, metricNamesQuery, roundMaskQuery, roundsQuery, runsQuery, selectionsQuery, sqlString } from "./views.ts";
import type { Query, StoreFilter } from "./views.ts";
import { tempName } from "./temp-name.ts";

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
 * The file an export directory carries so a later export knows which entries are its own: it
 * replaces only those and refuses a non-empty directory without it (a user's notes, another
 * tool's output), touching nothing there.
 */
export const EXPORT_MARKER = ".al-export.json";

interface Marker {
  tool: "al-lab export";
  format: 1;
  /** Entries of the directory this export wrote (file or partition directory names). */
  wrote: string[];
  /** Partition values too long for a directory name → the full value (see partitionSafe). */
  partitions?: Record<string, string>;
  at: string;
}

/**
 * Partition values become directory names (`experiment=<value>`, percent-encoded, so up to three
 * bytes per byte) and a name has at most 255 bytes. Longer values are written as a readable
 * prefix plus a hash, listed with their full value in the marker.
 */
const PARTITION_VALUE_BYTES = 80;
const PARTITION_COLUMNS = ["experiment", "dataset", "sampler"] as const;

function partitionSafe(column: string): string {
  return `CASE WHEN strlen(${column}) <= ${PARTITION_VALUE_BYTES} THEN ${column}
    ELSE left(regexp_replace(${column}, '[^A-Za-z0-9._-]', '_', 'g'), 40) || '~' || left(md5(${column}), 12) END`;
}

/**
 * Writes rounds (pivoted, one row per experiment/run/round), runs and selections. Each file is
 * written next to its final name and renamed into place, so a reader never sees half a file.
 */
export async function exportParquet(store: Store, options: ExportOptions): Promise<ExportedFiles> {
  const format = options.format ?? "parquet";
  const filter: StoreFilter = options.experiment === undefined ? {} : { experiment: options.experiment };
  if (options.experiment !== undefined) await requireExperiment(store, options.experiment);
  const outDir = resolve(options.outDir);
  const partition = options.partition ?? false;
  const entry = (table: string) => (partition ? table : `${table}.${format}`);
  const tables = ["rounds", "runs", "selections", "stopping", "advice", "summaries", "round_mask"] as const;
  const files: ExportedFiles = {
    rounds: join(outDir, entry("rounds")),
    runs: join(outDir, entry("runs")),
    selections: join(outDir, entry("selections")),
    stopping: join(outDir, entry("stopping")),
    advice: join(outDir, entry("advice")),
    summaries: join(outDir, entry("summaries")),
    roundMask: join(outDir, entry("round_mask")),
  };
  const wrote = tables.map(entry);

  await makeDirectory(outDir, "pass --out with a writable directory");
  const previous = await claim(outDir, wrote);
  const partitions = partition ? await longPartitionValues(store) : {};
  // Before replacing anything, the marker names old and new entries alike, so an export that
  // dies half-way still leaves a directory the next export recognises as its own.
  await writeMarker(outDir, [...new Set([...(previous?.wrote ?? []), ...wrote])], { ...previous?.partitions, ...partitions });

  await copyTo(store, await roundsOf(store, filter), files.rounds, format, partition);
  await copyTo(store, runsQuery(filter), files.runs, format, partition);
  const has = async (column: string) =>
    (await store.query("SELECT 1 FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'selections' AND column_name = ?", [column])).length > 0;
  await copyTo(store, selectionsQuery(filter, { labelColumns: await has("given_label"), labelSetColumns: await has("given_labels") }), files.selections, format, partition);
  for (const table of ["stopping", "advice", "summaries"] as const) await copyTo(store, analysisQuery(table, filter), files[table], format, partition);
  await copyTo(store, roundMaskQuery(filter), files.roundMask, format, partition);

  // Entries of our previous export that this one did not write (say, --flat after partitioned).
  for (const old of previous?.wrote ?? []) if (!wrote.includes(old)) await rm(join(outDir, old), { recursive: true, force: true });
  await writeMarker(outDir, wrote, partitions);
  return files;
}

async function requireExperiment(store: Store, name: string): Promise<void> {
  if ((await store.query("SELECT 1 FROM experiments WHERE name = ?", [name])).length > 0) return;
  const known = (await store.query("SELECT name FROM experiments ORDER BY name LIMIT 11")).map((r) => String(r.name));
  const list = known.length === 0 ? "it has none" : `it has ${known.slice(0, 10).map((k) => JSON.stringify(k.length > 60 ? `${k.slice(0, 60)}…` : k)).join(", ")}${known.length > 10 ? ", …" : ""}`;
  const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  throw new SpecError(`no experiment "${shown}" in ${store.path} (${list}); see al ls`);
}

/** Our previous export's marker, after checking that we may write `wrote` into `dir`. */
async function claim(dir: string, wrote: readonly string[]): Promise<Marker | undefined> {
  const entries = await readdir(dir);
  const previous = await readMarker(dir);
  if (previous === undefined) {
    if (entries.length === 0) return undefined;
    const shown = entries.slice(0, 3).join(", ") + (entries.length > 3 ? ", …" : "");
    throw new SpecError(`${dir} is not empty (${shown}) and holds no earlier al export (${EXPORT_MARKER}); pass --out with a new or empty directory`);
  }
  const foreign = wrote.filter((e) => entries.includes(e) && !previous.wrote.includes(e));
  // Our partition directories are replaced whole: a file a user put inside one must not go too.
  for (const e of previous.wrote) if (entries.includes(e)) foreign.push(...(await strangers(join(dir, e))).map((f) => join(e, f)));
  if (foreign.length > 0) {
    throw new SpecError(`${join(dir, foreign[0]!)} was not written by al export; move it away or pass --out with another directory`);
  }
  return previous;
}

/** Paths under a partitioned table's directory that DuckDB's COPY would not have written. */
async function strangers(path: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const name = prefix === "" ? entry.name : join(prefix, entry.name);
      if (entry.isDirectory() && /^[a-z_]+=/.test(entry.name)) await walk(join(d, entry.name), name);
      else if (!(entry.isFile() && /^data_\d+\.(parquet|csv)$/.test(entry.name))) found.push(name);
    }
  };
  if ((await stat(path)).isDirectory()) await walk(path, "");
  return found;
}

async function readMarker(dir: string): Promise<Marker | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, EXPORT_MARKER), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SpecError(`cannot read ${join(dir, EXPORT_MARKER)}: ${fsReason(error)}`);
  }
  let value: Partial<Marker>;
  try {
    value = JSON.parse(text) as Partial<Marker>;
  } catch {
    value = {};
  }
  if (value.tool !== "al-lab export" || !Array.isArray(value.wrote) || !value.wrote.every(isPlainEntry)) {
    throw new SpecError(`${join(dir, EXPORT_MARKER)} is not an al export marker; pass --out with a new or empty directory`);
  }
  return value as Marker;
}

/** A marker names entries of its own directory only: never a path that leaves it. */
function isPlainEntry(name: unknown): name is string {
  return typeof name === "string" && name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\\") && name !== EXPORT_MARKER;
}

async function writeMarker(dir: string, wrote: string[], partitions: Record<string, string>): Promise<void> {
  const marker: Marker = { tool: "al-lab export", format: 1, wrote, at: new Date().toISOString() };
  if (Object.keys(partitions).length > 0) marker.partitions = partitions;
  const path = join(dir, EXPORT_MARKER);
  const temp = tempName(path, "tmp");
  try {
    await writeFile(temp, JSON.stringify(marker, null, 2) + "\n");
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new SpecError(`cannot write ${path}: ${fsReason(error)}; pass --out with a writable directory`);
  }
}

async function longPartitionValues(store: Store): Promise<Record<string, string>> {
  const found = await store.query(
    `SELECT ${partitionSafe("v")} AS short, v FROM (
       SELECT name AS v FROM experiments UNION SELECT dataset FROM runs UNION SELECT sampler FROM runs)
      WHERE strlen(v) > ${PARTITION_VALUE_BYTES} ORDER BY v`,
  );
  return Object.fromEntries(found.map((r) => [String(r.short), String(r.v)]));
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
  // Our own temp names (host, pid and a counter), so nothing of anyone else's is ever removed,
  // not even another export of this process into the same folder.
  const partial = tempName(file, "partial");
  const old = tempName(file, "old");
  let how = format === "csv" ? "FORMAT csv, HEADER" : "FORMAT parquet";
  let sql = query.sql;
  if (partition) {
    how += `, PARTITION_BY (${PARTITION_COLUMNS.join(", ")})`;
    sql = `SELECT * REPLACE (${PARTITION_COLUMNS.map((c) => `${partitionSafe(c)} AS ${c}`).join(", ")}) FROM (${sql})`;
  }
  try {
    await rm(partial, { recursive: true, force: true });
    await store.query(`COPY (${sql}) TO ${sqlString(partial)} (${how})`, query.params);
    // A partitioned export replaces the previous directory as a whole (rename cannot replace a
    // non-empty directory): move the old one aside first, so a failure can put it back.
    if (partition) await rename(file, old).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
    await rename(partial, file);
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    if (partition) await rename(old, file).catch(() => undefined);
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`could not export ${file} from ${store.path}: ${message.replace(/\s*\n\s*/g, " ")}`);
  }
}
