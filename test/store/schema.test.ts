import { existsSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import { SCHEMA_VERSION, migrations } from "../../lib/store/schema.ts";
import { runRecord, tempDir } from "./fixtures.ts";

async function rawQuery(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("store schema", () => {
  it("numbers migrations 1, 2, … in order", () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(migrations.length);
  });

  it("creates the tables, parent directories and schema_version on first open", async () => {
    const path = join(tempDir(), "nested", "results", "al.duckdb");
    const store = await openStore(path);
    const tables = await store.query("SELECT table_name FROM duckdb_tables() ORDER BY table_name");
    expect(tables.map((t) => t.table_name)).toEqual([
      "advice",
      "experiment_runs",
      "experiments",
      "histograms",
      "meta",
      "metrics",
      "rounds",
      "runs",
      "selections",
      "stopping",
      "summaries",
    ]);
    const columns = await store.query(
      "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'runs' ORDER BY column_index",
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      "run_id VARCHAR",
      "config JSON",
      "dataset VARCHAR",
      "learner VARCHAR",
      "sampler VARCHAR",
      "mode VARCHAR",
      "seed INTEGER",
      "status VARCHAR",
      "backend VARCHAR",
      "versions JSON",
      "host VARCHAR",
      "started_at TIMESTAMP",
      "finished_at TIMESTAMP",
      "seconds DOUBLE",
      "error VARCHAR",
      "pool_size INTEGER",
      "test_size INTEGER",
    ]);
    expect(await store.query("SELECT * FROM meta")).toEqual([{ key: "schema_version", value: String(SCHEMA_VERSION) }]);
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it("reopens an existing store without re-running migrations or losing data", async () => {
    const path = join(tempDir(), "al.duckdb");
    const first = await openStore(path);
    await first.beginRun(runRecord("run-a", "random"));
    await first.close();
    const second = await openStore(path);
    expect((await second.runs()).map((r) => r.runId)).toEqual(["run-a"]);
    expect(await second.query("SELECT count(*) AS n FROM meta")).toEqual([{ n: 1 }]);
    await second.close();
  });

  it("refuses a store whose schema_version is newer than the code", async () => {
    const path = join(tempDir(), "al.duckdb");
    await (await openStore(path)).close();
    await rawQuery(path, `UPDATE meta SET value = '${SCHEMA_VERSION + 1}' WHERE key = 'schema_version'`);
    const expected = `${path} has schema version ${SCHEMA_VERSION + 1} but this code knows only up to ${SCHEMA_VERSION}; update al-lab or pass --db to use another store`;
    await expect(openStore(path)).rejects.toThrow(expected);
    await expect(openStore(path, { readOnly: true })).rejects.toThrow(expected);
    // The refused open left the file untouched and unlocked.
    expect(await rawQuery(path, "SELECT value FROM meta")).toEqual([{ value: String(SCHEMA_VERSION + 1) }]);
  });

  it("works in memory", async () => {
    const store = await openStore(":memory:");
    expect(await store.runStatuses(["x"])).toEqual(new Map());
    await store.close();
  });

  it("opens read-only for readers and refuses writes there", async () => {
    const path = join(tempDir(), "al.duckdb");
    await expect(openStore(path, { readOnly: true })).rejects.toThrow(
      `${path} does not exist; run an experiment first or pass --db to read another store`,
    );
    await (await openStore(path)).close();
    const reader = await openStore(path, { readOnly: true });
    expect(await reader.runs()).toEqual([]);
    await expect(reader.beginRun(runRecord("run-a", "random"))).rejects.toThrow(
      `store ${path} was opened read-only; beginRun needs openStore(path) without readOnly`,
    );
    await reader.close();
  });

  it("refuses to open the same file twice in one process (DuckDB would not)", async () => {
    const path = join(tempDir(), "al.duckdb");
    const store = await openStore(path);
    await expect(openStore(path)).rejects.toThrow(
      `${path} is already open in this process; close that store first or pass --db to use another store`,
    );
    await store.close();
    await (await openStore(path)).close();
  });

  it("refuses calls after close", async () => {
    const store = await openStore(":memory:");
    await store.close();
    await expect(store.runs()).rejects.toThrow("store :memory: is closed; runs needs an open store (openStore again)");
  });
});
