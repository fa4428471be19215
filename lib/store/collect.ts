/**
 * Ingests run folders (run-folder.ts) into a store: what `al collect` does for shards, and what
 * a queue worker can do per finished run. Each folder goes in in one transaction, after its
 * manifest, checksums, row counts, run ids and rounds check out; a run the store already holds
 * as done is skipped (its folder unread), and a bad folder is rejected alone, naming its path.
 *
 * The experiment rows a folder carries: with the store's spec of that experiment, its run links
 * are added to the store's (every shard links the whole grid; shards on other backends link
 * their own ids) and the newer row is kept. With another spec, `al run`'s rule that the latest
 * run of an experiment file defines it applies: a newer folder replaces the row and the links,
 * an older one changes neither.
 */
import { basename, join } from "node:path";
import { runGaps } from "../runner/gaps.ts";
import type { Store } from "./duckdb.ts";
import { EXPERIMENT_TABLES, RunFolderError, checkRunFolder, listRunFolders, perRunTables } from "./run-folder.ts";
import { isRunId } from "./run-id.ts";
import { sqlString } from "./views.ts";

export type IngestOutcome = { status: "collected"; runId: string; experiments: string[] } | { status: "skipped"; runId: string };

/**
 * Ingests one run folder. Throws a RunFolderError (path and reason) when the folder cannot be
 * taken as a run; the store is then as it was.
 */
export async function ingestRunFolder(store: Store, folder: string): Promise<IngestOutcome> {
  // A run the store holds as done is skipped before its folder is read: its rows are in already.
  const named = basename(folder);
  if (isRunId(named) && (await store.query("SELECT status FROM runs WHERE run_id = ?", [named]))[0]?.status === "done") return { status: "skipped", runId: named };
  const manifest = await checkRunFolder(folder);
  const runId = manifest.runId;

  const tables = await perRunTables(store);
  for (const table of [...tables, ...EXPERIMENT_TABLES]) {
    if (manifest.tables[table] === undefined) throw new RunFolderError(join(folder, "manifest.json"), `lists no ${table}.parquet, which schema ${manifest.schemaVersion} stores`);
  }
  const extra = Object.keys(manifest.tables).filter((t) => !tables.includes(t) && !(EXPERIMENT_TABLES as readonly string[]).includes(t));
  if (extra.length > 0) throw new RunFolderError(join(folder, "manifest.json"), `lists ${extra[0]}.parquet, a table this store does not have`);
  const file = (table: string) => sqlString(join(folder, manifest.tables[table]!.file));
  const reject = (table: string, reason: string) => new RunFolderError(join(folder, manifest.tables[table]!.file), reason);

  await store.query("BEGIN TRANSACTION");
  try {
    for (const table of [...tables, ...EXPERIMENT_TABLES]) {
      // The experiment tables hold the whole grid's links, not only this run's.
      const own = tables.includes(table);
      const foreign = own ? "count(*) FILTER (WHERE run_id IS DISTINCT FROM ?)::INTEGER" : "0";
      const [count] = await store.query(`SELECT count(*)::INTEGER AS n, ${foreign} AS foreign FROM read_parquet(${file(table)})`, own ? [runId] : []);
      if (count!.n !== manifest.tables[table]!.rows) throw reject(table, `holds ${count!.n} rows, but manifest.json says ${manifest.tables[table]!.rows}`);
      if (count!.foreign !== 0) throw reject(table, `holds ${count!.foreign} rows of another run than ${runId}`);
    }
    const run = await store.query(`SELECT status FROM read_parquet(${file("runs")})`);
    if (run.length !== 1 || run[0]!.status !== "done") throw reject("runs", `expected the run's one row with status 'done', found ${run.length} row(s)`);

    // A run begun in this store and never finished (or failed) is replaced, as beginRun would.
    for (const table of tables) await store.query(`DELETE FROM "${table}" WHERE run_id = ?`, [runId]);
    for (const table of tables) await store.query(`INSERT INTO "${table}" BY NAME SELECT * FROM read_parquet(${file(table)})`);

    const experiments = await linkExperiments(store, runId, file("experiments"), file("experiment_runs"), (reason) => reject("experiment_runs", reason));
    const gap = (await runGaps(store, [runId])).get(runId);
    if (gap !== undefined) throw reject("rounds", `the run's rounds are incomplete (${gap})`);
    await store.query("COMMIT");
    return { status: "collected", runId, experiments };
  } catch (error) {
    await store.query("ROLLBACK");
    if (error instanceof RunFolderError) throw error;
    // A Parquet file DuckDB cannot read, or rows the store's constraints refuse.
    throw new RunFolderError(folder, (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " "));
  }
}

/** Merges the folder's experiment rows and run links (see the module comment); returns the run's experiments. */
async function linkExperiments(store: Store, runId: string, experimentsFile: string, linksFile: string, reject: (reason: string) => Error): Promise<string[]> {
  const own = await store.query(`SELECT DISTINCT experiment FROM read_parquet(${linksFile}) WHERE run_id = ? ORDER BY experiment`, [runId]);
  if (own.length === 0) throw reject(`links run ${runId} to no experiment`);
  const names = own.map((r) => String(r.experiment));
  for (const name of names) {
    const row = "epoch_us(updated_at)::DOUBLE AS at, spec::VARCHAR AS spec";
    const incoming = await store.query(`SELECT ${row} FROM read_parquet(${experimentsFile}) WHERE name = ?`, [name]);
    if (incoming.length !== 1) throw reject(`links run ${runId} to experiment "${name}", but experiments.parquet has ${incoming.length} rows for it`);
    const current = await store.query(`SELECT ${row} FROM experiments WHERE name = ?`, [name]);
    const newer = current.length === 0 || Number(incoming[0]!.at) > Number(current[0]!.at);
    const sameSpec = current.length > 0 && incoming[0]!.spec === current[0]!.spec;
    if (!sameSpec && !newer) continue;
    if (newer) {
      await store.query("DELETE FROM experiments WHERE name = ?", [name]);
      await store.query(`INSERT INTO experiments BY NAME SELECT * FROM read_parquet(${experimentsFile}) WHERE name = ?`, [name]);
    }
    if (!sameSpec) await store.query("DELETE FROM experiment_runs WHERE experiment = ?", [name]);
    await store.query(`INSERT OR IGNORE INTO experiment_runs BY NAME SELECT DISTINCT * FROM read_parquet(${linksFile}) WHERE experiment = ?`, [name]);
  }
  return names;
}

export interface CollectSummary {
  collected: string[];
  skipped: string[];
  rejected: Array<{ path: string; reason: string }>;
  /** Experiments of the collected runs, sorted. */
  experiments: string[];
}

/**
 * Ingests every run folder in `dir` (`<results>/runs`), each on its own: one rejected folder
 * never keeps the others out. `log` gets one line per folder.
 */
export async function collectRunFolders(store: Store, dir: string, options: { log?: (line: string) => void } = {}): Promise<CollectSummary> {
  const log = options.log ?? (() => {});
  const summary: CollectSummary = { collected: [], skipped: [], rejected: [], experiments: [] };
  const experiments = new Set<string>();
  const { folders, strangers } = await listRunFolders(dir);
  for (const path of strangers) {
    summary.rejected.push({ path, reason: "not a run folder (run folders are named by their 16-hex-digit run id)" });
    log(`rejected ${path}: not a run folder (run folders are named by their 16-hex-digit run id)`);
  }
  for (const folder of folders) {
    try {
      const outcome = await ingestRunFolder(store, folder);
      if (outcome.status === "skipped") {
        summary.skipped.push(outcome.runId);
        log(`skipped ${outcome.runId}: already done in ${store.path}`);
      } else {
        summary.collected.push(outcome.runId);
        for (const e of outcome.experiments) experiments.add(e);
        log(`collected ${outcome.runId} (${outcome.experiments.join(", ")})`);
      }
    } catch (error) {
      if (!(error instanceof RunFolderError)) throw error;
      summary.rejected.push({ path: error.path, reason: error.reason });
      log(`rejected ${error.path}: ${error.reason}`);
    }
  }
  summary.experiments = [...experiments].sort();
  return summary;
}
