import { describe, expect, it } from "vitest";
import { meanNeighbourDistance, typicality } from "../../../lib/al/samplers/typicality.ts";
import { random } from "../../../lib/al/samplers/random.ts";
import { contextFor, fashionMnist, matrixOf, prototypeAccuracy } from "./diversity-fixtures.ts";

describe("typicality", () => {
  const line = matrixOf([[0], [1], [2], [3], [10]]);

  it("picks the point with the smallest mean distance to its K nearest neighbours", () => {
    // One cluster (|L| + k = 1). K = min(20, 4) = 4: mean distances 0: (1+2+3+10)/4 = 4,
    // 1: (1+1+2+9)/4 = 3.25, 2: (2+1+1+8)/4 = 3, 3: 3.25, 10: (10+9+8+7)/4 = 8.5 → index 2.
    expect(Array.from(meanNeighbourDistance(Int32Array.of(0, 1, 2, 3, 4), line, 20))).toEqual([4, 3.25, 3, 3.25, 8.5]);
    const labelled = new Uint8Array(5);
    expect(Array.from(typicality.select({ embeddings: line, labelled }, 1, typicality.parseOptions(undefined, "o"), contextFor(1)))).toEqual([2]);
    // K = 2: 0: 1.5, 1: 1, 2: 1, 3: 1.5, 10: 7.5 → tie between 1 and 2 → index 1.
    expect(Array.from(typicality.select({ embeddings: line, labelled }, 1, typicality.parseOptions({ neighbours: 2 }, "o"), contextFor(1)))).toEqual([1]);
  });

  it("goes to the least covered cluster first, the larger one on ties", () => {
    // Two clusters: A = {0, 1, 2} (index 0 labelled), B = {100, 101, 102, 103}.
    // Pick 1: B (0 covered vs 1): K = 3, mean distances 2, 4/3, 4/3, 2 → 101 (index 4).
    // Pick 2: both have 1 covered; B is larger → 102 (index 5).
    // Pick 3: A (1 vs 2 covered): K = 2, unlabelled 1 (mean 1) and 2 (mean 1.5) → index 1.
    const points = matrixOf([[0], [1], [2], [100], [101], [102], [103]]);
    const labelled = Uint8Array.of(1, 0, 0, 0, 0, 0, 0);
    const options = typicality.parseOptions({ maxClusters: 2 }, "o");
    for (let seed = 1; seed <= 3; seed++) {
      expect(Array.from(typicality.select({ embeddings: points, labelled }, 3, options, contextFor(seed)))).toEqual([4, 5, 1]);
    }
  });

  it("on Fashion-MNIST with nothing labelled, its 10 picks are better 1-NN prototypes than random picks", async () => {
    // TypiClust's low-budget claim: typical points of distinct clusters label the pool better
    // than random ones. Measured here as the accuracy of a 1-nearest-neighbour classifier whose
    // only references are the 10 picks (measured: ≈ 0.52 vs ≈ 0.41 for random).
    const { images, labels } = await fashionMnist(1000);
    const none = new Uint8Array(1000);
    for (let seed = 1; seed <= 3; seed++) {
      const typical = typicality.select({ embeddings: images, labelled: none }, 10, typicality.parseOptions(undefined, "o"), contextFor(seed));
      const chance = random.select({ labelled: none }, 10, {}, contextFor(seed));
      expect(prototypeAccuracy(images, labels, typical)).toBeGreaterThan(prototypeAccuracy(images, labels, chance));
    }
  });
});
