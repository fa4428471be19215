/**
 * Sampler speed against numpy, interleaved (bench/interleave.ts): the same float32 data are
 * written to a temp file once per case and scored by bench/reference/samplers.py (numpy,
 * single-threaded BLAS) kept running as a server, ours and numpy's taking turns for 5 timed
 * pairs after a warm-up pair. Each case reports CPU and wall time of both sides, the per-pair
 * ratio ours ÷ numpy (median, min–max; < 1 = we are faster), whether both picked the same
 * points, both sides' peak memory and the load average.
 *
 * Cases: margin / least-confidence / entropy top-100 of N = 10^6 × C = 10 and N = 10^5 × C = 100;
 * BALD top-100 of N = 10^4 × T = 100 × C = 10; BatchBALD pool 1,000 and 10,000 × batch 10 × T = 100
 * × C = 10, also against batchbald_redux's algorithm in torch (batchBaldCase); and the scaling of
 * margin and entropy in N = 10^3 … 10^6; the memory-bandwidth limit and each single-pass
 * sampler's GB/s at N = 10^6 × C = 100 (400 MB; BALD reads it as 10^4 × T = 100 × C = 100). AL_PYTHON picks the interpreter (default python3).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Matrix } from "../lib/al/matrix.ts";
import { createRandom } from "../lib/al/random.ts";
import { getSampler } from "../lib/al/samplers/index.ts";
import type { SamplerInputs, Samples } from "../lib/al/samplers/sampler.ts";
import { type BenchCase, type BenchValue, peakRssMb } from "./harness.ts";
import { interleave, interleaveAll, rounded, timeInProcess, type Timing } from "./interleave.ts";
import { PythonServer } from "./reference/python-server.ts";

const script = fileURLToPath(new URL("reference/samplers.py", import.meta.url));
const torchScript = fileURLToPath(new URL("reference/batchbald_torch.py", import.meta.url));
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

interface NumpyAnswer {
  cpu_ms: number;
  wall_ms: number;
  peak_rss_mb: number;
  picks: number[];
  numpy: string;
}

/** A numpy server (one core, like the reference numbers in the issue) with `data` in a temp file, for `body`. */
async function withNumpy<T>(data: Float32Array, body: (numpy: PythonServer, file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "al-bench-"));
  const numpy = new PythonServer(script, { env: { TOP: String(TOP), OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" } });
  try {
    const file = join(dir, "data.f32");
    writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return await body(numpy, file);
  } finally {
    numpy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ours (`select`) against numpy (`request`, one run per call) interleaved; `requests` beyond the
 * first are other numpy forms of the same sampler, and each pair keeps the faster form's times.
 */
async function versusNumpy(select: () => Int32Array, numpy: PythonServer, requests: Record<string, unknown>[], pairs = 5): Promise<Record<string, BenchValue>> {
  let picks: Int32Array = new Int32Array(0);
  let theirs: NumpyAnswer | undefined;
  const ours = () => timeInProcess(() => (picks = select()));
  const reference = async (): Promise<Timing> => {
    const answers = [];
    for (const r of requests) answers.push(await numpy.call<NumpyAnswer>(r));
    theirs = answers.reduce((a, b) => (b.cpu_ms < a.cpu_ms ? b : a));
    return { cpuMs: theirs.cpu_ms, wallMs: theirs.wall_ms };
  };
  const timed = rounded(await interleave(ours, reference, { pairs }));
  return {
    ...(timed as unknown as Record<string, BenchValue>),
    samePicks: overlap(picks, theirs!.picks),
    peakRssMb: { ours: round((await peakRssMb()) ?? NaN, 0), numpy: round(theirs!.peak_rss_mb, 0) },
    numpy: theirs!.numpy,
  };
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const overlap = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const set = new Set(Array.from(a));
  return Array.from(b).filter((i) => set.has(i)).length;
};
const context = { random: createRandom(1, "bench") };

/** Our top-100 vs numpy's on the same probabilities, interleaved. */
function probsCase(name: "margin" | "least-confidence" | "entropy", data: () => Matrix, pairs = 5) {
  return async () => {
    const probs = data();
    const sampler = getSampler(name, "bench");
    const inputs: SamplerInputs = { probs, labelled: new Uint8Array(probs.n) };
    return withNumpy(probs.data, async (numpy, file) => {
      const request = { n: probs.n, c: probs.c, file };
      // Margin has two common numpy forms (np.partition or a full np.sort of each row): each pair
      // compares with whichever was faster.
      const requests = name === "margin" ? [{ ...request, case: "margin" }, { ...request, case: "margin-sort" }] : [{ ...request, case: name }];
      return { n: probs.n, c: probs.c, ...(await versusNumpy(() => sampler.select(inputs, TOP, {}, context), numpy, requests, pairs)) };
    });
  };
}

/**
 * BatchBALD against both references, interleaved (ours, numpy, torch in each round): numpy
 * (samplers.py: our algorithm vectorised) and batchbald_redux's algorithm in torch
 * (batchbald_torch.py, AL_TORCH_PYTHON, default /usr/bin/python3; one thread). The headline
 * cpuRatio is against the torch one; `versusNumpy` holds the numpy ratios.
 */
async function batchBaldCase(pool: number, pairs: number, warmup: number): Promise<Record<string, BenchValue>> {
  const samples = mcSamples(pool, 100, 10, 3);
  const sampler = getSampler("batchbald", "bench");
  const options = sampler.parseOptions(undefined, "bench") as { draws: number; maxConfigurations: number };
  const inputs: SamplerInputs = { mcSamples: samples, labelled: new Uint8Array(samples.n) };
  const torch = new PythonServer(torchScript, { python: process.env.AL_TORCH_PYTHON ?? "/usr/bin/python3", env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" } });
  try {
    return await withNumpy(samples.data, async (numpy, file) => {
      const request = { case: "batchbald", n: samples.n, c: samples.c, t: samples.t, k: 10, file };
      let picks: Int32Array = new Int32Array(0);
      const last: Record<string, NumpyAnswer> = {};
      const call = (name: string, server: PythonServer, r: Record<string, unknown>) => async (): Promise<Timing> => {
        const answer = (last[name] = await server.call<NumpyAnswer>(r));
        return { cpuMs: answer.cpu_ms, wallMs: answer.wall_ms };
      };
      const timed = await interleaveAll(
        () => timeInProcess(() => (picks = sampler.select(inputs, 10, options, { random: createRandom(1, "bench") }))),
        {
          // Exact while configurations × C ≤ 1,000 on our side and C^n ≤ num_samples on redux's: both enumerate the first 3 chosen points.
          redux: call("redux", torch, { ...request, num_samples: options.maxConfigurations }),
          numpy: call("numpy", numpy, { ...request, draws: options.draws, max_configurations: options.maxConfigurations }),
        },
        { pairs, warmup },
      );
      const numpyTimed = rounded(timed.numpy!);
      // The first 4 picks are exact on every side (1, 10, 100, 1,000 configurations); later ones
      // use each side's own random draws, so only how many agree is reported.
      const agree = (theirs: number[]) => ({ exactPicksAgree: Array.from(picks.subarray(0, 4)).every((v, i) => v === theirs[i]), samePicks: overlap(picks, theirs) });
      return {
        pool,
        options,
        ...(rounded(timed.redux!) as unknown as Record<string, BenchValue>),
        ...agree(last.redux!.picks),
        versusNumpy: { cpuRatio: numpyTimed.cpuRatio, wallRatio: numpyTimed.wallRatio, numpyCpuMs: numpyTimed.reference.cpuMs, ...agree(last.numpy!.picks) } as unknown as BenchValue,
        peakRssMb: { ours: round((await peakRssMb()) ?? NaN, 0), redux: round(last.redux!.peak_rss_mb, 0), numpy: round(last.numpy!.peak_rss_mb, 0) },
        versions: { redux: last.redux!.numpy, numpy: last.numpy!.numpy },
      };
    });
  } finally {
    torch.close();
  }
}

/** A plain read of the whole array in four lanes: what one pass over it costs here, at least. */
function sumPass(data: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < data.length; j += 4) {
    s0 += data[j]!;
    s1 += data[j + 1]!;
    s2 += data[j + 2]!;
    s3 += data[j + 3]!;
  }
  for (; j < data.length; j++) s0 += data[j]!;
  return s0 + s1 + (s2 + s3);
}

/** The fastest CPU time of `runs` calls (the bandwidth limit and each sampler alike). */
async function fastestCpuMs(fn: () => unknown, runs = 4): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < runs; r++) best = Math.min(best, (await timeInProcess(fn)).cpuMs);
  return best;
}

/**
 * The memory-bandwidth limit on this machine (a plain summing pass over 400 MB in JavaScript
 * and numpy's .sum()) and each single-pass sampler's achieved GB/s over the same 400 MB, with
 * its ratio to the limit (limit GB/s ÷ achieved; 1 = as fast as reading the data once).
 */
async function bandwidthCase(): Promise<Record<string, BenchValue>> {
  const probs = dirichletRows(1_000_000, 100, 7);
  const gb = probs.data.byteLength / 1e9;
  const gbps = (ms: number) => round(gb / (ms / 1000), 2);
  const inputs: SamplerInputs = { probs, labelled: new Uint8Array(probs.n) };
  const jsMs = await fastestCpuMs(() => sumPass(probs.data));
  const limit: Record<string, number> = { jsSumGBps: gbps(jsMs) };
  const samplers: Record<string, Record<string, number>> = {};
  await withNumpy(probs.data, async (numpy, file) => {
    let best = Infinity;
    for (let r = 0; r < 4; r++) best = Math.min(best, (await numpy.call<NumpyAnswer>({ case: "sum", n: probs.n, c: probs.c, file })).cpu_ms);
    limit.numpySumGBps = gbps(best);
  });
  const fastest = Math.max(limit.jsSumGBps!, limit.numpySumGBps!);
  for (const name of ["least-confidence", "margin", "entropy"]) {
    const sampler = getSampler(name, "bench");
    const ms = await fastestCpuMs(() => sampler.select(inputs, TOP, {}, context));
    samplers[name] = { cpuMs: round(ms, 0), GBps: gbps(ms), timesLimit: round(fastest / gbps(ms), 2) };
  }
  // BALD over the same 400 MB read as N = 10⁴ points × T = 100 samples × C = 100 (each row a distribution).
  const mcSamples: Samples = { data: probs.data, n: 10_000, t: 100, c: 100 };
  const baldMs = await fastestCpuMs(() => getSampler("bald", "bench").select({ mcSamples, labelled: new Uint8Array(mcSamples.n) }, TOP, {}, context));
  samplers.bald = { cpuMs: round(baldMs, 0), GBps: gbps(baldMs), timesLimit: round(fastest / gbps(baldMs), 2) };
  return { bytes: probs.data.byteLength, ...limit, samplers: samplers as unknown as BenchValue, load: round(loadavg()[0]!, 1) };
}

// Generated on first use, not at import: `npm run bench -- other` imports this file too.
let million: Matrix | undefined;
const millionRows = (): Matrix => (million ??= dirichletRows(1_000_000, 10, 1));
let wide: Matrix | undefined;
const wideRows = (): Matrix => (wide ??= dirichletRows(100_000, 100, 5));

export const cases: BenchCase[] = [
  { name: "samplers/margin top-100 N=1e6 C=10", run: probsCase("margin", millionRows) },
  { name: "samplers/least-confidence top-100 N=1e6 C=10", run: probsCase("least-confidence", millionRows) },
  { name: "samplers/entropy top-100 N=1e6 C=10", run: probsCase("entropy", millionRows) },
  { name: "samplers/margin top-100 N=1e5 C=100", run: probsCase("margin", wideRows) },
  { name: "samplers/least-confidence top-100 N=1e5 C=100", run: probsCase("least-confidence", wideRows) },
  { name: "samplers/entropy top-100 N=1e5 C=100", run: probsCase("entropy", wideRows) },
  {
    name: "samplers/bald top-100 N=1e4 T=100 C=10",
    async run() {
      const samples = mcSamples(10_000, 100, 10, 2);
      const sampler = getSampler("bald", "bench");
      const inputs: SamplerInputs = { mcSamples: samples, labelled: new Uint8Array(samples.n) };
      return withNumpy(samples.data, (numpy, file) =>
        versusNumpy(() => sampler.select(inputs, TOP, {}, context), numpy, [{ case: "bald", n: samples.n, c: samples.c, t: samples.t, file }]),
      );
    },
  },
  { name: "samplers/batchbald pool=1000 b=10 T=100 C=10", run: () => batchBaldCase(1000, 5, 1) },
  // About a minute per run on each side: 3 pairs and no warm-up (JIT warm-up is noise at this length).
  { name: "samplers/batchbald pool=10000 b=10 T=100 C=10", run: () => batchBaldCase(10_000, 3, 0) },
  { name: "samplers/bandwidth single-pass N=1e6 C=100 (400 MB)", run: bandwidthCase },
  {
    name: "samplers/scaling margin+entropy N=1e3..1e6 C=10",
    async run() {
      const rows: Record<string, Array<Record<string, number>>> = { margin: [], entropy: [] };
      for (const n of [1_000, 10_000, 100_000, 1_000_000]) {
        const probs = n === 1_000_000 ? millionRows() : dirichletRows(n, 10, 4);
        for (const name of ["margin", "entropy"] as const) {
          const r = (await probsCase(name, () => probs, n <= 10_000 ? 11 : 5)()) as unknown as { ours: { cpuMs: { median: number } }; cpuRatio: { median: number; min: number; max: number } };
          rows[name]!.push({ n, cpuMs: r.ours.cpuMs.median, cpuRatio: r.cpuRatio.median, cpuRatioMin: r.cpuRatio.min, cpuRatioMax: r.cpuRatio.max, nsPerRow: round((r.ours.cpuMs.median * 1e6) / n, 1) });
        }
      }
      return rows;
    },
  },
];
