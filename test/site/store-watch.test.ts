/**
 * `npm run dev` follows the store (lib/site/store-watch.ts): a change of the store file or of its
 * read snapshot marks every data loader stale — Framework re-runs a loader when its mtime moves —
 * and touches nothing else.
 */
import { mkdirSync, mkdtempSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { invalidateLoaders, isLoaderFile, loaderFiles, storeSignature, watchStore } from "../../lib/site/store-watch.ts";
import { snapshotPathFor } from "../../lib/store/snapshot.ts";

const old = new Date("2020-01-01T00:00:00Z");

/** A site root with two loaders, a page, a component module and a cached output. */
function site(): { root: string; loaders: string[]; others: string[] } {
  const root = mkdtempSync(join(tmpdir(), "al-store-watch-"));
  mkdirSync(join(root, "data", "runs"), { recursive: true });
  mkdirSync(join(root, "components"));
  mkdirSync(join(root, ".observablehq", "cache", "data"), { recursive: true });
  const loaders = [join(root, "data", "quickstart.parquet.ts"), join(root, "data", "runs", "[experiment].json.ts")];
  const others = [join(root, "index.md"), join(root, "components", "chart.ts"), join(root, ".observablehq", "cache", "data", "quickstart.parquet")];
  for (const f of [...loaders, ...others]) {
    writeFileSync(f, "x");
    utimesSync(f, old, old);
  }
  return { root, loaders, others };
}

describe("which files are loaders", () => {
  it("a double extension ending in a loader language, not a module or a page", () => {
    expect(isLoaderFile("quickstart.parquet.ts")).toBe(true);
    expect(isLoaderFile("[experiment].json.js")).toBe(true);
    expect(isLoaderFile("summary.csv.py")).toBe(true);
    expect(isLoaderFile("chart.ts")).toBe(false);
    expect(isLoaderFile("index.md")).toBe(false);
    expect(isLoaderFile("quickstart.parquet")).toBe(false);
  });

  it("are found under the root, not in Framework's cache", () => {
    const { root, loaders } = site();
    expect(loaderFiles(root)).toEqual([...loaders].sort());
  });
});

describe("invalidateLoaders", () => {
  it("moves every loader's mtime to now and leaves the rest alone", () => {
    const { root, loaders, others } = site();
    const now = new Date("2026-06-01T12:00:00Z");
    expect(invalidateLoaders(root, now)).toEqual([...loaders].sort());
    for (const f of loaders) expect(statSync(f).mtimeMs).toBe(now.getTime());
    for (const f of others) expect(statSync(f).mtimeMs).toBe(old.getTime());
    // What Framework compares: the cached output is now older than its loader, so it is stale.
    expect(statSync(others[2]!).mtimeMs).toBeLessThan(statSync(loaders[0]!).mtimeMs);
  });
});

describe("watchStore", () => {
  it("the store's signature changes with the file and with its snapshot", () => {
    const { root } = site();
    const db = join(root, "al.duckdb");
    const none = storeSignature(db);
    writeFileSync(db, "one");
    const one = storeSignature(db);
    expect(one).not.toBe(none);
    writeFileSync(snapshotPathFor(db), "snap");
    expect(storeSignature(db)).not.toBe(one);
  });

  it("touches the loaders once after the store changed and held still", async () => {
    const { root, loaders } = site();
    const db = join(root, "al.duckdb");
    writeFileSync(db, "before");
    const calls: string[][] = [];
    const stop = watchStore(db, root, { intervalMs: 50, onInvalidate: (l) => calls.push(l) });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(calls).toEqual([]);
      for (const f of loaders) expect(statSync(f).mtimeMs).toBe(old.getTime());
      writeFileSync(db, "after: a new run");
      await new Promise((r) => setTimeout(r, 400));
      expect(calls).toEqual([[...loaders].sort()]);
      for (const f of loaders) expect(statSync(f).mtimeMs).toBeGreaterThan(old.getTime());
      // No further change, no further touch.
      await new Promise((r) => setTimeout(r, 200));
      expect(calls.length).toBe(1);
    } finally {
      stop();
    }
  });
});
