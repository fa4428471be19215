import { describe, expect, it } from "vitest";
import { kmeans } from "../../../lib/al/samplers/kmeans.ts";
import { contextFor, matrixOf } from "./diversity-fixtures.ts";

// Three tight groups: A near (0,0) = indices 0-2, B near (10,0) = 3-5, C near (0,10) = 6-8.
const groups = matrixOf([
  [0, 0], [0.1, 0], [0, 0.1],
  [10, 0], [10.1, 0], [10, 0.1],
  [0, 10], [0.1, 10], [0, 10.1],
]);

describe("kmeans sampler", () => {
  it("takes the point nearest each centre: one per group", () => {
    // Group A's centroid is (0.0333, 0.0333): (0,0) is 0.00222 away, the others 0.00556 → index 0;
    // likewise 3 and 6.
    for (let seed = 1; seed <= 5; seed++) {
      const chosen = kmeans.select({ embeddings: groups, labelled: new Uint8Array(9) }, 3, kmeans.parseOptions(undefined, "o"), contextFor(seed));
      expect(Array.from(chosen).sort((a, b) => a - b)).toEqual([0, 3, 6]);
    }
  });

  it("clusters only the unlabelled pool", () => {
    // With (0,0) labelled, A's centroid is (0.05, 0.05): indices 1 and 2 tie → 1.
    const labelled = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const chosen = kmeans.select({ embeddings: groups, labelled }, 3, kmeans.parseOptions({}, "o"), contextFor(2));
    expect(Array.from(chosen).sort((a, b) => a - b)).toEqual([1, 3, 6]);
  });

  it("validates options with the path", () => {
    expect(kmeans.parseOptions(undefined, "o")).toEqual({ maxIterations: 100, tolerance: 1e-4 });
    expect(() => kmeans.parseOptions({ maxIterations: 0 }, "samplers[2].options")).toThrow(/samplers\[2\]\.options\.maxIterations/);
    expect(() => kmeans.parseOptions({ iterations: 3 }, "samplers[2].options")).toThrow(/samplers\[2\]\.options\.iterations: unknown field/);
  });
});
