/**
 * A run folder: one finished run as Parquet files, the unit that shards (`al run --shard`) and,
 * later, queue workers hand to `al collect` (collect.ts). `<dir>/<run-id>/` holds one
 * `<table>.parquet` per per-run table of the store — every table with a `run_id` column, found
 * in the store itself, so a table or column a migration adds travels without changes here — plus
 * the run's experiments and their run links, and `manifest.json`, written last.
 *
 * The folder is written whole under a temp name tagged with host and pid and renamed into
 * place, and the manifest names each file's rows, bytes and sha256: a folder without a manifest
 * (left by an older al-lab, which wrote in place) is half written, one whose files disagree with
 * it is damaged, and neither is ever read as a run.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Store } from "./duckdb.ts";
import { fsReason, makeDirectory } from "./make-directory.ts";
import { isRunId } from "./run-id.ts";
import { SCHEMA_VERSION, oldestReadable } from "./schema.ts";
import { removeOrphanedTemps, tempName } from "./temp-name.ts";
import { sqlString } from "./views.ts";

export const RUN_FOLDER_FORMAT = 1;
/** Run folders were introduced under store schema 8: no folder of an older schema exists. */
const FIRST_RUN_FOLDER_SCHEMA = 8;
export const MANIFEST = "manifest.json";

export interface RunFolderFile {
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface RunFolderManifest {
  tool: "al-lab run folder";
  format: typeof RUN_FOLDER_FORMAT;
  /** The store schema (schema.ts) the rows were written under. */
  schemaVersion: number;
  runId: string;
  /** Per table: its file in the folder and what the file must hold. */
  tables: Record<string, RunFolderFile>;
  writtenAt: string;
  writer: { host: string; pid: number; shard?: string };
}

/** A run folder that cannot be read as a run; `path` names the folder or file at fault. */
export class RunFolderError extends Error {
  override name = "RunFolderError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** Tables that link runs to experiments: a folder carries the run's experiments whole. */
export const EXPERIMENT_TABLES = ["experiments", "experiment_runs"] as const;

/**
 * The store's tables keyed by run (a `run_id` column), sorted, experiment_runs excepted: those
 * rows are the experiment's (EXPERIMENT_TABLES), not the run's.
 */
export async function perRunTables(store: Store): Promise<string[]> {
  const found = await store.query(
    `SELECT DISTINCT table_name FROM information_schema.columns
      WHERE column_name = 'run_id' AND table_catalog = current_database() AND table_schema = 'main'
      ORDER BY table_name`,
  );
  return found.map((r) => String(r.table_name)).filter((t) => t !== "experiment_runs");
}

/** Every table a run folder holds, in the order they are written and read. */
export async function runFolderTables(store: Store): Promise<string[]> {
  return [...(await perRunTables(store)), ...EXPERIMENT_TABLES];
}

/** The rows of `table` that belong in run `runId`'s folder. */
function rowsOf(table: string, runId: string): { sql: string; params: string[] } {
  const experiments = "SELECT experiment FROM experiment_runs WHERE run_id = ?";
  if (table === "experiments") return { sql: `SELECT * FROM experiments WHERE name IN (${experiments})`, params: [runId] };
  if (table === "experiment_runs") return { sql: `SELECT * FROM experiment_runs WHERE experiment IN (${experiments})`, params: [runId] };
  return { sql: `SELECT * FROM "${table}" WHERE run_id = ?`, params: [runId] };
}

/**
 * Writes run `runId` (done in `store`) as `<dir>/<runId>/`, atomically: the files go into a
 * hidden temp folder of this writer (`.<runId>.<host>.<pid>-<n>.partial`, which collect never
 * reads), renamed into place whole. Two writers of one run (a queue job handed to a second
 * worker while its first still computes it, after its lock lapsed) therefore never mix files: a
 * folder that already holds a complete copy is left as it is, and a broken one (no manifest or
 * damaged: an older al-lab wrote folders in place) is moved aside in one rename and replaced.
 */
export async function writeRunFolder(store: Store, runId: string, dir: string, options: { shard?: string } = {}): Promise<string> {
  if (!isRunId(runId)) throw new Error(`cannot write a run folder for "${runId}": not a run id`);
  const folder = join(dir, runId);
  const status = await store.query("SELECT status FROM runs WHERE run_id = ?", [runId]);
  if (status[0]?.status !== "done") {
    throw new Error(`cannot write ${folder}: run ${runId} is ${status.length === 0 ? "not" : `'${String(status[0]!.status)}'`} in ${store.path}; only done runs are written`);
  }
  if (await hasRunFolder(dir, runId)) return folder;
  await makeDirectory(dir, "pass --results with a writable directory");
  await removeOrphanedTemps(dir, ["partial", "stale"], (name) => name.startsWith("."));
  const temp = tempName(join(dir, `.${runId}`), "partial");
  try {
    await mkdir(temp);
    const tables: Record<string, RunFolderFile> = {};
    for (const table of await runFolderTables(store)) {
      const file = `${table}.parquet`;
      const q = rowsOf(table, runId);
      try {
        await store.query(`COPY (${q.sql}) TO ${sqlString(join(temp, file))} (FORMAT parquet)`, q.params);
        const rows = Number((await store.query(`SELECT count(*) AS n FROM read_parquet(${sqlString(join(temp, file))})`))[0]!.n);
        tables[table] = { file, rows, ...(await fileDigest(join(temp, file))) };
      } catch (error) {
        throw new Error(`cannot write ${join(folder, file)}: ${fsReason(error)}`);
      }
    }
    const manifest: RunFolderManifest = {
      tool: "al-lab run folder",
      format: RUN_FOLDER_FORMAT,
      schemaVersion: SCHEMA_VERSION,
      runId,
      tables,
      writtenAt: new Date().toISOString(),
      writer: { host: hostname(), pid: process.pid, ...(options.shard === undefined ? {} : { shard: options.shard }) },
    };
    try {
      await writeFile(join(temp, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    } catch (error) {
      throw new Error(`cannot write ${join(folder, MANIFEST)}: ${fsReason(error)}`);
    }
    await publish(temp, dir, runId);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return folder;
}

/**
 * Renames the complete temp folder to `<dir>/<runId>`. rename(2) does not replace a non-empty
 * folder, so whoever renames first wins; a later writer keeps the winner's copy when it is
 * complete (both computed the same run) and otherwise moves the broken folder aside and tries
 * again.
 */
async function publish(temp: string, dir: string, runId: string): Promise<void> {
  const folder = join(dir, runId);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await rename(temp, folder);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw new Error(`cannot write ${folder}: ${fsReason(error)}`);
    }
    if (await hasRunFolder(dir, runId)) return;
    const aside = tempName(join(dir, `.${runId}`), "stale");
    try {
      await rename(folder, aside);
    } catch (error) {
      // Gone already: another writer moved it aside first.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot replace the broken run folder ${folder}: ${fsReason(error)}`);
    }
    await rm(aside, { recursive: true, force: true });
  }
  throw new Error(`cannot write ${folder}: other writers keep replacing it at the same time; write it again`);
}

/** Whether `<dir>/<runId>/` is a complete, intact run folder of this schema. */
export async function hasRunFolder(dir: string, runId: string): Promise<boolean> {
  try {
    await checkRunFolder(join(dir, runId));
    return true;
  } catch (error) {
    if (error instanceof RunFolderError) return false;
    throw error;
  }
}

/**
 * The folder's manifest, after checking it names this run under this schema and that each file
 * it lists has the bytes and sha256 it says; throws a RunFolderError naming what is wrong.
 * Row-level checks (run ids, row counts) are collect.ts's, inside its transaction.
 */
export async function checkRunFolder(folder: string): Promise<RunFolderManifest> {
  const path = join(folder, MANIFEST);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RunFolderError(folder, `no ${MANIFEST}: the folder is half written (its writer died in it, or it was copied in part); run that shard again`);
    }
    throw new RunFolderError(path, `cannot read it: ${fsReason(error)}`);
  }
  let value: Partial<RunFolderManifest>;
  try {
    value = JSON.parse(text) as Partial<RunFolderManifest>;
  } catch {
    throw new RunFolderError(path, "not valid JSON; run the folder's shard again");
  }
  if (value.tool !== "al-lab run folder" || value.format !== RUN_FOLDER_FORMAT) {
    throw new RunFolderError(path, `not a format-${RUN_FOLDER_FORMAT} run folder manifest (written by another tool or version)`);
  }
  const name = folder.split(/[\\/]/).filter(Boolean).pop();
  if (!isRunId(value.runId) || value.runId !== name) {
    throw new RunFolderError(path, `names run ${JSON.stringify(value.runId)}, but the folder is ${JSON.stringify(name)}`);
  }
  // Later migrations that only add columns leave older folders collectable (INSERT … BY NAME
  // fills the new columns with nulls).
  if (!(typeof value.schemaVersion === "number" && value.schemaVersion <= SCHEMA_VERSION && value.schemaVersion >= Math.max(FIRST_RUN_FOLDER_SCHEMA, oldestReadable()))) {
    const v = value.schemaVersion;
    const how = typeof v === "number" && v > SCHEMA_VERSION ? "upgrade al-lab to collect it" : "run its shard again with this al-lab (its other runs are kept)";
    throw new RunFolderError(path, `written under store schema ${String(v)}, but this al-lab reads schema ${SCHEMA_VERSION}; ${how}`);
  }
  if (typeof value.tables !== "object" || value.tables === null) throw new RunFolderError(path, "lists no tables");
  for (const [table, entry] of Object.entries(value.tables)) {
    // Files are named after their table, never taken from the manifest as a path.
    if (!/^[a-z_]+$/.test(table) || entry?.file !== `${table}.parquet`) throw new RunFolderError(path, `lists an unexpected entry for table ${JSON.stringify(table)}`);
    const file = join(folder, entry.file);
    let digest: { bytes: number; sha256: string };
    try {
      digest = await fileDigest(file);
    } catch (error) {
      throw new RunFolderError(file, `cannot read it (${fsReason(error)}); run the folder's shard again`);
    }
    if (digest.bytes !== entry.bytes || digest.sha256 !== entry.sha256) {
      const what = digest.bytes !== entry.bytes ? `has ${digest.bytes} bytes, ${MANIFEST} says ${entry.bytes}` : `its sha256 differs from the one in ${MANIFEST}`;
      throw new RunFolderError(file, `${what}: damaged or changed after writing; run the folder's shard again`);
    }
  }
  return value as RunFolderManifest;
}

async function fileDigest(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}


/** Run folders under `dir`, sorted by run id; the second list holds entries that are not one. */
export async function listRunFolders(dir: string): Promise<{ folders: string[]; strangers: string[] }> {
  const folders: string[] = [];
  const strangers: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".")) continue;
    if (entry.isDirectory() && isRunId(entry.name)) folders.push(join(dir, entry.name));
    else strangers.push(join(dir, entry.name));
  }
  return { folders, strangers };
}
