/**
 * The golden cases: one tiny but real computation per component that has a revision in
 * lib/revisions.ts, each reduced to a fingerprint of its exact numbers. Learners run through the
 * loop on small real data (wasm backend: seeded tfjs training is bit-identical within one
 * backend); samplers are pure and run on seeded synthetic inputs.
 */
import { fileURLToPath } from "node:url";
import { kmeansInitialSet } from "../../lib/al/cold-start.ts";
import { runLoop } from "../../lib/al/loop.ts";
import type { Matrix } from "../../lib/al/matrix.ts";
import { createRandom, permutation, type Random } from "../../lib/al/random.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler, samplerNames } from "../../lib/al/samplers/index.ts";
import type { EpochPredictions, SamplerInputs, Task } from "../../lib/al/samplers/sampler.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset, Split } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { DatasetOptions, RunConfig } from "../../lib/experiments/spec.ts";
import { learnerRegistry } from "../../lib/learners/index.ts";
import type { Learner, LearnerShape } from "../../lib/learners/learner.ts";
import { revisionOf, type RevisionSet } from "../../lib/revisions.ts";
import type { GoldenEntry, Kind } from "./golden-file.ts";
import { Fingerprint } from "./fingerprint.ts";

/**
 * Revision of the golden cases themselves: bump it when you change a case (its data, sizes or
 * what it hashes), so the update re-records every fingerprint without a code revision.
 */
export const casesRevision = 1;

export interface GoldenCase {
  kind: Kind;
  name: string;
  compute(): Promise<GoldenEntry>;
}

const sharedData = fileURLToPath(new URL("../../../shared/data/", import.meta.url));

/** Small slices of real sets: tabular, image and text (token ids, and TF-IDF for the data case). */
const datasets = {
  tabular: { name: "wdbc", dir: `${sharedData}tabular`, pool: 60, test: 40 },
  image: { name: "fashion-mnist-small", pool: 40, test: 30 },
  text: { name: "mr", dir: `${sharedData}text/mr`, pool: 60, test: 30, maxLength: 12, vocabSize: 80 },
  tfidf: { name: "mr", dir: `${sharedData}text/mr`, pool: 30, test: 10, features: "tfidf", vocabSize: 40 },
  blobs: { name: "noisy-blobs", blobs: 4, perBlob: 6, dimension: 3, noisyPairs: 2 },
  tabularMultilabel: { name: "yeast-multilabel", dir: `${sharedData}tabular`, pool: 40, test: 20 },
  textMultilabel: { name: "arxiv-titles", dir: `${sharedData}text/arxiv-titles`, pool: 40, test: 20, maxLength: 10, vocabSize: 80 },
} satisfies Record<string, DatasetOptions>;

type DataName = keyof typeof datasets;

/**
 * The data each learner family runs on: multi-class with margin sampling, and multi-label
 * (sigmoid heads, their own losses and metrics) with binary-minimum where a set fits its input.
 */
const learnerRuns: Record<string, Array<[DataName, string]>> = {
  mlp: [["image", "margin"], ["tabularMultilabel", "binary-minimum"]],
  cnn: [["image", "margin"]],
  cnn1d: [["text", "margin"], ["textMultilabel", "binary-minimum"]],
  bilstm: [["text", "margin"], ["textMultilabel", "binary-minimum"]],
  transformer: [["text", "margin"], ["textMultilabel", "binary-minimum"]],
  "random-forest": [["tabular", "margin"], ["tabularMultilabel", "binary-minimum"]],
  logistic: [["tabular", "margin"], ["tabularMultilabel", "binary-minimum"]],
  knn: [["tabular", "margin"], ["tabularMultilabel", "binary-minimum"]],
};

const loaded = new Map<string, Promise<Dataset>>();
function load(ref: RunConfig["dataset"]): Promise<Dataset> {
  const key = JSON.stringify(ref);
  if (!loaded.has(key)) loaded.set(key, loadDataset(ref, { download: false, progress: false }));
  return loaded.get(key)!;
}

function pick(set: RevisionSet, names: string[]): RevisionSet {
  return Object.fromEntries(names.map((n) => [n, set[n]!]));
}

/** Two rounds: a stratified initial set of 10, one batch of 10, 2 epochs per fit. */
function goldenConfig(dataset: DatasetOptions, learner: string, sampler: string, extra: Partial<RunConfig> = {}): RunConfig {
  return {
    experiment: "golden",
    dataset,
    learner: { name: learner, options: {} },
    sampler: { name: sampler, options: {} },
    mode: "retrain",
    initial: { size: 10, stratified: true },
    acquisition: { size: 10 },
    rounds: 1,
    epochs: 2,
    seed: 1,
    ...extra,
  };
}

/** Everything a round stores except its timings. */
function addRound(f: Fingerprint, r: RoundRecord): void {
  f.field("round", [r.round, r.labelled]);
  for (const key of Object.keys(r.metrics).sort()) f.field(key, r.metrics[key]!);
  f.field("selected", r.selected).field("initial", r.initial ?? []);
  for (const h of r.histograms ?? []) f.field(`histogram ${h.target}`, [h.lo, h.hi, h.below, h.above, ...h.counts]);
}

function addSplit(f: Fingerprint, name: string, split: Split): void {
  f.field(`${name} x`, split.x.data).field(`${name} shape`, [split.x.n, split.x.c]).field(`${name} y`, split.y);
  if (split.labelSets) f.field(`${name} labelSets`, split.labelSets.data);
  if (split.noisy) f.field(`${name} noisy`, split.noisy);
}

function shapeOf(dataset: Dataset): LearnerShape {
  return {
    inputSize: dataset.pool.x.c,
    inputShape: dataset.shape,
    classes: dataset.classes.length,
    task: dataset.task,
    ...(dataset.vocabulary && dataset.features === undefined ? { vocabSize: dataset.vocabulary.length } : {}),
  };
}

async function runGolden(config: RunConfig, learner: Learner, makeLearner: () => Learner, f: Fingerprint): Promise<Dataset> {
  const dataset = await load(config.dataset);
  const sampler = getSampler(config.sampler.name, "sampler");
  await runLoop({
    runId: "golden",
    config,
    dataset,
    learner,
    sampler,
    samplerOptions: sampler.parseOptions(config.sampler.options, "sampler.options"),
    onRound: (record) => addRound(f, record),
    makeLearner,
  });
  return dataset;
}

/** A learner's runs through the loop, each followed by its MC passes and embeddings. */
function learnerCase(name: string): GoldenCase {
  return {
    kind: "learners",
    name,
    async compute() {
      await selectBackend({ force: "wasm", warn: () => {} });
      const runs = learnerRuns[name];
      if (!runs) throw new Error(`test/golden/cases.ts: learner "${name}" has no golden run; add it to learnerRuns`);
      const factory = learnerRegistry[name]!;
      const f = new Fingerprint();
      const revisions: RevisionSet = {};
      for (const [data, sampler] of runs) {
        // Stratifying needs a point per class; multi-label sets have more labels than that.
        const multilabel = data.endsWith("Multilabel");
        const config = goldenConfig(datasets[data], name, sampler, multilabel ? { initial: { size: 10, stratified: false } } : {});
        const dataset = await load(config.dataset);
        const make = () => factory.create(factory.parseOptions({}, "learner.options"), shapeOf(dataset));
        const learner = make();
        try {
          f.label(data);
          await runGolden(config, learner, make, f);
          // The last fit's other outputs, which BALD-style and embedding samplers read.
          const rows = { data: dataset.test.x.data.subarray(0, 10 * dataset.test.x.c), n: 10, c: dataset.test.x.c };
          if (learner.predictSamples) f.field("samples", (await learner.predictSamples(rows, { samples: 3, random: createRandom(1, "golden") })).data);
          if (learner.embed) f.field("embeddings", (await learner.embed(rows)).data);
        } finally {
          learner.dispose();
        }
        Object.assign(revisions, revisionOf(config));
      }
      return { revisions, fingerprint: f.digest() };
    },
  };
}

/**
 * A deterministic plain-JS learner (softmax of minus the squared distance to each class mean),
 * so the loop's fingerprint moves with the loop's code only.
 */
function classMeans(classes: number): Learner {
  let means = new Float64Array(0);
  let c = 0;
  return {
    reset: () => void (means = new Float64Array(0)),
    async fit(x, targets) {
      const y = targets as Int32Array;
      c = x.c;
      means = new Float64Array(classes * c);
      const counts = new Float64Array(classes);
      for (let i = 0; i < x.n; i++) {
        counts[y[i]!]!++;
        for (let j = 0; j < c; j++) means[y[i]! * c + j]! += x.data[i * c + j]!;
      }
      for (let k = 0; k < classes; k++) for (let j = 0; j < c; j++) means[k * c + j]! /= Math.max(1, counts[k]!);
    },
    async predictProba(x): Promise<Matrix> {
      const out = new Float32Array(x.n * classes);
      for (let i = 0; i < x.n; i++) {
        const d = Array.from({ length: classes }, (_, k) => {
          let s = 0;
          for (let j = 0; j < c; j++) s += (x.data[i * c + j]! - means[k * c + j]!) ** 2;
          return -s / c;
        });
        const top = Math.max(...d);
        const e = d.map((v) => Math.exp(v - top));
        const total = e.reduce((a, b) => a + b, 0);
        e.forEach((v, k) => (out[i * classes + k] = v / total));
      }
      return { data: out, n: x.n, c: classes };
    },
    dispose: () => {},
  };
}

const sharedCases: GoldenCase[] = [
  {
    kind: "shared",
    name: "loop",
    async compute() {
      // A retrain run; a keep-train run with acquire-on-saturation and a reference classifier
      // (easiness and batch metrics); and the providers: MC samples from an ensemble, reference
      // probabilities.
      const configs = [
        goldenConfig(datasets.tabular, "knn", "random", { rounds: 2 }),
        goldenConfig(datasets.tabular, "knn", "random", {
          mode: "keep-train",
          initial: { size: 8, stratified: false },
          saturation: { validation: 10, patience: 1, maxEpochs: 3 },
          reference: { learner: { name: "knn", options: {} }, epochs: 1 },
        }),
        goldenConfig(datasets.tabular, "knn", "bald", { mcSamples: { method: "ensemble", samples: 3 } }),
        goldenConfig(datasets.tabular, "knn", "iconfidence", { reference: { learner: { name: "knn", options: {} }, epochs: 1 } }),
      ];
      const f = new Fingerprint();
      const revisions: RevisionSet = {};
      for (const config of configs) {
        await runGolden(config, classMeans(2), () => classMeans(2), f);
        // The learner here is the fixture above, not a registered one.
        for (const [name, r] of Object.entries(revisionOf(config))) if (!name.startsWith("learners.")) revisions[name] = r;
      }
      return { revisions, fingerprint: f.digest() };
    },
  },
  {
    kind: "shared",
    name: "data",
    async compute() {
      const f = new Fingerprint();
      for (const [name, ref] of Object.entries(datasets)) {
        const d = await load(ref);
        f.label(name).label(d.checksum).label(JSON.stringify([d.classes, d.shape, d.vocabulary ?? [], d.features ?? []]));
        addSplit(f, "pool", d.pool);
        addSplit(f, "test", d.test);
      }
      return { revisions: { data: revisionOf(goldenConfig(datasets.tabular, "knn", "random"))["data"]! }, fingerprint: f.digest() };
    },
  },
  {
    kind: "shared",
    name: "coldStart",
    async compute() {
      const random = createRandom(7, "golden");
      const x = { data: Float32Array.from({ length: 60 * 4 }, () => random.next() * 4), n: 60, c: 4 };
      const exclude = new Uint8Array(60);
      exclude[3] = exclude[17] = 1;
      const f = new Fingerprint().field("initial", kmeansInitialSet(x, 6, { random: createRandom(1, "initial"), exclude }));
      const config = goldenConfig(datasets.tabular, "knn", "random", { initial: { size: 6, stratified: false, kmeans: true } });
      return { revisions: pick(revisionOf(config), ["coldStart"]), fingerprint: f.digest() };
    },
  },
];

const N = 40;
const CLASSES = 3;
const SAMPLES = 6;
const EPOCHS = 5;

/** Seeded pool inputs of every kind; multi-label tasks get independent per-label probabilities. */
function samplerInputs(task: Task, random: Random): SamplerInputs {
  const softmax = (logits: number[]) => {
    const top = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - top));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / total);
  };
  const rows = (logits: number[]) => (task === "multiclass" ? softmax(logits) : logits.map((v) => 1 / (1 + Math.exp(-v))));
  const logits = Array.from({ length: N }, () => Array.from({ length: CLASSES }, () => 4 * random.next() - 2));
  const probs = { data: Float32Array.from(logits.flatMap(rows)), n: N, c: CLASSES };
  const mc = logits.flatMap((l) => Array.from({ length: SAMPLES }, () => rows(l.map((v) => v + random.next() - 0.5))).flat());
  const labelled = new Uint8Array(N);
  for (const i of permutation(N, random).slice(0, 8)) labelled[i] = 1;
  const labels = Int32Array.from(logits, (l, i) => (labelled[i] ? l.indexOf(Math.max(...l)) : -1));
  const labelSets = { data: Float32Array.from(logits.flatMap((l, i) => l.map((v) => (labelled[i] && v > 0 ? 1 : 0)))), n: N, c: CLASSES };
  return {
    probs,
    mcSamples: { data: Float32Array.from(mc), n: N, t: SAMPLES, c: CLASSES },
    embeddings: { data: Float32Array.from({ length: N * 4 }, () => 2 * random.next() - 1), n: N, c: 4 },
    labels,
    labelSets,
    referenceProbs: Float32Array.from({ length: N }, () => 0.05 + 0.9 * random.next()),
    // Its own stream, so adding it left every other sampler's inputs (and fingerprint) as they were.
    epochPredictions: epochPredictions(createRandom(5, "golden", task, "epochs")),
    // VAAL's discriminator outputs; its own stream too.
    labelledness: labelledness(createRandom(5, "golden", task, "labelledness")),
    predictedLoss: predictedLoss(createRandom(5, "golden", task, "predicted-loss")),
    labelled,
  };
}

/** N×EPOCHS predicted classes: each point drifts from a start class with probability 0.3 per epoch. */
function epochPredictions(random: Random): EpochPredictions {
  const data = new Int32Array(N * EPOCHS);
  for (let i = 0; i < N; i++) {
    let current = random.int(CLASSES);
    for (let j = 0; j < EPOCHS; j++) {
      if (random.next() < 0.3) current = random.int(CLASSES);
      data[i * EPOCHS + j] = current;
    }
  }
  return { data, n: N, e: EPOCHS };
}

/** N discriminator outputs in [0, 1], with a few saturated (exact 0 or 1) and tied ones. */
function labelledness(random: Random): Float32Array {
  return Float32Array.from({ length: N }, () => [0, 1, 0.5][random.int(6)] ?? random.next());
}

/** N predicted losses, positive like cross-entropies, on a coarse grid so some tie. */
function predictedLoss(random: Random): Float32Array {
  return Float32Array.from({ length: N }, () => random.int(12) / 4);
}

/** A sampler's selection (and pointwise score) with default options, per task it supports. */
function samplerCase(name: string): GoldenCase {
  return {
    kind: "samplers",
    name,
    async compute() {
      const sampler = getSampler(name, "sampler");
      const options = sampler.parseOptions({}, "sampler.options");
      const f = new Fingerprint();
      for (const task of sampler.tasks ?? ["multiclass"]) {
        const inputs = samplerInputs(task, createRandom(5, "golden", task));
        f.label(task).field("selected", sampler.select(inputs, 5, options, { random: createRandom(1, "select", 1) }));
        if (sampler.score) f.field("score", sampler.score(inputs, options));
        if (sampler.pseudoLabel) {
          // A loose threshold (the defaults pseudo-label nothing on these inputs), after the picks of round 1.
          const blocked = inputs.labelled.slice();
          for (const i of sampler.select(inputs, 5, options, { random: createRandom(1, "select", 1) })) blocked[i] = 1;
          const loose = sampler.parseOptions({ threshold: 0.9, decay: 0.1 }, "sampler.options");
          const labels = sampler.pseudoLabel(inputs.probs!, blocked, 1, loose);
          f.field("pseudo-points", labels.points).field("pseudo-classes", labels.classes);
        }
      }
      const config = goldenConfig(datasets.tabular, "knn", name, { sampler: { name, options: {} } });
      const revisions = revisionOf(config);
      return { revisions: pick(revisions, Object.keys(revisions).filter((k) => k.startsWith("samplers."))), fingerprint: f.digest() };
    },
  };
}

/** Every golden case, shared code first. */
export function goldenCases(): GoldenCase[] {
  return [...sharedCases, ...Object.keys(learnerRegistry).map(learnerCase), ...samplerNames.map(samplerCase)];
}
