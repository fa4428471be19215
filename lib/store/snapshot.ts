/**
 * Read snapshots: DuckDB lets no other process open a file that a writer holds, so while a grid
 * runs the writing store keeps a copy beside itself (`results/al.duckdb` →
 * `results/al.duckdb.snapshot`) and read-only verbs and the site's loaders read that instead.
 * The copy is written to a temp file and renamed into place, so a reader never sees half of it;
 * it is refreshed when runs begin and finish (rate-limited, so a big store is not copied after
 * every short run) and removed when the writer closes, since the store itself is readable then.
 */
import { existsSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "./views.ts";
import { removeOrphanedTemps, tempName } from "./temp-name.ts";

export function snapshotPathFor(db: string): string {
  return `${db}.snapshot`;
}

/** Where a reader's rows came from when the store itself was held by a writer. */
export interface SnapshotSource {
  /** The store the snapshot copies. */
  db: string;
  /** The writer's process id, when DuckDB named it. */
  pid?: number;
  /** When the snapshot was written. */
  at: Date;
}

/** The line a reader prints once when it falls back to the snapshot. */
export function snapshotNotice(source: SnapshotSource): string {
  const who = source.pid === undefined ? "another process" : `pid ${source.pid}`;
  return `${source.db} is being written by ${who}; showing its state as of ${source.at.toISOString()}`;
}

/** The snapshot's time, or undefined when there is none. */
export function snapshotTime(db: string): Date | undefined {
  const path = snapshotPathFor(db);
  if (!existsSync(path)) return undefined;
  try {
    return statSync(path).mtime;
  } catch {
    return undefined; // removed between the two calls: the writer has just closed
  }
}

const ALIAS = "al_snapshot_copy";

/**
 * Copies the database open on `conn` to the snapshot path: ATTACH a temp file, COPY FROM
 * DATABASE (which sees every committed row, WAL included), DETACH, rename. Call it between
 * transactions on the writer's own connection.
 */
export async function writeSnapshot(conn: DuckDBConnection, db: string): Promise<void> {
  const target = snapshotPathFor(db);
  const temp = tempName(target, "tmp");
  // A killed writer's temp copy (and its WAL) is as big as the store, and nothing renames it.
  const prefix = `${basename(target)}.`;
  await removeOrphanedTemps(dirname(target), ["tmp", "tmp.wal"], (name) => name.startsWith(prefix)).catch(() => undefined);
  const reader = await conn.runAndReadAll("SELECT current_database() AS name");
  const name = String(reader.getRowObjectsJS()[0]!.name);
  await conn.run(`ATTACH ${sqlString(temp)} AS ${ALIAS}`);
  try {
    await conn.run(`COPY FROM DATABASE "${name.replaceAll('"', '""')}" TO ${ALIAS}`);
    await conn.run(`CHECKPOINT ${ALIAS}`);
  } finally {
    await conn.run(`DETACH ${ALIAS}`);
  }
  try {
    await rename(temp, target);
  } finally {
    await removeFiles(temp);
  }
}

export async function removeSnapshot(db: string): Promise<void> {
  await removeFiles(snapshotPathFor(db));
}

async function removeFiles(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
}

export interface SnapshotScheduleOptions {
  /** Writes one snapshot (the store passes a call through its serial queue). */
  write: () => Promise<void>;
  /**
   * Least time between two snapshots, in ms (default 2000). The gap also grows to ten times the
   * last copy's duration, so copying a big store takes at most about a tenth of the writer's time.
   */
  minIntervalMs?: number;
  /** Told once when a snapshot cannot be written (the grid goes on without readers). */
  warn?: (line: string) => void;
  now?: () => number;
}

export interface SnapshotSchedule {
  /** The store changed: snapshot now, or once the interval has passed. */
  changed(): Promise<void>;
  /** Snapshot now, whatever the interval (a pending one is then not needed). */
  now(): Promise<void>;
  /** Stops the schedule; a pending snapshot is dropped. */
  stop(): void;
}

/** Rate-limits snapshots: the first change writes at once, later ones at most once per interval. */
export function snapshotSchedule(options: SnapshotScheduleOptions): SnapshotSchedule {
  const now = options.now ?? Date.now;
  const minInterval = options.minIntervalMs ?? 2000;
  let last: number | undefined;
  let gap = minInterval;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let warned = false;

  async function write(): Promise<void> {
    if (stopped) return;
    const start = now();
    try {
      await options.write();
      last = now();
      gap = Math.max(minInterval, 10 * (last - start));
    } catch (error) {
      last = now();
      if (!warned) options.warn?.(`could not write the read snapshot: ${(error as Error).message.replace(/\s*\n\s*/g, " ")}`);
      warned = true;
    }
  }

  return {
    changed() {
      if (stopped || timer !== undefined) return Promise.resolve();
      const wait = last === undefined ? 0 : last + gap - now();
      if (wait <= 0) return write();
      // Trailing snapshot: a change inside the interval still shows once it has passed.
      timer = setTimeout(() => {
        timer = undefined;
        void write();
      }, wait);
      timer.unref();
      return Promise.resolve();
    },
    now() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      return write();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
