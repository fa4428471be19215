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

  it("needs an image shape that matches the rows, and pooling that leaves pixels", () => {
    const options = cnn.parseOptions({}, "learner.options");
    expect(() => cnn.create(options, { inputSize: 784, classes: 10 })).toThrow("cnn: needs an image shape ([height, width] or [height, width, channels]) in the learner shape, got none");
    expect(() => cnn.create(options, { inputSize: 784, inputShape: [28, 27], classes: 10 })).toThrow("cnn: image shape [28, 27, 1] has 756 values but rows have 784");
    expect(() => cnn.create(cnn.parseOptions({ filters: [4, 4, 4] }, "o"), { inputSize: 16, inputShape: [4, 4], classes: 2 })).toThrow(
      "cnn: 4×4 images vanish after 3 pooling blocks of size 2",
    );
    // Channels last: [h, w, c] is used as given.
    expect(() => cnn.create(options, { inputSize: 48, inputShape: [4, 4, 3], classes: 2 })).not.toThrow();
  });

  it("validates options with the field named", () => {
    expect(() => cnn.parseOptions({ filters: [16, 0] }, "learner.options")).toThrow("learner.options.filters[1]");
    expect(() => cnn.parseOptions({ convDropout: 1 }, "learner.options")).toThrow("learner.options.convDropout");
    expect(() => cnn.parseOptions({ kernel: 3 }, "learner.options")).toThrow("learner.options.kernel: unknown field");
  });
});
