/**
 * Fault injection: kill -9 a grid run at several random moments, resume it, and compare every
 * stored row with an uninterrupted run of the same grid. Also: a second `al run` on a store in
 * use gets a clear message.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "al-resume-"));
const experiment = join(dir, "grid.ts");
writeFileSync(
  experiment,
  `export default ${JSON.stringify({
    name: "resume-grid",
    dataset: { name: "fashion-mnist-small", pool: 600, test: 200 },
    learner: { name: "mlp", options: { hidden: [32] } },
    samplers: ["random", "margin", "entropy"],
    modes: ["retrain", "keep-train"],
    initial: { size: 20, stratified: true },
    acquisition: { size: 20 },
    rounds: 6,
    epochs: 6,
    period: 3,
    seeds: [1],
  })};\n`,
);

const env = { ...process.env, AL_BACKEND: "wasm" };
const args = (db: string) => [join(root, "bin/al.js"), "run", experiment, "--db", db, "--workers", "2"];

function runToEnd(db: string): { code: number | null; stderr: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, args(db), { cwd: root, encoding: "utf8", env });
  return { code: r.status, stderr: r.stderr, ms: performance.now() - t };
}

function start(db: string): ChildProcess {
  // Its own process group, so one kill takes the workers too — like a crashed machine.
  return spawn(process.execPath, args(db), { cwd: root, env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
}

async function killAfter(child: ChildProcess, ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already finished
  }
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
}

async function dump(db: string): Promise<Record<string, unknown[]>> {
  const instance = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
  try {
    return {
      runs: await q("SELECT run_id, status, config::VARCHAR AS config FROM runs ORDER BY run_id"),
      rounds: await q("SELECT run_id, round, labelled FROM rounds ORDER BY ALL"),
      metrics: await q("SELECT run_id, round, metric, value FROM metrics ORDER BY ALL"),
      selections: await q("SELECT run_id, round, pool_index, rank FROM selections ORDER BY ALL"),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("resume after kill -9", () => {
  it("gives results bit-identical to an uninterrupted run", { timeout: 600_000 }, async () => {
    const reference = join(dir, "reference.duckdb");
    const clean = runToEnd(reference);
    expect(clean.code).toBe(0);
    const expected = await dump(reference);
    expect(expected.runs).toHaveLength(6);
    expect(expected.rounds).toHaveLength(6 * 7);

    // Kill at seeded random moments spread over a run's length, then finish.
    const faulty = join(dir, "faulty.duckdb");
    const random = createRandom(Number(process.env.KILL_SEED ?? 2026), "kills");
    let kills = 0;
    // A resumed grid has less left to do, so later kills come sooner; stop after three.
    for (let attempt = 0; attempt < 8 && kills < 3; attempt++) {
      const child = start(faulty);
      let stderr = "";
      child.stderr!.on("data", (chunk) => (stderr += chunk));
      await killAfter(child, 300 + random.next() * clean.ms * (attempt === 0 ? 0.6 : 0.3));
      if (child.signalCode === "SIGKILL") kills++;
      expect(stderr).not.toContain("FAILED");
    }
    expect(kills).toBeGreaterThanOrEqual(2);
    const resumed = runToEnd(faulty);
    expect(resumed.stderr).not.toContain("FAILED");
    expect(resumed.code).toBe(0);
    const actual = await dump(faulty);
    expect(actual.runs, "runs").toEqual(expected.runs);
    expect(actual.rounds, "rounds").toEqual(expected.rounds);
    expect(actual.selections, "selections").toEqual(expected.selections);
    expect(actual.metrics, "metrics").toEqual(expected.metrics);
    // Finished runs leave no checkpoints behind.
    const checkpoints = join(dir, "faulty.duckdb.checkpoints");
    expect(existsSync(checkpoints) ? readdirSync(checkpoints).filter((f) => f.endsWith(".ckpt")) : []).toEqual([]);
  });

  it("refuses a second al run on a store that is in use, leaving the first to finish", { timeout: 300_000 }, async () => {
    const db = join(dir, "busy.duckdb");
    const first = start(db);
    let stderr = "";
    first.stderr!.on("data", (chunk) => (stderr += chunk));
    // Wait until the first process holds the store (it says how many runs it will do).
    const deadline = Date.now() + 60_000;
    while (!/\d+ runs \(/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const second = spawnSync(process.execPath, args(db), { cwd: root, encoding: "utf8", env });
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain(`${db} is in use by another process`);
    expect(second.stderr.trim().split("\n")).toHaveLength(1);
    const code = await new Promise((resolve) => first.once("exit", resolve));
    expect(code).toBe(0);
  });
});
