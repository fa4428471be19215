/**
 * The run pool's speed-up: the quickstart grid (24 runs) with 2 workers against 1, each run of
 * `al run` into a fresh store, interleaved (1 worker, 2 workers, 1, 2, …) so load on the shared
 * machine hits both alike. Goal (issue 15): 2 workers ≤ 0.6× the wall time of 1.
 * Env: AL_BENCH_RUNNER_PAIRS (default 2), AL_BENCH_RUNNER_PROFILE (e.g. ci: a small grid).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BenchCase, BenchValue } from "./harness.ts";
import { interleave, rounded, type Timing } from "./interleave.ts";

const ROOT = resolve(import.meta.dirname, "..");
const PAIRS = Number(process.env.AL_BENCH_RUNNER_PAIRS ?? 2);
const PROFILE = process.env.AL_BENCH_RUNNER_PROFILE;

/** `al run experiments/quickstart.ts --workers n` into a new store; its wall time (CPU is the children's, not measured here). */
function runGrid(dir: string, workers: number): Promise<Timing> {
  const db = mkdtempSync(join(dir, `w${workers}-`));
  const args = [join(ROOT, "bin/al.js"), "run", join(ROOT, "experiments/quickstart.ts"), "--db", join(db, "al.duckdb"), "--workers", String(workers), "--no-maps"];
  if (PROFILE) args.push("--profile", PROFILE);
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, AL_BACKEND: process.env.AL_BACKEND ?? "wasm" }, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.on("data", (chunk: Buffer) => (log = (log + chunk.toString("utf8")).slice(-4000)));
    child.on("close", (code) => {
      rmSync(db, { recursive: true, force: true });
      if (code === 0) done({ wallMs: performance.now() - started, cpuMs: Number.NaN });
      else fail(new Error(`al run --workers ${workers} failed (exit ${code}): ${log.trim().split("\n").pop()}`));
    });
  });
}

export const cases: BenchCase[] = [
  {
    name: `runner/quickstart grid${PROFILE ? ` (profile ${PROFILE})` : ""}: 2 workers vs 1, wall time`,
    async run(): Promise<Record<string, BenchValue>> {
      const dir = mkdtempSync(join(tmpdir(), "al-bench-runner-"));
      try {
        // "ours" is 2 workers, the reference 1: the ratio is the speed-up's inverse.
        const result = rounded(await interleave(() => runGrid(dir, 2), () => runGrid(dir, 1), { pairs: PAIRS, warmup: 0 }));
        return {
          pairs: result.pairs,
          // The summary table's figure: wall time of 2 workers ÷ 1 (median over the pairs).
          ratio: result.wallRatio.median,
          twoWorkersMs: result.ours.wallMs as unknown as BenchValue,
          oneWorkerMs: result.reference.wallMs as unknown as BenchValue,
          wallRatio: result.wallRatio as unknown as BenchValue,
          load: result.load as unknown as BenchValue,
          goals: { twoWorkersAtMost06OfOne: result.wallRatio.median <= 0.6 },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
