/**
 * Process start (issue 15): `al --help`, `al ls` on a small store and a pool worker's ready
 * message, each against its goal (help and read-only verbs < 0.5 s, a worker < 1 s). A
 * checkout runs the compiled CLI (bin/cli-cache.js); each case interleaves it with the same
 * start through tsx (AL_TSX=1, as every start was before), so the ratio to tsx is measured in
 * the same load. CPU time is the child's own (process.cpuUsage at its exit, via a preload).
 * Env: AL_BENCH_STARTUP_PAIRS (default 5).
 */
import { fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compiledCli } from "../bin/cli-cache.js";
import type { BenchCase, BenchValue } from "./harness.ts";
import { interleave, rounded, type Interleaved, type Spread, type Timing } from "./interleave.ts";

const ROOT = resolve(import.meta.dirname, "..");
const PAIRS = Number(process.env.AL_BENCH_STARTUP_PAIRS ?? 5);

/** A preload that writes the process's CPU time (ms) to $AL_BENCH_CPU_FILE as it exits. */
function cpuPreload(dir: string): string {
  const file = join(dir, "cpu-at-exit.mjs");
  writeFileSync(
    file,
    `import { writeFileSync } from "node:fs";
process.on("exit", () => { const u = process.cpuUsage(); writeFileSync(process.env.AL_BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });
`,
  );
  return pathToFileURL(file).href;
}

interface Setup {
  dir: string;
  preload: string;
  /** The compiled worker of this checkout. */
  compiledWorker: string;
}

async function setup(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), "al-bench-startup-"));
  const main = await compiledCli(ROOT);
  if (!main) throw new Error("startup bench: the compiled CLI could not be made (run with AL_DEBUG=1 to see why)");
  return { dir, preload: cpuPreload(dir), compiledWorker: fileURLToPath(new URL("../runner/worker.js", main)) };
}

let runs = 0;
const cpuFile = (s: Setup) => join(s.dir, `cpu-${runs++}.txt`);

/** One `node bin/al.js …` start, compiled or through tsx: its wall and CPU time. */
function alStart(s: Setup, args: string[], tsx: boolean): Promise<Timing> {
  const cpu = cpuFile(s);
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", s.preload, join(ROOT, "bin/al.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, AL_TSX: tsx ? "1" : "0", AL_BENCH_CPU_FILE: cpu },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return fail(new Error(`al ${args.join(" ")} exited ${code}: ${err.trim().split("\n").pop()}`));
      done({ wallMs, cpuMs: Number(readFileSync(cpu, "utf8")) });
    });
  });
}

/** A pool worker forked as lib/runner/pool.ts forks it, timed to its ready message. */
function workerReady(s: Setup, tsx: boolean): Promise<Timing> {
  const cpu = cpuFile(s);
  const file = tsx ? join(ROOT, "lib/runner/worker.ts") : s.compiledWorker;
  const execArgv = ["--import", s.preload, ...(tsx ? ["--import", import.meta.resolve("tsx")] : [])];
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = fork(file, [], { execArgv, env: { ...process.env, AL_BENCH_CPU_FILE: cpu }, stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced" });
    let wallMs = Number.NaN;
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("message", (message: { type?: string }) => {
      if (message.type !== "ready") return;
      wallMs = performance.now() - started;
      child.send({ type: "exit" });
    });
    child.on("exit", (code) => {
      if (code !== 0 || Number.isNaN(wallMs)) return fail(new Error(`worker (${tsx ? "tsx" : "compiled"}) exited ${code} before ready: ${err.trim().split("\n").pop()}`));
      done({ wallMs, cpuMs: Number(readFileSync(cpu, "utf8")) });
    });
  });
}

/** A store with one tiny experiment (2 runs), made by `al run`. */
async function smallStore(s: Setup): Promise<string> {
  const file = join(s.dir, "tiny.ts");
  writeFileSync(
    file,
    `export default ${JSON.stringify({ name: "tiny", dataset: { name: "noisy-blobs", blobs: 4, perBlob: 10, dimension: 2 }, learner: "logistic", samplers: ["random", "margin"], initial: { size: 8 }, acquisition: { size: 4 }, rounds: 1, epochs: 1, seeds: [1] })};\n`,
  );
  const db = join(s.dir, "al.duckdb");
  await alStart(s, ["run", file, "--db", db, "--no-maps", "--workers", "1"], false);
  return db;
}

const r3 = (x: number) => Number(x.toFixed(3));
const ofGoal = (x: Spread, goalMs: number): Spread => ({ median: r3(x.median / goalMs), min: r3(x.min / goalMs), max: r3(x.max / goalMs) });

/** Each side against the goal, and compiled against tsx. */
function report(result: Interleaved, goalMs: number): Record<string, BenchValue> {
  const r = rounded(result);
  const wall = ofGoal(result.ours.wallMs, goalMs);
  return {
    goalMs,
    pairs: r.pairs,
    // The summary table's figure: the compiled start's median wall time ÷ the goal (below 1 meets it).
    ratio: wall.median,
    ratioSpread: wall as unknown as BenchValue,
    cpuOfGoal: ofGoal(result.ours.cpuMs, goalMs) as unknown as BenchValue,
    compiled: r.ours as unknown as BenchValue,
    tsx: r.reference as unknown as BenchValue,
    tsxOfGoal: { wall: ofGoal(result.reference.wallMs, goalMs), cpu: ofGoal(result.reference.cpuMs, goalMs) } as unknown as BenchValue,
    versusTsx: { cpuRatio: r.cpuRatio, wallRatio: r.wallRatio } as unknown as BenchValue,
    load: r.load as unknown as BenchValue,
    goals: { underGoal: wall.median < 1 },
  };
}

function startupCase(name: string, goalMs: number, body: (s: Setup) => Promise<{ compiled: () => Promise<Timing>; tsx: () => Promise<Timing> }>): BenchCase {
  return {
    name,
    async run() {
      const s = await setup();
      try {
        const { compiled, tsx } = await body(s);
        return report(await interleave(compiled, tsx, { pairs: PAIRS, warmup: 1 }), goalMs);
      } finally {
        rmSync(s.dir, { recursive: true, force: true });
      }
    },
  };
}

export const cases: BenchCase[] = [
  startupCase("startup/al --help vs goal 0.5 s (compiled; tsx beside)", 500, async (s) => ({
    compiled: () => alStart(s, ["--help"], false),
    tsx: () => alStart(s, ["--help"], true),
  })),
  startupCase("startup/al ls on a small store vs goal 0.5 s (compiled; tsx beside)", 500, async (s) => {
    const db = await smallStore(s);
    return { compiled: () => alStart(s, ["ls", "--db", db], false), tsx: () => alStart(s, ["ls", "--db", db], true) };
  }),
  startupCase("startup/pool worker ready vs goal 1 s (compiled; tsx beside)", 1000, async (s) => ({
    compiled: () => workerReady(s, false),
    tsx: () => workerReady(s, true),
  })),
];
