/**
 * Schema 8: each selection's true and given label and its cost, written by writeRound and
 * carried by the Parquet export; a schema-7 store still opens read-only and exports nulls.
 * Schema 9: multi-label runs' given and true label sets, as lists; a schema-8 store exports them null.
 */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import { exportParquet } from "../../lib/store/export.ts";
import { SCHEMA_VERSION, migrations } from "../../lib/store/schema.ts";
import { roundRecords, runRecord, spec, tempDir } from "./fixtures.ts";

async function raw(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A store of schema `version` with one done run and one selection row (`row`), exported read-only as it is. */
async function oldStoreExport(version: number, row: string): Promise<{ path: string; files: Awaited<ReturnType<typeof exportParquet>> }> {
  const path = join(tempDir(), "al.duckdb");
  const old = migrations.filter((m) => m.version <= version).map((m) => m.sql).join("\n");
  await raw(
    path,
    `CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR); ${old} INSERT INTO meta VALUES ('schema_version', '${version}');
     INSERT INTO experiments VALUES ('e', '{}', 'e.ts', now());
     INSERT INTO runs (run_id, config, dataset, sampler, mode, seed, status) VALUES ('r', '{}', 'd', 'random', 'retrain', 1, 'done');
     INSERT INTO experiment_runs VALUES ('e', 'r');
     INSERT INTO selections VALUES ${row};`,
  );
  const reader = await openStore(path, { readOnly: true });
  const files = await exportParquet(reader, { outDir: join(tempDir(), "out") });
  await reader.close();
  return { path, files };
}

describe("oracle and cost columns", () => {
  it("store the given and true label and the cost of each pick, and export them", async () => {
    const path = join(tempDir(), "al.duckdb");
    const store = await openStore(path);
    await store.saveExperiment(spec, "e.ts", ["noisy", "plain"]);
    for (const id of ["noisy", "plain"]) {
      await store.beginRun(runRecord(id, "random"));
      for (const round of roundRecords(id)) {
        if (id === "noisy") {
          const n = round.selected.length;
          round.selectedLabels = { given: Int32Array.from({ length: n }, (_, i) => i % 3), truth: Int32Array.from({ length: n }, (_, i) => i % 2) };
          round.selectedCosts = Float64Array.from({ length: n }, (_, i) => 0.5 * (i + 1));
          if (round.initial) {
            round.initialLabels = { given: new Int32Array(20).fill(1), truth: new Int32Array(20).fill(1) };
            round.initialCosts = new Float64Array(20).fill(2);
          }
        }
        await store.writeRound(round);
      }
    }
    const rows = await store.query(
      `SELECT run_id, round, rank, true_label, given_label, cost FROM selections WHERE (round = 1 AND rank < 3) OR (round = 0 AND rank = 0) ORDER BY run_id, round, rank`,
    );
    expect(rows).toEqual([
      { run_id: "noisy", round: 0, rank: 0, true_label: 1, given_label: 1, cost: 2 },
      { run_id: "noisy", round: 1, rank: 0, true_label: 0, given_label: 0, cost: 0.5 },
      { run_id: "noisy", round: 1, rank: 1, true_label: 1, given_label: 1, cost: 1 },
      { run_id: "noisy", round: 1, rank: 2, true_label: 0, given_label: 2, cost: 1.5 },
      { run_id: "plain", round: 0, rank: 0, true_label: null, given_label: null, cost: null },
      { run_id: "plain", round: 1, rank: 0, true_label: null, given_label: null, cost: null },
      { run_id: "plain", round: 1, rank: 1, true_label: null, given_label: null, cost: null },
      { run_id: "plain", round: 1, rank: 2, true_label: null, given_label: null, cost: null },
    ]);
    const files = await exportParquet(store, { outDir: join(tempDir(), "out") });
    await store.close();
    // 10 picks at round 1 of the noisy run: costs 0.5 … 5 sum to 27.5; given (i mod 3) ≠ true (i mod 2) at ranks 2, 3, 4, 5, 8, 9.
    expect(await raw(":memory:", `SELECT sum(cost) AS cost, count(*) FILTER (WHERE given_label <> true_label)::INTEGER AS wrong FROM '${files.selections}' WHERE run_id = 'noisy' AND round = 1`)).toEqual([
      { cost: 27.5, wrong: 6 },
    ]);
  });

  it("store a multi-label run's given and true label sets as lists, and export them", async () => {
    const path = join(tempDir(), "al.duckdb");
    const store = await openStore(path);
    await store.saveExperiment(spec, "e.ts", ["sets"]);
    await store.beginRun(runRecord("sets", "random"));
    for (const round of roundRecords("sets")) {
      const n = round.selected.length;
      // Pick i is given {i mod 3} and truly has {i mod 3, 4} (so every set is wrong), except i = 0: {} given.
      const sets = (k: number) => ({
        given: Array.from({ length: k }, (_, i) => (i === 0 ? new Int32Array(0) : Int32Array.of(i % 3))),
        truth: Array.from({ length: k }, (_, i) => Int32Array.of(i % 3, 4)),
      });
      round.selectedLabelSets = sets(n);
      if (round.initial) round.initialLabelSets = sets(round.initial.length);
      await store.writeRound(round);
    }
    const rows = await store.query("SELECT round, rank, true_label, given_label, true_labels, given_labels FROM selections WHERE round = 1 AND rank < 3 ORDER BY rank");
    expect(rows).toEqual([
      { round: 1, rank: 0, true_label: null, given_label: null, true_labels: [0, 4], given_labels: [] },
      { round: 1, rank: 1, true_label: null, given_label: null, true_labels: [1, 4], given_labels: [1] },
      { round: 1, rank: 2, true_label: null, given_label: null, true_labels: [2, 4], given_labels: [2] },
    ]);
    const files = await exportParquet(store, { outDir: join(tempDir(), "out") });
    await store.close();
    expect(await raw(":memory:", `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE list_contains(true_labels, 4) AND NOT list_contains(given_labels, 4))::INTEGER AS missed FROM '${files.selections}' WHERE round = 1`)).toEqual([
      { n: 10, missed: 10 },
    ]);
  });

  it("leave a schema-8 store readable as it is: its label-set columns export null", async () => {
    const { path, files } = await oldStoreExport(8, "('r', 0, 5, 0, 5, 1, 2, 0.5)");
    expect(await raw(":memory:", `SELECT true_label, given_label, cost, true_labels, given_labels FROM '${files.selections}'`)).toEqual([
      { true_label: 1, given_label: 2, cost: 0.5, true_labels: null, given_labels: null },
    ]);
    expect(await raw(path, "SELECT value FROM meta")).toEqual([{ value: "8" }]);
  });

  it("leave a schema-7 store readable as it is: the export has the columns, all null", async () => {
    const { path, files } = await oldStoreExport(7, "('r', 0, 5, 0, 5)");
    expect(await raw(":memory:", `SELECT pool_index, true_label, given_label, cost, given_labels FROM '${files.selections}'`)).toEqual([
      { pool_index: 5, true_label: null, given_label: null, cost: null, given_labels: null },
    ]);
    expect(await raw(path, "SELECT value FROM meta")).toEqual([{ value: "7" }]);
    // A writer migrates it, keeping the old row.
    await (await openStore(path)).close();
    expect(await raw(path, "SELECT value FROM meta")).toEqual([{ value: String(SCHEMA_VERSION) }]);
    expect(await raw(path, "SELECT pool_index, given_label FROM selections")).toEqual([{ pool_index: 5, given_label: null }]);
  });
});
