/**
 * End to end on a generated image folder: an experiment names it, the grid expands it to run
 * configs that carry a name, loadImageFolder reads it, and the cnn learner (wasm) trains on
 * the rows with the data set's [h, w, c] shape, as lib/runner/execute-run.ts builds it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { argmaxRows } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import { loadImageFolder } from "../../lib/data/loaders/images.ts";
import { parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { runId } from "../../lib/experiments/id.ts";
import { cnn } from "../../lib/learners/cnn.ts";

let root: string;

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  // Two classes of 12×10 RGB PNGs: bright reddish squares and dark bluish ones, with noise.
  root = mkdtempSync(join(tmpdir(), "al-img-cnn-"));
  const random = createRandom(7, "images");
  for (const [cls, base] of [["bright", [220, 160, 120]], ["dark", [40, 60, 110]]] as const) {
    mkdirSync(join(root, "shapes", cls), { recursive: true });
    for (let i = 0; i < 24; i++) {
      const image = new PNG({ width: 12, height: 10 });
      for (let p = 0; p < 120; p++) {
        for (let c = 0; c < 3; c++) image.data[4 * p + c] = Math.max(0, Math.min(255, base[c]! + Math.round((random.next() - 0.5) * 60)));
        image.data[4 * p + 3] = 255;
      }
      writeFileSync(join(root, "shapes", cls, `${String(i).padStart(2, "0")}.png`), PNG.sync.write(image));
    }
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("an image folder through the grid and the cnn learner", () => {
  it("expands to named run configs and trains one fit on [8, 8, 3] rows", async () => {
    const spec = parseExperiment(
      {
        name: "own-images",
        dataset: { images: join(root, "shapes"), size: 8, testFraction: 0.25 },
        learner: { name: "cnn", options: { filters: [4], hidden: [8], learningRate: 0.01, batchSize: 8 } },
        samplers: ["random"],
        initial: { size: 10 },
        acquisition: { size: 5 },
        rounds: 1,
        seeds: [1],
      },
      "exp.ts",
    );
    const [config] = expandExperiment(spec, "exp.ts");
    expect(config!.dataset).toMatchObject({ name: "shapes", size: [8, 8], channels: 3, layout: "class-folders" });
    expect(runId(config!, { checksum: "x", version: "v", backend: "wasm" })).toMatch(/^[0-9a-f]{16}$/);
    if (!("images" in config!.dataset)) throw new Error("expected an image-folder reference");

    const ds = await loadImageFolder(config!.dataset);
    expect(ds.shape).toEqual([8, 8, 3]);
    expect([ds.pool.x.n, ds.test.x.n, ds.pool.x.c]).toEqual([36, 12, 192]);
    const learner = cnn.create(cnn.parseOptions(config!.learner.options, "learner.options"), { inputSize: ds.pool.x.c, inputShape: ds.shape, classes: ds.classes.length });
    learner.reset(1);
    await learner.fit(ds.pool.x, ds.pool.y, { epochs: 8, random: createRandom(1, "fit") });
    const probs = await learner.predictProba(ds.test.x);
    expect([probs.n, probs.c]).toEqual([12, 2]);
    for (let i = 0; i < 12; i++) expect(probs.data[2 * i]! + probs.data[2 * i + 1]!).toBeCloseTo(1, 5);
    // Bright vs dark is separable by the mean pixel alone; a trained net gets most of the test part.
    expect(accuracy(argmaxRows(probs), ds.test.y)).toBeGreaterThanOrEqual(0.75);
    learner.dispose();
  }, 20_000);
});
