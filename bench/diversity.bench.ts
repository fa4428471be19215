/**
 * Diversity samplers against numpy, interleaved (bench/interleave.ts), `npm run bench -- diversity`.
 * The same float32 data are written to temp files once per case and run by
 * bench/reference/diversity.py (numpy, one BLAS thread) kept running as a server; ours and
 * numpy's take turns for 5 timed pairs after a warm-up pair. Each case reports CPU and wall time
 * of both sides, the per-pair ratio ours ÷ numpy (median, min–max; < 1 = we are faster), whether
 * both picked the same points, both peak memories and the load average.
 *
 * - KCenterGreedy, N = 50,000, d = 128, k = 1,000 from 100 labelled, against numpy's best form
 *   (float32 ‖x‖² + ‖c‖² − 2x·c, one sgemv per pick into preallocated buffers). Two data sets:
 *   isotropic Gaussian (no structure: the worst case for our lazy updates) and a 50-component
 *   Gaussian mixture (clustered, like real embeddings). Picks are compared with numpy's float32
 *   run and with a float64 run (untimed): float32 rounding can flip a near-tie and change every
 *   later pick, so the float64 run says which points the algorithm prescribes.
 * - BADGE, N = 20,000, C = 100, d = 768, k = 100, in a child process so its peak RSS is BADGE's
 *   (plus the inputs and Node itself, reported separately), not the bench runner's. numpy draws
 *   with our sampler's uniforms, so the picks must agree.
 * - KCenterGreedy scaling in N (10^3 … 10^6, d = 128, k = 100, 100 labelled, Gaussian).
 *
 * Run directly with `--badge-child N C D K` it is the child: it runs the BADGE case and prints
 * its result as one JSON line. AL_PYTHON picks the interpreter (default python3).
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
import { type BenchCase, type BenchValue, peakRssMb } from "./harness.ts";
import { interleave, rounded, timeInProcess, type Timing } from "./interleave.ts";
import { PythonServer } from "./reference/python-server.ts";

const here = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("reference/diversity.py", import.meta.url));
const round = (v: number, digits = 2): number => Number(v.toFixed(digits));

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

interface NumpyAnswer {
  cpu_ms: number;
  wall_ms: number;
  peak_rss_mb: number;
  picks: number[];
  numpy: string;
}

/** A numpy server (one BLAS thread) with each of `arrays` in a temp file, for `body`. */
async function withNumpy<T>(arrays: Record<string, Float32Array | Int32Array>, body: (numpy: PythonServer, files: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "al-bench-"));
  const numpy = new PythonServer(script, { env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" } });
  try {
    const files: Record<string, string> = {};
    for (const [name, data] of Object.entries(arrays)) {
      files[name] = join(dir, `${name}.bin`);
      writeFileSync(files[name], new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    return await body(numpy, files);
  } finally {
    numpy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many leading picks two selections share. */
function sharedPrefix(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Ours (`select`) against one numpy request, interleaved; the last run of each side is kept for the pick checks. */
async function versusNumpy(select: () => Int32Array, numpy: PythonServer, request: Record<string, unknown>, pairs: number) {
  let picks: Int32Array = new Int32Array(0);
  let theirs: NumpyAnswer | undefined;
  const ours = () => timeInProcess(() => (picks = select()));
  const reference = async (): Promise<Timing> => {
    theirs = await numpy.call<NumpyAnswer>(request);
    return { cpuMs: theirs.cpu_ms, wallMs: theirs.wall_ms };
  };
  const timed = rounded(await interleave(ours, reference, { pairs }));
  return { timed: timed as unknown as Record<string, BenchValue>, picks, theirs: theirs! };
}

async function kcenterCase(n: number, d: number, k: number, labelledCount: number, kind: DataKind, pairs = 5): Promise<Record<string, BenchValue>> {
  const x = points(n, d, kind);
  const { mask, indices } = labelledMask(n, labelledCount);
  const select = () => kcenterGreedy.select({ embeddings: x, labelled: mask }, k, {}, { random: createRandom(1, "select") });
  return withNumpy({ x: x.data, labelled: indices }, async (numpy, files) => {
    const request = { case: "kcenter", file: files.x, labelled_file: files.labelled, n, d, k };
    const { timed, picks, theirs } = await versusNumpy(select, numpy, { ...request, form: "best" }, pairs);
    const float64 = await numpy.call<NumpyAnswer>({ ...request, form: "float64" });
    return {
      data: kind,
      ...timed,
      // Leading picks equal to numpy's float32 run and to its float64 run (see the file comment).
      samePicksFloat32: `${sharedPrefix(picks, theirs.picks)} of ${k}`,
      samePicksFloat64: `${sharedPrefix(picks, float64.picks)} of ${k}`,
      peakRssMb: { ours: round((await peakRssMb()) ?? NaN, 0), numpy: round(theirs.peak_rss_mb, 0) },
      numpy: theirs.numpy,
    };
  });
}

/** Softmax rows of N(0, 2²) logits (spread-out but not uniform predictions) and ReLU features. */
function badgeInputs(n: number, c: number, d: number): { probs: Matrix; embeddings: Matrix } {
  const r = createRandom(1, "bench-badge");
  const probs = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) {
      probs[i * c + j] = Math.exp(2 * r.normal());
      sum += probs[i * c + j]!;
    }
    for (let j = 0; j < c; j++) probs[i * c + j] = probs[i * c + j]! / sum;
  }
  const embeddings = new Float32Array(n * d);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = Math.max(0, r.normal());
  return { probs: { data: probs, n, c }, embeddings: { data: embeddings, n, c: d } };
}

/** The BADGE child: inputs, the interleaved case, peak RSS; one JSON line on stdout. */
async function badgeChild(n: number, c: number, d: number, k: number): Promise<void> {
  const { probs, embeddings } = badgeInputs(n, c, d);
  const labelled = new Uint8Array(n);
  const inputsRss = await peakRssMb();
  // BADGE draws one uniform per pick after the first; numpy is handed the same ones.
  const seed = () => createRandom(1, "select");
  const stream = seed();
  const uniforms = Array.from({ length: k - 1 }, () => stream.next());
  const select = () => badge.select({ probs, embeddings, labelled }, k, {}, { random: seed() });
  const result = await withNumpy({ probs: probs.data, embeddings: embeddings.data }, async (numpy, files) => {
    const request = { case: "badge", probs_file: files.probs, emb_file: files.embeddings, n, c, d, k, uniforms };
    const { timed, picks, theirs } = await versusNumpy(select, numpy, request, 5);
    return {
      ...timed,
      samePicks: `${sharedPrefix(picks, theirs.picks)} of ${k}`,
      peakRssMb: { ours: round((await peakRssMb()) ?? NaN, 0), oursBeforeBadge: round(inputsRss ?? NaN, 0), numpy: round(theirs.peak_rss_mb, 0) },
      goalPeakRssMb: 2048,
      // What materialising the gradient embeddings alone would take (float32).
      materialisedGradientsMb: round((n * c * d * 4) / 2 ** 20, 0),
      numpy: theirs.numpy,
    };
  });
  process.stdout.write(JSON.stringify(result) + "\n");
}

function badgeCase(n: number, c: number, d: number, k: number): Record<string, BenchValue> {
  const child = spawnSync(process.execPath, ["--import", "tsx", here, "--badge-child", String(n), String(c), String(d), String(k)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 * 2 ** 20,
  });
  if (child.status !== 0) throw new Error(`badge child failed: ${child.stderr.trim().split("\n").pop()}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Record<string, BenchValue>;
}

export const cases: BenchCase[] = [
  ...(["gaussian", "mixture"] as const).map(
    (kind): BenchCase => ({
      name: `diversity/kcenter-greedy N=50000 d=128 k=1000 from 100 labelled (${kind})`,
      run: () => kcenterCase(50_000, 128, 1_000, 100, kind),
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
      for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
        const r = (await kcenterCase(n, 128, 100, 100, "gaussian", n <= 10_000 ? 11 : 5)) as unknown as {
          ours: { cpuMs: { median: number } };
          cpuRatio: { median: number; min: number; max: number };
          samePicksFloat64: string;
        };
        rows.push({ n, cpuMs: r.ours.cpuMs.median, cpuRatio: r.cpuRatio.median, cpuRatioMin: r.cpuRatio.min, cpuRatioMax: r.cpuRatio.max, samePicksFloat64: r.samePicksFloat64 });
      }
      return { rows };
    },
  },
];

if (process.argv[1] === here && process.argv[2] === "--badge-child") {
  const [n, c, d, k] = process.argv.slice(3, 7).map(Number) as [number, number, number, number];
  await badgeChild(n, c, d, k);
}
