/** Shared fixtures for the store tests: a realistic run of 3 fits (rounds 0, 1, 2). */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RoundRecord, RunRecord } from "../../lib/al/records.ts";
import type { ExperimentSpec, RunConfig } from "../../lib/experiments/spec.ts";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "al-store-test-"));
}

export const spec: ExperimentSpec = {
  name: "mnist-uncertainty",
  description: "Entropy vs random sampling on a 2000-point MNIST pool",
  dataset: { name: "mnist", pool: 2000, test: 500 },
  learner: { name: "mlp", options: { hidden: [128], learningRate: 0.001 } },
  samplers: ["random", "entropy"],
  modes: ["retrain"],
  initial: { size: 20, stratified: true },
  acquisition: { size: 10 },
  rounds: 2,
  epochs: 10,
  seeds: [1],
};

export function runConfig(sampler: string, seed = 1): RunConfig {
  return {
    experiment: "mnist-uncertainty",
    dataset: { name: "mnist", pool: 2000, test: 500 },
    learner: { name: "mlp", options: { hidden: [128], learningRate: 0.001 } },
    sampler: { name: sampler, options: {} },
    mode: "retrain",
    initial: { size: 20, stratified: true },
    acquisition: { size: 10 },
    rounds: 2,
    epochs: 10,
    seed,
  };
}

export function runRecord(runId: string, sampler: string, seed = 1): RunRecord {
  return {
    runId,
    experiment: "mnist-uncertainty",
    config: runConfig(sampler, seed),
    status: "running",
    backend: "wasm",
    versions: { node: "20.19.0", "@tensorflow/tfjs": "4.22.0", "al-lab": "0.1.0" },
    host: "ci-runner-1",
    startedAt: new Date("2025-03-01T10:00:00.123Z"),
  };
}

function range(start: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => start + i);
}

/** Round 0 trains on 20 initial points; rounds 0 and 1 each acquire 10; round 2 acquires none. */
export function roundRecords(runId: string): RoundRecord[] {
  return [0, 1, 2].map((round) => ({
    runId,
    round,
    labelled: 20 + 10 * round,
    metrics: { accuracy: 0.5 + 0.125 * round, macro_f1: 0.25 + 0.125 * round },
    seconds: { train: 1.5 + round, score: 0.25, select: 0.125, evaluate: 0.5 },
    selected: round < 2 ? range(1000 + 10 * round, 10).reverse() : new Int32Array(0),
    ...(round === 0 ? { initial: range(0, 20) } : {}),
  }));
}

/** The pid of a child process that has exited (and been reaped), so nothing has that pid now. */
export function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  return new Promise((resolve) => child.on("exit", () => resolve(child.pid!)));
}
