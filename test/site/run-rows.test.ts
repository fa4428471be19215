/**
 * The Runs page's loader helper against a real store: the two-data-set fixture (8 AL runs and 4
 * naive baselines, all done) and a small experiment whose runs fail (AL_TEST_HOOK=run-fails,
 * lib/runner/test-hooks.ts), so failures come back with their stored messages.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import type { RunRow } from "../../src/components/runs-table.ts";
import { roundsRows } from "../../src/data/rounds-table.ts";
import { runRows } from "../../src/data/run-rows.ts";
import { runTwoDatasets, TWO_DATASETS, twoDatasetsSpec } from "./fixture-store.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "al-run-rows-"));
const db = join(dir, "al.duckdb");
const failing = { name: "fails", dataset: { name: "noisy-blobs", blobs: 6, perBlob: 10, noisyPairs: 1, dimension: 2 }, learner: "logistic", samplers: ["random", "margin"], initial: { size: 10 }, acquisition: { size: 5 }, rounds: 2, epochs: 1, seeds: [1] };
let runs: RunRow[];
let failed: RunRow[];
let rounds: Awaited<ReturnType<typeof roundsRows>>["rows"];

beforeAll(async () => {
  runTwoDatasets(dir, db);
  const file = join(dir, "fails.ts");
  writeFileSync(file, `export default ${JSON.stringify(failing)};\n`);
  const r = spawnSync(process.execPath, [join(ROOT, "bin/al.js"), "run", file, "--db", db, "--workers", "1"], {
    cwd: ROOT,
    env: { ...process.env, AL_BACKEND: "wasm", AL_TEST_HOOK: "run-fails", NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.status !== 1) throw new Error(`al run with run-fails should exit 1, got ${r.status}:\n${r.stderr.slice(-2000)}`);
  const store = await openStore(db, { readOnly: true });
  try {
    runs = await runRows(store, TWO_DATASETS);
    failed = await runRows(store, "fails");
    rounds = (await roundsRows(store, TWO_DATASETS)).rows;
  } finally {
    await store.close();
  }
});

describe("runRows", () => {
  it("lists every run of the experiment, AL runs and baselines, all done without an error", () => {
    const { dataset, samplers, seeds, baselines } = twoDatasetsSpec;
    const al = runs.filter((r) => r.kind === "al");
    const base = runs.filter((r) => r.kind === "baseline");
    expect(al).toHaveLength(dataset.length * samplers.length * seeds.length);
    expect(base).toHaveLength(dataset.length * baselines.length * seeds.length);
    expect(base.every((r) => r.baseline_percent === 10)).toBe(true);
    expect(runs.every((r) => r.status === "done" && r.error === null)).toBe(true);
    expect(new Set(runs.map((r) => r.dataset))).toEqual(new Set(["noisy-blobs", "diabetes"]));
  });

  it("carries provenance: backend, versions, host, times, the data's checksum and files", () => {
    for (const r of runs) {
      expect(r.backend).toBe("wasm");
      expect(r.versions?.["al-lab"]).toMatch(/^\d+\.\d+\.\d+/);
      expect(typeof r.host).toBe("string");
      expect(Date.parse(r.finished_at!)).toBeGreaterThanOrEqual(Date.parse(r.started_at!));
      expect(r.seconds).toBeGreaterThan(0);
      expect(r.data_checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    // A generated set reads no file; the diabetes table is one CSV with its sha256.
    expect(runs.filter((r) => r.dataset === "noisy-blobs").every((r) => Array.isArray(r.data_files) && r.data_files.length === 0)).toBe(true);
    const files = runs.find((r) => r.dataset === "diabetes")!.data_files as Array<{ path: string; sha256: string; bytes: number }>;
    expect(files).toHaveLength(1);
    expect(files[0]!.path).toMatch(/diabetes\.csv$/);
    expect(files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("parses each run's config: its sampler, seed and (for a baseline) share", () => {
    for (const r of runs) {
      const config = r.config as { sampler: { name: string }; seed: number; baseline?: { percent: number } };
      expect(config.sampler.name).toBe(r.sampler);
      expect(config.seed).toBe(r.seed);
      expect(config.baseline?.percent).toBe(r.kind === "baseline" ? 10 : undefined);
    }
  });

  it("sums each phase's seconds over the run's rounds, as the rounds file has them", () => {
    for (const r of runs) {
      const own = rounds.filter((x) => x.dataset === r.dataset && x.sampler === r.sampler && x.seed === r.seed && x.kind === r.kind);
      expect(r.stored_rounds).toBe(own.length);
      expect(r.stored_rounds).toBe(r.kind === "al" ? twoDatasetsSpec.rounds + 1 : 1);
      for (const phase of ["train", "score", "select", "evaluate"] as const) {
        const sum = own.reduce((s, x) => s + Number(x[`${phase}_seconds`]), 0);
        expect(r[`${phase}_seconds`], `${r.run_id} ${phase}`).toBeCloseTo(sum, 9);
      }
      expect(r.train_seconds).toBeGreaterThan(0);
      // Logistic needs no reference classifier: no round timed one.
      expect(r.reference_seconds).toBeNull();
    }
  });

  it("returns failed runs with their stored messages and no rounds", () => {
    expect(failed).toHaveLength(2);
    for (const r of failed) {
      expect(r.status).toBe("failed");
      expect(r.error).toMatch(/AL_TEST_HOOK run-fails: this run fails at its first round/);
      expect(r.stored_rounds).toBe(0);
      expect(r.train_seconds).toBeNull();
    }
    expect(new Set(failed.map((r) => r.sampler))).toEqual(new Set(["random", "margin"]));
  });
});
