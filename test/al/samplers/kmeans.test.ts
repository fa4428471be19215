import { describe, expect, it } from "vitest";
import { kmeansInitialSet } from "../../../lib/al/cold-start.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { iwkmeans } from "../../../lib/al/samplers/iwkmeans.ts";
import { kmeans } from "../../../lib/al/samplers/kmeans.ts";
import { wkmeans } from "../../../lib/al/samplers/wkmeans.ts";
import { contextFor, matrixOf, separatedBlobs } from "./diversity-fixtures.ts";

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
    expect(kmeans.parseOptions(undefined, "o")).toEqual({ maxIterations: 100, tolerance: 1e-4, restarts: 10 });
    expect(kmeans.parseOptions({ restarts: 3 }, "o").restarts).toBe(3);
    expect(() => kmeans.parseOptions({ restarts: 0 }, "samplers[2].options")).toThrow(/samplers\[2\]\.options\.restarts/);
    expect(() => kmeans.parseOptions({ maxIterations: 0 }, "samplers[2].options")).toThrow(/samplers\[2\]\.options\.maxIterations/);
    expect(() => kmeans.parseOptions({ iterations: 3 }, "samplers[2].options")).toThrow(/samplers\[2\]\.options\.iterations: unknown field/);
  });
});

describe("the k-means samplers and the cold start cover 5 separated blobs for every one of 100 seeds", () => {
  const { points, blobOf } = separatedBlobs();
  const n = points.n;
  // Uniform probabilities: equal margin weights, so WKMeans / IWKMeans cluster all candidates alike.
  const probs = { data: new Float32Array(n * 2).fill(0.5), n, c: 2 };
  const labelled = new Uint8Array(n);
  const pickers: Array<[string, (seed: number, restarts?: number) => Int32Array]> = [
    ["kmeans", (seed, restarts) => kmeans.select({ embeddings: points, labelled }, 5, kmeans.parseOptions(restarts ? { restarts } : {}, "o"), contextFor(seed))],
    ["wkmeans", (seed, restarts) => wkmeans.select({ embeddings: points, probs, labelled }, 5, wkmeans.parseOptions({ beta: 20, ...(restarts ? { restarts } : {}) }, "o"), contextFor(seed))],
    ["iwkmeans", (seed, restarts) => iwkmeans.select({ embeddings: points, probs, labelled }, 5, iwkmeans.parseOptions({ beta: 20, ...(restarts ? { restarts } : {}) }, "o"), contextFor(seed))],
    ["cold start", (seed, restarts) => kmeansInitialSet(points, 5, { random: createRandom(seed, "initial"), ...(restarts ? { restarts } : {}) })],
  ];
  const failures = (pick: (seed: number, restarts?: number) => Int32Array, restarts?: number): number => {
    let failed = 0;
    for (let seed = 1; seed <= 100; seed++) if (new Set(Array.from(pick(seed, restarts), blobOf)).size !== 5) failed++;
    return failed;
  };

  it.each(pickers)("%s: no seed puts two picks in one blob with the default restarts (one start does)", (_, pick) => {
    expect(failures(pick)).toBe(0);
    expect(failures(pick, 1)).toBeGreaterThan(0);
  });
});
