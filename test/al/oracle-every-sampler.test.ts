/**
 * Every registered sampler under a fallible annotator and a cost budget, with a real MLP (wasm)
 * on real data: each multi-class sampler on image segmentation (7 classes) with 30% label noise,
 * each multi-label sampler on yeast (14 labels) with each label's answer flipped with chance
 * 0.1 (and one run under a 2×2 per-label confusion). Each run ends at its budget, its learner
 * trains on the given labels (sets), and the stored labels, noise and cost agree with its
 * selections.
 * The cases come from the registry, so a sampler added later runs here too (and fails here if
 * it needs an option or a learner this file does not know how to give it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runLoop } from "../../lib/al/loop.ts";
import { givenLabelSet, givenLabels, type SimulatedOracle } from "../../lib/al/oracle.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler, samplerNames } from "../../lib/al/samplers/index.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { getLearner } from "../../lib/learners/index.ts";
import type { Learner, Targets } from "../../lib/learners/learner.ts";
import { learnerShape } from "../../lib/runner/execute-run.ts";
import { sharedData } from "../learners/real-data.ts";

type Task = "multiclass" | "multilabel";
const refs = {
  multiclass: { name: "segment", pool: 240, test: 120 },
  multilabel: { name: "yeast-multilabel", pool: 240, test: 120 },
} as const satisfies Record<Task, RunConfig["dataset"]>;
const data = {} as Record<Task, Dataset>;
beforeAll(async () => {
  process.env.AL_DATA_DIR ??= sharedData;
  await selectBackend({ force: "wasm" });
  data.multiclass = await loadDataset(refs.multiclass);
  data.multilabel = await loadDataset(refs.multilabel);
});

// 1.5 per label, 20 initial + 10 a round: 66 buys 44 labels, so the third batch is cut to 4.
const COST = 1.5;
const BUDGET = 66;
const NOISE = 0.3;
/** Multi-label: the chance each of a point's 14 yes/no answers is flipped. */
const SET_NOISE = 0.1;
const SEED = 3;

/** Options a sampler cannot run without here (vaal: 1 epoch of its β-VAE keeps the file fast). */
const samplerOptions: Record<string, Record<string, unknown>> = { vaal: { epochs: 1 } };

/** The run of `name` on `task`, with the learner capabilities the sampler needs. */
function config(name: string, task: Task): RunConfig {
  const sampler = getSampler(name, "sampler");
  const options = samplerOptions[name] ?? {};
  const needs = sampler.needsFor?.(sampler.parseOptions(options, "sampler.options")) ?? sampler.needs;
  return {
    experiment: "oracle-every-sampler",
    dataset: refs[task],
    // Dropout gives MC samples; the loss-prediction module, predicted losses.
    learner: { name: "mlp", options: { hidden: [16], dropout: 0.2, learningRate: 0.01, ...(needs.includes("predictedLoss") ? { lossPrediction: {} } : {}) } },
    sampler: { name, options },
    mode: "retrain",
    initial: { size: 20, stratified: false },
    acquisition: { size: 10 },
    costBudget: BUDGET,
    // Label dispersion compares the pool's predictions over a fit's epochs: 3 of them.
    epochs: 3,
    seed: SEED,
    cost: COST,
    ...(needs.includes("mcSamples") ? { mcSamples: { method: "mc-dropout" as const, samples: 3 } } : {}),
    ...(needs.includes("referenceProbs") ? { reference: { learner: { name: "mlp", options: { hidden: [8] } }, epochs: 2 } } : {}),
    oracle: { noise: task === "multiclass" ? NOISE : SET_NOISE },
  };
}

/** Runs `cfg` with a real learner that keeps the targets of each of its fits. */
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
    await runLoop({
      runId: "r",
      config: cfg,
      dataset,
      learner,
      sampler,
      samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
      onRound: (r) => void records.push(r),
      makeLearner: build,
    });
  } finally {
    inner.dispose();
  }
  return { records, fits };
}

const labelledOrder = (records: RoundRecord[]): number[] => records.flatMap((r) => [...(r.initial ?? []), ...r.selected]);
const tasksOf = (name: string): readonly Task[] => getSampler(name, "s").tasks ?? ["multiclass"];

/**
 * Each run ends at the budget: fits on 20, 30 and 40 labels, the third batch cut to the 4 that
 * still fit, and a last fit on 44 that selects nothing. (A round's `selected` is the batch chosen
 * after its fit, so its `labelled` does not count them yet.)
 */
function expectBudgetStop(records: RoundRecord[]): void {
  expect(records.map((r) => r.labelled)).toEqual([20, 30, 40, 44]);
  expect(records.map((r) => r.selected.length)).toEqual([10, 10, 4, 0]);
  const order = labelledOrder(records);
  expect(new Set(order).size).toBe(44);
  expect(records.at(-1)!.metrics.cost).toBe(BUDGET);
  for (const r of records) {
    expect(r.metrics.cost).toBeCloseTo(COST * r.labelled, 9);
    expect(r.metrics.cost!).toBeLessThanOrEqual(BUDGET);
    expect([...r.selectedCosts!]).toEqual(new Array(r.selected.length).fill(COST));
  }
  expect([...records[0]!.initialCosts!]).toEqual(new Array(20).fill(COST));
}

describe("every sampler under a noisy oracle and a cost budget (multi-class: segment)", () => {
  const names = samplerNames.filter((s) => tasksOf(s).includes("multiclass"));

  it.each(names)("%s trains on the given labels, stores them, counts their noise and cost, stops at the budget", { timeout: 60_000 }, async (name) => {
    const ds = data.multiclass;
    const { records, fits } = await run(config(name, "multiclass"), ds);
    expectBudgetStop(records);
    // The annotator's answers, computed apart from the loop: a pure function of (seed, point).
    const answers = givenLabels({ noise: NOISE }, SEED, Int32Array.from({ length: ds.pool.y.length }, (_, i) => i), ds.pool.y, ds.classes.length);
    const order = labelledOrder(records);
    expect(order.some((i) => answers[i] !== ds.pool.y[i])).toBe(true);
    for (const r of records) {
      const trained = order.slice(0, r.labelled);
      // The round's fit: ceal's appends its pseudo-labels (the model's guesses) after the labelled rows.
      const fit = fits.find((f) => f instanceof Int32Array && f.length === r.labelled + (r.metrics.pseudo_labels ?? 0)) as Int32Array | undefined;
      expect(fit, `a fit on ${r.labelled} labels`).toBeDefined();
      expect([...fit!.subarray(0, r.labelled)]).toEqual(trained.map((i) => answers[i]));
      // Stored labels and noise, recomputed from the stored selections alone.
      const stored = records.filter((q) => q.round < r.round).flatMap((q) => [...(q.initialLabels ? zip(q.initialLabels) : []), ...zip(q.selectedLabels!)]);
      if (r.round === 0) stored.push(...zip(r.initialLabels!));
      expect(stored.length).toBe(r.labelled);
      expect(r.metrics.train_label_noise).toBeCloseTo(stored.filter(([g, t]) => g !== t).length / r.labelled, 12);
      if (r.selected.length > 0) {
        expect([...r.selectedLabels!.given]).toEqual([...r.selected].map((i) => answers[i]));
        expect([...r.selectedLabels!.truth]).toEqual([...r.selected].map((i) => ds.pool.y[i]));
        expect(r.metrics.label_noise).toBeCloseTo(zip(r.selectedLabels!).filter(([g, t]) => g !== t).length / r.selected.length, 12);
      } else expect(r.metrics.label_noise).toBeUndefined();
    }
  });
});

const zip = (labels: { given: Int32Array; truth: Int32Array }): Array<[number, number]> => [...labels.given].map((g, i) => [g, labels.truth[i]!]);

describe("every multi-label sampler under a noisy oracle and a cost budget (yeast)", () => {
  const names = samplerNames.filter((s) => tasksOf(s).includes("multilabel"));

  /** The given 0/1 set of every pool point, computed apart from the loop. */
  const answerSets = (oracle: SimulatedOracle, ds: Dataset): Float32Array => {
    const { data: truth, n, c } = ds.pool.labelSets!;
    const out = new Float32Array(n * c);
    for (let i = 0; i < n; i++) givenLabelSet(oracle, SEED, i, truth.subarray(i * c, (i + 1) * c), out.subarray(i * c, (i + 1) * c));
    return out;
  };
  const labelIndices = (data: Float32Array, i: number, c: number): number[] => [...data.subarray(i * c, (i + 1) * c)].flatMap((v, l) => (v === 1 ? [l] : []));

  const check = (records: RoundRecord[], fits: Targets[], ds: Dataset, given: Float32Array): void => {
    const sets = ds.pool.labelSets!;
    const c = sets.c;
    const order = labelledOrder(records);
    // The noise reached the labelled points: some given sets differ from the true ones.
    expect(order.some((i) => labelIndices(given, i, c).join() !== labelIndices(sets.data, i, c).join())).toBe(true);
    const stored = (r: RoundRecord) => [...(r.initialLabelSets ? pairs(r.initialLabelSets) : []), ...pairs(r.selectedLabelSets!)];
    for (const r of records) {
      // Multi-label answers are stored as sets, never as single labels.
      expect([r.selectedLabels, r.initialLabels]).toEqual([undefined, undefined]);
      const fit = fits.find((f) => !(f instanceof Int32Array) && f.n === r.labelled);
      expect(fit, `a fit on ${r.labelled} label sets`).toBeDefined();
      const trained = order.slice(0, r.labelled);
      expect([...(fit as { data: Float32Array }).data]).toEqual(trained.flatMap((i) => [...given.subarray(i * c, (i + 1) * c)]));
      const upTo = records.filter((q) => q.round < r.round).flatMap(stored);
      if (r.round === 0) upTo.push(...pairs(r.initialLabelSets!));
      expect(upTo.map(([g]) => g)).toEqual(trained.map((i) => labelIndices(given, i, c).join()));
      expect(upTo.map(([, t]) => t)).toEqual(trained.map((i) => labelIndices(sets.data, i, c).join()));
      expect(r.metrics.train_label_noise).toBeCloseTo(upTo.filter(([g, t]) => g !== t).length / r.labelled, 12);
      let wrongEntries = 0;
      for (const i of trained) for (let l = 0; l < c; l++) if (given[i * c + l] !== sets.data[i * c + l]) wrongEntries++;
      expect(r.metrics.train_label_entry_noise).toBeCloseTo(wrongEntries / (r.labelled * c), 12);
      if (r.selected.length > 0) {
        const batch = pairs(r.selectedLabelSets!);
        expect(batch.map(([g]) => g)).toEqual([...r.selected].map((i) => labelIndices(given, i, c).join()));
        expect(r.metrics.label_noise).toBeCloseTo(batch.filter(([g, t]) => g !== t).length / r.selected.length, 12);
        expect(r.metrics.label_entry_noise).toBeGreaterThan(0);
      } else expect([r.metrics.label_noise, r.metrics.label_entry_noise]).toEqual([undefined, undefined]);
    }
  };

  it.each(names)("%s trains on the given label sets, stores them, counts their noise and cost, stops at the budget", { timeout: 60_000 }, async (name) => {
    const ds = data.multilabel;
    const { records, fits } = await run(config(name, "multilabel"), ds);
    expectBudgetStop(records);
    check(records, fits, ds, answerSets({ noise: SET_NOISE }, ds));
  });

  it("takes a per-label 2×2 confusion: labels missed far more often than added", async () => {
    const ds = data.multilabel;
    const oracle = { confusion: [[0.98, 0.02], [0.4, 0.6]] };
    const { records, fits } = await run({ ...config("random", "multilabel"), oracle }, ds);
    const given = answerSets(oracle, ds);
    check(records, fits, ds, given);
    // Over the whole pool, the two kinds of error follow the matrix (within 5 binomial sd).
    const truth = ds.pool.labelSets!.data;
    let absent = 0, added = 0, present = 0, missed = 0;
    for (let j = 0; j < truth.length; j++) {
      if (truth[j] === 1) {
        present++;
        if (given[j] === 0) missed++;
      } else {
        absent++;
        if (given[j] === 1) added++;
      }
    }
    const within = (k: number, n: number, p: number) => expect(Math.abs(k / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    within(missed, present, 0.4);
    within(added, absent, 0.02);
  });
});

/** A stored label-set pair as comparable strings: given, true. */
const pairs = (sets: { given: Int32Array[]; truth: Int32Array[] }): Array<[string, string]> => sets.given.map((g, i) => [[...g].join(), [...sets.truth[i]!].join()]);

describe("the sampler cases", () => {
  it("cover every registered sampler on every task it declares", () => {
    const covered = samplerNames.filter((s) => tasksOf(s).every((t) => t === "multiclass" || t === "multilabel"));
    expect(covered).toEqual(samplerNames);
    // Both halves are populated: the filters above are not vacuous.
    expect(samplerNames.filter((s) => tasksOf(s).includes("multilabel")).length).toBeGreaterThan(5);
    expect(samplerNames.filter((s) => tasksOf(s).includes("multiclass")).length).toBeGreaterThan(20);
  });
});
