import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import type { Store } from "../../lib/store/duckdb.ts";
import { exportParquet, roundsParquetBytes } from "../../lib/store/export.ts";
import { roundRecords, runRecord, spec, tempDir } from "./fixtures.ts";

/** Reads a file back with a fresh DuckDB, as the site or an analyst would. */
async function readBack(file: string): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM '${file}'`);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJS() };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const ROUNDS_COLUMNS = [
  "experiment", "run_id", "dataset", "learner", "sampler", "mode", "seed", "round", "labelled",
  "accuracy", "macro_f1", "train_seconds", "score_seconds", "select_seconds", "evaluate_seconds", "reference_seconds", "backend", "kind", "baseline_percent",
];
const RUNS_COLUMNS = [
  "experiment", "run_id", "dataset", "learner", "sampler", "mode", "seed", "status", "backend", "host",
  "started_at", "finished_at", "seconds", "error", "versions", "config", "data_checksum", "data_files",
];
const SELECTIONS_COLUMNS = ["experiment", "run_id", "dataset", "sampler", "mode", "seed", "round", "pool_index", "rank", "source_row", "true_label", "given_label", "cost", "true_labels", "given_labels"];

let store: Store;
let dbPath: string;
beforeAll(async () => {
  dbPath = join(tempDir(), "al.duckdb");
  store = await openStore(dbPath);
  await store.saveExperiment(spec, "experiments/mnist-uncertainty.ts", ["run-r1", "run-e1", "run-r2"]);
  await store.saveExperiment({ ...spec, name: "other" }, "experiments/other.ts", ["run-o"]);
  const runs = [
    { id: "run-r2", sampler: "random", seed: 2 },
    { id: "run-e1", sampler: "entropy", seed: 1 },
    { id: "run-r1", sampler: "random", seed: 1 },
  ];
  for (const { id, sampler, seed } of runs) {
    await store.beginRun(runRecord(id, sampler, seed));
    for (const round of roundRecords(id)) await store.writeRound(round);
    await store.finishRun(id, { status: "done", finishedAt: new Date("2025-03-01T11:00:00Z"), seconds: 60 });
  }
  await store.beginRun({ ...runRecord("run-o", "margin"), experiment: "other" });
  await store.writeRound(roundRecords("run-o")[0]!);
});
afterAll(async () => {
  await store.close();
});

describe("export", () => {
  it("writes rounds, runs and selections Parquet files that DuckDB reads back", async () => {
    const outDir = join(tempDir(), "site", "data");
    const files = await exportParquet(store, { outDir, experiment: "mnist-uncertainty" });
    expect(files).toEqual({
      rounds: join(outDir, "rounds.parquet"),
      runs: join(outDir, "runs.parquet"),
      selections: join(outDir, "selections.parquet"),
      stopping: join(outDir, "stopping.parquet"),
      advice: join(outDir, "advice.parquet"),
      summaries: join(outDir, "summaries.parquet"),
      roundMask: join(outDir, "round_mask.parquet"),
    });

    const rounds = await readBack(files.rounds);
    expect(rounds.columns).toEqual(ROUNDS_COLUMNS);
    expect(rounds.rows).toHaveLength(9);
    // Sorted by experiment, sampler, mode, seed, round.
    expect(rounds.rows.map((r) => `${r.sampler}/${r.seed}/${r.round}`)).toEqual([
      "entropy/1/0", "entropy/1/1", "entropy/1/2",
      "random/1/0", "random/1/1", "random/1/2",
      "random/2/0", "random/2/1", "random/2/2",
    ]);
    expect(rounds.rows[4]).toMatchObject({ run_id: "run-r1", labelled: 30, accuracy: 0.625, macro_f1: 0.375, backend: "wasm" });

    const runs = await readBack(files.runs);
    expect(runs.columns).toEqual(RUNS_COLUMNS);
    expect(runs.rows.map((r) => r.run_id)).toEqual(["run-e1", "run-r1", "run-r2"]);
    expect(runs.rows[0]).toMatchObject({ status: "done", seconds: 60, host: "ci-runner-1" });
    expect(JSON.parse(runs.rows[0]!.config as string)).toMatchObject({ sampler: { name: "entropy" }, seed: 1 });

    const selections = await readBack(files.selections);
    expect(selections.columns).toEqual(SELECTIONS_COLUMNS);
    expect(selections.rows).toHaveLength(3 * 40);
  });

  it("exports every experiment without a filter", async () => {
    const files = await exportParquet(store, { outDir: tempDir() });
    expect((await readBack(files.rounds)).rows).toHaveLength(10);
    expect((await readBack(files.runs)).rows.map((r) => r.experiment)).toEqual([
      "mnist-uncertainty", "mnist-uncertainty", "mnist-uncertainty", "other",
    ]);
    expect((await readBack(files.selections)).rows).toHaveLength(3 * 40 + 30);
  });

  it("writes CSV with a header when asked", async () => {
    const outDir = tempDir();
    const files = await exportParquet(store, { outDir, experiment: "other", format: "csv" });
    expect(files.rounds).toBe(join(outDir, "rounds.csv"));
    const lines = readFileSync(files.rounds, "utf8").trim().split("\n");
    expect(lines[0]).toBe(ROUNDS_COLUMNS.join(","));
    expect(lines).toHaveLength(2);
    expect((await readBack(files.selections)).columns).toEqual(SELECTIONS_COLUMNS);
  });

  it("returns the rounds view as Parquet bytes", async () => {
    const bytes = await roundsParquetBytes(store, { experiment: "mnist-uncertainty" });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("PAR1");
    const file = join(tempDir(), "copy.parquet");
    writeFileSync(file, bytes);
    const back = await readBack(file);
    expect(back.columns).toEqual(ROUNDS_COLUMNS);
    expect(back.rows).toHaveLength(9);
  });

  it("exports from a read-only store", async () => {
    await store.close();
    const reader = await openStore(dbPath, { readOnly: true });
    try {
      const files = await exportParquet(reader, { outDir: tempDir() });
      expect((await readBack(files.runs)).rows).toHaveLength(4);
    } finally {
      await reader.close();
      store = await openStore(dbPath);
    }
  });
});
