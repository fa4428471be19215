/**
 * The DuckDB results store: the only writer of run results. One file (default
 * results/al.duckdb) holds every experiment; readers get plain JS rows or Parquet (export.ts).
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DuckDBInstance, INTEGER, LIST, listValue } from "@duckdb/node-api";
import type { DuckDBConnection, DuckDBValue, JS } from "@duckdb/node-api";
import type { RoundLabelSets, RoundLabels, RoundRecord, RunRecord, RunStatus } from "../al/records.ts";
import { SpecError } from "../experiments/errors.ts";
import type { ExperimentSpec, RunConfig } from "../experiments/spec.ts";
import { makeDirectory } from "./make-directory.ts";
import { META_DDL, SCHEMA_VERSION, migrations, oldestReadable } from "./schema.ts";
import { removeSnapshot, snapshotNotice, snapshotPathFor, snapshotSchedule, snapshotTime, writeSnapshot } from "./snapshot.ts";
import type { SnapshotSchedule, SnapshotSource } from "./snapshot.ts";
import { metricNameProblem, metricNamesQuery, roundsQuery, runsQuery } from "./views.ts";

import type { StoreFilter } from "./views.ts";

export type { StoreFilter } from "./views.ts";

/** selections.true_labels / given_labels (schema 9). */
const INTEGER_LIST = LIST(INTEGER);
export type { SnapshotSource } from "./snapshot.ts";

/** A value as read back: like DuckDB's JS values, but BIGINTs (counts) are plain numbers. */
/** Derived per-run analysis, as lib/al/analysis.ts produces it. */
export type Analysis = ReturnType<typeof import("../al/analysis.ts").analyse>;

export type Cell = null | boolean | number | string | Date | Uint8Array | Cell[] | { [key: string]: Cell };
export type Row = Record<string, Cell>;
export type SqlParam = string | number | boolean | null;

export interface OpenStoreOptions {
  /**
   * For readers such as the site's data loader: several read-only processes may share a file,
   * but not with a writer. Applies no migrations, so the file must already be current.
   */
  readOnly?: boolean;
  /**
   * Read-only only: when another process holds the store for writing, read its snapshot
   * (snapshot.ts) instead of failing, and pass `notice` the one line that says so.
   */
  snapshotFallback?: { notice: (line: string) => void };
  /** Writers: least ms between two read snapshots (default 2000; see snapshot.ts). */
  snapshotIntervalMs?: number;
}

/** The store is held by another process (DuckDB allows one writer and no readers beside it). */
export class StoreLockedError extends SpecError {
  override name = "StoreLockedError";
  constructor(
    message: string,
    readonly pid: number | undefined,
  ) {
    super(message);
  }
}

export interface RunOutcome {
  status: "done" | "failed";
  finishedAt: Date;
  seconds: number;
  error?: string;
}

/** One row of the pivoted rounds view; each metric (accuracy, macro_f1, …) is its own column. */
export type RoundsRow = {
  experiment: string;
  run_id: string;
  dataset: string;
  learner: string;
  sampler: string;
  mode: string;
  seed: number;
  round: number;
  labelled: number;
  train_seconds: number;
  score_seconds: number;
  select_seconds: number;
  evaluate_seconds: number;
  /** Round 0 of runs that fit a reference classifier; null otherwise. */
  reference_seconds: number | null;
  backend: string;
} & { [metric: string]: string | number | null };

/** One stored selection map (a row of `selection_maps`). */
export interface SelectionMapRecord {
  pool: string;
  key: string;
  /** The map itself (lib/map/pool-map.ts PoolProjection), stored as JSON. */
  map: unknown;
  seconds: number;
}

export interface Store {
  /** The path as given to openStore (used in messages). */
  readonly path: string;
  readonly readOnly: boolean;
  /** Set when the rows come from the store's snapshot because another process is writing it. */
  readonly source?: SnapshotSource;
  /** Upserts the experiment row and makes `runIds` exactly its set of runs. */
  saveExperiment(spec: ExperimentSpec, file: string, runIds: readonly string[]): Promise<void>;
  /** Status of each stored run among `runIds`; ids never begun are absent. */
  runStatuses(runIds: readonly string[]): Promise<Map<string, RunStatus>>;
  /** Inserts the run as 'running', first clearing a previous attempt that did not finish. */
  beginRun(record: RunRecord, options?: { resume?: boolean }): Promise<void>;
  /** Rounds stored for a run, ascending. */
  storedRounds(runId: string): Promise<number[]>;
  /** Inserts or replaces metric values (al replay). */
  upsertMetrics(rows: ReadonlyArray<{ runId: string; round: number; metric: string; value: number }>): Promise<void>;
  /** Replaces the derived analysis (stopping, advice, summaries) of the given runs. */
  saveAnalysis(runIds: readonly string[], analysis: Analysis): Promise<void>;
  /**
   * Deletes an experiment (its row and links, and every run no other experiment links) and/or
   * the given runs with all their rows, in one transaction. Returns the run ids removed.
   */
  remove(target: { experiment?: string; runIds?: readonly string[] }): Promise<{ experiments: number; runIds: string[] }>;
  /**
   * Makes `pools` (canonical data set references) the experiment's set of selection-map pools:
   * drops its maps of other pools, then inserts or replaces `maps` (stored-maps.ts computes them).
   */
  saveSelectionMaps(experiment: string, pools: readonly string[], maps: readonly SelectionMapRecord[]): Promise<void>;
  writeRound(round: RoundRecord): Promise<void>;
  finishRun(runId: string, outcome: RunOutcome): Promise<void>;
  /** One record per (experiment, run) link. */
  runs(filter?: StoreFilter): Promise<RunRecord[]>;
  roundsTable(filter?: StoreFilter): Promise<RoundsRow[]>;
  /** Runs any SQL (exports, ad-hoc analysis); serialised with the store's own writes. */
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /**
   * Writers: copies the store to its read snapshot now (snapshot.ts). beginRun, writeRound and
   * finishRun do this themselves, rate-limited, so readers can watch a grid while it runs.
   */
  snapshot(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Files open in this process. DuckDB's file lock is per process, so a second handle on the same
 * file here would NOT be refused by DuckDB and the two would overwrite each other's writes.
 */
const openPaths = new Set<string>();

export async function openStore(path: string, options: OpenStoreOptions = {}): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  if (!readOnly || options.snapshotFallback === undefined) return openFile(path, options);
  // The writer may close (removing its snapshot) between our two tries: then the store is free.
  for (let attempt = 0; ; attempt++) {
    try {
      return await openFile(path, options);
    } catch (error) {
      if (!(error instanceof StoreLockedError)) throw error;
      const at = snapshotTime(path);
      if (at === undefined) {
        if (attempt < 2) continue;
        throw new StoreLockedError(
          `${path} is being written by ${error.pid === undefined ? "another process" : `pid ${error.pid}`} and has no read snapshot yet; try again once its first run has begun`,
          error.pid,
        );
      }
      const source: SnapshotSource = { db: path, at, ...(error.pid === undefined ? {} : { pid: error.pid }) };
      try {
        const store = await openFile(snapshotPathFor(path), { readOnly: true }, source);
        options.snapshotFallback.notice(snapshotNotice(source));
        return store;
      } catch (inner) {
        if (attempt < 2 && !existsSync(snapshotPathFor(path))) continue;
        throw inner;
      }
    }
  }
}

async function openFile(path: string, options: OpenStoreOptions, source?: SnapshotSource): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  const memory = path === ":memory:";
  if (memory && readOnly) {
    throw new Error("a read-only ':memory:' store would always be empty; open a file or drop readOnly");
  }
  const key = memory ? undefined : resolve(path);
  if (key !== undefined && openPaths.has(key)) {
    throw new Error(`${path} is already open in this process; close that store first or pass --db to use another store`);
  }
  if (!memory) {
    if (readOnly && !existsSync(path)) {
      throw new SpecError(`${path} does not exist; run an experiment first or pass --db to read another store`);
    }
    if (existsSync(path) && statSync(path).isDirectory()) {
      throw new SpecError(`${path} is a directory, not a store file; pass --db with the path of a DuckDB file`);
    }
    if (!readOnly) {
      await makeDirectory(dirname(path), "pass --db with a store in a writable place");
    }
  }

  if (key !== undefined) openPaths.add(key);
  let instance: DuckDBInstance | undefined;
  let conn: DuckDBConnection | undefined;
  try {
    instance = await DuckDBInstance.create(path, readOnly ? { access_mode: "READ_ONLY" } : {}).catch((e: unknown) => {
      throw openError(path, e, readOnly);
    });
    conn = await instance.connect();
    if (readOnly) await checkVersion(conn, source?.db ?? path);
    else await migrate(conn, path);
  } catch (e) {
    conn?.closeSync();
    instance?.closeSync();
    if (key !== undefined) openPaths.delete(key);
    throw e;
  }
  const label = source?.db ?? path;
  const writerSnapshots = readOnly || memory ? undefined : { minIntervalMs: options.snapshotIntervalMs };
  // A snapshot left by a writer that crashed shows an old state: never serve it beside a free store.
  if (writerSnapshots !== undefined) await removeSnapshot(path);
  return makeStore(label, readOnly, instance, conn, key, writerSnapshots, source);
}

function openError(path: string, e: unknown, readOnly: boolean): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (/could not set lock|conflicting lock/i.test(message)) {
    const pid = /\bPID (\d+)/.exec(message)?.[1];
    const holder = pid === undefined ? "" : ` (pid ${pid})`;
    return new StoreLockedError(
      `${path} is in use by another process${holder}; wait for it to finish or pass --db to use another store`,
      pid === undefined ? undefined : Number(pid),
    );
  }
  if (/not a valid DuckDB database file/i.test(message)) {
    return new SpecError(`${path} is not a DuckDB database (or is damaged); move it aside or pass --db with the store al run wrote`);
  }
  if (/permission denied/i.test(message)) {
    const access = readOnly ? "read" : "read and write";
    return new SpecError(`${path}: permission denied; give this user ${access} access to it and its directory, or pass --db to use another store`);
  }
  if (/read-only file system/i.test(message)) {
    return new SpecError(`${path} is on a read-only file system; pass --db with a store on a writable one`);
  }
  const os = /Cannot open file "[^"]*": (.+)$/m.exec(message)?.[1];
  if (os !== undefined) {
    return new SpecError(`cannot ${readOnly ? "open" : "create or open"} ${path}: ${oneLine(os)}; pass --db with a path this user can ${readOnly ? "read" : "write"}`);
  }
  return new Error(`could not open store ${path}: ${oneLine(message)}; check the file is a DuckDB database or pass --db to use another store`);
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}

async function readVersion(conn: DuckDBConnection, path: string): Promise<number> {
  const tables = await rows(conn, "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'meta'");
  if (tables.length === 0) return 0;
  const found = await rows(conn, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (found.length === 0) return 0;
  const value = found[0]!.value;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 0) {
    throw new Error(`${path} has an unreadable schema_version ${JSON.stringify(value)} in its meta table; pass --db to use another store`);
  }
  return version;
}

function newerError(path: string, version: number): Error {
  return new Error(
    `${path} has schema version ${version} but this code knows only up to ${SCHEMA_VERSION}; update al-lab or pass --db to use another store`,
  );
}

async function checkVersion(conn: DuckDBConnection, path: string): Promise<void> {
  const version = await readVersion(conn, path);
  if (version > SCHEMA_VERSION) throw newerError(path, version);
  if (version < oldestReadable()) {
    throw new Error(
      `${path} has schema version ${version}, older than this code's ${SCHEMA_VERSION}; open it once for writing (any al run) to migrate it`,
    );
  }
}

/** Applies the pending migrations in one transaction, so a failure leaves the file as it was. */
async function migrate(conn: DuckDBConnection, path: string): Promise<void> {
  await transaction(conn, async () => {
    await conn.run(META_DDL);
    const version = await readVersion(conn, path);
    if (version > SCHEMA_VERSION) throw newerError(path, version);
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > version);
    for (const m of pending) await conn.run(m.sql);
    if (pending.length > 0 || version === 0) {
      await conn.run(
        "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(SCHEMA_VERSION)],
      );
    }
  });
}

async function transaction<T>(conn: DuckDBConnection, body: () => Promise<T>): Promise<T> {
  await conn.run("BEGIN TRANSACTION");
  try {
    const result = await body();
    await conn.run("COMMIT");
    return result;
  } catch (e) {
    await conn.run("ROLLBACK");
    throw e;
  }
}

async function rows(conn: DuckDBConnection, sql: string, params: readonly SqlParam[] | readonly DuckDBValue[] = []): Promise<Row[]> {
  const reader = await conn.runAndReadAll(sql, [...params]);
  return reader.getRowObjectsJS().map((r) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(r)) out[k] = toCell(v);
    return out;
  });
}

/** BIGINT → number: our counts and ids are far below 2^53. */
function toCell(v: JS): Cell {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(toCell);
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array)) {
    const out: { [key: string]: Cell } = {};
    for (const [k, x] of Object.entries(v)) out[k] = toCell(x);
    return out;
  }
  return v;
}

/** Timestamps go in as epoch milliseconds so no time-zone parsing is involved. */
function ms(date: Date): number {
  return date.getTime();
}

function makeStore(
  path: string,
  readOnly: boolean,
  instance: DuckDBInstance,
  conn: DuckDBConnection,
  key: string | undefined,
  writerSnapshots: { minIntervalMs?: number } | undefined,
  source: SnapshotSource | undefined,
): Store {
  let closed = false;
  // One connection, so calls must not interleave (a BEGIN from one call inside another's
  // transaction): every call waits for the previous one.
  let tail: Promise<unknown> = Promise.resolve();
  function serial<T>(name: string, body: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error(`store ${path} is closed; ${name} needs an open store (openStore again)`));
    const next = tail.then(body);
    tail = next.catch(() => undefined);
    return next;
  }
  const snapshots: SnapshotSchedule | undefined =
    writerSnapshots === undefined
      ? undefined
      : snapshotSchedule({
          write: () => serial("snapshot", () => writeSnapshot(conn, path)),
          minIntervalMs: writerSnapshots.minIntervalMs,
          warn: (line) => void process.stderr.write(`${path}: ${line}\n`),
        });
  function writable(name: string): void {
    if (readOnly) throw new Error(`store ${path} was opened read-only; ${name} needs openStore(path) without readOnly`);
  }

  async function statusOf(runId: string): Promise<RunStatus | undefined> {
    const found = await rows(conn, "SELECT status FROM runs WHERE run_id = ?", [runId]);
    return found.length === 0 ? undefined : (found[0]!.status as RunStatus);
  }

  /** Fills a run's data provenance where it is still null (a row begun before schema 6). */
  async function fillData(runId: string, data: NonNullable<RunRecord["data"]>): Promise<void> {
    await conn.run("UPDATE runs SET data_checksum = ?, data_files = ? WHERE run_id = ? AND data_checksum IS NULL", [
      data.checksum,
      JSON.stringify(data.files),
      runId,
    ]);
  }

  return {
    path,
    readOnly,
    ...(source === undefined ? {} : { source }),

    async snapshot() {
      writable("snapshot");
      if (snapshots === undefined) return;
      return snapshots.now();
    },

    async saveExperiment(spec, file, runIds) {
      writable("saveExperiment");
      return serial("saveExperiment", () =>
        transaction(conn, async () => {
          await conn.run(
            `INSERT INTO experiments VALUES (?, ?, ?, epoch_ms(?::BIGINT))
             ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, file = excluded.file, updated_at = excluded.updated_at`,
            [spec.name, JSON.stringify(spec), file, ms(new Date())],
          );
          // The spec is the truth about which runs an experiment has: links from an older
          // version of it (say, a seed since removed) would otherwise linger in its report.
          await conn.run("DELETE FROM experiment_runs WHERE experiment = ?", [spec.name]);
          const unique = [...new Set(runIds)];
          if (unique.length > 0) {
            await conn.run("INSERT INTO experiment_runs SELECT ?, unnest(?::VARCHAR[])", [spec.name, listValue(unique)]);
          }
        }),
      );
    },

    async runStatuses(runIds) {
      return serial("runStatuses", async () => {
        const result = new Map<string, RunStatus>();
        if (runIds.length === 0) return result;
        const found = await rows(conn, "SELECT run_id, status FROM runs WHERE run_id IN (SELECT unnest(?::VARCHAR[]))", [
          listValue([...runIds]),
        ]);
        for (const r of found) result.set(r.run_id as string, r.status as RunStatus);
        return result;
      });
    },

    async beginRun(record, options = {}) {
      writable("beginRun");
      await serial("beginRun", () =>
        transaction(conn, async () => {
          const id = record.runId;
          const previous = await statusOf(id);
          if (previous === "done") {
            throw new Error(`run ${id} is already done in ${path}; skip it (see runStatuses) rather than beginning it again`);
          }
          if (previous !== undefined && options.resume) {
            // Continuing from a checkpoint: keep the rounds already stored.
            await conn.run("UPDATE runs SET status = 'running', error = NULL, finished_at = NULL WHERE run_id = ?", [id]);
            await conn.run("INSERT INTO experiment_runs VALUES (?, ?) ON CONFLICT DO NOTHING", [record.experiment, id]);
            // A run begun before schema 6 gets its provenance now (same id, so the same data).
            if (record.data) await fillData(id, record.data);
            return;
          }
          if (previous !== undefined) {
            for (const table of ["selections", "metrics", "histograms", "stopping", "advice", "summaries", "rounds", "runs"]) {
              await conn.run(`DELETE FROM ${table} WHERE run_id = ?`, [id]);
            }
          }
          const c = record.config;
          await conn.run(
            `INSERT INTO runs (run_id, config, dataset, learner, sampler, mode, seed, status, backend, versions, host, started_at, data_checksum, data_files)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, epoch_ms(?::BIGINT), ?, ?)`,
            [
              id,
              JSON.stringify(c),
              c.dataset.name,
              c.learner.name,
              c.sampler.name,
              c.mode,
              c.seed,
              record.backend,
              JSON.stringify(record.versions),
              record.host,
              ms(record.startedAt),
              record.data?.checksum ?? null,
              record.data ? JSON.stringify(record.data.files) : null,
            ],
          );
          await conn.run("INSERT INTO experiment_runs VALUES (?, ?) ON CONFLICT DO NOTHING", [record.experiment, id]);
          if (record.poolSize !== undefined && record.testSize !== undefined) {
            await conn.run("UPDATE runs SET pool_size = ?, test_size = ? WHERE run_id = ?", [record.poolSize, record.testSize, id]);
          }
        }),
      );
      // Readers watching a grid see a run as running from its start.
      await snapshots?.changed();
    },

    async storedRounds(runId) {
      return serial("storedRounds", async () =>
        (await rows(conn, "SELECT round FROM rounds WHERE run_id = ? ORDER BY round", [runId])).map((r) => Number(r.round)),
      );
    },

    async writeRound(round) {
      writable("writeRound");
      const where = `round ${round.round} of run ${round.runId}`;
      for (const name of Object.keys(round.metrics)) {
        const problem = metricNameProblem(name);
        if (problem !== undefined) throw new Error(`cannot store metric '${name}' of ${where}: ${problem}`);
      }
      if (round.initial !== undefined && round.round !== 0) {
        throw new Error(`${where} carries an initial set; only round 0 may have \`initial\``);
      }
      await serial("writeRound", () =>
        transaction(conn, async () => {
          const status = await statusOf(round.runId);
          if (status === undefined) throw new Error(`cannot write ${where}: the run was not begun in ${path}; call beginRun first`);
          if (status !== "running") {
            throw new Error(`cannot write ${where}: the run is '${status}' in ${path}; call beginRun to start it again`);
          }
          const existing = await rows(conn, "SELECT 1 FROM rounds WHERE run_id = ? AND round = ?", [round.runId, round.round]);
          if (existing.length > 0) throw new Error(`${where} is already stored in ${path}; call beginRun to start the run again`);

          const s = round.seconds;
          await conn.run("INSERT INTO rounds VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            round.runId,
            round.round,
            round.labelled,
            s.train,
            s.score,
            s.select,
            s.evaluate,
            s.reference ?? null,
          ]);
          const metrics = Object.entries(round.metrics);
          if (metrics.length > 0) {
            await conn.run(
              `INSERT INTO metrics VALUES ${metrics.map(() => "(?, ?, ?, ?)").join(", ")}`,
              metrics.flatMap(([name, value]) => [round.runId, round.round, name, value]),
            );
          }
          // The appender joins the open transaction, so a failure rolls these rows back too.
          // Points acquired at the end of round r are first trained on in round r + 1: that is
          // the round they are stored under (see schema.ts), next to round 0's initial set.
          const appender = await conn.createAppender("selections");
          try {
            const append = (
              indices: Int32Array,
              at: number,
              sourceRows: Int32Array | undefined,
              labels: RoundLabels | undefined,
              costs: Float64Array | undefined,
              sets: RoundLabelSets | undefined,
            ) => {
              for (let rank = 0; rank < indices.length; rank++) {
                appender.appendVarchar(round.runId);
                appender.appendInteger(at);
                appender.appendInteger(indices[rank]!);
                appender.appendInteger(rank);
                if (sourceRows === undefined) appender.appendNull();
                else appender.appendInteger(sourceRows[rank]!);
                if (labels === undefined) {
                  appender.appendNull();
                  appender.appendNull();
                } else {
                  appender.appendInteger(labels.truth[rank]!);
                  appender.appendInteger(labels.given[rank]!);
                }
                if (costs === undefined) appender.appendNull();
                else appender.appendDouble(costs[rank]!);
                if (sets === undefined) {
                  appender.appendNull();
                  appender.appendNull();
                } else {
                  appender.appendList(Array.from(sets.truth[rank]!), INTEGER_LIST);
                  appender.appendList(Array.from(sets.given[rank]!), INTEGER_LIST);
                }
                appender.endRow();
              }
            };
            if (round.initial !== undefined) append(round.initial, 0, round.initialRows, round.initialLabels, round.initialCosts, round.initialLabelSets);
            append(round.selected, round.round + 1, round.selectedRows, round.selectedLabels, round.selectedCosts, round.selectedLabelSets);
          } finally {
            appender.closeSync();
          }
          for (const h of round.histograms ?? []) {
            const width = (h.hi - h.lo) / h.counts.length;
            await conn.run(
              `INSERT INTO histograms SELECT ?, ?, ?, b - 1, ? + (b - 1) * ?, ? + b * ?, c
                 FROM unnest(?::INTEGER[]) WITH ORDINALITY AS t(c, b)`,
              [round.runId, round.round, h.target, h.lo, width, h.lo, width, listValue(h.counts.map(String))],
            );
          }
        }),
      );
      await snapshots?.changed();
    },

    async upsertMetrics(values) {
      writable("upsertMetrics");
      for (const v of values) {
        const problem = metricNameProblem(v.metric);
        if (problem !== undefined) throw new Error(`cannot store metric '${v.metric}': ${problem}`);
      }
      return serial("upsertMetrics", () =>
        transaction(conn, async () => {
          for (const v of values) {
            await conn.run("INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?)", [v.runId, v.round, v.metric, v.value]);
          }
        }),
      );
    },

    async saveAnalysis(runIds, analysis) {
      writable("saveAnalysis");
      return serial("saveAnalysis", () =>
        transaction(conn, async () => {
          const list = listValue([...runIds]);
          for (const table of ["stopping", "advice", "summaries"]) {
            await conn.run(`DELETE FROM ${table} WHERE run_id IN (SELECT unnest(?::VARCHAR[]))`, [list]);
          }
          for (const r of analysis.stopping) {
            await conn.run("INSERT INTO stopping VALUES (?, ?, ?, ?, ?)", [r.runId, r.rule, r.stopRound, r.stopLabelled, r.lostAccuracy]);
          }
          for (const r of analysis.advice) await conn.run("INSERT INTO advice VALUES (?, ?, ?, ?, ?)", [r.runId, r.round, r.action, r.use, r.reason]);
          for (const r of analysis.summaries) await conn.run("INSERT INTO summaries VALUES (?, ?, ?)", [r.runId, r.name, r.value]);
        }),
      );
    },

    async saveSelectionMaps(experiment, pools, maps) {
      writable("saveSelectionMaps");
      return serial("saveSelectionMaps", () =>
        transaction(conn, async () => {
          await conn.run("DELETE FROM selection_maps WHERE experiment = ? AND pool NOT IN (SELECT unnest(?::VARCHAR[]))", [experiment, listValue([...pools])]);
          for (const m of maps) {
            await conn.run("INSERT OR REPLACE INTO selection_maps VALUES (?, ?, ?, ?, ?, epoch_ms(?::BIGINT))", [experiment, m.pool, m.key, JSON.stringify(m.map), m.seconds, ms(new Date())]);
          }
        }),
      );
    },

    async remove(target) {
      writable("remove");
      return serial("remove", () =>
        transaction(conn, async () => {
          const doomed = new Set(target.runIds ?? []);
          let experiments = 0;
          if (target.experiment !== undefined) {
            const linked = await rows(
              conn,
              `SELECT run_id FROM experiment_runs er WHERE experiment = ?
                 AND NOT EXISTS (SELECT 1 FROM experiment_runs o WHERE o.run_id = er.run_id AND o.experiment <> er.experiment)`,
              [target.experiment],
            );
            for (const r of linked) doomed.add(String(r.run_id));
            experiments = (await rows(conn, "SELECT 1 FROM experiments WHERE name = ?", [target.experiment])).length;
            await conn.run("DELETE FROM experiment_runs WHERE experiment = ?", [target.experiment]);
            await conn.run("DELETE FROM selection_maps WHERE experiment = ?", [target.experiment]);
            await conn.run("DELETE FROM experiments WHERE name = ?", [target.experiment]);
          }
          const ids = [...doomed];
          if (ids.length > 0) {
            const list = listValue(ids);
            for (const table of ["selections", "metrics", "histograms", "stopping", "advice", "summaries", "rounds", "experiment_runs", "runs"]) {
              await conn.run(`DELETE FROM ${table} WHERE run_id IN (SELECT unnest(?::VARCHAR[]))`, [list]);
            }
          }
          return { experiments, runIds: ids };
        }),
      );
    },

    async finishRun(runId, outcome) {
      writable("finishRun");
      await serial("finishRun", async () => {
        const result = await conn.run(
          "UPDATE runs SET status = ?, finished_at = epoch_ms(?::BIGINT), seconds = ?, error = ? WHERE run_id = ?",
          [outcome.status, ms(outcome.finishedAt), outcome.seconds, outcome.error ?? null, runId],
        );
        if (result.rowsChanged === 0) throw new Error(`cannot finish run ${runId}: it was not begun in ${path}; call beginRun first`);
      });
      await snapshots?.changed();
    },

    async runs(filter = {}) {
      return serial("runs", async () => {
        const q = runsQuery(filter);
        return (await rows(conn, q.sql, q.params)).map(toRunRecord);
      });
    },

    async roundsTable(filter = {}) {
      return serial("roundsTable", async () => {
        const names = metricNamesQuery(filter);
        const metrics = (await rows(conn, names.sql, names.params)).map((r) => r.metric as string);
        const q = roundsQuery(metrics, filter);
        return (await rows(conn, q.sql, q.params)) as RoundsRow[];
      });
    },

    async query(sql, params = []) {
      return serial("query", () => rows(conn, sql, params));
    },

    close() {
      if (closed) return Promise.resolve();
      snapshots?.stop();
      const done = tail.then(async () => {
        conn.closeSync();
        instance.closeSync();
        if (key !== undefined) openPaths.delete(key);
        // Once closed the store itself is readable, and a snapshot would only go stale.
        if (snapshots !== undefined) await removeSnapshot(path);
      });
      closed = true;
      return done;
    },
  };
}

function toRunRecord(r: Row): RunRecord {
  const record: RunRecord = {
    runId: r.run_id as string,
    experiment: r.experiment as string,
    // Written by beginRun from a RunConfig, so parsing gives one back.
    config: JSON.parse(r.config as string) as RunConfig,
    status: r.status as RunStatus,
    backend: r.backend as string,
    versions: JSON.parse(r.versions as string) as Record<string, string>,
    host: r.host as string,
    startedAt: r.started_at as Date,
  };
  if (r.finished_at !== null) record.finishedAt = r.finished_at as Date;
  if (r.seconds !== null) record.seconds = r.seconds as number;
  if (r.error !== null) record.error = r.error as string;
  // Runs stored before schema 6 have no provenance (NULL).
  if (r.data_checksum !== null && r.data_checksum !== undefined) {
    record.data = { checksum: r.data_checksum as string, files: r.data_files === null || r.data_files === undefined ? [] : (JSON.parse(r.data_files as string) as NonNullable<RunRecord["data"]>["files"]) };
  }
  return record;
}
