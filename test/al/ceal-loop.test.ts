/**
 * CEAL through the loop on real data (Fashion-MNIST small, the MLP for three epochs, a noisy
 * oracle): each fit gets the labelled rows and then the previous round's pseudo-labels, which
 * are exactly pseudoLabels() of that round's model over the pool minus labelled and picked
 * points; they never enter the labelled set or the selections; the count and accuracy (against
 * the true labels) are stored per round; a run resumed from any round's state is bit-identical.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { roundView } from "../../lib/al/candidates.ts";
import { runLoop, type LoopState } from "../../lib/al/loop.ts";
import { takeRows, type Matrix } from "../../lib/al/matrix.ts";
import { givenLabels, type SimulatedOracle } from "../../lib/al/oracle.ts";
import { pseudoLabels } from "../../lib/al/pseudo-labels.ts";
import { createRandom } from "../../lib/al/random.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { ceal } from "../../lib/al/samplers/ceal.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import type { Learner } from "../../lib/learners/learner.ts";
import { mlp } from "../../lib/learners/mlp.ts";
import { sharedData } from "../learners/real-data.ts";

let ds: Dataset;
beforeAll(async () => {
  process.env.AL_DATA_DIR ??= sharedData;
  await selectBackend({ force: "wasm", warn: () => {} });
  ds = await loadDataset({ name: "fashion-mnist-small", pool: 300, test: 100 });
});

// Loose enough that a 3-epoch MLP on 20–50 labels is below it for some points: δ = 1.2, 1.0, 0.8 nats.
const options = { base: "margin", threshold: 1.2, decay: 0.2 };

function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    experiment: "ceal",
    dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
    learner: { name: "mlp", options: { hidden: [32], dropout: 0.2, learningRate: 0.01 } },
    sampler: { name: "ceal", options },
    mode: "retrain",
    initial: { size: 20, stratified: true },
    acquisition: { size: 10 },
    rounds: 3,
    epochs: 3,
    seed: 3,
    oracle: { noise: 0.3 },
    ...overrides,
  };
}

interface Fit {
  x: Matrix;
  y: Int32Array;
  /** The fitted model's pool probabilities. */
  pool: Matrix;
}

/** The real MLP, keeping what each fit was given and the pool predictions it then makes. */
function watchedMlp(): { learner: Learner; fits: Fit[] } {
  const inner = mlp.create(mlp.parseOptions(config().learner.options, "o"), { inputSize: 784, classes: 10 });
  const fits: Fit[] = [];
  const learner: Learner = {
    reset: (seed) => inner.reset(seed),
    async fit(x, y, fitOptions) {
      const result = await inner.fit(x, y, fitOptions);
      fits.push({ x, y: Int32Array.from(y as Int32Array), pool: await inner.predictProba(ds.pool.x) });
      return result;
    },
    predictProba: (x) => inner.predictProba(x),
    getState: () => inner.getState!(),
    setState: (state) => inner.setState!(state),
    dispose: () => inner.dispose(),
  };
  return { learner, fits };
}

async function run(cfg: RunConfig, resume?: LoopState) {
  const { learner, fits } = watchedMlp();
  const rounds: Array<{ record: RoundRecord; state: LoopState }> = [];
  try {
    await runLoop({
      runId: "r",
      config: cfg,
      dataset: ds,
      learner,
      sampler: ceal,
      samplerOptions: ceal.parseOptions(cfg.sampler.options, "sampler.options"),
      keepState: true,
      onRound: (record, state) => void rounds.push({ record, state }),
      ...(resume ? { resume } : {}),
    });
  } finally {
    learner.dispose();
  }
  return { rounds, fits };
}

/** Everything but the timings. */
const values = (r: RoundRecord) => ({ ...r, seconds: undefined });

describe("ceal in the loop", () => {
  // With acquisition.candidates the sampler sees a 60-point view, but pseudo-labels still come from the whole pool.
  it.each([["plain", {}], ["candidates", { acquisition: { size: 10, candidates: 60 } }]] as const)("%s: each fit gets the labelled rows, then the previous round's pseudo-labels; metrics per round; labelled set untouched", { timeout: 120_000 }, async (_, overrides) => {
    const cfg = config(overrides);
    const { rounds, fits } = await run(cfg);
    expect(rounds.map((r) => r.record.labelled)).toEqual([20, 30, 40, 50]);
    expect(fits).toHaveLength(4);
    const answered = givenLabels(cfg.oracle as SimulatedOracle, cfg.seed, Int32Array.from({ length: 300 }, (_, i) => i), ds.pool.y, 10);
    const parsed = ceal.parseOptions(options, "o");
    let total = 0;
    let outside = 0;
    for (let round = 0; round < 4; round++) {
      const { record, state } = rounds[round]!;
      const fit = fits[round]!;
      const labelled = state.order.slice(0, record.labelled);
      // The pseudo-labels this fit trained on: the previous round's, from its model's pool predictions.
      const previous = round === 0 ? undefined : rounds[round - 1]!.state;
      const pseudo = previous?.pseudoLabels;
      if (previous) {
        const blocked = new Uint8Array(300);
        for (const i of previous.order) blocked[i] = 1; // labelled and just picked
        expect(pseudo).toEqual(pseudoLabels(fits[round - 1]!.pool, blocked, round - 1, parsed));
        for (const i of pseudo!.points) expect(blocked[i], `round ${round}: point ${i}`).toBe(0);
        if (cfg.acquisition.candidates !== undefined) {
          // The previous round's candidate view, as the loop drew it: pseudo-labels reach beyond it.
          const before = new Uint8Array(300);
          for (const i of previous.order.slice(0, rounds[round - 1]!.record.labelled)) before[i] = 1;
          const view = roundView(before, cfg.acquisition.candidates, () => createRandom(cfg.seed, "candidates", round - 1))!;
          outside += pseudo!.points.filter((i) => !view.rows.includes(i)).length;
          for (const i of rounds[round - 1]!.record.selected) expect(view.rows.includes(i)).toBe(true);
        }
      }
      const count = pseudo?.points.length ?? 0;
      total += count;
      // Rows: the labelled set with the oracle's labels, then the pseudo-labelled points with the model's classes.
      expect(fit.x.n).toBe(record.labelled + count);
      const rows = [...labelled, ...(pseudo?.points ?? [])];
      const bytes = (m: Matrix) => Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      expect(bytes(fit.x).equals(bytes(takeRows(ds.pool.x, rows))), `round ${round}: the fit's rows`).toBe(true);
      expect(Array.from(fit.y)).toEqual([...Array.from(labelled, (p) => answered[p]!), ...(pseudo ? Array.from(pseudo.classes) : [])]);
      // Stored: the count, and the share right against the true labels (not the oracle's).
      expect(record.metrics["pseudo_labels"]).toBe(count);
      if (count === 0) expect(record.metrics).not.toHaveProperty("pseudo_label_accuracy");
      else {
        const right = pseudo!.points.reduce((n, p, j) => n + (pseudo!.classes[j] === ds.pool.y[p] ? 1 : 0), 0);
        expect(record.metrics["pseudo_label_accuracy"]).toBe(right / count);
      }
      // Pseudo-labelled points stay unlabelled: neither in the labelled set nor this round's picks.
      if (pseudo) for (const p of pseudo.points) expect(state.order.slice(0, record.labelled).includes(p)).toBe(false);
      expect(record.selected.length).toBe(round < 3 ? 10 : 0);
    }
    expect(total).toBeGreaterThan(0);
    if (cfg.acquisition.candidates !== undefined) expect(outside).toBeGreaterThan(0);
    // The last round selects nothing, so it leaves no pseudo-labels behind.
    expect(rounds[3]!.state.pseudoLabels).toBeUndefined();
  });

  it("resumes from any round's state (retrain and keep-train) to the uninterrupted run's records, bit for bit", { timeout: 240_000 }, async () => {
    for (const mode of ["retrain", "keep-train"] as const) {
      const cfg = config({ mode, ...(mode === "keep-train" ? { period: 1 } : {}) });
      const whole = await run(cfg);
      expect(whole.rounds.some((r) => (r.record.metrics["pseudo_labels"] ?? 0) > 0), mode).toBe(true);
      for (const after of [0, 1]) {
        // A checkpoint is the state as v8 serialises it; structuredClone is the same algorithm.
        const rest = await run(cfg, structuredClone(whole.rounds[after]!.state));
        expect(rest.rounds.map((r) => values(r.record)), `${mode} after ${after}`).toEqual(whole.rounds.slice(after + 1).map((r) => values(r.record)));
        expect(rest.rounds.map((r) => r.state.pseudoLabels)).toEqual(whole.rounds.slice(after + 1).map((r) => r.state.pseudoLabels));
      }
    }
  });

  it("without the state's pseudo-labels a resumed round trains on different rows (the state matters)", { timeout: 120_000 }, async () => {
    const cfg = config();
    const whole = await run(cfg);
    const state = whole.rounds[0]!.state;
    expect(state.pseudoLabels!.points.length).toBeGreaterThan(0);
    const { pseudoLabels: _, ...stripped } = state;
    const rest = await run(cfg, stripped);
    expect(rest.fits[0]!.x.n).toBe(30);
    expect(whole.fits[1]!.x.n).toBe(30 + state.pseudoLabels!.points.length);
    expect(rest.rounds[0]!.record.metrics["pseudo_labels"]).toBe(0);
  });
});
