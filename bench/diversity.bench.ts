/**
 * Diversity samplers against numpy, side by side in one run (`npm run bench -- diversity`).
 *
 * - KCenterGreedy, N = 50,000, d = 128, k = 1,000 from 100 labelled: ours vs a plain numpy
 *   core-set loop (the reference: 9.9 s on this machine class) and numpy's faster
 *   matrix-vector form, on the same data (written to temporary files for bench/reference/
 *   diversity.py, run with one BLAS thread). Two data sets: isotropic Gaussian (no structure:
 *   the worst case for our lazy updates) and a 50-component Gaussian mixture (clustered, like
 *   real embeddings). Wall and CPU times are both reported: CPU time is what to compare on a
 *   shared machine.
 * - BADGE, N = 20,000, C = 100, d = 768, k = 100, in a child process so its peak RSS is
 *   BADGE's (plus the inputs and Node itself, reported separately), not the bench runner's.
 * - KCenterGreedy scaling in N (10^3 … 10^6, d = 128, k = 100, 100 labelled), ours and numpy.
 *
 * Run directly with `--badge-child N C D K` it is the child: it builds the inputs, runs BADGE
 * and prints one JSON line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Matrix } from "../lib/al/matrix.ts";
import { createRandom } from "../lib/al/random.ts";
import { badge } from "../lib/al/samplers/badge.ts";
import { kcenterGreedy } from "../lib/al/samplers/kcenter-greedy.ts";
import type { BenchCase, BenchValue } from "./harness.ts";

const here = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));
const round = (v: number, digits = 1): number => Number(v.toFixed(digits));

type DataKind = "gaussian" | "mixture";

/** N×d float32 points: standard normal, or a 50-component mixture (centres N(0, 4²), unit spread). */
function points(n: number, d: number, kind: DataKind, seed = 1): Matrix {
  const r = createRandom(seed, "bench-diversity", kind, n, d);
  const data = new Float32Array(n * d);
  if (kind === "gaussian") {
    for (let i = 0; i < data.length; i++) data[i] = r.normal();
  } else {
    const components = 50;
    const centres = Float64Array.from({ length: components * d }, () => 4 * r.normal());
    for (let i = 0; i < n; i++) {
      const c = r.int(components);
      for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j]! + r.normal();
    }
  }
  return { data, n, c: d };
}

/** Every (n / count)-th point labelled, starting at 0. */
function labelledMask(n: number, count: number): { mask: Uint8Array; indices: Int32Array } {
  const mask = new Uint8Array(n);
  const indices = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    indices[j] = Math.floor((j * n) / count);
    mask[indices[j]!] = 1;
  }
  return { mask, indices };
}

/** Runs fn once, returning wall and CPU (user + system) milliseconds and its result. */
function measure<T>(fn: () => T): { wallMs: number; cpuMs: number; result: T } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = fn();
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, result };
}

interface NumpyKCenter {
  plainMs: number;
  plainCpuMs: number;
  plainPicks: number[];
  matmulMs: number;
  matmulCpuMs: number;
  matmulPicks: number[];
  float64Picks: number[];
}

/** The numpy reference on the same data, single-threaded; an error string when python/numpy is missing. */
function numpyKCenter(x: Matrix, labelled: Int32Array, k: number): NumpyKCenter | string {
  const dir = mkdtempSync(join(tmpdir(), "al-bench-"));
  try {
    writeFileSync(join(dir, "x.f32"), new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
    writeFileSync(join(dir, "l.i32"), new Uint8Array(labelled.buffer, labelled.byteOffset, labelled.byteLength));
    const single = { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
    const run = spawnSync("python3", [join(root, "bench/reference/diversity.py"), "kcenter", String(x.n), String(x.c), String(k)], {
      env: { ...process.env, ...single, DATA_FILE: join(dir, "x.f32"), LABELLED_FILE: join(dir, "l.i32") },
      encoding: "utf8",
      maxBuffer: 64 * 2 ** 20,
    });
    if (run.status !== 0) return `numpy reference failed: ${(run.stderr || run.error?.message || "").trim().split("\n").pop()}`;
    return JSON.parse(run.stdout) as NumpyKCenter;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many leading picks two selections share. */
function sharedPrefix(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function kcenterCase(n: number, d: number, k: number, labelledCount: number, kind: DataKind): Record<string, BenchValue> {
  const x = points(n, d, kind);
  const { mask, indices } = labelledMask(n, labelledCount);
  const select = () => kcenterGreedy.select({ embeddings: x, labelled: mask }, k, {}, { random: createRandom(1, "select") });
  const ours = measure(select);
  const again = measure(select); // second run: JIT warm
  const best = again.cpuMs < ours.cpuMs ? again : ours;
  const numpy = numpyKCenter(x, indices, k);
  const out: Record<string, BenchValue> = { data: kind, oursMs: round(best.wallMs), oursCpuMs: round(best.cpuMs) };
  if (typeof numpy === "string") return { ...out, numpy };
  return {
    ...out,
    numpyPlainMs: round(numpy.plainMs),
    numpyPlainCpuMs: round(numpy.plainCpuMs),
    numpyMatmulMs: round(numpy.matmulMs),
    numpyMatmulCpuMs: round(numpy.matmulCpuMs),
    // > 1: we are faster. CPU time, so other load on the machine does not skew it.
    speedupVsPlainNumpy: round(numpy.plainCpuMs / best.cpuMs, 2),
    speedupVsMatmulNumpy: round(numpy.matmulCpuMs / best.cpuMs, 2),
    // Leading picks equal to numpy's: its float32 loop drifts from exact arithmetic after a
    // near-tie; the float64 run is the check that ours picks what the algorithm prescribes.
    picksSharedWithNumpyFloat32: `${sharedPrefix(best.result, numpy.plainPicks)} of ${k}`,
    picksSharedWithNumpyFloat64: `${sharedPrefix(best.result, numpy.float64Picks)} of ${k}`,
  };
}

/** The BADGE child: inputs, selection, peak RSS; one JSON line on stdout. */
async function badgeChild(n: number, c: number, d: number, k: number): Promise<void> {
  const { peakRssMb } = await import("./harness.ts");
  const r = createRandom(1, "bench-badge");
  const probs = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    // Softmax of N(0, 2²) logits: spread-out but not uniform predictions.
    let sum = 0;
    for (let j = 0; j < c; j++) {
      probs[i * c + j] = Math.exp(2 * r.normal());
      sum += probs[i * c + j]!;
    }
    for (let j = 0; j < c; j++) probs[i * c + j] = probs[i * c + j]! / sum;
  }
  const embeddings = new Float32Array(n * d);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = Math.max(0, r.normal()); // ReLU features
  const labelled = new Uint8Array(n);
  const inputsRss = await peakRssMb();
  const run = measure(() =>
    badge.select({ probs: { data: probs, n, c }, embeddings: { data: embeddings, n, c: d }, labelled }, k, {}, { random: createRandom(1, "select") }),
  );
  process.stdout.write(
    JSON.stringify({ ms: run.wallMs, cpuMs: run.cpuMs, peakRssMb: await peakRssMb(), rssAfterInputsMb: inputsRss, picks: run.result.length }) + "\n",
  );
}

function badgeCase(n: number, c: number, d: number, k: number): Record<string, BenchValue> {
  const child = spawnSync(process.execPath, ["--import", "tsx", here, "--badge-child", String(n), String(c), String(d), String(k)], {
    cwd: root,
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`badge child failed: ${child.stderr.trim().split("\n").pop()}`);
  const m = JSON.parse(child.stdout.trim().split("\n").pop()!) as { ms: number; cpuMs: number; peakRssMb: number; rssAfterInputsMb: number };
  return {
    ms: round(m.ms),
    cpuMs: round(m.cpuMs),
    peakRssMb: round(m.peakRssMb),
    rssBeforeBadgeMb: round(m.rssAfterInputsMb),
    goalPeakRssMb: 2048,
    // What materialising the gradient embeddings alone would take (float32).
    materialisedGradientsMb: round((n * c * d * 4) / 2 ** 20),
  };
}

export const cases: BenchCase[] = [
  ...(["gaussian", "mixture"] as const).map(
    (kind): BenchCase => ({
      name: `diversity/kcenter-greedy N=50000 d=128 k=1000 from 100 labelled (${kind})`,
      run: async () => kcenterCase(50_000, 128, 1_000, 100, kind),
    }),
  ),
  {
    name: "diversity/badge N=20000 C=100 d=768 k=100 (child process)",
    run: async () => badgeCase(20_000, 100, 768, 100),
  },
  {
    name: "diversity/kcenter-greedy scaling in N (d=128, k=100, 100 labelled, gaussian)",
    run: async () => {
      const rows: BenchValue[] = [];
      for (const n of [1_000, 10_000, 100_000, 1_000_000]) rows.push({ n, ...kcenterCase(n, 128, 100, 100, "gaussian") });
      return { rows };
    },
  },
];

if (process.argv[1] === here && process.argv[2] === "--badge-child") {
  const [n, c, d, k] = process.argv.slice(3, 7).map(Number) as [number, number, number, number];
  await badgeChild(n, c, d, k);
}
