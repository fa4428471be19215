/**
 * experiments/examples/two-step.ts, the documented wrapper of two registered samplers: margin
 * pre-filter, then k-means diversity (Zhdanov 2019). Hand-made pool first, then the file itself
 * runs (its ci profile) through the runner.
 */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { marginKMeans } from "../../experiments/examples/two-step.ts";
import { matrixOf } from "../al/samplers/diversity-fixtures.ts";
import { join } from "node:path";

describe("margin → k-means (experiments/examples/two-step.ts)", () => {
  // Margin scores 1 − (p1 − p2): 1.0, 0.9, 0.8, 0.7, then 0.2, 0.1, 0.0 (and point 7 labelled, 1.0).
  const probs = matrixOf([[0.5, 0.5], [0.55, 0.45], [0.6, 0.4], [0.65, 0.35], [0.9, 0.1], [0.95, 0.05], [1, 0], [0.5, 0.5]]);
  // Points 0–2 lie together near x = 0, 3 alone at x = 10; 4–6 (confident) far off at y = 50.
  const embeddings = matrixOf([[0, 0], [1, 0], [0.2, 0], [10, 0], [0, 50], [10, 50], [20, 50], [10, 0]]);
  const labelled = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1);
  const pick = (beta: number) =>
    Array.from(marginKMeans.select({ probs, embeddings, labelled }, 2, { beta }, { random: createRandom(1, "select") })).sort((a, b) => a - b);

  it("clusters the β·k most uncertain unlabelled points and takes the one nearest each centre", () => {
    // β = 2: candidates 0, 1, 2, 3 (the labelled 7 is never one); centres (0.4, 0) and (10, 0):
    // nearest are 2 (0.2 away; 0 is 0.4, 1 is 0.6) and 3 — not margin's top two, 0 and 1.
    expect(pick(2)).toEqual([2, 3]);
    // β = 1: the candidates are margin's top two, so k-means returns exactly them.
    expect(pick(1)).toEqual([0, 1]);
    // β large: every unlabelled point is a candidate; the far, confident group gets a centre.
    expect(pick(100).some((i) => i >= 4)).toBe(true);
    expect(marginKMeans.defined.options).toEqual({ beta: 10 });
    expect(marginKMeans.needs).toEqual(["probs", "embeddings"]);
  });

  it("runs as an experiment file (its ci profile)", async () => {
    const summary = await runExperiment({
      file: join(import.meta.dirname, "../../experiments/examples/two-step.ts"),
      profile: "ci",
      db: ":memory:",
      workers: 1,
      backend: "wasm",
      log: () => {},
    });
    expect(summary).toMatchObject({ experiment: "two-step", total: 3, done: 3, failed: 0 });
  });
});
