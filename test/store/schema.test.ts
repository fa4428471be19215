import { existsSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import { readStoredMaps } from "../../lib/map/stored-maps.ts";
import { SCHEMA_VERSION, migrations, oldestReadable } from "../../lib/store/schema.ts";
import { al } from "../cli/al.ts";
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
      "selection_maps",
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
      "data_checksum VARCHAR",
      "data_files JSON",
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

  it("migrates a schema-5 store to 6: old runs keep NULL provenance (al show says so), new runs store theirs", async () => {
    const path = join(tempDir(), "al.duckdb");
    // A store as schema-5 code left it: migrations 1–5, one finished run.
    const old = migrations.filter((m) => m.version <= 5).map((m) => m.sql).join("\n");
    await rawQuery(
      path,
      `CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR); ${old}
       INSERT INTO meta VALUES ('schema_version', '5');
       INSERT INTO runs (run_id, config, dataset, learner, sampler, mode, seed, status, backend, versions, host, started_at, finished_at, seconds, pool_size, test_size)
         VALUES ('0ld0000000000001', '${JSON.stringify({ ...runRecord("x", "random").config, dataset: { name: "wdbc" } })}', 'wdbc', 'mlp', 'random', 'retrain', 1,
                 'done', 'wasm', '{"al-lab":"0.1.0"}', 'h', TIMESTAMP '2025-03-01 10:00:00', TIMESTAMP '2025-03-01 10:01:00', 60, 455, 114);
       INSERT INTO experiment_runs VALUES ('mnist-uncertainty', '0ld0000000000001');`,
    );
    // Readers refuse a store older than the code: it must be opened for writing once.
    await expect(openStore(path, { readOnly: true })).rejects.toThrow("has schema version 5, older than this code's");
    const store = await openStore(path);
    expect(await store.query("SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([{ value: String(SCHEMA_VERSION) }]);
    expect(await store.query("SELECT run_id, status, pool_size, data_checksum, data_files FROM runs")).toEqual([
      { run_id: "0ld0000000000001", status: "done", pool_size: 455, data_checksum: null, data_files: null },
    ]);
    const files = [
      { path: "/data/mine.csv", sha256: "ab".repeat(32), bytes: 1234 },
      { path: "/data/images", sha256: "12".repeat(32), bytes: 56789, fileCount: 40 },
    ];
    await store.beginRun({ ...runRecord("new0000000000002", "entropy"), data: { checksum: "cd".repeat(32), files } });
    const [stored] = await store.query("SELECT data_checksum, data_files::VARCHAR AS files FROM runs WHERE run_id = 'new0000000000002'");
    expect([stored!.data_checksum, JSON.parse(String(stored!.files))]).toEqual(["cd".repeat(32), files]);
    // A run begun before the migration and resumed after it gets its provenance then, once.
    await store.query(`INSERT INTO runs (run_id, config, dataset, status, started_at) SELECT 'res0000000000003', config, dataset, 'running', started_at FROM runs WHERE run_id = '0ld0000000000001'`);
    await store.beginRun({ ...runRecord("res0000000000003", "random"), data: { checksum: "ef".repeat(32), files: [] } }, { resume: true });
    await store.beginRun({ ...runRecord("res0000000000003", "random"), data: { checksum: "00".repeat(32), files } }, { resume: true });
    expect(await store.query("SELECT data_checksum, data_files::VARCHAR AS files FROM runs WHERE run_id = 'res0000000000003'")).toEqual([{ data_checksum: "ef".repeat(32), files: "[]" }]);
    await store.close();

    const shown = al("show", "0ld0", "--db", path);
    expect([shown.code, shown.stderr]).toEqual([0, ""]);
    expect(shown.stdout).toContain("\ndata: wdbc · checksum not stored (run made before schema 6)\n  file: tabular/wdbc.csv (the catalogue's sha256 ");
    const json = JSON.parse(al("show", "0ld0", "--db", path, "--json").stdout);
    expect(json.data).toMatchObject({ dataset: "wdbc", checksum: null, files: null });
    const fresh = al("show", "new0", "--db", path);
    expect(fresh.stdout).toContain(`\ndata: mnist (pool 2000, test 500) · checksum ${"cd".repeat(8)}…\n  file: /data/mine.csv (sha256 ${"ab".repeat(32)}, 1234 bytes)\n  folder: /data/images (sha256 ${"12".repeat(32)} over 40 files, 56789 bytes)\n`);
  });

  it("reads a schema-6 store read-only as it is (schema 7 only adds the selection maps), and leaves it at 6", async () => {
    expect(oldestReadable()).toBe(6);
    expect(oldestReadable([{ version: 1, sql: "" }, { version: 2, sql: "", readable: true }, { version: 3, sql: "" }])).toBe(3);
    expect(oldestReadable([{ version: 1, sql: "" }, { version: 2, sql: "", readable: true }, { version: 3, sql: "", readable: true }])).toBe(1);
    const path = join(tempDir(), "al.duckdb");
    const old = migrations.filter((m) => m.version <= 6).map((m) => m.sql).join("\n");
    await rawQuery(path, `CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR); ${old} INSERT INTO meta VALUES ('schema_version', '6');`);
    const reader = await openStore(path, { readOnly: true });
    try {
      expect(await readStoredMaps(reader, "any")).toEqual(new Map());
      expect(await reader.runs()).toEqual([]);
    } finally {
      await reader.close();
    }
    expect(await rawQuery(path, "SELECT value FROM meta")).toEqual([{ value: "6" }]);
    // A writer migrates it.
    const writer = await openStore(path);
    await writer.close();
    expect(await rawQuery(path, "SELECT value FROM meta")).toEqual([{ value: String(SCHEMA_VERSION) }]);
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
