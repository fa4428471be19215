import { describe, expect, it } from "vitest";
import { wkmeans } from "../../../lib/al/samplers/wkmeans.ts";
import { contextFor, matrixOf } from "./diversity-fixtures.ts";

describe("wkmeans", () => {
  it("clusters only the β·k most uncertain points", () => {
    // Margin uncertainty 1 − (p1 − p2): [0.5,0.5] → 1, [0.75,0.25] → 0.5, [0.9,0.1] → 0.2.
    // k = 1, β = 2: candidates are x = 0 (u = 1) and x = 10 (u = 0.5). One centre at the weighted
    // mean (0·1 + 10·0.5) / 1.5 = 3.33, nearest candidate x = 0 (index 0); the points at 4, 5, 6
    // are nearer the centre but are not candidates.
    const embeddings = matrixOf([[0], [10], [4], [5], [6]]);
    const probs = matrixOf([[0.5, 0.5], [0.75, 0.25], [0.9, 0.1], [0.9, 0.1], [0.9, 0.1]]);
    const options = wkmeans.parseOptions({ beta: 2 }, "o");
    expect(Array.from(wkmeans.select({ probs, embeddings, labelled: new Uint8Array(5) }, 1, options, contextFor(1)))).toEqual([0]);
  });

  it("weights the centre by uncertainty", () => {
    // All three points are candidates (β = 10). u = 0.2, 0.2, 1 at x = 0, 4, 10: weighted mean
    // (0·0.2 + 4·0.2 + 10·1) / 1.4 = 7.71 → x = 10 (index 2). Unweighted the mean would be 4.67
    // → x = 4 (index 1).
    const embeddings = matrixOf([[0], [4], [10]]);
    const probs = matrixOf([[0.9, 0.1], [0.9, 0.1], [0.5, 0.5]]);
    const options = wkmeans.parseOptions({ beta: 10 }, "o");
    for (let seed = 1; seed <= 3; seed++) {
      expect(Array.from(wkmeans.select({ probs, embeddings, labelled: new Uint8Array(3) }, 1, options, contextFor(seed)))).toEqual([2]);
    }
  });

  it("β defaults to the number of classes, and β·k is capped by the pool", () => {
    // C = 2, k = 1 → two candidates, as above.
    const embeddings = matrixOf([[0], [10], [4]]);
    const probs = matrixOf([[0.5, 0.5], [0.75, 0.25], [0.9, 0.1]]);
    const options = wkmeans.parseOptions(undefined, "o");
    expect(options.beta).toBeUndefined();
    expect(Array.from(wkmeans.select({ probs, embeddings, labelled: new Uint8Array(3) }, 1, options, contextFor(3)))).toEqual([0]);
    const many = wkmeans.parseOptions({ beta: 50 }, "o");
    expect(wkmeans.select({ probs, embeddings, labelled: new Uint8Array(3) }, 3, many, contextFor(3)).length).toBe(3);
    expect(() => wkmeans.parseOptions({ beta: 0 }, "s.options")).toThrow(/s\.options\.beta/);
  });

  it("names missing inputs", () => {
    const probs = matrixOf([[0.5, 0.5]]);
    const defaults = wkmeans.parseOptions(undefined, "o");
    expect(() => wkmeans.select({ probs, labelled: new Uint8Array(1) }, 1, defaults, contextFor(1))).toThrow(
      'wkmeans: needs "embeddings" but the runner gave none',
    );
    expect(() => wkmeans.select({ embeddings: matrixOf([[1]]), labelled: new Uint8Array(1) }, 1, defaults, contextFor(1))).toThrow(
      'wkmeans: needs "probs" but the runner gave none',
    );
  });
});
