/**
 * The edges of shards and al collect: bad --shard input, a shard killed with kill -9 and run
 * again, and run folders that are half written, damaged, of another schema or incomplete — each
 * rejected by path while the rest still go in, one transaction per run.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { run } from "../../lib/cli/run.ts";
import { collect } from "../../lib/cli/collect.ts";
import { collectResults } from "../../lib/runner/collect-results.ts";
import { SCHEMA_VERSION } from "../../lib/store/schema.ts";
import { smallGrid } from "../runner/small-grid.ts";
import { runExperiment, type RunSummary } from "../../lib/runner/run-experiment.ts";
import { shardRun } from "../../lib/runner/shard.ts";
import { al, queryStore, root } from "./al.ts";

const dir = mkdtempSync(join(tmpdir(), "al-collect-"));
const file = join(dir, "grid.ts");
writeFileSync(
  file,
  `export default ${JSON.stringify(smallGrid("collect-grid"))};
`,
);
const results = join(dir, "results");
const local = join(dir, "local.duckdb");

/** The rows every page reads, sorted, without timing columns. */
async function rows(db: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, sql] of Object.entries({
    runs: "SELECT run_id, status, config::VARCHAR, pool_size, test_size, data_checksum FROM runs",
    rounds: "SELECT run_id, round, labelled FROM rounds",
    metrics: "SELECT * FROM metrics",
    selections: "SELECT * FROM selections",
    histograms: "SELECT * FROM histograms",
    analysis: "SELECT run_id, rule, stop_round FROM stopping UNION ALL SELECT run_id, action, round FROM advice UNION ALL SELECT run_id, name, value::VARCHAR FROM summaries",
    links: "SELECT * FROM experiment_runs",
  })) {
    out[table] = (await queryStore(db, sql)).map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === "bigint" ? Number(v) : v))).sort();
  }
  return out;
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
type Manifest = { schemaVersion: number; tables: Record<string, { file: string; rows: number; bytes: number; sha256: string }> };
const manifestOf = (folder: string) => JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as Manifest;
const writeManifest = (folder: string, m: Manifest) => writeFileSync(join(folder, "manifest.json"), JSON.stringify(m));

describe("al run --shard: input errors", () => {
  it.each([
    [["--shard", "3/3", "--results", "R"], "--shard 3/3: expected 0 ≤ i < 3; shards count from 0 (0/3 … 2/3)"],
    [["--shard", "1.5/3", "--results", "R"], "--shard 1.5/3: expected i/n with whole numbers, e.g. --shard 0/4 (shard 0 of 4)"],
    [["--shard", "0/3"], "--shard needs --results <dir>: where the shard keeps its store and writes its finished runs"],
    [["--results", "R"], "--results is where shards write; add --shard i/n, or drop --results to run into the store (--db)"],
    [["--shard", "0/3", "--results", "R", "--db", "x.duckdb"], "--db: a shard keeps its own store in --results; drop --db"],
  ])("al run %j is refused before anything is written", async (args, message) => {
    await expect(run([file, ...args.map((a) => (a === "R" ? join(dir, "never") : a))])).rejects.toThrow(message);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("al collect needs an existing --results folder with run folders", async () => {
    await expect(collect([])).rejects.toThrow("--results <dir> is required: the folder given to al run --shard … --results");
    await expect(collect(["--results", join(dir, "missing"), "--db", join(dir, "none.duckdb")])).rejects.toThrow(`--results ${join(dir, "missing")}: no such directory`);
    await expect(collect(["--results", dir, "--db", join(dir, "none.duckdb")])).rejects.toThrow("holds no run folders");
    expect(existsSync(join(dir, "none.duckdb"))).toBe(false);
  });

  it("prints one line and exits 2 from the command line", () => {
    const r = al("run", file, "--shard", "2/2", "--results", join(dir, "never"));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("al run: --shard 2/2: expected 0 ≤ i < 2; shards count from 0 (0/2 … 1/2)\n");
  });
});

describe("a shard killed with kill -9, then collected with damaged folders", () => {
  let killed: ReturnType<typeof spawnSync>;
  let resumed: RunSummary;
  const log: string[] = [];
  let ids: string[];
  beforeAll(async () => {
    // One shard of one: the whole grid, so the kill lands in its second run.
    const args = [join(root, "bin/al.js"), "run", file, "--shard", "0/1", "--results", results, "--workers", "1"];
    killed = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, AL_BACKEND: "wasm", AL_TEST_HOOK: "kill-after-round" } });
    ids = readdirSync(join(results, "runs")).sort();
    // Run again in this process (one tfjs start less); the command line was the killed run's.
    resumed = await runExperiment({ file, workers: 1, backend: "wasm", log: (line) => void log.push(line), ...shardRun(results, { index: 0, count: 1 }) });
    await runExperiment({ file, db: local, workers: 1, backend: "wasm", log: () => {} });
  }, 120_000);

  it("resumes the killed shard from its checkpoint and skips the run it had finished", () => {
    expect(killed.signal).toBe("SIGKILL");
    // The first run finished and was written before the kill; the second had only a checkpoint.
    expect(ids).toHaveLength(1);
    expect(existsSync(join(results, "runs", ids[0]!, "manifest.json"))).toBe(true);
    expect(resumed).toMatchObject({ total: 4, reused: 1, done: 3, failed: 0 });
    expect(log.join("\n")).toContain("random · retrain · seed 2: resuming after round 1");
    expect(readdirSync(join(results, "runs"))).toHaveLength(4);
  });

  it("rejects half-written, damaged, other-schema and gapped folders by path; the intact one goes in", async () => {
    const damaged = join(dir, "damaged");
    cpSync(results, damaged, { recursive: true });
    const [a, b, c, d] = readdirSync(join(damaged, "runs")).sort().map((id) => join(damaged, "runs", id));
    // a: its writer died before the manifest.
    rmSync(join(a!, "manifest.json"));
    // b: one byte of its metrics changed after writing.
    const metrics = readFileSync(join(b!, "metrics.parquet"));
    metrics[Math.floor(metrics.length / 2)] ^= 0xff;
    writeFileSync(join(b!, "metrics.parquet"), metrics);
    // c: written by a newer al-lab.
    writeManifest(c!, { ...manifestOf(c!), schemaVersion: 99 });
    // d: a consistent folder (checksums and row counts match) whose rounds miss round 2.
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT * FROM read_parquet('${join(d!, "rounds.parquet")}') WHERE round <> 2) TO '${join(d!, "rounds.tmp.parquet")}' (FORMAT parquet)`);
    conn.closeSync();
    instance.closeSync();
    cpSync(join(d!, "rounds.tmp.parquet"), join(d!, "rounds.parquet"));
    rmSync(join(d!, "rounds.tmp.parquet"));
    const m = manifestOf(d!);
    m.tables.rounds = { ...m.tables.rounds!, rows: m.tables.rounds!.rows - 1, bytes: readFileSync(join(d!, "rounds.parquet")).length, sha256: sha256(join(d!, "rounds.parquet")) };
    writeManifest(d!, m);

    const db = join(dir, "partial.duckdb");
    // The verb itself, for its exit status; its lines go to stderr, its summary to stdout.
    expect(await collect(["--results", damaged, "--db", db, "--no-maps"])).toBe(1);
    const first = await collectResults({ results: damaged, db, log: () => {} });
    expect(first.rejected.map((x) => `${x.path}: ${x.reason}`)).toEqual([
      `${a}: no manifest.json: the folder is half written (its writer died in it, or it was copied in part); run that shard again`,
      `${join(b!, "metrics.parquet")}: its sha256 differs from the one in manifest.json: damaged or changed after writing; run the folder's shard again`,
      `${join(c!, "manifest.json")}: written under store schema 99, but this al-lab reads schema ${SCHEMA_VERSION}; upgrade al-lab to collect it`,
      expect.stringMatching(new RegExp(`^${join(d!, "rounds.parquet")}: the run's rounds are incomplete \\(.*\\)$`)),
    ]);
    expect(first).toMatchObject({ collected: [], skipped: [] });
    // d's rows went in and came out again with its transaction: nothing of any run is stored.
    expect(await queryStore(db, "SELECT (SELECT count(*) FROM runs)::INTEGER AS runs, (SELECT count(*) FROM rounds)::INTEGER AS rounds, (SELECT count(*) FROM selections)::INTEGER AS selections")).toEqual([{ runs: 0, rounds: 0, selections: 0 }]);

    // Put b and d back: they go in, a and c are still rejected, and the grid is not complete.
    for (const f of [b!, d!]) cpSync(join(results, "runs", f.split("/").pop()!), f, { recursive: true });
    const second = await collectResults({ results: damaged, db, log: () => {} });
    expect(second.collected).toEqual([b!, d!].map((f) => f.split("/").pop()));
    expect(second.rejected.map((x) => x.path)).toEqual([a!, join(c!, "manifest.json")]);
    expect(second.incomplete).toEqual([{ experiment: "collect-grid", done: 2, runs: 4 }]);
    // The grid's other runs are listed as not started, and no selection map is stored yet.
    expect(await queryStore(db, "SELECT count(*)::INTEGER AS n FROM experiment_runs")).toEqual([{ n: 4 }]);
    expect(await queryStore(db, "SELECT count(*)::INTEGER AS n FROM selection_maps")).toEqual([{ n: 0 }]);

    // The shard's own folders complete it: the two present are skipped, and the store now
    // holds what the local run does, analysis included.
    const third = await collectResults({ results, db, maps: false, log: () => {} });
    expect(third.collected).toHaveLength(2);
    expect(third.skipped).toHaveLength(2);
    expect(third.rejected).toEqual([]);
    expect(await rows(db)).toEqual(await rows(local));
  });

  it("collects a folder written under store schema 8 (before the label-set columns): they read as null", async () => {
    const older = join(dir, "older");
    cpSync(results, older, { recursive: true });
    const folders = readdirSync(join(older, "runs")).sort().map((id) => join(older, "runs", id));
    for (const f of folders) {
      // What an al-lab of schema 8 wrote: selections without true_labels / given_labels.
      const instance = await DuckDBInstance.create(":memory:");
      const conn = await instance.connect();
      await conn.run(`COPY (SELECT * EXCLUDE (true_labels, given_labels) FROM read_parquet('${join(f, "selections.parquet")}')) TO '${join(f, "selections.tmp.parquet")}' (FORMAT parquet)`);
      conn.closeSync();
      instance.closeSync();
      cpSync(join(f, "selections.tmp.parquet"), join(f, "selections.parquet"));
      rmSync(join(f, "selections.tmp.parquet"));
      const m = manifestOf(f);
      m.tables.selections = { ...m.tables.selections!, bytes: readFileSync(join(f, "selections.parquet")).length, sha256: sha256(join(f, "selections.parquet")) };
      writeManifest(f, { ...m, schemaVersion: 8 });
    }
    const db = join(dir, "older.duckdb");
    const got = await collectResults({ results: older, db, maps: false, log: () => {} });
    expect(got.rejected).toEqual([]);
    expect(got.collected).toHaveLength(folders.length);
    expect(await rows(db)).toEqual(await rows(local));
    // A folder from before run folders existed is refused, saying what to do.
    writeManifest(folders[0]!, { ...manifestOf(folders[0]!), schemaVersion: 7 });
    const again = await collectResults({ results: older, db: join(dir, "older2.duckdb"), maps: false, log: () => {} });
    expect(again.rejected.map((x) => x.reason)).toEqual([`written under store schema 7, but this al-lab reads schema ${SCHEMA_VERSION}; run its shard again with this al-lab (its other runs are kept)`]);
  });

  it("writes again, from the shard's store, the folders a kill cut short, and runs nothing", async () => {
    const [x, y] = readdirSync(join(results, "runs")).sort().map((id) => join(results, "runs", id));
    const rowsOf = (folder: string) => Object.fromEntries(Object.entries(manifestOf(folder).tables).map(([t, e]) => [t, e.rows]));
    const before = rowsOf(x!);
    // x: killed after the store marked it done, before its folder; y: killed mid-folder.
    rmSync(x!, { recursive: true });
    rmSync(join(y!, "manifest.json"));
    const stale = join(y!, `rounds.parquet.${hostname()}.999999999.partial`);
    writeFileSync(stale, "half a file");
    const again = await runExperiment({ file, workers: 1, backend: "wasm", log: () => {}, ...shardRun(results, { index: 0, count: 1 }) });
    expect(again).toMatchObject({ total: 4, reused: 4, done: 0, failed: 0 });
    expect(rowsOf(x!)).toEqual(before);
    expect(existsSync(join(y!, "manifest.json"))).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });
});
