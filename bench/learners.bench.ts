/**
 * The learners as the AL loop drives them (lib/learners, not bare models): training throughput,
 * predictProba and MC-dropout inference throughput per learner and backend on Fashion-MNIST and
 * on arXiv titles (bag of words for the MLP's multi-label head, token ids for the text nets);
 * memory over rounds (tensors and RSS); a 60,000-image pool scored in batches; and the random
 * forest's fit/predict side by side with scikit-learn's (bench/reference/forest.py, Debian's
 * python3-sklearn) on the same rows, plus logistic regression and kNN on the same sets; and the
 * forest's test accuracy against scikit-learn's on the same training sets of 100 and 1,000 labels
 * (test/learners/forest-sets.ts), mean ± sd over 20 forest seeds on each side
 * (bench/reference/forest_accuracy.py); test/learners/forest-accuracy.test.ts holds its figures.
 * Rows per case are smaller on the pure-JS cpu backend, which is 10–100× slower.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { argmaxRows, takeRows, type Matrix } from "../lib/al/matrix.ts";
import { accuracy } from "../lib/al/metrics/accuracy.ts";
import { createRandom } from "../lib/al/random.ts";
import { selectBackend } from "../lib/backend/select.ts";
import { readIdx } from "../lib/data/readers/idx.ts";
import { learnerRegistry } from "../lib/learners/index.ts";
import type { Learner, LearnerShape, Targets } from "../lib/learners/learner.ts";
import { accuracySets, accuracySplit, type AccuracySet, type AccuracySplit } from "../test/learners/forest-sets.ts";
import { encodeTexts, loadTabular, textRows, tokenize } from "../test/learners/real-data.ts";
import { peakRssMb, type BenchCase, type BenchValue } from "./harness.ts";

const shared = fileURLToPath(new URL("../../shared/data/", import.meta.url));
const MC_PASSES = 10;
/** x to `digits` decimals (one by default). */
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
const rssMb = (): number => round(process.memoryUsage().rss / 2 ** 20);
const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

interface Data {
  shape: LearnerShape;
  x: Matrix;
  y: Targets;
}

let fashionCache: Promise<{ train: Data; test: Data }> | undefined;
/** Fashion-MNIST, full: 60,000 training + 10,000 test images. */
function fashion(): Promise<{ train: Data; test: Data }> {
  fashionCache ??= (async () => {
    const split = async (images: string, labels: string): Promise<Data> => {
      const img = await readIdx(join(shared, "image/fashion-mnist", images));
      const lab = await readIdx(join(shared, "image/fashion-mnist", labels));
      const x = Float32Array.from(img.data, (v) => v / 255);
      return { shape: { inputSize: 784, inputShape: [28, 28], classes: 10 }, x: { data: x, n: img.shape[0]!, c: 784 }, y: Int32Array.from(lab.data) };
    };
    return { train: await split("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), test: await split("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz") };
  })();
  return fashionCache;
}

let arxivCache: { bow: Data; tokens: Data } | undefined;
/** 8,000 arXiv titles, all their categories as labels: bag of 2,000 words, and token ids (length 24). */
function arxiv(): { bow: Data; tokens: Data } {
  if (arxivCache) return arxivCache;
  const rows = textRows("arxiv-titles/arxiv-titles.csv", 8000, 1);
  const labels = [...new Set(rows.flatMap((r) => r.label.split("|")))].sort();
  const y = new Float32Array(rows.length * labels.length);
  rows.forEach((r, i) => r.label.split("|").forEach((l) => (y[i * labels.length + labels.indexOf(l)] = 1)));
  const targets = { data: y, n: rows.length, c: labels.length };
  const counts = new Map<string, number>();
  for (const r of rows) for (const w of new Set(tokenize(r.text))) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = new Map([...counts].sort((a, b) => b[1] - a[1]).slice(0, 2000).map(([w], i) => [w, i]));
  const bow = new Float32Array(rows.length * words.size);
  rows.forEach((r, i) => tokenize(r.text).forEach((w) => words.has(w) && (bow[i * words.size + words.get(w)!] = 1)));
  const texts = rows.map((r) => r.text);
  const { sets, vocabSize } = encodeTexts(texts, [texts], 24, 2);
  arxivCache = {
    bow: { shape: { inputSize: words.size, classes: labels.length, task: "multilabel" }, x: { data: bow, n: rows.length, c: words.size }, y: targets },
    tokens: { shape: { inputSize: 24, classes: labels.length, task: "multilabel", vocabSize }, x: sets[0]!, y: targets },
  };
  return arxivCache;
}

function head(data: Data, n: number): { x: Matrix; y: Targets } {
  const rows = first(Math.min(n, data.x.n));
  const y = data.y instanceof Int32Array ? data.y.slice(0, rows.length) : takeRows(data.y, rows);
  return { x: takeRows(data.x, rows), y };
}

interface TfCase {
  learner: string;
  options: object;
  set: "fashion" | "arxiv-bow" | "arxiv-tokens";
  /** Training and inference rows per backend. */
  rows: Record<"wasm" | "cpu", { train: number; infer: number }>;
}

const tfCases: TfCase[] = [
  { learner: "mlp", options: { hidden: [256] }, set: "fashion", rows: { wasm: { train: 8192, infer: 4096 }, cpu: { train: 1024, infer: 1024 } } },
  { learner: "cnn", options: {}, set: "fashion", rows: { wasm: { train: 1024, infer: 1024 }, cpu: { train: 64, infer: 128 } } },
  { learner: "mlp", options: { hidden: [256] }, set: "arxiv-bow", rows: { wasm: { train: 4096, infer: 4096 }, cpu: { train: 1024, infer: 1024 } } },
  { learner: "cnn1d", options: {}, set: "arxiv-tokens", rows: { wasm: { train: 2048, infer: 2048 }, cpu: { train: 32, infer: 256 } } },
  { learner: "bilstm", options: {}, set: "arxiv-tokens", rows: { wasm: { train: 512, infer: 1024 }, cpu: { train: 32, infer: 128 } } },
  { learner: "transformer", options: {}, set: "arxiv-tokens", rows: { wasm: { train: 1024, infer: 1024 }, cpu: { train: 32, infer: 128 } } },
];

async function dataFor(set: TfCase["set"]): Promise<Data> {
  if (set === "fashion") return (await fashion()).train;
  return set === "arxiv-bow" ? arxiv().bow : arxiv().tokens;
}

function create(name: string, options: object, shape: LearnerShape): Learner {
  const factory = learnerRegistry[name]!;
  return factory.create(factory.parseOptions(options, "learner.options"), shape);
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

function tfCase(c: TfCase, backend: "wasm" | "cpu"): BenchCase {
  return {
    name: `learners/${c.learner} ${c.set} ${backend}`,
    async run() {
      await selectBackend({ force: backend, warn: () => {} });
      const data = await dataFor(c.set);
      const { train, infer } = c.rows[backend];
      const learner = create(c.learner, c.options, data.shape);
      const fit = head(data, train);
      const pool = head(data, infer).x;
      learner.reset(1);
      // Warm-up: builds layers and kernels (XNNPACK operators on wasm) outside the timings.
      // (Also the rows of each memory round: on cpu a token model's embedding gradient costs ~1 s a row.)
      const warm = head(data, Math.min(64, train));
      await learner.fit(warm.x, warm.y, { epochs: 1, random: createRandom(1, "warm") });
      const trainS = await seconds(() => learner.fit(fit.x, fit.y, { epochs: 1, random: createRandom(1, "fit") }));
      const predictS = await seconds(() => learner.predictProba(pool));
      const mcS = await seconds(() => learner.predictSamples!(pool, { samples: MC_PASSES, random: createRandom(1, "mc") }));
      // Memory over AL rounds: retrain, fit, score, MC passes; tensors must not grow.
      const tensors: number[] = [];
      const rss: number[] = [];
      for (let r = 0; r < 3; r++) {
        learner.reset(r);
        await learner.fit(warm.x, warm.y, { epochs: 1, random: createRandom(1, "round", r) });
        await learner.predictProba(pool);
        await learner.predictSamples!(pool, { samples: 2, random: createRandom(1, "round-mc", r) });
        tensors.push(tf.memory().numTensors);
        rss.push(rssMb());
      }
      learner.dispose();
      return {
        backend,
        trainRows: fit.x.n,
        trainSamplesPerS: round(fit.x.n / trainS),
        predictRowsPerS: round(pool.n / predictS),
        mcPasses: MC_PASSES,
        mcRowPassesPerS: round((pool.n * MC_PASSES) / mcS),
        tensorsPerRound: tensors,
        tensorsStable: tensors.every((t) => t === tensors[0]),
        rssMbPerRound: rss,
      };
    },
  };
}

/** Scores the whole 60,000-image training set as a pool: probabilities, then 5 MC passes. */
function poolCase(learner: string, options: object): BenchCase {
  return {
    name: `learners/${learner} fashion 60000-image pool wasm`,
    async run() {
      await selectBackend({ force: "wasm", warn: () => {} });
      const { train, test } = await fashion();
      const l = create(learner, options, train.shape);
      l.reset(1);
      const fit = head(test, 2000);
      await l.fit(fit.x, fit.y, { epochs: 1, random: createRandom(1) });
      const before = rssMb();
      const predictS = await seconds(() => l.predictProba(train.x));
      const mcS = await seconds(() => l.predictSamples!(train.x, { samples: 5, random: createRandom(1, "mc") }));
      const tensors = tf.memory().numTensors;
      l.dispose();
      return { poolRows: train.x.n, predictS: round(predictS), mc5S: round(mcS), rssBeforeMb: before, rssAfterMb: rssMb(), peakRssMb: await peakRssMb(), tensorsWhileHeld: tensors };
    },
  };
}

interface Split {
  train: { x: Matrix; y: Int32Array };
  test: { x: Matrix; y: Int32Array };
}

async function tabularSet(name: string): Promise<Split> {
  if (name !== "fashion-mnist-10k") return loadTabular(`${name}.csv`, 0.3, 1);
  const { train, test } = await fashion();
  const a = head(train, 10000);
  const b = head(test, 2000);
  return { train: { x: a.x, y: a.y as Int32Array }, test: { x: b.x, y: b.y as Int32Array } };
}

/** scikit-learn's forest on the same rows, or why it could not run. */
function sklearnForest(split: Split, trees: number): Record<string, BenchValue> {
  const dir = mkdtempSync(join(tmpdir(), "al-bench-forest-"));
  try {
    const bytes = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, "train_x.f32"), bytes(split.train.x.data));
    writeFileSync(join(dir, "train_y.i32"), bytes(split.train.y));
    writeFileSync(join(dir, "test_x.f32"), bytes(split.test.x.data));
    writeFileSync(join(dir, "test_y.i32"), bytes(split.test.y));
    writeFileSync(join(dir, "meta.json"), JSON.stringify({ n_train: split.train.x.n, n_test: split.test.x.n, d: split.train.x.c, trees, max_features: "sqrt" }));
    const script = fileURLToPath(new URL("reference/forest.py", import.meta.url));
    const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" };
    const result = spawnSync(process.env.PYTHON ?? "/usr/bin/python3", [script, dir], { encoding: "utf8", env });
    if (result.status !== 0) return { error: `scikit-learn reference failed (${(result.stderr || result.error?.message || "").trim().split("\n").pop()}); apt-get install python3-sklearn` };
    const out = JSON.parse(result.stdout) as Record<string, number | string>;
    return { fitMs: round(out["fit_ms"] as number), predictMs: round(out["predict_ms"] as number), accuracy: round(out["accuracy"] as number, 3), version: out["sklearn"]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(learner: Learner, split: Split): Promise<Record<string, number>> {
  learner.reset(1);
  const t = performance.now();
  await learner.fit(split.train.x, split.train.y, { epochs: 1, random: createRandom(1, "fit") });
  const fitMs = performance.now() - t;
  const u = performance.now();
  const probs = await learner.predictProba(split.test.x);
  const predictMs = performance.now() - u;
  return { fitMs: round(fitMs), predictMs: round(predictMs), accuracy: round(accuracy(argmaxRows(probs), split.test.y), 3) };
}

function forestCase(set: string): BenchCase {
  return {
    name: `learners/random-forest vs scikit-learn ${set}`,
    async run() {
      const split = await tabularSet(set);
      const shape = { inputSize: split.train.x.c, classes: Math.max(...split.train.y, ...split.test.y) + 1 };
      const forest = create("random-forest", { trees: 100 }, shape);
      // One small fit first so the JIT's warm-up is not billed to the measured one.
      forest.reset(0);
      const warm = head({ shape, ...split.train }, 200);
      await forest.fit(warm.x, warm.y, { epochs: 1, random: createRandom(0) });
      const ours = await timed(forest, split);
      const sklearn = sklearnForest(split, 100);
      const ratio = (key: string) => (typeof sklearn[key] === "number" ? round(ours[key]! / (sklearn[key] as number), 2) : null);
      return { rows: `${split.train.x.n} train / ${split.test.x.n} test × ${split.train.x.c} features, ${shape.classes} classes, 100 trees`, ours, sklearn, fitRatio: ratio("fitMs"), predictRatio: ratio("predictMs") };
    },
  };
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]): number => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / Math.max(1, v.length - 1));
/** Accuracy in percent over seeds: mean, sample sd, and the per-seed values. */
const summary = (v: number[]): Record<string, BenchValue> => ({ meanPct: round(100 * mean(v), 2), sdPct: round(100 * sd(v), 2), perSeedPct: v.map((a) => round(100 * a, 1)) });

/** scikit-learn's forest accuracy per seed on the same rows, or why it could not run. */
function sklearnAccuracies(split: AccuracySplit, seeds: number[]): { accuracy: number[]; fitCpuMs: number[]; version: string } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), "al-bench-forest-accuracy-"));
  try {
    const bytes = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, "train_x.f32"), bytes(split.train.x.data));
    writeFileSync(join(dir, "train_y.i32"), bytes(split.train.y));
    writeFileSync(join(dir, "test_x.f32"), bytes(split.test.x.data));
    writeFileSync(join(dir, "test_y.i32"), bytes(split.test.y));
    writeFileSync(join(dir, "meta.json"), JSON.stringify({ d: split.train.x.c, trees: 100, seeds }));
    const script = fileURLToPath(new URL("reference/forest_accuracy.py", import.meta.url));
    const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" };
    const result = spawnSync(process.env.PYTHON ?? "/usr/bin/python3", [script, dir], { encoding: "utf8", env });
    if (result.status !== 0) return { error: `scikit-learn reference failed (${(result.stderr || result.error?.message || "").trim().split("\n").pop()}); apt-get install python3-sklearn` };
    const out = JSON.parse(result.stdout) as { accuracy: number[]; fit_cpu_ms: number[]; sklearn: string };
    return { accuracy: out.accuracy, fitCpuMs: out.fit_cpu_ms, version: out.sklearn };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Our forest's and scikit-learn's test accuracy on one training set, 100 trees and the defaults
 * on both sides, over `seeds` forest seeds (forests are random: compare means, not one fit).
 */
function forestAccuracyCase(set: AccuracySet, labels: number, seeds = 20): BenchCase {
  return {
    name: `learners/random-forest accuracy vs scikit-learn ${set} ${labels} labels`,
    async run(): Promise<Record<string, BenchValue>> {
      const split = accuracySplit(set, labels);
      const shape = { inputSize: split.train.x.c, classes: split.classes };
      const forest = create("random-forest", { trees: 100 }, shape);
      const seedList = Array.from({ length: seeds }, (_, s) => s);
      const ours: number[] = [];
      const fitCpuMs: number[] = [];
      for (const s of seedList) {
        forest.reset(s);
        const cpu = process.cpuUsage();
        await forest.fit(split.train.x, split.train.y, { epochs: 1, random: createRandom(s, "forest-accuracy") });
        const used = process.cpuUsage(cpu);
        fitCpuMs.push(round((used.user + used.system) / 1000));
        ours.push(accuracy(argmaxRows(await forest.predictProba(split.test.x)), split.test.y));
      }
      const peer = sklearnAccuracies(split, seedList);
      const rows = `${split.train.x.n} train / ${split.test.x.n} test × ${split.train.x.c} features, ${split.classes} classes, 100 trees, ${seeds} seeds`;
      if ("error" in peer) return { rows, ours: summary(ours), oursFitCpuMs: fitCpuMs, sklearn: peer };
      return {
        rows,
        ours: summary(ours),
        sklearn: { ...summary(peer.accuracy), version: peer.version },
        differencePct: round(100 * (mean(ours) - mean(peer.accuracy)), 2),
        oursFitCpuMsMedian: fitCpuMs.sort((a, b) => a - b)[Math.floor(seeds / 2)]!,
        sklearnFitCpuMsMedian: round(peer.fitCpuMs.sort((a, b) => a - b)[Math.floor(seeds / 2)]!),
      };
    },
  };
}

function classicalCase(set: string): BenchCase {
  return {
    name: `learners/logistic and knn ${set}`,
    async run() {
      const split = await tabularSet(set);
      const shape = { inputSize: split.train.x.c, classes: Math.max(...split.train.y, ...split.test.y) + 1 };
      return { logistic: await timed(create("logistic", {}, shape), split), knn: await timed(create("knn", {}, shape), split) };
    },
  };
}

export const cases: BenchCase[] = [
  ...(["wasm", "cpu"] as Array<"wasm" | "cpu">).flatMap((backend) => tfCases.map((c) => tfCase(c, backend))),
  poolCase("mlp", { hidden: [256] }),
  poolCase("cnn", {}),
  ...["wdbc", "satellite", "letter", "fashion-mnist-10k"].map(forestCase),
  ...["wdbc", "satellite", "letter"].map(classicalCase),
  ...accuracySets.flatMap((set) => [100, 1000].map((labels) => forestAccuracyCase(set, labels))),
];
