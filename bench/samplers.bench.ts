/**
 * Sampler speed against numpy, side by side in one run: the same float32 data are written to a
 * temp file and scored by bench/reference/samplers.py (numpy, single-threaded BLAS), and each
 * case reports our median ms, numpy's median ms and ours/numpy (< 1 = we are faster).
 *
 * Cases: margin / least-confidence / entropy top-100 of N = 10^6 × C = 10; BALD top-100 of
 * N = 10^4 × T = 100 × C = 10; BatchBALD pool 1,000 × batch 10 × T = 100 × C = 10; and the scaling
 * of margin and entropy in N = 10^3 … 10^6. Set AL_PYTHON to pick the interpreter (default python3).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Matrix } from "../lib/al/matrix.ts";
import { createRandom } from "../lib/al/random.ts";
import { getSampler } from "../lib/al/samplers/index.ts";
import type { SamplerInputs, Samples } from "../lib/al/samplers/sampler.ts";
import { type BenchCase, peakRssMb, timeMs } from "./harness.ts";

const script = fileURLToPath(new URL("reference/samplers.py", import.meta.url));
const TOP = 100;

/** Dirichlet(1) rows (normalised Exp(1) draws): the usual stand-in for softmax outputs. */
function dirichletRows(n: number, c: number, seed: number): Matrix {
  const r = createRandom(seed, "bench-probs", n, c);
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = i * c; j < (i + 1) * c; j++) sum += data[j] = -Math.log(1 - r.next());
    for (let j = i * c; j < (i + 1) * c; j++) data[j] = data[j]! / sum;
  }
  return { data, n, c };
}

/** MC samples with structure: a per-point logit centre plus per-pass noise, softmaxed. */
function mcSamples(n: number, t: number, c: number, seed: number): Samples {
  const r = createRandom(seed, "bench-mc", n, t, c);
  const data = new Float32Array(n * t * c);
  const centre = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    const spread = 0.5 + 2 * r.next();
    for (let l = 0; l < c; l++) centre[l] = 2 * r.normal();
    for (let u = 0; u < t; u++) {
      const o = (i * t + u) * c;
      let sum = 0;
      for (let l = 0; l < c; l++) sum += data[o + l] = Math.exp(centre[l]! + spread * r.normal());
      for (let l = 0; l < c; l++) data[o + l] = data[o + l]! / sum;
    }
  }
  return { data, n, t, c };
}

interface NumpyResult {
  /** Median ms (for margin: the np.partition form). */
  ms: number;
  picks: number[];
  /** Margin only: the np.sort form. */
  sortMs?: number;
  numpy: string;
}

/** Runs the numpy reference on `data` (written as raw float32) and parses its JSON line. */
function numpy(args: Array<string | number>, data: Float32Array, variable: string, env: Record<string, string> = {}): NumpyResult {
  const dir = mkdtempSync(join(tmpdir(), "al-bench-"));
  try {
    const file = join(dir, "data.f32");
    writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const stdout = execFileSync(process.env.AL_PYTHON ?? "python3", [script, ...args.map(String)], {
      env: {
        ...process.env,
        [variable]: file,
        TOP: String(TOP),
        // One core, like the reference numbers in the issue.
        OMP_NUM_THREADS: "1",
        OPENBLAS_NUM_THREADS: "1",
        MKL_NUM_THREADS: "1",
        ...env,
      },
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    return JSON.parse(stdout) as NumpyResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const overlap = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const set = new Set(Array.from(a));
  return Array.from(b).filter((i) => set.has(i)).length;
};
const context = { random: createRandom(1, "bench") };

/** ms for our top-100 vs numpy's on the same probabilities. */
function probsCase(name: "margin" | "least-confidence" | "entropy", data: () => Matrix, repeats = 5) {
  return async () => {
    const probs = data();
    const sampler = getSampler(name, "bench");
    const inputs: SamplerInputs = { probs, labelled: new Uint8Array(probs.n) };
    let picks: Int32Array = new Int32Array(0);
    const ms = await timeMs(() => (picks = sampler.select(inputs, TOP, {}, context)), repeats);
    const ref = numpy([name, probs.n, probs.c], probs.data, "PROBS_FILE", { REPEATS: String(repeats) });
    // Margin has two common numpy forms (np.partition or a full np.sort of each row); compare with
    // whichever was faster in this run.
    const numpyMs = Math.min(ref.ms, ref.sortMs ?? Infinity);
    return {
      n: probs.n,
      c: probs.c,
      ms: round(ms),
      numpyMs: round(numpyMs),
      ratio: round(ms / numpyMs),
      ...(ref.sortMs !== undefined ? { numpyPartitionMs: round(ref.ms), numpySortMs: round(ref.sortMs) } : {}),
      samePicks: overlap(picks, ref.picks),
      numpy: ref.numpy,
    };
  };
}

// Generated on first use, not at import: `npm run bench -- other` imports this file too.
let million: Matrix | undefined;
const millionRows = (): Matrix => (million ??= dirichletRows(1_000_000, 10, 1));

export const cases: BenchCase[] = [
  { name: "samplers/margin top-100 N=1e6 C=10", run: probsCase("margin", millionRows) },
  { name: "samplers/least-confidence top-100 N=1e6 C=10", run: probsCase("least-confidence", millionRows) },
  { name: "samplers/entropy top-100 N=1e6 C=10", run: probsCase("entropy", millionRows) },
  {
    name: "samplers/bald top-100 N=1e4 T=100 C=10",
    async run() {
      const samples = mcSamples(10_000, 100, 10, 2);
      const sampler = getSampler("bald", "bench");
      const inputs: SamplerInputs = { mcSamples: samples, labelled: new Uint8Array(samples.n) };
      let picks: Int32Array = new Int32Array(0);
      const ms = await timeMs(() => (picks = sampler.select(inputs, TOP, {}, context)), 5);
      const ref = numpy(["bald", samples.n, samples.c, samples.t], samples.data, "SAMPLES_FILE");
      return { ms: round(ms), numpyMs: round(ref.ms), ratio: round(ms / ref.ms), samePicks: overlap(picks, ref.picks) };
    },
  },
  {
    name: "samplers/batchbald pool=1000 b=10 T=100 C=10",
    async run() {
      const samples = mcSamples(1000, 100, 10, 3);
      const sampler = getSampler("batchbald", "bench");
      const options = sampler.parseOptions(undefined, "bench");
      const inputs: SamplerInputs = { mcSamples: samples, labelled: new Uint8Array(samples.n) };
      let picks: Int32Array = new Int32Array(0);
      const ms = await timeMs(() => (picks = sampler.select(inputs, 10, options, { random: createRandom(1, "bench") })), 1);
      const ref = numpy(["batchbald", samples.n, samples.c, samples.t, 10], samples.data, "SAMPLES_FILE", { REPEATS: "1" });
      // The first 4 picks are exact on both sides (1, 10, 100, 1,000 configurations); later ones
      // use each side's own random draws.
      const exactAgree = Array.from(picks.subarray(0, 4)).every((v, i) => v === ref.picks[i]);
      return {
        options: options as Record<string, number>,
        ms: round(ms),
        numpyMs: round(ref.ms),
        ratio: round(ms / ref.ms),
        exactPicksAgree: exactAgree,
        samePicks: overlap(picks, ref.picks),
        peakRssMb: round((await peakRssMb()) ?? NaN, 0),
      };
    },
  },
  {
    name: "samplers/scaling margin+entropy N=1e3..1e6 C=10",
    async run() {
      const rows: Record<string, Array<Record<string, number>>> = { margin: [], entropy: [] };
      for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
        const probs = n === 1_000_000 ? millionRows() : dirichletRows(n, 10, 4);
        for (const name of ["margin", "entropy"] as const) {
          const r = await probsCase(name, () => probs, n <= 10_000 ? 21 : 5)();
          rows[name]!.push({ n, ms: r.ms, numpyMs: r.numpyMs, ratio: r.ratio, nsPerRow: round((r.ms * 1e6) / n, 1) });
        }
      }
      return rows;
    },
  },
];
