/**
 * Scale-out through the queue with real runs: one small grid (noisy blobs, logistic, 12 runs of
 * a few seconds) enqueued with `al run --queue --detach` and taken by 1, 2 and 4 `al worker`
 * processes against a private redis-server, then `al collect`. Per worker count: runs/s, wall
 * time (from the workers' start, so their start-up counts, and from the first run begun), CPU per
 * worker process, speed-up against 1 worker, and the machine's cores and load average; and
 * whether the collected store equals the 1-worker one (same run ids, same rows but timings).
 * More workers than free cores cannot go faster: wasm runs one core per process. The counts run
 * forwards then backwards (1, 2, 4, 4, 2, 1), so a load that drifts hits them alike; each count
 * reports the mean wall over its passes, and coresUsed = CPU ÷ wall, which load lowers too.
 * Env: AL_BENCH_QUEUE_SEEDS (default 4: 3 samplers × seeds runs), AL_BENCH_QUEUE_WORKERS ("1,2,4"),
 * AL_BENCH_QUEUE_PASSES (default 2).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dump } from "../test/cli/store-dump.ts";
import { startRedis } from "../test/queue/redis-server.ts";
import type { BenchCase, BenchValue } from "./harness.ts";

const ROOT = resolve(import.meta.dirname, "..");
const SEEDS = Number(process.env.AL_BENCH_QUEUE_SEEDS ?? 4);
const COUNTS = (process.env.AL_BENCH_QUEUE_WORKERS ?? "1,2,4").split(",").map(Number);
const SAMPLERS = ["random", "margin", "entropy"];
const RUNS = SAMPLERS.length * SEEDS;
const PASSES = Number(process.env.AL_BENCH_QUEUE_PASSES ?? 2);
const GRID = {
  name: "queue-scale",
  dataset: { name: "noisy-blobs" },
  learner: { name: "logistic" },
  samplers: SAMPLERS,
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 15,
  epochs: 1,
  seeds: Array.from({ length: SEEDS }, (_, i) => i + 1),
};
// Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux).
const TICKS = 100;

interface Al {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number>;
}

function al(args: string[]): Al {
  const child = spawn(process.execPath, [join(ROOT, "bin/al.js"), ...args], { cwd: ROOT, env: { ...process.env, AL_BACKEND: "wasm" }, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  return { child, log: () => log, exited: new Promise((done) => child.on("close", (code) => done(code ?? 1))) };
}

async function expectExit(p: Al, what: string): Promise<void> {
  const code = await p.exited;
  if (code !== 0) throw new Error(`${what} exited ${code}: ${p.log().trim().split("\n").pop()}`);
}

/** CPU seconds (user + system) a live process has used so far; null where /proc is missing. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

interface Measured {
  row: Record<string, BenchValue>;
  store: string;
  wallS: number;
}

async function measure(dir: string, file: string, workers: number, pass: number): Promise<Measured> {
  const redis = await startRedis();
  const results = join(dir, `results-${workers}-${pass}`);
  const store = join(dir, `collected-${workers}-${pass}.duckdb`);
  const pool: Al[] = [];
  try {
    const load = loadavg()[0]!;
    await expectExit(al(["run", file, "--queue", redis.url, "--backend", "wasm", "--detach"]), "al run --queue --detach");
    const started = performance.now();
    let firstBegun: number | undefined;
    let done = 0;
    let finish!: () => void;
    const all = new Promise<void>((r) => (finish = r));
    for (let i = 0; i < workers; i++) {
      const w = al(["worker", "--queue", redis.url, "--results", results]);
      w.child.stderr!.on("data", (d: Buffer) => {
        const text = d.toString();
        if (firstBegun === undefined && / begins/.test(text)) firstBegun = performance.now();
        done += (text.match(/\) done → /g) ?? []).length;
        if (done >= RUNS) finish();
      });
      pool.push(w);
    }
    const failedEarly = Promise.race(pool.map((w) => w.exited.then((code) => Promise.reject(new Error(`al worker exited ${code} early: ${w.log().trim().split("\n").pop()}`)))));
    await Promise.race([all, failedEarly]);
    const wallS = (performance.now() - started) / 1000;
    const runningS = (performance.now() - (firstBegun ?? started)) / 1000;
    const cpu = pool.map((w) => cpuSeconds(w.child.pid!));
    for (const w of pool) w.child.kill("SIGTERM");
    await Promise.all(pool.map((w) => w.exited));
    const loadAfter = loadavg()[0]!;
    const t = performance.now();
    await expectExit(al(["collect", "--results", results, "--db", store, "--no-maps"]), "al collect");
    const collectS = (performance.now() - t) / 1000;
    const cpuTotal = cpu.every((c) => c !== null) ? cpu.reduce((a, b) => a + b!, 0) : null;
    return {
      store,
      wallS,
      row: {
        workers,
        runs: RUNS,
        runsPerSecond: round(RUNS / wallS, 3),
        wallS: round(wallS, 1),
        runningWallS: round(runningS, 1),
        cpuSPerWorker: cpu.map((c) => (c === null ? null : round(c, 1))),
        cpuS: cpuTotal === null ? null : round(cpuTotal, 1),
        cpuSPerRun: cpuTotal === null ? null : round(cpuTotal / RUNS, 2),
        coresUsed: cpuTotal === null ? null : round(cpuTotal / wallS),
        collectS: round(collectS, 1),
        loadBefore: round(load),
        loadAfter: round(loadAfter),
      },
    };
  } finally {
    for (const w of pool) w.child.kill("SIGKILL");
    await redis.stop();
  }
}

export const cases: BenchCase[] = [
  {
    name: `queue/real grid ×${RUNS} runs, ${COUNTS.join(", ")} workers`,
    async run(): Promise<Record<string, BenchValue>> {
      const dir = mkdtempSync(join(tmpdir(), "al-bench-queue-scale-"));
      try {
        const file = join(dir, "grid.ts");
        writeFileSync(file, `export default ${JSON.stringify(GRID)};\n`);
        const measured: Measured[] = [];
        for (let pass = 0; pass < PASSES; pass++) {
          for (const n of pass % 2 === 0 ? COUNTS : [...COUNTS].reverse()) measured.push(await measure(dir, file, n, pass));
        }
        // The collected stores must be the same runs with the same rows, whatever the worker count.
        const reference = await dump(measured[0]!.store, "values");
        const ids = (tables: Record<string, string[]>): string => JSON.stringify((tables.runs ?? []).map((r) => (JSON.parse(r) as { run_id: string }).run_id).sort());
        const same = { runIds: true, rows: true };
        for (const m of measured) {
          const tables = await dump(m.store, "values");
          same.runIds &&= ids(tables) === ids(reference);
          same.rows &&= JSON.stringify(tables) === JSON.stringify(reference);
        }
        const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
        const wall = new Map(COUNTS.map((n) => [n, mean(measured.filter((m) => m.row.workers === n).map((m) => m.wallS))]));
        const byCount: Record<string, BenchValue> = {};
        for (const n of COUNTS) {
          byCount[String(n)] = {
            meanWallS: round(wall.get(n)!, 1),
            runsPerSecond: round(RUNS / wall.get(n)!, 3),
            speedUp: round(wall.get(COUNTS[0]!)! / wall.get(n)!),
            passes: measured.filter((m) => m.row.workers === n).map((m) => m.row),
          };
        }
        const two = COUNTS.includes(2) ? wall.get(2)! : undefined;
        return {
          // The summary table's figure, as runner/'s: wall time of 2 workers ÷ 1.
          ...(two !== undefined ? { ratio: round(two / wall.get(COUNTS[0]!)!) } : {}),
          cores: availableParallelism(),
          runs: RUNS,
          grid: `noisy-blobs, logistic, ${SAMPLERS.join("/")} × ${SEEDS} seeds, ${GRID.rounds} rounds of ${GRID.acquisition.size}`,
          sameRunIds: same.runIds,
          sameRows: same.rows,
          metricRows: (reference.metrics ?? []).length,
          byWorkers: byCount,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
