/**
 * A grid run as three Slurm-style shards and collected gives the store a local run gives: every
 * per-run row equal (timing columns compared apart), and al ls, al compare and al export agree.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { collectResults, type CollectResultsSummary } from "../../lib/runner/collect-results.ts";
import { runExperiment, type RunSummary } from "../../lib/runner/run-experiment.ts";
import { shardRun } from "../../lib/runner/shard.ts";
import { exportParquet } from "../../lib/store/export.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { queryStore, root } from "./al.ts";
import { dump } from "./store-dump.ts";
import { smallGrid } from "../runner/small-grid.ts";

const dir = mkdtempSync(join(tmpdir(), "al-shards-"));
const file = join(dir, "grid.ts");
writeFileSync(
  file,
  `export default ${JSON.stringify(smallGrid("shard-grid", { baselines: [100] }))};
`,
);
const local = join(dir, "local.duckdb");
const results = join(dir, "results");
const collected = join(dir, "collected.duckdb");

/** `al` as al.ts runs it, without blocking: verbs that only read can run side by side. */
function alAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "bin/al.js"), ...args], { cwd: root, env: { ...process.env, AL_BACKEND: "wasm" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("al run --shard + al collect", () => {
  const shardRuns: RunSummary[] = [];
  let collect: CollectResultsSummary;
  beforeAll(async () => {
    // In this process (one tfjs start); the verbs' own flags are tested in collect.test.ts.
    const quiet = { file, workers: 1, backend: "wasm" as const, log: () => {} };
    expect(await runExperiment({ ...quiet, db: local })).toMatchObject({ done: 6, failed: 0 });
    for (let index = 0; index < 3; index++) shardRuns.push(await runExperiment({ ...quiet, ...shardRun(results, { index, count: 3 }) }));
    collect = await collectResults({ results, db: collected, log: () => {} });
  }, 120_000);

  it("gives every shard a disjoint slice of the grid, in its own store, and a run folder per run", async () => {
    // 6 runs dealt round-robin over 3 shards.
    expect(shardRuns.map((t) => [t.total, t.done, t.failed])).toEqual([[2, 2, 0], [2, 2, 0], [2, 2, 0]]);
    expect(readdirSync(join(results, "shards")).filter((f) => f.endsWith(".duckdb")).sort()).toEqual(["0-of-3.duckdb", "1-of-3.duckdb", "2-of-3.duckdb"]);
    const perShard = await Promise.all(
      [0, 1, 2].map(async (i) => (await queryStore(join(results, "shards", `${i}-of-3.duckdb`), "SELECT run_id FROM runs WHERE status = 'done'")).map((r) => String(r.run_id))),
    );
    const all = (await queryStore(local, "SELECT run_id FROM runs ORDER BY run_id")).map((r) => String(r.run_id));
    expect(perShard.flat().sort()).toEqual(all);
    expect(readdirSync(join(results, "runs")).sort()).toEqual(all);
    for (const id of all) expect(existsSync(join(results, "runs", id, "manifest.json"))).toBe(true);
  });

  it("collects every run once, into a store whose rows equal the local run's", async () => {
    expect(collect.collected).toHaveLength(6);
    expect(collect).toMatchObject({ skipped: [], rejected: [], analysed: ["shard-grid"], incomplete: [] });
    const ours = await dump(collected, "values");
    const theirs = await dump(local, "values");
    // Every table is compared, also one a later migration adds.
    expect(Object.keys(ours)).toEqual(["advice", "experiment_runs", "experiments", "histograms", "metrics", "rounds", "runs", "selection_maps", "selections", "stopping", "summaries"]);
    expect(ours.selection_maps).toHaveLength(1);
    expect(ours.stopping!.length).toBeGreaterThan(0);
    for (const table of Object.keys(theirs)) expect(ours[table], table).toEqual(theirs[table]);
    // Timing columns: set where the local run sets them (their values are the shards' own).
    expect(await dump(collected, "timing")).toEqual(await dump(local, "timing"));
  });

  it("skips every run when collecting again, and changes nothing", async () => {
    const before = await dump(collected, "values");
    const lines: string[] = [];
    const again = await collectResults({ results, db: collected, log: (line) => void lines.push(line) });
    expect(again).toMatchObject({ collected: [], rejected: [], analysed: [], incomplete: [] });
    expect(again.skipped).toHaveLength(6);
    expect(lines).toEqual(again.skipped.map((id) => `skipped ${id}: already done in ${collected}`));
    expect(await dump(collected, "values")).toEqual(before);
  });

  it("al ls, al compare and al export see the collected runs as local ones", async () => {
    // The four verbs at once: each is a second of CPU but seconds of start-up on a busy machine.
    const [runsC, runsL, compareC, compareL] = await Promise.all([
      alAsync("ls", "--runs", "--db", collected, "--json"),
      alAsync("ls", "--runs", "--db", local, "--json"),
      alAsync("compare", "shard-grid", "--db", collected, "--json"),
      alAsync("compare", "shard-grid", "--db", local, "--json"),
    ]);
    const drop = (text: string) => (JSON.parse(text) as Array<Record<string, unknown>>).map(({ seconds: _s, ...r }) => r);
    expect(runsC.code, runsC.stderr).toBe(0);
    expect(drop(runsC.stdout)).toHaveLength(6);
    expect(drop(runsC.stdout)).toEqual(drop(runsL.stdout));
    expect(compareC.code, compareC.stderr).toBe(0);
    expect(compareC.stdout).toBe(compareL.stdout);

    for (const [db, out] of [[collected, "export-c"], [local, "export-l"]] as const) {
      const store = await openStore(db, { readOnly: true });
      await exportParquet(store, { outDir: join(dir, out), partition: false }).finally(() => store.close());
    }
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    const EXPORT_TIMING: Record<string, string> = {
      rounds: " EXCLUDE (train_seconds, score_seconds, select_seconds, evaluate_seconds, reference_seconds)",
      runs: " EXCLUDE (started_at, finished_at, seconds)",
    };
    try {
      for (const table of ["rounds", "runs", "selections", "stopping", "advice", "summaries", "round_mask"]) {
        const read = async (out: string) =>
          (await conn.runAndReadAll(`SELECT *${EXPORT_TIMING[table] ?? ""} FROM read_parquet('${join(dir, out, `${table}.parquet`)}') ORDER BY ALL`)).getRowObjectsJson();
        const ours = await read("export-c");
        expect(ours.length, table).toBeGreaterThan(0);
        expect(ours, table).toEqual(await read("export-l"));
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
