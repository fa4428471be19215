/**
 * Training throughput per model type on the pure-JS cpu backend vs wasm with our kernels
 * (lib/backend/wasm-kernels), side by side, plus MC-dropout inference for the MLP; a native
 * backend (@tensorflow/tfjs-node-gpu or -node) is measured too when one loads. Each backend gets a
 * time budget per case, so the slow cpu cases are measured on a few batches and extrapolated.
 * Sizes: MLP 784-256-10, CNN on 28×28, 1D-CNN / BiLSTM / transformer on length-40 token
 * sequences over a 5,000-word vocabulary; batches of 32 (the learners' default). The `adam`
 * cases time the fused Adam kernel against tf.train.adam on wasm, interleaved.
 */
import * as tf from "@tensorflow/tfjs";
import { createRandom } from "../lib/al/random.ts";
import { registerWasmKernels } from "../lib/backend/wasm-kernels/index.ts";
import { fusedAdam } from "../lib/learners/tf/fused-adam.ts";
import { buildNet, makeBatch, trainStep, type NetSpec } from "../test/backend/wasm-kernels/models.ts";
import type { BenchCase, BenchValue } from "./harness.ts";
import { interleave, rounded, timeInProcess } from "./interleave.ts";

const BATCH = 32;
/** Seconds of measurement per backend and case (after one warm-up batch). */
const BUDGET_S = Number(process.env.BENCH_TRAINING_BUDGET_S ?? 3);

/**
 * On cpu an embedding's gradient (tfjs's UnsortedSegmentSum: one masked pass over the batch per
 * vocabulary entry) costs seconds per sample, so the token models are timed there on batches of
 * 2 — one step, several seconds — and samples/s compared per sample.
 */
const CPU_TOKEN_BATCH = 2;

const specs: Array<[string, NetSpec, number]> = [
  ["mlp 784-256-10", { kind: "mlp", inputs: 784, hidden: [256], classes: 10, head: "softmax" }, BATCH],
  ["cnn 28x28 conv16-pool-conv32/s2-dense64", { kind: "cnn", size: 28, filters: [16, 32], dense: 64, classes: 10 }, BATCH],
  ["cnn1d len40 vocab5000 emb64 k3,4,5x64", { kind: "cnn1d", vocab: 5000, length: 40, embed: 64, kernels: [3, 4, 5], filters: 64, classes: 4 }, CPU_TOKEN_BATCH],
  ["bilstm len40 vocab5000 emb64 units64", { kind: "bilstm", vocab: 5000, length: 40, embed: 64, units: 64, layers: 1, classes: 4 }, CPU_TOKEN_BATCH],
  ["transformer len40 vocab5000 d64 h4 ff128", { kind: "transformer", vocab: 5000, length: 40, model: 64, heads: 4, ff: 128, classes: 4 }, CPU_TOKEN_BATCH],
];

/** The backends to compare: cpu, wasm, and a native one if it loads here (else why not). */
async function backends(): Promise<{ names: string[]; skipped: string[] }> {
  registerWasmKernels();
  const names: string[] = [];
  const skipped: string[] = [];
  for (const name of ["cpu", "wasm"]) {
    if (await tf.setBackend(name)) names.push(name);
    else skipped.push(`${name}: failed to initialise`);
  }
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      await import(pkg);
      if (await tf.setBackend("tensorflow")) {
        names.push("tensorflow");
        break;
      }
    } catch (error) {
      skipped.push(`${pkg}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return { names, skipped };
}

/** Runs `step` (one batch of `size` samples) until the budget is spent; samples/s after a warm-up call. */
function throughput(step: () => void, size: number): Record<string, BenchValue> {
  const warm = performance.now();
  step(); // builds layers, XNNPACK operators, …
  const warmMs = performance.now() - warm;
  let batches = 0;
  const start = performance.now();
  // A warm-up slower than the whole budget already is the measurement: don't repeat it.
  if (warmMs > BUDGET_S * 1000) return { samplesPerS: round((size * 1000) / warmMs), batches: 1, msPerBatch: round(warmMs), warmUpIncluded: true };
  while (performance.now() - start < BUDGET_S * 1000) {
    step();
    batches++;
  }
  const ms = performance.now() - start;
  return { samplesPerS: round((batches * size * 1000) / ms), batches, msPerBatch: round(ms / batches) };
}

const round = (x: number): number => Math.round(x * 10) / 10;

async function sideBySide(measure: (backend: string) => Record<string, BenchValue>): Promise<Record<string, BenchValue>> {
  const previous = tf.getBackend() as string | undefined;
  const { names, skipped } = await backends();
  const out: Record<string, BenchValue> = {};
  for (const name of names) {
    await tf.setBackend(name);
    out[name] = measure(name);
  }
  const rate = (name: string) => ((out[name] as Record<string, BenchValue> | undefined)?.["samplesPerS"] as number | undefined) ?? NaN;
  out["wasmOverCpu"] = round(rate("wasm") / rate("cpu"));
  if (skipped.length) out["skipped"] = skipped;
  if (previous) await tf.setBackend(previous);
  return out;
}

function trainingCase(label: string, spec: NetSpec, cpuBatch: number): BenchCase {
  return {
    name: `training/${label}`,
    run: () =>
      sideBySide((backend) => {
        const size = backend === "cpu" ? cpuBatch : BATCH;
        const net = buildNet(spec, 1);
        const batch = makeBatch(spec, size, 1);
        // The learners' Adam: one fused kernel per variable on wasm, the stock optimizer on cpu.
        const optimizer = fusedAdam(1e-3);
        net.dropout.random = createRandom(1, "bench-dropout");
        const result = throughput(() => trainStep(net, optimizer, batch), size);
        net.dispose();
        optimizer.dispose();
        tf.dispose([batch.x, batch.y]);
        return { batch: size, ...result };
      }),
  };
}

/** MC dropout as a sampler needs it: 20 stochastic passes over a 10,000-input pool (chunks of 2,048). */
const mcDropoutCase: BenchCase = {
  name: "training/mc-dropout mlp 784-256-10, 20 passes x 10000 inputs",
  run: () =>
    sideBySide(() => {
      const spec: NetSpec = { kind: "mlp", inputs: 784, hidden: [256], classes: 10, head: "softmax" };
      const net = buildNet(spec, 1);
      const chunk = makeBatch(spec, 2048, 1);
      net.dropout.random = createRandom(1, "bench-mc");
      const result = throughput(() => {
        const probs = tf.tidy(() => tf.softmax(net.apply(chunk.x, true)));
        probs.dataSync();
        probs.dispose();
      }, 2048);
      net.dispose();
      tf.dispose([chunk.x, chunk.y]);
      return { inputsPerS: result["samplesPerS"]!, projectedS: round((20 * 10_000) / (result["samplesPerS"] as number)), ...result };
    }),
};

/** Training steps per timed turn of the Adam cases (a quarter to a few seconds each). */
const ADAM_STEPS = Number(process.env.BENCH_ADAM_STEPS ?? 200);

/**
 * The fused Adam kernel against tf.train.adam on wasm, interleaved (fused, stock, …; 5 timed
 * pairs after a warm-up), each side training its own copy of the same seeded net on the same
 * batch: CPU-time ratio fused ÷ stock per pair, and whether both ended on the same weights.
 */
function adamCase(label: string, spec: NetSpec): BenchCase {
  return {
    name: `training/adam fused vs stock, wasm, ${label}`,
    run: async (): Promise<Record<string, BenchValue>> => {
      registerWasmKernels();
      if (!(await tf.setBackend("wasm"))) return { skipped: "the wasm backend did not initialise" };
      const side = (optimizer: tf.Optimizer) => {
        const net = buildNet(spec, 1);
        net.dropout.random = createRandom(1, "bench-adam");
        return { net, optimizer, batch: makeBatch(spec, BATCH, 1) };
      };
      const fused = side(fusedAdam(1e-3));
      const stock = side(tf.train.adam(1e-3));
      const turn = (s: ReturnType<typeof side>) => () => timeInProcess(() => {
        for (let i = 0; i < ADAM_STEPS; i++) trainStep(s.net, s.optimizer, s.batch);
      });
      try {
        const result = rounded(await interleave(turn(fused), turn(stock), { pairs: 5, warmup: 1 }));
        const bits = (vs: tf.Variable[]) => vs.map((v) => Array.from(new Uint32Array(Float32Array.from(v.dataSync() as Float32Array).buffer)).join(",")).join(";");
        return { steps: ADAM_STEPS, ...(result as unknown as Record<string, BenchValue>), sameWeights: bits(fused.net.variables) === bits(stock.net.variables) };
      } finally {
        for (const s of [fused, stock]) {
          s.net.dispose();
          s.optimizer.dispose();
          tf.dispose([s.batch.x, s.batch.y]);
        }
      }
    },
  };
}

const adamSpecs: Array<[string, NetSpec]> = [
  ["mlp 784-128-10 (quickstart)", { kind: "mlp", inputs: 784, hidden: [128], classes: 10, head: "softmax" }],
  ["mlp 784-256-10", { kind: "mlp", inputs: 784, hidden: [256], classes: 10, head: "softmax" }],
];

export const cases: BenchCase[] = [
  ...specs.map(([label, spec, cpuBatch]) => trainingCase(label, spec, cpuBatch)),
  mcDropoutCase,
  ...adamSpecs.map(([label, spec]) => adamCase(label, spec)),
];
