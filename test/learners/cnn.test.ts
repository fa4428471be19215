/** Image CNN on real Fashion-MNIST (wasm, with the project's conv gradient kernel). */
import { beforeAll, describe, expect, it } from "vitest";
import { argmaxRows, takeRows } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import type { Dataset } from "../../lib/data/dataset.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { cnn } from "../../lib/learners/cnn.ts";
import { majorityShare } from "./real-data.ts";

let ds: Dataset;
const first = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  ds = await loadDataset({ name: "fashion-mnist-small" });
});

describe("CNN learner", () => {
  it("beats the majority class clearly on 1,000 real Fashion-MNIST images (3 epochs)", async () => {
    const learner = cnn.create(cnn.parseOptions({ filters: [8, 16], hidden: [32], learningRate: 0.003 }, "learner.options"), {
      inputSize: 784,
      inputShape: [28, 28],
      classes: 10,
    });
    learner.reset(1);
    await learner.fit(takeRows(ds.pool.x, first(1000)), ds.pool.y.slice(0, 1000), { epochs: 3, random: createRandom(1, "fit") });
    const test = takeRows(ds.test.x, first(500));
    const truth = ds.test.y.slice(0, 500);
    const acc = accuracy(argmaxRows(await learner.predictProba(test)), truth);
    // The majority class is 0.13 of these 500; this net reaches ≈ 0.67.
    expect(acc).toBeGreaterThan(majorityShare(truth) + 0.45);
    // MC-dropout passes over the same real images: N×T×C rows that are distributions.
    const samples = await learner.predictSamples!(takeRows(test, first(50)), { samples: 4, random: createRandom(1, "mc") });
    expect([samples.n, samples.t, samples.c]).toEqual([50, 4, 10]);
    for (let r = 0; r < 50 * 4; r++) expect(samples.data.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    learner.dispose();
  });

  it("builds Gal et al.'s MNIST net (two valid 4×4 convs of 32, pool 2, dense 128) with the weight shapes that implies", async () => {
    const learner = cnn.create(
      cnn.parseOptions({ filters: [32], convsPerBlock: 2, kernelSize: 4, padding: "valid", convDropout: 0.25, hidden: [128], dropout: 0.5 }, "learner.options"),
      { inputSize: 784, inputShape: [28, 28], classes: 10 },
    );
    learner.reset(1);
    const state = await learner.getState!();
    const kernels = state.tensors.filter((t) => t.shape.length > 1 && !t.name.includes("/m") && !t.name.includes("/v")).map((t) => t.shape);
    // 28 → 25 → 22 (valid 4×4) → 11 (pool 2): the dense layer reads 11 × 11 × 32 = 3,872 values.
    expect(kernels.slice(0, 4)).toEqual([[4, 4, 1, 32], [4, 4, 32, 32], [3872, 128], [128, 10]]);
    // It trains and predicts distributions (its accuracy is the reproductions' business: this
    // net is ~8× the default's cost on wasm, too slow for a unit test).
    await learner.fit(takeRows(ds.pool.x, first(64)), ds.pool.y.slice(0, 64), { epochs: 1, random: createRandom(1, "fit") });
    const probs = await learner.predictProba(takeRows(ds.test.x, first(20)));
    expect([probs.n, probs.c]).toEqual([20, 10]);
    for (let r = 0; r < 20; r++) expect(probs.data.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    learner.dispose();
  });

  it("needs an image shape that matches the rows, and pooling that leaves pixels", () => {
    const options = cnn.parseOptions({}, "learner.options");
    expect(() => cnn.create(options, { inputSize: 784, classes: 10 })).toThrow("cnn: needs an image shape ([height, width] or [height, width, channels]) in the learner shape, got none");
    expect(() => cnn.create(options, { inputSize: 784, inputShape: [28, 27], classes: 10 })).toThrow("cnn: image shape [28, 27, 1] has 756 values but rows have 784");
    expect(() => cnn.create(cnn.parseOptions({ filters: [4, 4, 4] }, "o"), { inputSize: 16, inputShape: [4, 4], classes: 2 })).toThrow(
      "cnn: 4×4 images vanish after 3 pooling blocks of size 2",
    );
    // Valid convolutions shrink the image before pooling: 8 → 8 − 2·(5 − 1) = 0 pixels left.
    expect(() => cnn.create(cnn.parseOptions({ filters: [4], convsPerBlock: 2, kernelSize: 5, padding: "valid" }, "o"), { inputSize: 64, inputShape: [8, 8], classes: 2 })).toThrow(
      "cnn: 8×8 images vanish in block 1's 2 valid 5×5 convolutions",
    );
    // 9 → 1 after the two convs, then pool 2 leaves nothing.
    expect(() => cnn.create(cnn.parseOptions({ filters: [4], convsPerBlock: 2, kernelSize: 5, padding: "valid" }, "o"), { inputSize: 81, inputShape: [9, 9], classes: 2 })).toThrow(
      "cnn: 9×9 images vanish after 1 pooling blocks of size 2",
    );
    expect(() => cnn.create(cnn.parseOptions({ filters: [4], convsPerBlock: 2, kernelSize: 5, padding: "valid" }, "o"), { inputSize: 100, inputShape: [10, 10], classes: 2 })).not.toThrow();
    // Channels last: [h, w, c] is used as given.
    expect(() => cnn.create(options, { inputSize: 48, inputShape: [4, 4, 3], classes: 2 })).not.toThrow();
  });

  it("validates options with the field named", () => {
    expect(() => cnn.parseOptions({ filters: [16, 0] }, "learner.options")).toThrow("learner.options.filters[1]");
    expect(() => cnn.parseOptions({ convDropout: 1 }, "learner.options")).toThrow("learner.options.convDropout");
    expect(() => cnn.parseOptions({ kernel: 3 }, "learner.options")).toThrow("learner.options.kernel: unknown field");
    expect(() => cnn.parseOptions({ convsPerBlock: 0 }, "learner.options")).toThrow("learner.options.convsPerBlock");
    // Absent, the new fields stay absent: stored options (and so run ids) of earlier cnn runs are unchanged.
    expect(Object.keys(cnn.parseOptions({}, "learner.options")).sort()).toEqual(["batchSize", "convDropout", "dropout", "filters", "hidden", "kernelSize", "learningRate", "optimizer", "poolSize"]);
    expect(() => cnn.parseOptions({ padding: "full" }, "learner.options")).toThrow("learner.options.padding");
  });
});
