/**
 * VAAL's VAE reconstructs feature vectors: preflight refuses a text set read as token ids, in
 * one line naming the file and the fix, and accepts the same set as TF-IDF features.
 */
import { describe, expect, it } from "vitest";
import { parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { preflight } from "../../lib/runner/preflight.ts";
import { sharedData } from "../learners/real-data.ts";

process.env.AL_DATA_DIR ??= sharedData;

const base = {
  name: "t",
  learner: "logistic",
  samplers: ["vaal"],
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 1,
  epochs: 1,
  seeds: [1],
};

async function errorOf(spec: Record<string, unknown>): Promise<string> {
  try {
    await preflight(expandExperiment(parseExperiment({ ...base, ...spec }, "exp.ts"), "exp.ts"), "exp.ts");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("vaal against the data", () => {
  const trec = { name: "trec", dir: `${sharedData}text/trec`, pool: 300, test: 100 };

  it("refuses token ids, accepts TF-IDF features, images and tables", async () => {
    expect(await errorOf({ dataset: trec, learner: "mlp" })).toBe(
      'exp.ts: sampler "vaal" trains a VAE on feature vectors, but data set "trec" gives token ids; set features: "tfidf" in its dataset options',
    );
    expect(await errorOf({ dataset: { ...trec, features: "tfidf", vocabSize: 50 } })).toBe("no error");
    expect(await errorOf({ dataset: { name: "fashion-mnist-small", pool: 200, test: 100 } })).toBe("no error");
    expect(await errorOf({ dataset: "wdbc" })).toBe("no error");
  });

  it("refuses bad options in one line naming the path", async () => {
    await expect(errorOf({ dataset: "wdbc", samplers: [{ name: "vaal", options: { latent: 0 } }] })).resolves.toMatch(/samplers\[0\]\.options\.latent: expected a whole number ≥ 1/);
  });
});
