/** acquisition.candidates: each round scores a seeded random subset of the unlabelled pool. */
import { beforeAll, describe, expect, it } from "vitest";
import { drawCandidates, poolView, roundView, toView, viewSplit } from "../../lib/al/candidates.ts";
import { runLoop } from "../../lib/al/loop.ts";
import type { Matrix } from "../../lib/al/matrix.ts";
import { createRandom } from "../../lib/al/random.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler } from "../../lib/al/samplers/index.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { Learner } from "../../lib/learners/learner.ts";
import { centroidCore } from "./centroid-learner.ts";

let ds: Dataset;
beforeAll(async () => {
  ds = await loadDataset({ name: "fashion-mnist-small", pool: 400, test: 100 });
});

/** test/al/centroid-learner.ts, recording how many points each MC pass covers. */
function centroidLearner(classes: number): Learner & { calls: number[] } {
  const core = centroidCore(classes);
  const calls: number[] = [];
  return {
    calls,
    reset: () => {},
    fit: (x, targets, options) => core.fit(x, targets, options),
    predictProba: (x) => core.predictProba(x),
    // Records how many points each MC pass covers: the view, not the pool.
    async predictSamples(x, { samples }) {
      calls.push(x.n);
      const p = await this.predictProba(x);
      const data = new Float32Array(x.n * samples * classes);
      for (let i = 0; i < x.n; i++) for (let t = 0; t < samples; t++) data.set(p.data.subarray(i * classes, (i + 1) * classes), (i * samples + t) * classes);
      return { data, n: x.n, t: samples, c: classes };
    },
    dispose: () => {},
  };
}

function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    experiment: "t",
    dataset: { name: "fashion-mnist-small", pool: 400, test: 100 },
    learner: { name: "centroid", options: {} },
    sampler: { name: "entropy", options: {} },
    mode: "retrain",
    initial: { size: 20, stratified: true },
    acquisition: { size: 10, candidates: 50 },
    rounds: 3,
    epochs: 1,
    seed: 4,
    ...overrides,
  };
}

async function collect(cfg: RunConfig, learner = centroidLearner(10)): Promise<RoundRecord[]> {
  const records: RoundRecord[] = [];
  const sampler = getSampler(cfg.sampler.name, "sampler");
  await runLoop({
    runId: "r",
    config: cfg,
    dataset: ds,
    learner,
    sampler,
    samplerOptions: sampler.parseOptions(cfg.sampler.options, "sampler.options"),
    onRound: (r) => void records.push(r),
  });
  return records;
}

/** The blocked mask before round r's selection, rebuilt from the records. */
function blockedBefore(records: RoundRecord[], round: number): Uint8Array {
  const blocked = new Uint8Array(ds.pool.x.n);
  for (const i of records[0]!.initial!) blocked[i] = 1;
  for (const r of records.slice(0, round)) for (const i of r.selected) blocked[i] = 1;
  return blocked;
}

function entropyOf(p: Matrix, i: number): number {
  let h = 0;
  for (let c = 0; c < p.c; c++) {
    const v = p.data[i * p.c + c]!;
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}

describe("drawCandidates and the pool view", () => {
  const blocked = Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 1, 0, 0]); // 7 open points

  it("draws `count` distinct unblocked points, ascending, the same for the same stream", () => {
    const a = drawCandidates(blocked, 4, createRandom(1, "candidates", 2));
    expect(a).toHaveLength(4);
    expect(new Set(a).size).toBe(4);
    for (const i of a) expect(blocked[i]).toBe(0);
    expect([...a]).toEqual([...a].sort((x, y) => x - y));
    expect(drawCandidates(blocked, 4, createRandom(1, "candidates", 2))).toEqual(a);
    // Another round's stream draws other subsets (some of 8 rounds must differ from round 2's).
    const others = [0, 1, 3, 4, 5, 6, 7, 8].map((r) => drawCandidates(blocked, 4, createRandom(1, "candidates", r)).join());
    expect(others.some((o) => o !== a.join())).toBe(true);
    // Asking for as many as are open, or more, gives every open point.
    expect([...drawCandidates(blocked, 7, createRandom(1, "c"))]).toEqual([1, 2, 4, 5, 6, 8, 9]);
    expect([...drawCandidates(blocked, 50, createRandom(1, "c"))]).toEqual([1, 2, 4, 5, 6, 8, 9]);
  });

  it("keeps every blocked point and the candidates, mapping indices both ways", () => {
    const view = poolView(blocked, Int32Array.from([2, 8]));
    expect([...view.rows]).toEqual([0, 2, 3, 7, 8]);
    expect([...view.blocked]).toEqual([1, 0, 1, 1, 0]);
    expect([...toView(view, Int32Array.from([7, 0]))]).toEqual([3, 0]);
    expect(() => toView(view, Int32Array.from([5]))).toThrow("candidates: pool point 5 is not in this round's view");
    const split = viewSplit({ x: { data: Float32Array.from({ length: 20 }, (_, i) => i), n: 10, c: 2 }, y: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) }, view);
    expect([...split.y]).toEqual([0, 2, 3, 7, 8]);
    expect([...split.x.data]).toEqual([0, 1, 4, 5, 6, 7, 14, 15, 16, 17]);
  });

  it("roundView: the view of that round's draw, none without candidates or when it spans the pool", () => {
    const stream = () => createRandom(1, "candidates", 2);
    expect(roundView(blocked, 4, stream)).toEqual(poolView(blocked, drawCandidates(blocked, 4, stream())));
    expect(roundView(blocked, 4, stream)!.rows).toHaveLength(3 + 4);
    expect(roundView(blocked, undefined, stream)).toBeUndefined();
    expect(roundView(blocked, 7, stream)).toBeUndefined();
  });
});

describe("the loop with acquisition.candidates", () => {
  it("selects each round's top-entropy points among that round's seeded candidates, and only there", async () => {
    const cfg = config();
    const records = await collect(cfg);
    expect(records.map((r) => r.labelled)).toEqual([20, 30, 40, 50]);
    for (const r of records.slice(0, 3)) {
      const candidates = drawCandidates(blockedBefore(records, r.round), 50, createRandom(cfg.seed, "candidates", r.round));
      // Refit the same deterministic learner on the round's training set: the sampler's view.
      const labelled = blockedBefore(records, r.round);
      const train = Int32Array.from([...labelled.keys()].filter((i) => labelled[i] === 1));
      const learner = centroidLearner(10);
      const x = { data: new Float32Array(train.length * ds.pool.x.c), n: train.length, c: ds.pool.x.c };
      train.forEach((p, j) => x.data.set(ds.pool.x.data.subarray(p * x.c, (p + 1) * x.c), j * x.c));
      await learner.fit(x, Int32Array.from(train, (p) => ds.pool.y[p]!), { epochs: 1, random: createRandom(0, "x") });
      const probs = await learner.predictProba(ds.pool.x);
      const expected = [...candidates].sort((a, b) => entropyOf(probs, b) - entropyOf(probs, a) || a - b).slice(0, 10);
      expect([...r.selected].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    }
    // Deterministic: the same config selects the same points.
    expect((await collect(cfg)).map((r) => [...r.selected])).toEqual(records.map((r) => [...r.selected]));
    // Another seed, other candidates (and initial set).
    expect((await collect({ ...cfg, seed: 5 })).map((r) => [...r.selected])).not.toEqual(records.map((r) => [...r.selected]));
  });

  it("computes MC samples for the view only (candidates + labelled points), not the pool", async () => {
    const learner = centroidLearner(10);
    await collect(config({ sampler: { name: "bald", options: {} }, mcSamples: { method: "mc-dropout", samples: 3 } }), learner);
    // 50 candidates + 20, 30, 40 labelled points.
    expect(learner.calls).toEqual([70, 80, 90]);
    const whole = centroidLearner(10);
    await collect(config({ sampler: { name: "bald", options: {} }, mcSamples: { method: "mc-dropout", samples: 3 }, acquisition: { size: 10 } }), whole);
    expect(whole.calls).toEqual([400, 400, 400]);
  });

  it("without candidates selects as before: the whole pool is scored (the same top-entropy batch as candidates ≥ pool)", async () => {
    const all = await collect(config({ acquisition: { size: 10 } }));
    const every = await collect(config({ acquisition: { size: 10, candidates: 400 } }));
    expect(every.map((r) => [...r.selected])).toEqual(all.map((r) => [...r.selected]));
    const some = await collect(config());
    expect(some.map((r) => [...r.selected])).not.toEqual(all.map((r) => [...r.selected]));
  });

  it("rejects fewer candidates than points acquired per round, before training", async () => {
    await expect(collect(config({ acquisition: { size: 10, candidates: 9 } }))).rejects.toThrow(
      "acquisition.candidates: 9 scored points per round cannot yield 10 acquisitions; raise candidates to at least 10 or lower acquisition.size",
    );
  });
});

describe("acquisition.candidates in the spec", () => {
  const base = { name: "e", dataset: "wdbc", learner: "logistic", samplers: ["margin"], initial: { size: 10 }, rounds: 2, seeds: [1] };

  it("is carried into the RunConfig when set and absent otherwise (existing run ids unchanged)", () => {
    const [withCandidates] = expandExperiment(parseExperiment({ ...base, acquisition: { size: 5, candidates: 100 } }, "e.ts"), "e.ts");
    expect(withCandidates!.acquisition).toEqual({ size: 5, candidates: 100 });
    const [without] = expandExperiment(parseExperiment({ ...base, acquisition: { size: 5 } }, "e.ts"), "e.ts");
    expect(Object.keys(without!.acquisition)).toEqual(["size"]);
  });

  it("must be a whole number ≥ 1", () => {
    expect(() => parseExperiment({ ...base, acquisition: { size: 5, candidates: 0 } }, "e.ts")).toThrow("acquisition.candidates");
    expect(() => parseExperiment({ ...base, acquisition: { size: 5, candidates: 2.5 } }, "e.ts")).toThrow("acquisition.candidates");
  });
});
