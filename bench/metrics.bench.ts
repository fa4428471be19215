/**
 * Per-round metric costs at the sizes the runner meets: AUROC over a large probability matrix,
 * the nearest-neighbour metrics (exploration gain, agreement) on Fashion-MNIST pixels, the
 * uncertainty summary over a 10⁶ pool, and the statistics at comparison-table sizes.
 */
import { createRandom } from "../lib/al/random.ts";
import type { Matrix } from "../lib/al/matrix.ts";
import { aurocMacro } from "../lib/al/metrics/auroc-macro.ts";
import { aurocMicro } from "../lib/al/metrics/auroc-micro.ts";
import { agreement } from "../lib/al/metrics/agreement.ts";
import { explorationGain, explorationGainOfBatch } from "../lib/al/metrics/exploration-gain.ts";
import { nearestNeighbours } from "../lib/al/metrics/nearest-neighbour.ts";
import { expectedCalibrationError } from "../lib/al/metrics/expected-calibration-error.ts";
import { uncertaintySummary } from "../lib/al/metrics/uncertainty-summary.ts";
import { bootstrapCi } from "../lib/al/stats/bootstrap-ci.ts";
import { friedmanTest } from "../lib/al/stats/friedman.ts";
import { wilcoxonSignedRank } from "../lib/al/stats/wilcoxon.ts";
import { loadDataset } from "../lib/data/registry.ts";
import { takeRows } from "../lib/al/matrix.ts";
import type { BenchCase, BenchValue } from "./harness.ts";
import { timeMs } from "./harness.ts";
import { interleave, rounded, timeInProcess } from "./interleave.ts";

function softmaxRows(n: number, c: number, seed: number): { probs: Matrix; truth: Int32Array } {
  const random = createRandom(seed, "bench", "probs");
  const data = new Float32Array(n * c);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const v = Math.exp(2 * random.normal());
      data[i * c + j] = v;
      sum += v;
    }
    for (let j = 0; j < c; j++) data[i * c + j]! /= sum;
    truth[i] = random.int(c);
  }
  return { probs: { data, n, c }, truth };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The SIMD nearest-row kernel against the JavaScript loop it replaces (same answers): CPU, interleaved, one shape at a time. */
async function simdOverJavaScript(shapes: Array<[string, Matrix, Matrix]>): Promise<Record<string, BenchValue>> {
  const out: Record<string, BenchValue> = {};
  for (const [name, points, reference] of shapes) {
    const run = (simd: boolean) => () => timeInProcess(() => nearestNeighbours(points, reference, "bench", { simd }));
    const result = rounded(await interleave(run(true), run(false), { pairs: 5, warmup: 1 }));
    out[name] = { cpuRatio: result.cpuRatio as unknown as BenchValue, simdCpuMs: result.ours.cpuMs.median, javaScriptCpuMs: result.reference.cpuMs.median };
  }
  return out;
}

export const cases: BenchCase[] = [
  {
    name: "metrics/auroc macro+micro N=1e5 C=10",
    async run() {
      const { probs, truth } = softmaxRows(100_000, 10, 1);
      return {
        macroMs: await timeMs(() => aurocMacro(probs, truth), 3),
        microMs: await timeMs(() => aurocMicro(probs, truth), 3),
        eceMs: await timeMs(() => expectedCalibrationError(probs, truth), 3),
      };
    },
  },
  {
    name: "metrics/auroc micro N=1e6 C=10",
    async run() {
      const { probs, truth } = softmaxRows(1_000_000, 10, 2);
      return { microMs: await timeMs(() => aurocMicro(probs, truth), 1) };
    },
  },
  {
    name: "metrics/exploration gain + agreement fashion-mnist-small test=1000 labelled=500+50 d=784",
    async run() {
      const ds = await loadDataset({ name: "fashion-mnist-small" });
      const before = takeRows(ds.pool.x, range(0, 500));
      const after = takeRows(ds.pool.x, range(0, 550));
      const batch = takeRows(ds.pool.x, range(500, 550));
      const predicted = ds.pool.y.slice(500, 550);
      const labelled = { points: before, labels: ds.pool.y.slice(0, 500) };
      const start = nearestNeighbours(ds.test.x, before).distance;
      return {
        explorationGainMs: await timeMs(() => explorationGain(ds.test.x, before, after), 3),
        explorationGainOfBatchMs: await timeMs(() => explorationGainOfBatch(ds.test.x, batch, Float64Array.from(start)), 3),
        agreementMs: await timeMs(() => agreement(predicted, batch, labelled), 3),
        simdOverJavaScript: await simdOverJavaScript([["test x batch", ds.test.x, batch], ["batch x labelled", batch, before], ["test x labelled", ds.test.x, before]]),
      };
    },
  },
  {
    name: "metrics/uncertainty summary pool N=1e6",
    async run() {
      const random = createRandom(3, "bench", "scores");
      const scores = Float64Array.from({ length: 1_000_000 }, () => random.next());
      const skip = Uint8Array.from({ length: 1_000_000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
      return { ms: await timeMs(() => uncertaintySummary(scores, { skip, bins: 20 }), 3) };
    },
  },
  {
    name: "stats/wilcoxon exact n=50, friedman 30x10, bootstrap n=5 R=2000",
    async run() {
      const random = createRandom(4, "bench", "stats");
      const a = Array.from({ length: 50 }, () => random.next());
      const b = Array.from({ length: 50 }, () => random.next());
      const table = Array.from({ length: 30 }, () => Array.from({ length: 10 }, () => random.next()));
      return {
        wilcoxonExactMs: await timeMs(() => wilcoxonSignedRank(a, b, { method: "exact" })),
        friedmanMs: await timeMs(() => friedmanTest(table)),
        bootstrapMs: await timeMs(() => bootstrapCi(a.slice(0, 5), { seed: 1 })),
      };
    },
  },
];
