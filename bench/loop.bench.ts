/**
 * The whole loop and its training against PyTorch-CPU (issue 15's goal: whole loop ≤ 2×).
 *
 * - `loop/quickstart <sampler>`: the quickstart's run (experiments/quickstart.ts, mode retrain,
 *   seed 1: MLP 784-128-10, dropout 0.2, Adam 1e-3, batches of 32, 10 epochs, 50 stratified
 *   initial images, 10 rounds of 50) through lib/al/loop.ts, against the same run written in
 *   PyTorch + numpy (bench/reference/loop_torch.py). Test metrics are cut to accuracy and the
 *   reference classifier left out, so both sides do the same work.
 * - `loop/training`: the MLP 784-256-10 trained 10 epochs on the 3,000 pool images.
 * - `loop/mc-dropout`: 20 dropout passes over 10,000 inputs (pool images, cycled).
 * - `loop/matrix products`: the bare float32 products under the MLP's training step and its
 *   inference (tf.matMul on our backend against torch.mm), one phase per shape, weights made
 *   once: the floor the whole loop's ratio cannot go below while those products dominate it.
 *
 * Ours runs in this process on the best backend that loads (selectBackend), PyTorch in a
 * Python kept running (bench/reference/python-server.ts), 1 thread; interleaved, ours then
 * PyTorch (bench/interleave.ts). Each PyTorch turn also runs with torch's default thread count
 * when that is not 1. Reported: CPU and wall time per side, per-pair ratios ours ÷ PyTorch for
 * the whole and for each phase (train / evaluate / score / select, as the loop times them;
 * CPU time on both sides), accuracy on both sides. Without torch the cases say "skipped" and why.
 * Env: AL_BENCH_LOOP_PAIRS (timed pairs, default 3), AL_TORCH_PYTHON (the interpreter).
 */
import * as tf from "@tensorflow/tfjs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoop } from "../lib/al/loop.ts";
import { createRandom } from "../lib/al/random.ts";
import { getSampler } from "../lib/al/samplers/index.ts";
import type { Sampler } from "../lib/al/samplers/sampler.ts";
import { selectBackend } from "../lib/backend/select.ts";
import type { Dataset } from "../lib/data/dataset.ts";
import { loadDataset } from "../lib/data/registry.ts";
import { loadExperiment } from "../lib/experiments/define.ts";
import { expandExperiment } from "../lib/experiments/grid.ts";
import type { RunConfig } from "../lib/experiments/spec.ts";
import type { Learner } from "../lib/learners/learner.ts";
import { mlp } from "../lib/learners/mlp.ts";
import { learnerShape } from "../lib/runner/execute-run.ts";
import type { BenchCase, BenchValue } from "./harness.ts";
import { interleave, rounded, spread, timeInProcess, type Spread, type Timing } from "./interleave.ts";
import { PythonServer } from "./reference/python-server.ts";
import { findTorchPython } from "./torch-python.ts";

const ROOT = resolve(import.meta.dirname, "..");
const script = fileURLToPath(new URL("reference/loop_torch.py", import.meta.url));
const PAIRS = Number(process.env.AL_BENCH_LOOP_PAIRS ?? 3);

type Phase = "train" | "evaluate" | "score" | "select";
type PhaseTimes = Partial<Record<string, { cpuMs: number; wallMs: number }>>;

interface TorchAnswer {
  cpu_ms: number;
  wall_ms: number;
  phases: Record<string, { cpu_ms: number; wall_ms: number }>;
  threads: number;
  torch: string;
  accuracy?: number | number[];
  final_accuracy?: number;
  mean_max_probability?: number;
}

/** One side's run: its whole timing, per-phase CPU/wall, and what it computed. */
interface SideRun extends Timing {
  phases: PhaseTimes;
  accuracy?: number;
  extra?: Record<string, BenchValue>;
}

const r3 = (x: number): number => Number(x.toFixed(3));

/** Adds `fn`'s CPU and wall time to `phases[name]`. */
async function timed<T>(phases: PhaseTimes, name: string, fn: () => Promise<T> | T): Promise<T> {
  let out: T;
  const t = await timeInProcess(async () => (out = await fn()));
  const p = (phases[name] ??= { cpuMs: 0, wallMs: 0 });
  p.cpuMs += t.cpuMs;
  p.wallMs += t.wallMs;
  return out!;
}

/**
 * The learner and sampler with their calls timed as the loop's phases: fit = train; each
 * round's first predictProba is the test set (evaluate), the second the pool (score).
 */
function timedComponents(learner: Learner, sampler: Sampler<object>, phases: PhaseTimes): { learner: Learner; sampler: Sampler<object> } {
  let predictions = 0;
  const wrapped: Learner = {
    ...learner,
    reset: (seed) => {
      predictions = 0;
      learner.reset(seed);
    },
    fit: (x, y, options) => timed(phases, "train", () => learner.fit(x, y, options)),
    predictProba: (x) => timed(phases, predictions++ % 2 === 0 ? "evaluate" : "score", () => learner.predictProba(x)),
  };
  return { learner: wrapped, sampler: { ...sampler, select: (inputs, k, options, context) => timedSync(phases, "select", () => sampler.select(inputs, k, options, context)) } };
}

function timedSync<T>(phases: PhaseTimes, name: string, fn: () => T): T {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = fn();
  const used = process.cpuUsage(cpu);
  const p = (phases[name] ??= { cpuMs: 0, wallMs: 0 });
  p.cpuMs += (used.user + used.system) / 1000;
  p.wallMs += performance.now() - start;
  return out;
}

/** The quickstart's retrain run for `sampler`, seed 1, with accuracy as its only test metric. */
async function quickstartConfig(sampler: string): Promise<RunConfig> {
  const file = join(ROOT, "experiments/quickstart.ts");
  const config = expandExperiment(await loadExperiment(file), file).find((c) => c.sampler.name === sampler && c.mode === "retrain" && c.seed === 1);
  if (!config) throw new Error(`experiments/quickstart.ts: no retrain run with sampler ${sampler} and seed 1`);
  const { reference: _, ...rest } = config;
  return { ...rest, metrics: ["accuracy"] };
}

async function oursLoop(config: RunConfig, dataset: Dataset): Promise<SideRun> {
  const phases: PhaseTimes = {};
  const sampler = getSampler(config.sampler.name, "bench");
  const learner = mlp.create(mlp.parseOptions(config.learner.options, "bench"), learnerShape(dataset));
  const timedParts = timedComponents(learner, sampler, phases);
  const curve: number[] = [];
  try {
    const t = await timeInProcess(() =>
      runLoop({
        runId: "bench",
        config,
        dataset,
        learner: timedParts.learner,
        sampler: timedParts.sampler,
        samplerOptions: sampler.parseOptions(config.sampler.options, "bench"),
        onRound: (record) => void curve.push(record.metrics["accuracy"]!),
      }),
    );
    return { ...t, phases, accuracy: curve[curve.length - 1]!, extra: { accuracyCurve: curve.map(r3) } };
  } finally {
    learner.dispose?.();
  }
}

function torchSide(answer: TorchAnswer): SideRun {
  const phases: PhaseTimes = {};
  for (const [name, p] of Object.entries(answer.phases)) phases[name] = { cpuMs: p.cpu_ms, wallMs: p.wall_ms };
  const accuracy = answer.final_accuracy ?? (typeof answer.accuracy === "number" ? answer.accuracy : undefined);
  return { cpuMs: answer.cpu_ms, wallMs: answer.wall_ms, phases, ...(accuracy === undefined ? {} : { accuracy }) };
}

/** The folder the data set's pool images were read from (the Python side reads the same files). */
function dataFolder(dataset: Dataset): string {
  const images = dataset.readFrom?.find((f) => f.path.endsWith("pool-images-idx3-ubyte.gz"));
  if (!images) throw new Error("bench loop: fashion-mnist-small did not say which files it read");
  return dirname(images.path);
}

/**
 * Ours against PyTorch (1 thread) interleaved; each PyTorch turn also runs at torch's default
 * thread count when that differs. Per-phase ratios use CPU time on both sides.
 */
async function versusTorch(ours: () => Promise<SideRun>, request: Record<string, unknown>, phaseNames: readonly string[]): Promise<Record<string, BenchValue>> {
  const torchPython = findTorchPython(script);
  if ("reason" in torchPython) return { skipped: torchPython.reason };
  const backend = await selectBackend();
  // The 1-thread side pins every BLAS pool too: Debian's torch multiplies through the pthread
  // OpenBLAS, whose threads torch.set_num_threads does not cap, and process_time would count them.
  const pinned = new PythonServer(script, { python: torchPython.python, env: ONE_THREAD_ENV });
  const server = new PythonServer(script, { python: torchPython.python });
  try {
    // Every run is kept; the warm-up pair's are dropped afterwards.
    const ourRuns: SideRun[] = [];
    const oneThread: SideRun[] = [];
    const defaultThreads: SideRun[] = [];
    let threads = torchPython.threads;
    const warmup = 1;
    const result = rounded(
      await interleave(
        async () => {
          const run = await ours();
          ourRuns.push(run);
          return run;
        },
        async () => {
          const one = torchSide(await pinned.call<TorchAnswer>({ ...request, threads: 1 }));
          oneThread.push(one);
          if (torchPython.threads !== 1) {
            const answer = await server.call<TorchAnswer>({ ...request, threads: 0 });
            threads = answer.threads;
            defaultThreads.push(torchSide(answer));
          }
          return one;
        },
        { pairs: PAIRS, warmup },
      ),
    );
    const a = ourRuns.slice(warmup);
    const b = oneThread.slice(warmup);
    const many = defaultThreads.slice(warmup);
    const phaseRatio = (name: string, refs: SideRun[]): Spread | null => {
      const ratios = a.map((o, i) => (o.phases[name]?.cpuMs ?? NaN) / Math.max(refs[i]?.phases[name]?.cpuMs ?? NaN, 1e-9)).filter(Number.isFinite);
      return ratios.length ? roundSpread(spread(ratios)) : null;
    };
    const medianPhase = (runs: SideRun[], name: string): number => r3(spread(runs.map((r) => r.phases[name]?.cpuMs ?? NaN)).median);
    const out: Record<string, BenchValue> = {
      backend: backend.choice,
      ...(result as unknown as Record<string, BenchValue>),
      phases: Object.fromEntries(
        phaseNames.map((name) => [name, { oursCpuMs: medianPhase(a, name), torchCpuMs: medianPhase(b, name), cpuRatio: phaseRatio(name, b) as BenchValue }]),
      ),
      accuracy: { ours: a.map((r) => r3(r.accuracy ?? NaN)), torch: b.map((r) => r3(r.accuracy ?? NaN)) },
      torch: { version: torchPython.torch, threads: 1, defaultThreads: threads },
      ...(a[0]?.extra ? { ours: { ...(result.ours as unknown as Record<string, BenchValue>), ...a[0].extra } } : {}),
    };
    if (many.length === a.length && many.length > 0) {
      out["versusDefaultThreads"] = {
        threads,
        cpuRatio: roundSpread(spread(a.map((o, i) => o.cpuMs / many[i]!.cpuMs))) as unknown as BenchValue,
        wallRatio: roundSpread(spread(a.map((o, i) => o.wallMs / many[i]!.wallMs))) as unknown as BenchValue,
        torchWallMs: roundSpread(spread(many.map((m) => m.wallMs))) as unknown as BenchValue,
      };
    }
    return out;
  } finally {
    pinned.close();
    server.close();
  }
}

/** Thread pools of the BLAS libraries numpy and torch may use, each held to one thread. */
const ONE_THREAD_ENV = { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

const roundSpread = (s: Spread): Spread => ({ median: r3(s.median), min: r3(s.min), max: r3(s.max) });

let cached: Promise<Dataset> | undefined;
const fashion = (): Promise<Dataset> => (cached ??= loadDataset({ name: "fashion-mnist-small" } as RunConfig["dataset"]));

function loopCase(sampler: "least-confidence" | "margin" | "entropy"): BenchCase {
  return {
    name: `loop/quickstart ${sampler} retrain, whole loop vs PyTorch`,
    async run() {
      const config = await quickstartConfig(sampler);
      const dataset = await fashion();
      const options = config.learner.options as { hidden: number[]; dropout: number; learningRate: number; batchSize: number };
      const request = {
        case: "loop",
        sampler,
        seed: config.seed,
        data: dataFolder(dataset),
        hidden: options.hidden,
        dropout: options.dropout,
        lr: options.learningRate,
        batch_size: options.batchSize,
        epochs: config.epochs,
        initial: config.initial.size,
        batch: config.acquisition.size,
        rounds: config.rounds,
      };
      return versusTorch(() => oursLoop(config, dataset), request, ["train", "evaluate", "score", "select"] satisfies Phase[]);
    },
  };
}

/** The MLP learner (784-256-10, dropout 0.2, Adam 1e-3, batches of 32) trained on the whole pool. */
async function oursTraining(): Promise<SideRun> {
  const dataset = await fashion();
  const learner = mlp.create(mlp.parseOptions({ hidden: [256] }, "bench"), learnerShape(dataset));
  const phases: PhaseTimes = {};
  try {
    learner.reset(1);
    let accuracy = 0;
    const t = await timeInProcess(async () => {
      await timed(phases, "train", () => learner.fit(dataset.pool.x, dataset.pool.y, { epochs: 10, random: createRandom(1, "bench-fit") }));
      const probs = await timed(phases, "evaluate", () => learner.predictProba(dataset.test.x));
      accuracy = argmaxAccuracy(probs.data, probs.c, dataset.test.y);
    });
    return { ...t, phases, accuracy };
  } finally {
    learner.dispose?.();
  }
}

async function oursMcDropout(): Promise<SideRun> {
  const dataset = await fashion();
  const learner = mlp.create(mlp.parseOptions({ hidden: [256] }, "bench"), learnerShape(dataset));
  const pool = dataset.pool.x;
  const n = 10_000;
  const x = { data: new Float32Array(n * pool.c), n, c: pool.c };
  for (let i = 0; i < n; i++) x.data.set(pool.data.subarray((i % pool.n) * pool.c, ((i % pool.n) + 1) * pool.c), i * pool.c);
  const phases: PhaseTimes = {};
  try {
    learner.reset(1);
    const t = await timeInProcess(() => timed(phases, "mc", () => learner.predictSamples!(x, { samples: 20, random: createRandom(1, "bench-mc") })));
    return { ...t, phases };
  } finally {
    learner.dispose?.();
  }
}

interface ProductShape {
  name: string;
  m: number;
  k: number;
  n: number;
  transpose_a?: boolean;
  reps: number;
}

/**
 * The quickstart MLP's (784-128-10, batches of 32) largest products: a step's forward product
 * and its weight gradient (Xᵀ·dY, which the learner computes with transposeA), and scoring the
 * 3,000-image pool; plus the 784-256 layer of the training and MC-dropout cases.
 */
const PRODUCT_SHAPES: ProductShape[] = [
  { name: "step forward 32x784 . 784x128", m: 32, k: 784, n: 128, reps: 2000 },
  { name: "step weight gradient (784x32)T . 32x128", m: 784, k: 32, n: 128, transpose_a: true, reps: 2000 },
  { name: "score 3000x784 . 784x128", m: 3000, k: 784, n: 128, reps: 20 },
  { name: "mc chunk 2048x784 . 784x256", m: 2048, k: 784, n: 256, reps: 20 },
];

/** tf.matMul on the selected backend, per shape; operands made once (uniform [0, 1)), results disposed. */
async function oursProducts(): Promise<SideRun> {
  const phases: PhaseTimes = {};
  const t = await timeInProcess(async () => {
    for (const shape of PRODUCT_SHAPES) {
      const a = tf.randomUniform(shape.transpose_a ? [shape.k, shape.m] : [shape.m, shape.k], 0, 1, "float32", 1);
      const b = tf.randomUniform([shape.k, shape.n], 0, 1, "float32", 2);
      try {
        await timed(phases, shape.name, async () => {
          for (let r = 0; r < shape.reps - 1; r++) tf.matMul(a, b, shape.transpose_a === true, false).dispose();
          const last = tf.matMul(a, b, shape.transpose_a === true, false);
          // Reading one value back makes sure the product ran before the clock stops (all backends).
          const total = last.sum();
          await total.data();
          tf.dispose([total, last]);
        });
      } finally {
        a.dispose();
        b.dispose();
      }
    }
  });
  return { ...t, phases };
}

function argmaxAccuracy(p: Float32Array, c: number, y: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (p[i * c + k]! > p[i * c + best]!) best = k;
    if (best === y[i]) correct++;
  }
  return correct / y.length;
}

export const cases: BenchCase[] = [
  loopCase("least-confidence"),
  loopCase("margin"),
  loopCase("entropy"),
  {
    name: "loop/training mlp 784-256-10, 3000 images x 10 epochs vs PyTorch",
    run: async () => versusTorch(oursTraining, { case: "train", data: dataFolder(await fashion()), hidden: [256], epochs: 10 }, ["train", "evaluate"]),
  },
  {
    name: "loop/matrix products of the MLP's training step and inference vs PyTorch (the floor)",
    run: async () => versusTorch(oursProducts, { case: "products", shapes: PRODUCT_SHAPES }, PRODUCT_SHAPES.map((s) => s.name)),
  },
  {
    name: "loop/mc-dropout mlp 784-256-10, 20 passes x 10000 inputs vs PyTorch",
    run: async () => versusTorch(oursMcDropout, { case: "mc", data: dataFolder(await fashion()), hidden: [256], passes: 20, inputs: 10_000, chunk: 2048 }, ["mc"]),
  },
];
