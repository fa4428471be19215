/**
 * The site's loader during a running grid: it must neither wait for the grid nor fail, nor run
 * anything itself; it reads the store's snapshot (what is done so far, and what is running).
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterEach, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill();
    await once(child, "exit");
  }
});

describe("quickstart loader while a grid writes the store", () => {
  it("prints the snapshot's rounds as Parquet without running anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "al-loader-busy-"));
    const db = join(dir, "al.duckdb");
    child = spawn(process.execPath, ["--import", "tsx", join(root, "test/store/hold-grid.ts"), db, "quickstart"], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
      child!.once("exit", (code) => reject(new Error(`hold-grid.ts exited with ${code}`)));
    });
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/data/quickstart.parquet.ts")], {
      cwd: root,
      env: { ...process.env, AL_DB: db, AL_PROFILE: "ci", AL_BACKEND: "wasm", AL_OFFLINE: "1" },
      timeout: 120_000,
      maxBuffer: 64 << 20,
    });
    const stderr = r.stderr.toString();
    expect(r.status, stderr).toBe(0);
    expect(stderr).toContain(`${db} is being written by pid ${child.pid}; running nothing`);
    expect(stderr).toMatch(new RegExp(`is being written by pid ${child.pid}; showing its state as of \\d{4}-`));
    expect(r.stdout.subarray(0, 4).toString()).toBe("PAR1");

    const file = join(dir, "out.parquet");
    writeFileSync(file, r.stdout);
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll(`SELECT run_id, round FROM '${file}'`)).getRowObjectsJS();
    conn.closeSync();
    instance.closeSync();
    // The held run's round 0, and nothing computed by the loader.
    expect(rows).toEqual([{ run_id: "0123456789abcdef", round: 0 }]);
    expect(readdirSync(dir).filter((f) => f.includes("checkpoints"))).toEqual([]);
  });
});
