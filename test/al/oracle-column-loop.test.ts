/**
 * The loop with a real annotator's labels and costs read from columns of a user's table: every
 * sampler trains on the annotator's answers, the stored labels, noise and cost metrics follow
 * the file's rows (the annotator is wrong exactly on rows i % 10 === 3, a label costs
 * 1 + i % 4), a cost budget in those units stops where it says, and a resumed run is the same.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoop, type LoopState } from "../../lib/al/loop.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler, samplerNames } from "../../lib/al/samplers/index.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { Learner } from "../../lib/learners/learner.ts";
import { isFlipped, writeAnnotatedCsv, type AnnotatedTable } from "../data/annotated-table.ts";
import { centroidCore } from "./centroid-learner.ts";

const dir = mkdtempSync(join(tmpdir(), "al-oracle-column-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let table: AnnotatedTable;
let data: Dataset;
beforeAll(async () => {
  table = writeAnnotatedCsv(dir, 160);
  data = await loadDataset({ file: table.csv, name: "pima", label: "label", testFraction: 0.25, standardize: true, annotations: { oracle: ["annotator"], cost: "seconds" } });
});

/** The centroid learner, keeping each fit's targets. */
function recordingLearner() {
  const core = centroidCore(2);
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
  return { learner, fits };
}

function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    experiment: "t",
    dataset: { file: table.csv, name: "pima", label: "label" },
    learner: { name: "mlp", options: {} },
    sampler: { name: "margin", options: {} },
    mode: "retrain",
    initial: { size: 10, stratified: true },
    acquisition: { size: 5 },
    rounds: 3,
    epochs: 1,
    seed: 2,
    oracle: { column: "annotator" },
    cost: { column: "seconds" },
    ...overrides,
  };
}

async function collect(cfg: RunConfig, extra: { resume?: LoopState; stopAfter?: number } = {}) {
  const records: RoundRecord[] = [];
  const states: LoopState[] = [];
  const { learner, fits } = recordingLearner();
  const sampler = getSampler(cfg.sampler.name, "sampler");
  await runLoop({
    runId: "r",
    config: cfg,
    dataset: data,
    learner,
    sampler,
    samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
    ...(extra.resume ? { resume: extra.resume } : {}),
    onRound: (r, s) => {
      records.push(r);
      states.push(s);
      if (extra.stopAfter === r.round) throw new Error("killed");
    },
    makeLearner: () => recordingLearner().learner,
  }).catch((e: Error) => {
    if (e.message !== "killed") throw e;
  });
  return { records, states, fits };
}

const order = (records: RoundRecord[]): number[] => records.flatMap((r) => [...(r.initial ?? []), ...r.selected]);
/** The annotator's label, its truth and its cost for pool point i, from the file's own row. */
const rowOf = (i: number): number => data.pool.rows![i]!;
const given = (i: number): number => data.classes.indexOf(table.annotator[rowOf(i)]!);
const truth = (i: number): number => data.classes.indexOf(table.truth[rowOf(i)]!);
const cost = (i: number): number => table.seconds[rowOf(i)]!;

describe("an annotator's column in the loop", () => {
  // The recording learner trains in no epochs and has no loss-prediction module: label-dispersion
  // and loss-prediction run under an oracle with the real MLP in test/al/oracle-every-sampler.test.ts.
  const multiclass = samplerNames.filter((s) => s !== "stochastic" && s !== "iconfidence" && !getSampler(s, "s").needs.includes("epochPredictions") && !getSampler(s, "s").needs.includes("predictedLoss") && (getSampler(s, "s").tasks ?? ["multiclass"]).includes("multiclass"));
  const cases: Array<[string, Record<string, unknown>]> = [...multiclass.map((s): [string, Record<string, unknown>] => [s, {}]), ["stochastic", { score: "margin" }], ["iconfidence", {}]];
  it.each(cases)("%s %o: trains on the column's labels, stores them beside the true ones, counts their noise and the column's costs", async (name, options) => {
    const needsMc = getSampler(name, "s").needs.includes("mcSamples");
    const cfg = config({
      sampler: { name, options },
      ...(needsMc ? { mcSamples: { method: "ensemble" as const, samples: 3 } } : {}),
      ...(name === "iconfidence" ? { reference: { learner: { name: "mlp", options: {} }, epochs: 1 } } : {}),
    });
    const { records, fits } = await collect(cfg);
    const labelled = order(records);
    expect(new Set(labelled).size).toBe(labelled.length);
    expect(labelled.length).toBe(25);
    for (const r of records) {
      const trained = labelled.slice(0, r.labelled);
      expect([...fits.find((f) => f.length === r.labelled)!]).toEqual(trained.map(given));
      expect(r.metrics.train_label_noise).toBeCloseTo(trained.filter((i) => isFlipped(rowOf(i))).length / trained.length, 12);
      expect(r.metrics.cost).toBe(trained.reduce((a, i) => a + cost(i), 0));
      if (r.selected.length > 0) {
        const picked = [...r.selected];
        expect(r.metrics.label_noise).toBeCloseTo(picked.filter((i) => isFlipped(rowOf(i))).length / picked.length, 12);
        expect([...r.selectedLabels!.given]).toEqual(picked.map(given));
        expect([...r.selectedLabels!.truth]).toEqual(picked.map(truth));
        expect([...r.selectedCosts!]).toEqual(picked.map(cost));
      }
    }
    // The stratified initial set is balanced by the annotator's labels (5 and 5), whatever the truth.
    const initial = [...records[0]!.initial!];
    expect([...records[0]!.initialLabels!.given]).toEqual(initial.map(given));
    expect(initial.filter((i) => given(i) === 0).length).toBe(5);
  });

  it("a cost budget in the column's units keeps the affordable prefix, fits once more and stops; a resume is the same run", async () => {
    const { rounds: _r, ...rest } = config({ sampler: { name: "entropy", options: {} } });
    const budgeted: RunConfig = { ...rest, costBudget: 52 };
    const whole = await collect(budgeted);
    const spent = (n: number) => order(whole.records).slice(0, n).reduce((a, i) => a + cost(i), 0);
    const last = whole.records.at(-1)!;
    expect(last.selected.length).toBe(0);
    for (const r of whole.records) expect(r.metrics.cost).toBe(spent(r.labelled));
    expect(last.metrics.cost!).toBeLessThanOrEqual(52);
    // The cut batch: its sampler's next pick (the uncut run's) would have crossed the budget.
    const cut = whole.records.at(-2)!;
    expect(cut.selected.length).toBeLessThan(5);
    const uncut = await collect({ ...budgeted, costBudget: 10_000 });
    const full = uncut.records[cut.round]!.selected;
    expect([...full.slice(0, cut.selected.length)]).toEqual([...cut.selected]);
    expect(spent(last.labelled) + cost(full[cut.selected.length]!)).toBeGreaterThan(52);

    const strip = (r: RoundRecord) => ({ ...r, seconds: undefined });
    for (const stop of [0, whole.records.length - 2]) {
      const first = await collect(budgeted, { stopAfter: stop });
      const rest = await collect(budgeted, { resume: first.states.at(-1)! });
      expect([...first.records, ...rest.records].map(strip)).toEqual(whole.records.map(strip));
    }
  });
});
