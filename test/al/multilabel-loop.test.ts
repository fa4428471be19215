/** The loop end to end on real multi-label data (yeast, 14 labels) with every multi-label sampler. */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runLoop } from "../../lib/al/loop.ts";
import type { RoundRecord } from "../../lib/al/records.ts";
import { getSampler, samplerNames } from "../../lib/al/samplers/index.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { mlp } from "../../lib/learners/mlp.ts";

const ref = { name: "yeast-multilabel", dir: join(import.meta.dirname, "../../../shared/data/tabular"), pool: 600, test: 300 };
let ds: Dataset;
beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  ds = await loadDataset(ref as RunConfig["dataset"]);
});

const multilabel = samplerNames.filter((s) => (getSampler(s, "s").tasks ?? ["multiclass"]).includes("multilabel"));

describe("multi-label active learning", () => {
  it("loads yeast as a multi-label set", () => {
    expect(ds.task).toBe("multilabel");
    expect(ds.pool.labelSets!.c).toBe(14);
  });

  it.each(multilabel)("%s: grows by k with distinct pool points, scores AUROC over labels, learns", async (name) => {
    const config: RunConfig = {
      experiment: "t",
      dataset: ref as RunConfig["dataset"],
      learner: { name: "mlp", options: {} },
      sampler: { name, options: {} },
      mode: "keep-train",
      initial: { size: 60, stratified: false },
      acquisition: { size: 30 },
      rounds: 3,
      epochs: 20,
      seed: 1,
    };
    // loss-prediction reads the MLP's loss-prediction module: the multi-label loss it ranks is the mean per-label cross-entropy.
    const module = getSampler(name, "s").needs.includes("predictedLoss") ? { lossPrediction: { units: 16 } } : {};
    const learner = mlp.create(mlp.parseOptions({ hidden: [32], learningRate: 0.01, ...module }, "o"), {
      inputSize: ds.pool.x.c,
      classes: ds.classes.length,
      task: "multilabel",
    });
    const records: RoundRecord[] = [];
    const sampler = getSampler(name, "s");
    try {
      await runLoop({ runId: "r", config, dataset: ds, learner, sampler, samplerOptions: sampler.parseOptions({}, "o"), onRound: (r) => void records.push(r) });
    } finally {
      learner.dispose();
    }
    expect(records.map((r) => r.labelled)).toEqual([60, 90, 120, 150]);
    const all = [...records[0]!.initial!, ...records.flatMap((r) => [...r.selected])];
    expect(new Set(all).size).toBe(150);
    for (const r of records) {
      expect(r.metrics.accuracy).toBeUndefined();
      // Yeast's labels are learnable from its features: clearly above chance.
      expect(r.metrics.auroc_multilabel).toBeGreaterThan(0.55);
      expect(r.metrics.micro_f1).toBeGreaterThan(0);
    }
    expect(records[0]!.histograms!.map((h) => h.target)).toEqual(["pool", "batch"]);
  });
});
