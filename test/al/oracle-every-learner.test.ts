/**
 * Every registered learner under a real annotator's column and per-row seconds, through the
 * experiment spec, preflight and the loop: the tabular learners on a Pima table, the sequence
 * learners on a SUBJ text table (both: the annotator wrong exactly on rows i % 10 === 3, a label
 * costing 1 + i % 4 seconds). Each trains on the annotator's labels and stops within the budget.
 * The image CNN has no table to read a column from (image sets are never tables), so it runs
 * under a confusion-matrix oracle and a constant cost, and a column oracle on an image set is
 * refused in one line. On a multi-label table (arXiv titles) the annotator's column holds label
 * sets, and the run trains on them and stores them beside the true sets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoop } from "../../lib/al/loop.ts";
import { givenLabelSet, givenLabels } from "../../lib/al/oracle.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler } from "../../lib/al/samplers/index.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { getLearner, learnerRegistry } from "../../lib/learners/index.ts";
import type { Learner, Targets } from "../../lib/learners/learner.ts";
import { cachedDataset, learnerShape } from "../../lib/runner/execute-run.ts";
import { preflight } from "../../lib/runner/preflight.ts";
import { isFlipped, sharedText, writeAnnotatedCsv, writeAnnotatedTextCsv, type AnnotatedTable } from "../data/annotated-table.ts";
import { sharedData } from "../learners/real-data.ts";

type Input = "table" | "text" | "image";
/** What each learner reads. A learner registered later without an entry fails the coverage test. */
const inputOf: Record<string, Input> = {
  mlp: "table",
  "random-forest": "table",
  logistic: "table",
  knn: "table",
  cnn1d: "text",
  bilstm: "text",
  transformer: "text",
  cnn: "image",
};
/** Small networks and forests: the file runs in seconds on the wasm backend. */
const learnerOptions: Record<string, Record<string, unknown>> = {
  mlp: { hidden: [16] },
  "random-forest": { trees: 10 },
  cnn1d: { embeddingSize: 16, filters: 8, kernelSizes: [3] },
  bilstm: { embeddingSize: 16, units: 8 },
  transformer: { embeddingSize: 16, heads: 2, layers: 1, feedForward: 32 },
  cnn: { filters: [8], hidden: [16] },
};

const BUDGET = 60;
const dir = mkdtempSync(join(tmpdir(), "al-oracle-learners-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let tables: Record<"table" | "text", AnnotatedTable>;
beforeAll(async () => {
  process.env.AL_DATA_DIR ??= sharedData;
  await selectBackend({ force: "wasm" });
  tables = { table: writeAnnotatedCsv(dir, 160), text: writeAnnotatedTextCsv(dir, 160) };
});

// 10 classes: each kept 80% of the time, else labelled as the next class.
const confusion = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, g) => (g === t ? 0.8 : g === (t + 1) % 10 ? 0.2 : 0)));

function spec(learner: string): Record<string, unknown> {
  const input = inputOf[learner]!;
  const annotated = { oracle: { column: "annotator" }, cost: { column: "seconds" } };
  const dataset =
    input === "table"
      ? { file: tables.table.csv, label: "label", testFraction: 0.25, standardize: true }
      : input === "text"
        ? { file: tables.text.csv, label: "label", text: "text", textFeatures: "tokens", maxLength: 24, vocabSize: 400, testFraction: 0.25 }
        : { name: "fashion-mnist-small", pool: 200, test: 100 };
  return {
    name: "oracle-every-learner",
    dataset,
    learner: { name: learner, options: learnerOptions[learner] ?? {} },
    samplers: ["margin"],
    initial: { size: 10, stratified: true },
    acquisition: { size: 5 },
    costBudget: BUDGET,
    epochs: 3,
    seeds: [2],
    ...(input === "image" ? { oracle: { confusion }, cost: 1.5 } : annotated),
  };
}

/** The run's one config, checked by preflight as `al run` would. */
async function configOf(input: Record<string, unknown>): Promise<RunConfig> {
  const configs = expandExperiment(parseExperiment(input, "exp.ts"), "exp.ts");
  expect(configs.length).toBe(1);
  await preflight(configs, "exp.ts");
  return configs[0]!;
}

async function errorOf(input: Record<string, unknown>): Promise<string> {
  try {
    await configOf(input);
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

/** Runs `cfg` with its learner, keeping the targets of the run's own fits. */
async function run(cfg: RunConfig, dataset: Dataset): Promise<{ records: RoundRecord[]; fits: Targets[] }> {
  const shape = learnerShape(dataset);
  const build = (ref: { name: string; options: Record<string, unknown> } = cfg.learner): Learner => {
    const factory = getLearner(ref.name, "learner");
    return factory.create(factory.parseOptions(ref.options, "learner.options"), shape);
  };
  const inner = build();
  const fits: Targets[] = [];
  const learner: Learner = Object.assign(Object.create(inner) as Learner, {
    fit: (x: Parameters<Learner["fit"]>[0], y: Targets, options: Parameters<Learner["fit"]>[2]) => {
      fits.push(y instanceof Int32Array ? Int32Array.from(y) : { ...y, data: y.data.slice() });
      return inner.fit(x, y, options);
    },
  });
  const sampler = getSampler(cfg.sampler.name, "sampler");
  const records: RoundRecord[] = [];
  try {
    await runLoop({ runId: "r", config: cfg, dataset, learner, sampler, samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"), onRound: (r) => void records.push(r), makeLearner: build });
  } finally {
    inner.dispose();
  }
  return { records, fits };
}

const labelledOrder = (records: RoundRecord[]): number[] => records.flatMap((r) => [...(r.initial ?? []), ...r.selected]);

describe("every learner under an annotator's column and its seconds per label", () => {
  it("has an input for every registered learner", () => {
    expect(Object.keys(learnerRegistry).filter((name) => inputOf[name] === undefined)).toEqual([]);
  });

  it.each(Object.keys(learnerRegistry))("%s trains on the annotator's labels and stops within the budget", { timeout: 60_000 }, async (name) => {
    const cfg = await configOf(spec(name));
    const dataset = await cachedDataset(cfg.dataset);
    const { records, fits } = await run(cfg, dataset);
    const pool = dataset.pool;
    const input = inputOf[name]!;
    // The answers and costs the file (or the matrix) gives each pool point, computed apart from the loop.
    let answers: Int32Array;
    let costs: Float64Array;
    if (input === "image") {
      answers = givenLabels({ confusion }, cfg.seed, Int32Array.from({ length: pool.y.length }, (_, i) => i), pool.y, 10);
      costs = new Float64Array(pool.y.length).fill(1.5);
    } else {
      const table = tables[input];
      const rows = pool.rows!;
      answers = Int32Array.from(rows, (row) => dataset.classes.indexOf(table.annotator[row]!));
      costs = Float64Array.from(rows, (row) => table.seconds[row]!);
      // The truth in the loop is the label column's, and the annotator is wrong exactly on the flipped rows.
      rows.forEach((row, i) => {
        expect(dataset.classes[pool.y[i]!]).toBe(table.truth[row]);
        expect(answers[i] !== pool.y[i]).toBe(isFlipped(row));
      });
    }
    const order = labelledOrder(records);
    expect(order.some((i) => answers[i] !== pool.y[i])).toBe(true);
    const spent = (n: number) => order.slice(0, n).reduce((a, i) => a + costs[i]!, 0);
    for (const r of records) {
      const fit = fits.find((f) => f instanceof Int32Array && f.length === r.labelled) as Int32Array | undefined;
      expect(fit, `a fit on ${r.labelled} labels`).toBeDefined();
      expect([...fit!]).toEqual(order.slice(0, r.labelled).map((i) => answers[i]));
      expect(r.metrics.cost).toBeCloseTo(spent(r.labelled), 9);
      if (r.selected.length > 0) expect([...r.selectedLabels!.given]).toEqual([...r.selected].map((i) => answers[i]));
    }
    // Stopped by the budget (there is no rounds limit): the last fit selects nothing, within the budget.
    const last = records.at(-1)!;
    expect(last.selected.length).toBe(0);
    expect(last.metrics.cost!).toBeLessThanOrEqual(BUDGET);
    expect(records.length).toBeGreaterThan(2);
  });

  it("refuses a column oracle on an image set, in one line", async () => {
    const { oracle: _o, ...rest } = spec("cnn");
    expect(await errorOf({ ...rest, oracle: { column: "annotator" } })).toBe(
      `exp.ts: oracle.column: data set "fashion-mnist-small" is not a user's table file; a column of annotations needs dataset: { file: "….csv", label: "…" } (or use { noise } or { confusion })`,
    );
  });
});

describe("an annotator column on a multi-label table", () => {
  it("trains on the annotator's label sets, stores them beside the true ones, and uses its seconds per label", async () => {
    // 80 real arXiv titles with their |-joined categories. The "annotator" column misses the last
    // label of every multi-label row with i % 10 === 6 and gives row i + 1's set on i % 10 === 3.
    const lines = readFileSync(join(sharedText, "arxiv-titles/arxiv-titles.csv"), "utf8").trim().split(/\r?\n/).slice(0, 82);
    const truth = lines.slice(1).map((l) => l.slice(l.lastIndexOf(",") + 1));
    const annotator = truth.slice(0, 80).map((labels, i) => {
      const set = labels.split("|");
      if (i % 10 === 3) return truth[i + 1]!;
      return i % 10 === 6 && set.length > 1 ? set.slice(0, -1).join("|") : labels;
    });
    const csv = join(dir, "titles.csv");
    writeFileSync(csv, [`${lines[0]},annotator,seconds`, ...lines.slice(1, 81).map((l, i) => `${l},${annotator[i]},${1 + (i % 4)}`)].join("\n") + "\n");
    const cfg = await configOf({ ...spec("mlp"), dataset: { file: csv, labels: "labels", separator: "|", text: "title", textFeatures: "tfidf", testFraction: 0.25 }, samplers: ["random"] });
    const dataset = await cachedDataset(cfg.dataset);
    const { records, fits } = await run(cfg, dataset);
    const { pool, classes } = dataset;
    const c = classes.length;
    const setOf = (labels: string): number[] => labels.split("|").map((l) => classes.indexOf(l)).sort((a, b) => a - b);
    const given = Array.from(pool.rows!, (row) => setOf(annotator[row]!));
    const order = labelledOrder(records);
    expect(order.some((i) => given[i]!.join() !== setOf(truth[pool.rows![i]!]!).join())).toBe(true);
    const spent = (n: number) => order.slice(0, n).reduce((a, i) => a + 1 + (pool.rows![i]! % 4), 0);
    for (const r of records) {
      const fit = fits.find((f) => !(f instanceof Int32Array) && f.n === r.labelled) as { data: Float32Array } | undefined;
      expect(fit, `a fit on ${r.labelled} label sets`).toBeDefined();
      order.slice(0, r.labelled).forEach((i, k) => expect([...fit!.data.subarray(k * c, (k + 1) * c)].flatMap((v, l) => (v === 1 ? [l] : []))).toEqual(given[i]));
      expect(r.metrics.cost).toBe(spent(r.labelled));
      expect(r.selectedLabels).toBeUndefined();
      expect(r.selectedLabelSets!.given.map((g) => [...g])).toEqual([...r.selected].map((i) => given[i]));
      expect(r.selectedLabelSets!.truth.map((t) => [...t])).toEqual([...r.selected].map((i) => setOf(truth[pool.rows![i]!]!)));
    }
    expect(records.at(-1)!.metrics.cost!).toBeLessThanOrEqual(BUDGET);
    expect(records.at(-1)!.selected.length).toBe(0);
  });

  it("refuses an annotator's label outside the data set's labels, naming file, line and column", async () => {
    const lines = readFileSync(join(sharedText, "arxiv-titles/arxiv-titles.csv"), "utf8").trim().split(/\r?\n/).slice(0, 41);
    const csv = join(dir, "titles-bad.csv");
    writeFileSync(csv, [`${lines[0]},annotator`, ...lines.slice(1).map((l, i) => `${l},${i === 5 ? "cs.LG|physics.bogus" : l.slice(l.lastIndexOf(",") + 1)}`)].join("\n") + "\n");
    const { cost: _c, costBudget: _b, ...rest } = spec("mlp");
    const message = await errorOf({ ...rest, dataset: { file: csv, labels: "labels", separator: "|", text: "title", textFeatures: "tfidf", testFraction: 0.25 }, samplers: ["random"], rounds: 2 });
    expect(message).toMatch(/titles-bad\.csv: line 7, column "annotator": label "physics\.bogus" is not one of the labels .*; the annotator's label sets must use the data set's labels$/);
  });
});

describe("every learner that reads a table under per-label noise on a multi-label table", () => {
  const learners = Object.keys(inputOf).filter((l) => inputOf[l] !== "image");
  let csv: string;
  beforeAll(() => {
    // 120 real arXiv titles with their |-joined categories.
    const lines = readFileSync(join(sharedText, "arxiv-titles/arxiv-titles.csv"), "utf8").trim().split(/\r?\n/).slice(0, 121);
    csv = join(dir, "titles-120.csv");
    writeFileSync(csv, lines.join("\n") + "\n");
  });

  it.each(learners)("%s trains on the given label sets", async (learner) => {
    const text = inputOf[learner] === "text" ? { textFeatures: "tokens", maxLength: 16, vocabSize: 300 } : { textFeatures: "tfidf" };
    const { cost: _c, costBudget: _b, ...rest } = spec(learner);
    const cfg = await configOf({
      ...rest,
      dataset: { file: csv, labels: "labels", separator: "|", text: "title", testFraction: 0.25, ...text },
      samplers: ["random"],
      oracle: { noise: 0.1 },
      initial: { size: 10 },
      rounds: 2,
    });
    const dataset = await cachedDataset(cfg.dataset);
    const { records, fits } = await run(cfg, dataset);
    const { data: truth, n, c } = dataset.pool.labelSets!;
    const given = new Float32Array(n * c);
    for (let i = 0; i < n; i++) givenLabelSet({ noise: 0.1 }, 2, i, truth.subarray(i * c, (i + 1) * c), given.subarray(i * c, (i + 1) * c));
    const order = labelledOrder(records);
    expect(records.map((r) => r.labelled)).toEqual([10, 15, 20]);
    for (const r of records) {
      const fit = fits.find((f) => !(f instanceof Int32Array) && f.n === r.labelled) as { data: Float32Array } | undefined;
      expect(fit, `a fit on ${r.labelled} label sets`).toBeDefined();
      expect([...fit!.data]).toEqual(order.slice(0, r.labelled).flatMap((i) => [...given.subarray(i * c, (i + 1) * c)]));
      expect(r.metrics.train_label_entry_noise).toBeGreaterThan(0);
    }
  });
});
