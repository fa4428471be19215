/**
 * Selection maps stored by `al run` (lib/map/stored-maps.ts) against a real store: the fixture's
 * two data sets, trained by `al run`, then read back the way the site's loaders read them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../lib/data/registry.ts";
import { poolMap } from "../../lib/map/pool-map.ts";
import { MAP_VERSION, poolGroups, poolMapKey, readStoredMaps, readStoredRuns, saveSelectionMaps, storedMapFor, type StoredMap } from "../../lib/map/stored-maps.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { buildSelectionMap, mappedRuns, readSelections, type StoredSelections } from "../../src/data/selection-map.ts";
import { runTwoDatasets, TWO_DATASETS } from "../site/fixture-store.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "al-stored-maps-"));
const db = join(dir, "al.duckdb");
let file: string;
let stored: StoredSelections;
let rows: { experiment: string; pool: string; key: string; seconds: number }[];

const noLoad = async (): Promise<never> => {
  throw new Error("the loader read a data set although the store holds its map");
};

beforeAll(async () => {
  file = runTwoDatasets(dir, db);
  const store = await openStore(db, { readOnly: true });
  try {
    stored = await readSelections(store, TWO_DATASETS);
    rows = (await store.query("SELECT experiment, pool, key, seconds FROM selection_maps ORDER BY pool")).map((r) => ({
      experiment: String(r.experiment),
      pool: String(r.pool),
      key: String(r.key),
      seconds: Number(r.seconds),
    }));
  } finally {
    await store.close();
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("selection maps stored by al run", () => {
  it("stores one current map per pool when the grid finishes", () => {
    const groups = poolGroups(stored.runs);
    expect(groups).toHaveLength(2);
    expect(rows.map((r) => r.experiment)).toEqual([TWO_DATASETS, TWO_DATASETS]);
    expect(rows.map((r) => r.pool).sort()).toEqual(groups.map((g) => g.pool).sort());
    for (const group of groups) {
      expect(rows.find((r) => r.pool === group.pool)!.key).toBe(poolMapKey(group));
      expect(storedMapFor(group, stored.maps!)).toBeDefined();
    }
    for (const r of rows) expect(r.seconds).toBeGreaterThan(0);
  });

  it("is what a build would compute from the data sets, and the build reads no data set", async () => {
    const fromStore = await buildSelectionMap(stored, { load: noLoad });
    const computed = await buildSelectionMap({ ...stored, maps: undefined });
    expect(fromStore).toEqual(computed);
    expect(fromStore.pools.every((p) => p.problem === undefined && p.umap_x !== undefined)).toBe(true);
    expect(await mappedRuns(stored, { load: noLoad })).toEqual(await mappedRuns({ ...stored, maps: undefined }));
    // The stored map is the pool map of the data set the runs read.
    const group = poolGroups(stored.runs).find((g) => g.ref!.name === "diabetes")!;
    const dataset = await loadDataset(group.ref!);
    expect(stored.maps!.get(group.pool)!.map).toEqual(JSON.parse(JSON.stringify(poolMap(dataset, group.runs))));
    expect(stored.maps!.get(group.pool)!.map.checksum).toBe(group.runs[0]!.data_checksum);
  });

  it("is not used once a run's picks, the map options or the map code differ from what it was computed for", async () => {
    const [group] = poolGroups(stored.runs);
    const changed = { ...group!, runs: group!.runs.map((r, i) => (i === 0 ? { ...r, rounds: [...r.rounds, [r.rounds[0]![0]!]] } : r)) };
    expect(storedMapFor(changed, stored.maps!)).toBeUndefined();
    expect(storedMapFor(group!, stored.maps!, { umapEpochs: 10 })).toBeUndefined();
    expect(poolMapKey(group!, { umapEpochs: 10 })).not.toBe(poolMapKey(group!));
    // A build given a stale map computes the map itself (and so needs the data set).
    const stale = new Map<string, StoredMap>([...stored.maps!].map(([pool, m]) => [pool, { ...m, key: `${MAP_VERSION - 1}-old` }]));
    await expect(buildSelectionMap({ ...stored, maps: stale }, { load: noLoad })).resolves.toMatchObject({
      pools: [{ problem: expect.stringContaining("the loader read a data set") }, { problem: expect.stringContaining("the loader read a data set") }],
    });
  });

  it("a second save computes nothing; a run that adds nothing stores nothing new", async () => {
    const store = await openStore(db);
    try {
      expect(await saveSelectionMaps(store, TWO_DATASETS, { load: noLoad })).toBe(0);
    } finally {
      await store.close();
    }
    const again = spawnSync(process.execPath, [join(ROOT, "bin/al.js"), "run", file, "--db", db], { cwd: ROOT, env: { ...process.env, AL_BACKEND: "wasm" }, encoding: "utf8" });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("selection map of");
    const check = await openStore(db, { readOnly: true });
    try {
      const keys = (await check.query("SELECT key FROM selection_maps ORDER BY pool")).map((r) => String(r.key));
      expect(keys).toEqual([...rows].sort((a, b) => a.pool.localeCompare(b.pool)).map((r) => r.key));
    } finally {
      await check.close();
    }
  }, 120_000);

  it("al run --no-maps stores none; the build then computes them, as it does for a store without maps", async () => {
    const other = join(dir, "no-maps.duckdb");
    const r = spawnSync(process.execPath, [join(ROOT, "bin/al.js"), "run", file, "--db", other, "--no-maps"], { cwd: ROOT, env: { ...process.env, AL_BACKEND: "wasm" }, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("selection map of");
    const store = await openStore(other, { readOnly: true });
    let bare: StoredSelections;
    try {
      expect(await store.query("SELECT * FROM selection_maps")).toEqual([]);
      bare = await readSelections(store, TWO_DATASETS);
    } finally {
      await store.close();
    }
    const logged: string[] = [];
    const built = await buildSelectionMap(bare, { log: (l) => logged.push(l) });
    expect(built).toEqual(await buildSelectionMap(stored, { load: noLoad }));
    expect(logged.every((l) => l.includes("computed now (no stored map)"))).toBe(true);
  }, 120_000);

  it("recomputes a stale map, drops pools the experiment no longer has, and al rm deletes its maps", async () => {
    const store = await openStore(db);
    try {
      const runs = await readStoredRuns(store, TWO_DATASETS);
      const [first] = poolGroups(runs);
      // A re-run changed one pick of one run: only that pool's map is recomputed.
      const victim = first!.runs[0]!.run_id;
      await store.query("UPDATE selections SET pool_index = (SELECT max(pool_index) + 1 FROM selections WHERE run_id = ?) WHERE run_id = ? AND round = 1 AND rank = 0", [victim, victim]);
      const logged: string[] = [];
      expect(await saveSelectionMaps(store, TWO_DATASETS, { log: (l) => logged.push(l) })).toBe(1);
      expect(logged).toHaveLength(1);
      const maps = await readStoredMaps(store, TWO_DATASETS);
      expect(storedMapFor(poolGroups(await readStoredRuns(store, TWO_DATASETS))[0]!, maps)).toBeDefined();
      // The experiment now lists only the second pool's runs: the first pool's map goes.
      const keep = poolGroups(runs)[1]!.runs.map((r) => r.run_id);
      await store.query(`DELETE FROM experiment_runs WHERE experiment = ? AND run_id NOT IN (${keep.map(() => "?").join(", ")})`, [TWO_DATASETS, ...keep]);
      await saveSelectionMaps(store, TWO_DATASETS, { load: noLoad });
      expect([...(await readStoredMaps(store, TWO_DATASETS)).keys()]).toEqual([poolGroups(runs)[1]!.pool]);
      await store.remove({ experiment: TWO_DATASETS });
      expect(await store.query("SELECT * FROM selection_maps")).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
