/**
 * The selection-map loader's shaping against a real store (test/site/fixture-store.ts: two data
 * sets × 2 samplers × 2 seeds, baselines) and the quickstart's bundled Fashion-MNIST images.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../lib/data/registry.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { gridAxisLabels } from "../../src/components/grid-axes.ts";
import { readSelectionPicks, withPicks } from "../../src/components/selection-picks.ts";
import { buildSelectionMap, mappedRuns, readSelections, selectionPools, THUMBNAILS_PER_ROUND, type SelectionMapData, type StoredSelections } from "../../src/data/selection-map.ts";
import { selectionPickRows, selectionPicksParquet } from "../../src/data/selection-picks.ts";
import { runTwoDatasets, TWO_DATASETS, twoDatasetsSpec } from "./fixture-store.ts";

const dir = mkdtempSync(join(tmpdir(), "al-selection-map-"));
const db = join(dir, "al.duckdb");
let stored: StoredSelections;
let map: SelectionMapData;
let storedPicks: { run_id: string; round: number; pool_index: number }[];
let hashBefore: string;

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

beforeAll(async () => {
  runTwoDatasets(dir, db);
  hashBefore = sha(db);
  const store = await openStore(db, { readOnly: true });
  try {
    stored = await readSelections(store, TWO_DATASETS);
    storedPicks = (await store.query("SELECT run_id, round, pool_index FROM selections ORDER BY run_id, round, rank")).map((r) => ({
      run_id: String(r.run_id),
      round: Number(r.round),
      pool_index: Number(r.pool_index),
    }));
  } finally {
    await store.close();
  }
  map = await buildSelectionMap(stored);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("selection map of a stored experiment", () => {
  it("maps the active-learning runs only, grouped into one pool per data set, and never writes the store", () => {
    // 2 data sets × 2 samplers × 2 seeds; the baselines have no rounds to map.
    expect(map.runs).toHaveLength(8);
    expect(map.varying).toEqual(["dataset"]);
    expect(map.pools.map((p) => p.label).sort()).toEqual(["diabetes", "noisy-blobs"]);
    for (const pool of map.pools) expect(map.runs.filter((r) => r.pool === pool.id).every((r) => r.axes.dataset === pool.label)).toBe(true);
    expect(new Set(map.runs.map((r) => `${r.axes.dataset} ${r.sampler} ${r.seed}`)).size).toBe(8);
    expect(sha(db)).toBe(hashBefore);
  });

  it("holds every stored pick, per round in rank order, as indices into the shown points", () => {
    for (const run of map.runs) {
      const pool = map.pools[run.pool]!;
      // Initial set, then one batch per round: 20, 10, 10, 10.
      expect(run.rounds.map((r) => r.length)).toEqual([twoDatasetsSpec.initial.size, 10, 10, 10]);
      const back = run.rounds.flatMap((r, round) => r.map((k) => ({ run_id: run.run_id, round, pool_index: pool.index[k]! })));
      expect(back).toEqual(storedPicks.filter((p) => p.run_id === run.run_id));
    }
  });

  it("ships as selections.json without picks plus selections.parquet, which the page joins back: the first 16 of a round by rank, then the rest ascending", async () => {
    const json = JSON.parse(JSON.stringify(selectionPools(map))) as ReturnType<typeof selectionPools>;
    expect(json.runs.every((r) => !("rounds" in r))).toBe(true);
    expect(json.pools).toEqual(map.pools);
    const parquet = await selectionPicksParquet(selectionPickRows(stored));
    const joined = withPicks(json, await readSelectionPicks(parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength) as ArrayBuffer));
    const ascending = (r: number[]) => [...r].sort((a, b) => a - b);
    expect(joined.runs).toEqual(map.runs.map((run) => ({ ...run, rounds: run.rounds.map((r) => [...r.slice(0, THUMBNAILS_PER_ROUND), ...ascending(r.slice(THUMBNAILS_PER_ROUND))]) })));
    // The 20-point initial sets are longer than the lead: their last 4 come back ascending, the batches of 10 unchanged.
    for (const run of joined.runs) {
      const before = map.runs.find((r) => r.run_id === run.run_id)!;
      expect(run.rounds.map(ascending)).toEqual(before.rounds.map(ascending));
      expect(run.rounds.slice(1)).toEqual(before.rounds.slice(1));
    }
  });

  it("projects the whole (small) pool, with the classes the data set has", async () => {
    const blobs = map.pools.find((p) => p.label === "noisy-blobs")!;
    const dataset = await loadDataset(twoDatasetsSpec.dataset[0]!);
    expect(blobs.size).toBe(dataset.pool.x.n);
    expect(blobs.index).toEqual(Array.from({ length: dataset.pool.x.n }, (_, i) => i));
    expect(blobs.background).toBe(dataset.pool.x.n);
    expect(blobs.label_index).toEqual(Array.from(dataset.pool.y));
    expect(blobs.classes).toEqual(dataset.classes);
    expect(blobs.thumbnails).toBeUndefined();
    // 2-D blobs: PCA is a rotation of the centred points, so both axes keep all the variance.
    expect(blobs.explained[0] + blobs.explained[1]).toBeCloseTo(1, 3);
    expect(blobs.explained[0]).toBeGreaterThanOrEqual(blobs.explained[1]);
    const d2 = (i: number, j: number) => (blobs.x[i]! - blobs.x[j]!) ** 2 + (blobs.y[i]! - blobs.y[j]!) ** 2;
    const x = dataset.pool.x.data;
    const raw = (i: number, j: number) => (x[2 * i]! - x[2 * j]!) ** 2 + (x[2 * i + 1]! - x[2 * j + 1]!) ** 2;
    // Distances survive (up to the 4-digit rounding of the coordinates).
    for (const [i, j] of [[0, 1], [3, 70], [10, 119]] as const) expect(Math.abs(d2(i, j) - raw(i, j))).toBeLessThan(1e-3 * Math.max(raw(i, j), 1));
    // Centred: the coordinates average to zero.
    expect(Math.abs(blobs.x.reduce((a, b) => a + b, 0) / blobs.x.length)).toBeLessThan(1e-3);
  });

  it("z-scores a tabular pool's columns before the PCA (a synthetic one keeps its units)", async () => {
    const diabetes = map.pools.find((p) => p.label === "diabetes")!;
    const dataset = await loadDataset(twoDatasetsSpec.dataset[1]!);
    expect(dataset.kind).toBe("tabular");
    const { n, c, data } = dataset.pool.x;
    expect(diabetes.index).toHaveLength(n);
    // Standardised columns have population variance 1, so the total sample variance is
    // c · n / (n − 1), and PC 1's variance (of its coordinates) is that times its share.
    const constant = Array.from({ length: c }, (_, j) => new Set(Array.from({ length: n }, (_, i) => data[i * c + j])).size === 1).filter(Boolean).length;
    const total = ((c - constant) * n) / (n - 1);
    const variance = (v: number[]) => {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
    };
    expect(variance(diabetes.x) / total).toBeCloseTo(diabetes.explained[0], 3);
    expect(variance(diabetes.y) / total).toBeCloseTo(diabetes.explained[1], 3);
    // Unscaled, one column (insulin or glucose, in their own units) would carry most of the variance.
    expect(diabetes.explained[0]).toBeLessThan(0.5);
  });

  it("adds a UMAP of every pool's shown points beside the PCA, rounded like it", () => {
    for (const pool of map.pools) {
      expect(pool.umap_note).toBeUndefined();
      expect(pool.umap_x).toHaveLength(pool.index.length);
      expect(pool.umap_y).toHaveLength(pool.index.length);
      expect([...pool.umap_x!, ...pool.umap_y!].every(Number.isFinite)).toBe(true);
      expect(pool.umap_x).not.toEqual(pool.x);
      // Four significant digits of the largest coordinate, as the PCA's.
      const max = Math.max(...pool.umap_x!.map(Math.abs));
      const decimals = 3 - Math.floor(Math.log10(max));
      expect(pool.umap_x!.every((v) => Math.abs(v * 10 ** decimals - Math.round(v * 10 ** decimals)) < 1e-6)).toBe(true);
    }
  });

  it("is deterministic, UMAP included: the same store gives the same bytes", async () => {
    expect(map.pools.every((p) => p.umap_x !== undefined)).toBe(true);
    expect(JSON.stringify(await buildSelectionMap(stored))).toBe(JSON.stringify(map));
  });

  it("skips the UMAP of a pool with more shown points than the cap, and says so", async () => {
    const blobs = stored.runs.filter((r) => r.axes.dataset === "noisy-blobs");
    const capped = await buildSelectionMap({ experiment: "x", runs: blobs }, { umapMaxPoints: 100 });
    const pool = capped.pools[0]!;
    expect(pool.umap_x).toBeUndefined();
    expect(pool.umap_note).toBe("no UMAP: the map shows 120 points, above the 100 a map computes one for");
    // The PCA map is there as before.
    expect(pool.x).toEqual(map.pools.find((p) => p.label === "noisy-blobs")!.x);
  });

  it("says why a pool has no map instead of failing", async () => {
    const run = stored.runs[0]!;
    const missing = await buildSelectionMap({ experiment: "x", runs: [{ ...run, config: { dataset: { name: "diabetes", dir: join(dir, "nowhere") } } }] });
    expect(missing.pools[0]!.problem).toMatch(/^the data set could not be read here: /);
    expect(missing.runs[0]!.rounds).toEqual([]);
    const blobs = stored.runs.find((r) => r.axes.dataset === "noisy-blobs")!;
    const outside = await buildSelectionMap({ experiment: "x", runs: [{ ...blobs, rounds: [[0, 500]] }] });
    expect(outside.pools[0]!.problem).toBe("the runs selected pool rows up to 500, but the data set read here has 120 pool rows (it changed since they ran)");
    const changed = await buildSelectionMap({ experiment: "x", runs: [{ ...blobs, data_checksum: "0".repeat(64) }] });
    expect(changed.pools[0]!.warning).toMatch(/differs from what some of these runs read/);
    // mappedRuns (which runs selections.parquet ships picks for) agrees: neither pool gets a map.
    expect(await mappedRuns({ experiment: "x", runs: [{ ...run, config: { dataset: { name: "diabetes", dir: join(dir, "nowhere") } } }, { ...blobs, rounds: [[0, 500]] }] })).toEqual(new Set());
    expect(await mappedRuns(stored)).toEqual(new Set(map.runs.map((r) => r.run_id)));
  });
});

describe("selection map of an image pool", () => {
  const ref = { name: "fashion-mnist-small", pool: 400, test: 100 };
  const config = { dataset: ref, sampler: { name: "margin" } };
  const axes = gridAxisLabels([config])[0]!;
  const base = { config, axes, sampler: "margin", mode: "retrain", seed: 1, status: "done", data_checksum: null };
  // Two runs: 20 initial points shared, then batches of 20 (the first 16 of each get thumbnails).
  const initial = Array.from({ length: 20 }, (_, i) => i * 7);
  const a = { ...base, run_id: "a", rounds: [initial, Array.from({ length: 20 }, (_, i) => 399 - i)] };
  const b = { ...base, run_id: "b", seed: 2, rounds: [initial, Array.from({ length: 20 }, (_, i) => 200 + i)] };

  it("samples the background, keeps every pick, and stores the batches' first pixels as uint8", async () => {
    const m = await buildSelectionMap({ experiment: "img", runs: [a, b] }, { maxBackground: 100 });
    const pool = m.pools[0]!;
    const dataset = await loadDataset(ref);
    expect(pool.size).toBe(400);
    expect(pool.background).toBe(100);
    const picked = new Set([...a.rounds.flat(), ...b.rounds.flat()]);
    for (const i of picked) expect(pool.index).toContain(i);
    expect(pool.index.length).toBeLessThanOrEqual(100 + picked.size);
    expect(pool.index).toEqual([...pool.index].sort((x, y) => x - y));
    const t = pool.thumbnails!;
    expect([t.height, t.width, t.channels, t.downsampled]).toEqual([28, 28, 1, false]);
    // 16 of the shared initial set + 16 of each run's batch.
    expect(Object.keys(t.pixels)).toHaveLength(48);
    const k = m.runs[0]!.rounds[1]![0]!;
    expect(pool.index[k]).toBe(399);
    const bytes = Buffer.from(t.pixels[String(k)]!, "base64");
    const row = dataset.pool.x.data.subarray(399 * 784, 400 * 784);
    expect([...bytes]).toEqual(Array.from(row, (v) => Math.round(v * 255)));
    // The 17th point of a batch has no thumbnail.
    expect(t.pixels[String(m.runs[0]!.rounds[1]![16]!)]).toBeUndefined();
  });

  it("downsamples the thumbnails when they would exceed the byte budget", async () => {
    // 48 images × 784 bytes = 37,632 > 20,000; half size: 48 × 196 = 9,408 fits.
    const m = await buildSelectionMap({ experiment: "img", runs: [a, b] }, { thumbnailBytes: 20_000 });
    const t = m.pools[0]!.thumbnails!;
    expect([t.height, t.width, t.downsampled]).toEqual([14, 14, true]);
    expect(Object.values(t.pixels).every((p) => Buffer.from(p, "base64").length === 196)).toBe(true);
  });
});

describe("one pool per page", () => {
  it("reads one pool's runs, picks and map, lists every pool, and maps it as the whole-experiment map does", async () => {
    const store = await openStore(db, { readOnly: true });
    const perPool: StoredSelections[] = [];
    try {
      for (const pool of [0, 1, 2]) perPool.push(await readSelections(store, TWO_DATASETS, { pool }));
    } finally {
      await store.close();
    }
    const pages = map.pools.map((p) => ({ label: p.label, runs: map.runs.filter((r) => r.pool === p.id).length }));
    expect(pages).toEqual([expect.objectContaining({ runs: 4 }), expect.objectContaining({ runs: 4 })]);
    for (const k of [0, 1]) {
      const one = perPool[k]!;
      expect(one.pages).toEqual(pages);
      expect(one.page).toBe(k);
      expect(one.runs.map((r) => r.run_id)).toEqual(stored.runs.filter((r) => map.runs.find((m) => m.run_id === r.run_id)!.pool === k).map((r) => r.run_id));
      expect([...one.maps!.keys()]).toHaveLength(1);
      const built = await buildSelectionMap(one);
      const whole = map.pools[k]!;
      expect(built.pools).toEqual([{ ...whole, id: 0 }]);
      expect(built.runs).toEqual(map.runs.filter((r) => r.pool === k).map((r) => ({ ...r, pool: 0 })));
      expect(built.pages).toEqual(pages);
      expect(built.page).toBe(k);
    }
    // A pool number past the last: no runs (the page says so), the pool list still there.
    expect(perPool[2]!.runs).toEqual([]);
    expect(perPool[2]!.pages).toEqual(pages);
    expect((await buildSelectionMap(perPool[2]!)).pools).toEqual([]);
  });
});
