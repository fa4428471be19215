/**
 * What a site build may do to the store (lib/runner/ensure.ts, which every loader calls): a
 * store whose runs were made under another backend is reused, not recomputed, and left
 * byte-identical; a store held by a running grid is neither waited for nor written.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureExperiment } from "../../lib/runner/ensure.ts";
import { openStore } from "../../lib/store/duckdb.ts";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "al-build-safety-"));
/** 2 samplers × 2 seeds of a fast classical learner: the backend is recorded, not needed. */
const tiny = {
  name: "tiny",
  dataset: { name: "noisy-blobs", blobs: 6, perBlob: 10, noisyPairs: 1, dimension: 2 },
  learner: "logistic",
  samplers: ["random", "margin"],
  initial: { size: 10 },
  acquisition: { size: 5 },
  rounds: 2,
  epochs: 1,
  seeds: [1, 2],
};
const file = join(dir, "tiny.ts");
const cpuDb = join(dir, "cpu.duckdb");
const previousBackend = process.env.AL_BACKEND;
let child: ChildProcess | undefined;

const sha256 = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

async function rows(db: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const store = await openStore(db, { readOnly: true });
  try {
    return await store.query(sql);
  } finally {
    await store.close();
  }
}

beforeAll(() => {
  writeFileSync(file, `export default ${JSON.stringify(tiny)};\n`);
  const r = spawnSync(process.execPath, [join(root, "bin/al.js"), "run", file, "--db", cpuDb, "--backend", "cpu", "--workers", "1"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`al run --backend cpu failed (exit ${r.status}):\n${r.stderr}`);
  // The build runs on another machine's backend.
  process.env.AL_BACKEND = "wasm";
});

afterAll(() => {
  if (previousBackend === undefined) delete process.env.AL_BACKEND;
  else process.env.AL_BACKEND = previousBackend;
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill();
    await once(child, "exit");
  }
});

describe("a build over a store made under another backend", () => {
  it("reuses every cpu run under wasm, says so, and leaves the store byte-identical", async () => {
    const db = join(dir, "reuse.duckdb");
    copyFileSync(cpuDb, db);
    const before = sha256(db);
    const [{ updated_at: updatedBefore }] = (await rows(db, "SELECT updated_at FROM experiments WHERE name = 'tiny'")) as [{ updated_at: unknown }];
    const lines: string[] = [];
    const summary = await ensureExperiment({ file, db, log: (l) => lines.push(l) });
    expect(summary).toMatchObject({ experiment: "tiny", total: 4, reused: 4, done: 0, failed: 0, backend: "cpu" });
    expect(lines).toContain("tiny: all 4 runs are stored (4 under backend cpu); reusing them, running nothing");
    expect(sha256(db)).toBe(before);
    // Nothing beside it either: no checkpoints folder, no snapshot, no WAL.
    expect(readdirSync(dir).filter((f) => f.startsWith("reuse."))).toEqual(["reuse.duckdb"]);
    const [{ updated_at: updatedAfter }] = (await rows(db, "SELECT updated_at FROM experiments WHERE name = 'tiny'")) as [{ updated_at: unknown }];
    expect(updatedAfter).toEqual(updatedBefore);
    expect(await rows(db, "SELECT DISTINCT backend FROM runs")).toEqual([{ backend: "cpu" }]);
  });

  it("runs only the cells the store lacks, keeping the cpu runs it has", async () => {
    const db = join(dir, "partial.duckdb");
    copyFileSync(cpuDb, db);
    const cpuRuns = await rows(db, "SELECT run_id, started_at FROM runs ORDER BY run_id");
    const wider = join(dir, "tiny-3-seeds.ts");
    writeFileSync(wider, `export default ${JSON.stringify({ ...tiny, seeds: [1, 2, 3] })};\n`);
    const lines: string[] = [];
    const summary = await ensureExperiment({ file: wider, db, workers: 1, log: (l) => lines.push(l) });
    expect(summary).toMatchObject({ total: 6, reused: 4, done: 2, failed: 0, backend: "wasm" });
    expect(lines).toContain("tiny: reusing 4 stored runs (4 under backend cpu); running the 2 the store lacks");
    // The experiment links the 4 cpu runs and the 2 new wasm runs (seed 3), nothing else.
    const linked = await rows(
      db,
      "SELECT r.backend, CAST(json_extract(r.config, '$.seed') AS INTEGER) AS seed, count(*)::INTEGER AS n FROM experiment_runs er JOIN runs r USING (run_id) WHERE er.experiment = 'tiny' GROUP BY ALL ORDER BY seed",
    );
    expect(linked).toEqual([
      { backend: "cpu", seed: 1, n: 2 },
      { backend: "cpu", seed: 2, n: 2 },
      { backend: "wasm", seed: 3, n: 2 },
    ]);
    // The cpu runs were not begun again.
    expect(await rows(db, `SELECT run_id, started_at FROM runs WHERE backend = 'cpu' ORDER BY run_id`)).toEqual(cpuRuns);
    // And a second build now finds everything: nothing runs, nothing is written.
    const after = sha256(db);
    const again = await ensureExperiment({ file: wider, db, log: () => {} });
    expect(again).toMatchObject({ total: 6, reused: 6, done: 0 });
    expect(sha256(db)).toBe(after);
  });
});

describe("a build while al run writes the store", () => {
  it("neither waits nor writes: it returns at once, running nothing", async () => {
    const db = join(dir, "busy.duckdb");
    copyFileSync(cpuDb, db);
    child = spawn(process.execPath, ["--import", "tsx", join(root, "test/store/hold-grid.ts"), db, "tiny"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
      child!.once("exit", (code) => reject(new Error(`hold-grid.ts exited with ${code}`)));
    });
    const snapshot = readdirSync(dir).find((f) => f.startsWith("busy.") && f !== "busy.duckdb" && !f.endsWith(".wal"));
    expect(snapshot, "hold-grid.ts keeps a read snapshot").toBeDefined();
    const snapshotBefore = sha256(join(dir, snapshot!));
    const lines: string[] = [];
    const started = performance.now();
    // Seed 3 is lacking: an idle store would have it run.
    const wider = join(dir, "tiny-3-seeds.ts");
    writeFileSync(wider, `export default ${JSON.stringify({ ...tiny, seeds: [1, 2, 3] })};\n`);
    const summary = await ensureExperiment({ file: wider, db, log: (l) => lines.push(l) });
    const seconds = (performance.now() - started) / 1000;
    expect(summary).toBeUndefined();
    expect(lines).toEqual([`${db} is being written by pid ${child.pid}; running nothing, reading what it has stored so far`]);
    expect(seconds).toBeLessThan(20);
    expect(sha256(join(dir, snapshot!))).toBe(snapshotBefore);
    expect(readdirSync(dir).filter((f) => f.startsWith("busy.") && f.includes("checkpoints"))).toEqual([]);
  });
});
