/**
 * `npm run dev` follows the store. Framework's preview re-runs a data loader only when the loader
 * file changes (its cache is keyed on the loader's mtime), not when the store it reads does; so
 * a watcher stats the store (and the read snapshot `al run` keeps beside it) and, when either
 * changes, touches every loader under the site's root. Framework's own file watcher then re-runs
 * them and pushes the new data to open pages.
 */
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { snapshotPathFor } from "../store/snapshot.ts";

/**
 * A data loader as Framework finds one: `name.<ext>.<interpreter ext>` (e.g. `rounds.parquet.ts`,
 * `[experiment].json.js`); modules like `components/chart.ts` have one extension and are not.
 */
export function isLoaderFile(name: string): boolean {
  return /^[^.].*\.[A-Za-z0-9]+\.(?:ts|js|mjs|py|sh|R|rs|go|java|jl|php|exe)$/.test(name);
}

/** Every loader under `root` (not in `.observablehq` or `node_modules`), as paths. */
export function loaderFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === ".observablehq" || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isLoaderFile(entry.name)) out.push(path);
    }
  };
  if (existsSync(root)) walk(root);
  return out.sort();
}

/**
 * Marks every loader under `root` as changed (mtime = `now`), which makes Framework treat its
 * cached output as stale. Returns the loaders touched.
 */
export function invalidateLoaders(root: string, now: Date = new Date()): string[] {
  const files = loaderFiles(root);
  for (const file of files) utimesSync(file, now, now);
  return files;
}

/** What identifies the store's state on disk: size and mtime of the file, its WAL and snapshot. */
export function storeSignature(db: string): string {
  return [db, `${db}.wal`, snapshotPathFor(db)]
    .map((path) => {
      if (!existsSync(path)) return "-";
      const s = statSync(path);
      return `${s.size}:${s.mtimeMs}`;
    })
    .join("|");
}

export interface WatchStoreOptions {
  /** How often to stat the store (ms); default 1000. */
  intervalMs?: number;
  /** Called with the loaders touched after each change. */
  onInvalidate?: (loaders: string[]) => void;
}

/**
 * Polls the store's signature and invalidates the loaders under `root` once it changed and then
 * held still for one interval (a running grid changes it every round: one refresh per pause, not
 * one per write). Polling, not fs.watch: DuckDB and the snapshot replace files, which file
 * watches lose. Returns a function that stops watching.
 */
export function watchStore(db: string, root: string, options: WatchStoreOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? 1000;
  let seen = storeSignature(db);
  let pending = false;
  const timer = setInterval(() => {
    const now = storeSignature(db);
    if (now !== seen) {
      seen = now;
      pending = true;
      return;
    }
    if (!pending) return;
    pending = false;
    options.onInvalidate?.(invalidateLoaders(root));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
