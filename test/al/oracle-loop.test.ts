/**
 * The loop with a simulated annotator and label costs, on real data: learners train on the
 * given labels, test metrics use the true ones, every sampler works, a cost budget stops where
 * it says, and a resumed run answers exactly as an uninterrupted one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pointCosts } from "../../lib/al/cost.ts";
import { runLoop, type LoopState } from "../../lib/al/loop.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { argmaxRows } from "../../lib/al/matrix.ts";
import { givenLabels } from "../../lib/al/oracle.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler, samplerNames } from "../../lib/al/samplers/index.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { Learner } from "../../lib/learners/learner.ts";
import { sharedData } from "../learners/real-data.ts";
import { centroidCore } from "./centroid-learner.ts";

let images: Dataset;
let texts: Dataset;
beforeAll(async () => {
  // The text set lives with the shared real data (AL_DATA_DIR, as in README).
  process.env.AL_DATA_DIR ??= sharedData;
  images = await loadDataset({ name: "fashion-mnist-small", pool: 400, test: 200 });
  texts = await loadDataset({ name: "trec", pool: 300, test: 100, features: "tfidf", vocabSize: 300 });
});

/** The centroid learner, keeping each fit's targets and its last test predictions. */
function recordingLearner(classes: number) {
  const core = centroidCore(classes);
  const fits: Int32Array[] = [];
  const learner: Learner = {
    reset: () => core.clear(),
    async fit(x, targets, options) {
      fits.push(Int32Array.from(targets as Int32Array));
      await core.fit(x, targets, options);
    },
    predictProba: (x) => core.predictProba(x),
    embed: async (x) => x,
    dispose: () => {},
  };
  return { learner, fits, core };
}

function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    experiment: "t",
    dataset: { name: "fashion-mnist-small", pool: 400, test: 200 },
    learner: { name: "mlp", options: {} },
    sampler: { name: "margin", options: {} },
    mode: "retrain",
    initial: { size: 20, stratified: false },
    acquisition: { size: 10 },
    rounds: 3,
    epochs: 1,
    seed: 4,
    oracle: { noise: 0.3 },
    cost: 1.5,
    ...overrides,
  };
}

async function collect(cfg: RunConfig, dataset: Dataset, learner: Learner, extra: { resume?: LoopState; stopAfter?: number } = {}) {
  const records: RoundRecord[] = [];
  const states: LoopState[] = [];
  const sampler = getSampler(cfg.sampler.name, "sampler");
  await runLoop({
    runId: "r",
    config: cfg,
    dataset,
    learner,
    sampler,
    samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
    ...(extra.resume ? { resume: extra.resume } : {}),
    onRound: (r, s) => {
      records.push(r);
      states.push(s);
      // A kill after this round: nothing later happens.
      if (extra.stopAfter === r.round) throw new Error("killed");
    },
    makeLearner: () => recordingLearner(dataset.classes.length).learner,
  }).catch((e: Error) => {
    if (e.message !== "killed") throw e;
  });
  return { records, states };
}

const order = (records: RoundRecord[]): number[] => records.flatMap((r) => [...(r.initial ?? []), ...r.selected]);

describe("an oracle in the loop", () => {
  // label-dispersion needs a learner that trains in epochs, loss-prediction a loss-prediction module (the centroid
  // learner has neither); vaal trains a β-VAE per round (seconds at its defaults) and reads no label: test/al/vaal-loop.test.ts.
  const multiclass = samplerNames.filter((s) => s !== "stochastic" && s !== "iconfidence" && !getSampler(s, "s").needs.includes("epochPredictions") && !getSampler(s, "s").needs.includes("labelledness") && !getSampler(s, "s").needs.includes("predictedLoss") && (getSampler(s, "s").tasks ?? ["multiclass"]).includes("multiclass"));

  // The wrapper over margin, and IConfidence with its reference classifier, beside every other sampler.
  const cases: Array<[string, Record<string, unknown>]> = [...multiclass.map((s): [string, Record<string, unknown>] => [s, {}]), ["stochastic", { score: "margin" }], ["iconfidence", {}]];
  it.each(cases)("%s %o: trains on the given labels, stores them beside the true ones, counts their noise and cost", async (name, options) => {
    const cfg = config({ sampler: { name, options }, mcSamples: { method: "mc-dropout", samples: 3 }, ...(name === "iconfidence" ? { reference: { learner: { name: "mlp", options: {} }, epochs: 1 } } : {}) });
    const { learner, fits } = recordingLearner(10);
    // Samplers that need MC samples get them from an ensemble of centroid learners.
    const extra = getSampler(name, "s").needs.includes("mcSamples") ? { mcSamples: { method: "ensemble" as const, samples: 3 } } : {};
    const { records } = await collect({ ...cfg, ...extra }, images, learner);
    const answers = givenLabels({ noise: 0.3 }, 4, Int32Array.from({ length: 400 }, (_, i) => i), images.pool.y, 10);
    const labelled = order(records);
    expect(new Set(labelled).size).toBe(labelled.length);
    let at = 0;
    records.forEach((r, round) => {
      const trained = labelled.slice(0, r.labelled);
      // The round's own fit (ensemble members fit too, on the same labels: fits are the run's first);
      // ceal's fits append the previous round's pseudo-labels (the model's classes) after the labelled rows.
      const fit = fits.find((f) => f.length === r.labelled + (r.metrics.pseudo_labels ?? 0))!;
      expect([...fit.subarray(0, r.labelled)]).toEqual(trained.map((i) => answers[i]));
      const wrong = trained.filter((i) => answers[i] !== images.pool.y[i]).length;
      expect(r.metrics.train_label_noise).toBeCloseTo(wrong / trained.length, 12);
      expect(r.metrics.cost).toBeCloseTo(1.5 * r.labelled, 9);
      if (r.selected.length > 0) {
        const batchWrong = [...r.selected].filter((i) => answers[i] !== images.pool.y[i]).length;
        expect(r.metrics.label_noise).toBeCloseTo(batchWrong / r.selected.length, 12);
        expect([...r.selectedLabels!.given]).toEqual([...r.selected].map((i) => answers[i]));
        expect([...r.selectedLabels!.truth]).toEqual([...r.selected].map((i) => images.pool.y[i]));
        expect([...r.selectedCosts!]).toEqual(new Array(r.selected.length).fill(1.5));
      } else expect(r.metrics.label_noise).toBeUndefined();
      if (round === 0) expect([...r.initialLabels!.given]).toEqual([...r.initial!].map((i) => answers[i]));
      at += r.selected.length;
    });
    expect(at).toBe(30);
  });

  it("measures test accuracy against the true test labels, not the annotator's", async () => {
    const { learner, core } = recordingLearner(10);
    const { records } = await collect(config({ rounds: 1, oracle: { noise: 0.5 } }), images, learner);
    const predicted = argmaxRows(await core.predictProba(images.test.x));
    expect(records[1]!.metrics.accuracy).toBeCloseTo(accuracy(predicted, images.test.y), 12);
  });

  it("stores nothing new for a perfect oracle and no cost", async () => {
    const { oracle: _o, cost: _c, ...perfect } = config();
    const { records } = await collect(perfect, images, recordingLearner(10).learner);
    for (const r of records) {
      expect(Object.keys(r.metrics).filter((m) => ["cost", "label_noise", "train_label_noise"].includes(m))).toEqual([]);
      expect([r.selectedLabels, r.initialLabels, r.selectedCosts]).toEqual([undefined, undefined, undefined]);
    }
  });
});

describe("a cost budget", () => {
  // Text length costs: 1 + 0.05 per character of the question.
  const cost = { perCharacter: 0.05, base: 1 };
  const budgeted = (): RunConfig => {
    const { rounds: _r, ...rest } = config({ dataset: { name: "trec", pool: 300, test: 100, features: "tfidf", vocabSize: 300 }, cost, sampler: { name: "entropy", options: {} } });
    return { ...rest, costBudget: 120 };
  };

  it("keeps the affordable prefix of the batch that would cross it, then fits once more and stops", async () => {
    const { records } = await collect(budgeted(), texts, recordingLearner(6).learner);
    const costs = pointCosts(cost, texts.pool, "trec");
    const spent = (n: number) => order(records).slice(0, n).reduce((a, i) => a + costs[i]!, 0);
    const last = records.at(-1)!;
    expect(last.selected.length).toBe(0);
    // Every round's stored cost is its labelled set's, and the last is within the budget.
    for (const r of records) expect(r.metrics.cost).toBeCloseTo(spent(r.labelled), 9);
    expect(last.metrics.cost!).toBeLessThanOrEqual(120);
    // The round before the last was cut: its batch is short of 10, and the sampler's next
    // pick (re-running that round's selection uncut) would not have fit.
    const cut = records.at(-2)!;
    expect(cut.selected.length).toBeLessThan(10);
    const { records: uncut } = await collect({ ...budgeted(), costBudget: 10_000 }, texts, recordingLearner(6).learner);
    const full = uncut[cut.round]!.selected;
    expect([...full.slice(0, cut.selected.length)]).toEqual([...cut.selected]);
    expect(spent(last.labelled) + costs[full[cut.selected.length]!]!).toBeGreaterThan(120);
  });

  it("resumes after a kill at any round to the same rounds, labels and costs", async () => {
    const whole = await collect(budgeted(), texts, recordingLearner(6).learner);
    for (const stop of [0, whole.records.length - 2]) {
      const first = await collect(budgeted(), texts, recordingLearner(6).learner, { stopAfter: stop });
      const rest = await collect(budgeted(), texts, recordingLearner(6).learner, { resume: first.states.at(-1)! });
      const strip = (r: RoundRecord) => ({ ...r, seconds: undefined, metrics: { ...r.metrics } });
      expect([...first.records, ...rest.records].map(strip)).toEqual(whole.records.map(strip));
    }
    // Resumed after the last round: nothing more to do.
    const after = await collect(budgeted(), texts, recordingLearner(6).learner, { resume: whole.states.at(-1)! });
    expect(after.records).toEqual([]);
  });
});
