import { describe, expect, it } from "vitest";
import { clusterRepresentatives, drawProportional, kmeans, kmeansPlusPlus } from "../../../lib/al/cluster/kmeans.ts";
import { createRandom } from "../../../lib/al/random.ts";
import type { Random } from "../../../lib/al/random.ts";
import { matrixOf, randomEmbeddings, separatedBlobs } from "../samplers/diversity-fixtures.ts";

const rng = (seed: number) => createRandom(seed, "kmeans-test");
const sortedCentres = (data: Float32Array): number[] => Array.from(data).sort((a, b) => a - b);

describe("kmeans", () => {
  it("weights pull a centre towards the heavy point, as computed by hand", () => {
    // {0, 1} with weights 1, 3: (0·1 + 1·3) / 4 = 0.75 (unweighted: 0.5); {10, 11}: 10.5.
    // Inertia: 1·0.75² + 3·0.25² + 1·0.5² + 1·0.5² = 0.5625 + 0.1875 + 0.25 + 0.25 = 1.25.
    const points = matrixOf([[0], [1], [10], [11]]);
    for (let seed = 1; seed <= 5; seed++) {
      const result = kmeans(points, 2, { random: rng(seed), weights: [1, 3, 1, 1] });
      expect(sortedCentres(result.centres.data)).toEqual([0.75, 10.5]);
      expect(result.assignment[0]).toBe(result.assignment[1]);
      expect(result.assignment[2]).toBe(result.assignment[3]);
      expect(result.inertia).toBeCloseTo(1.25, 12);
      expect(result.converged).toBe(true);
      const plain = kmeans(points, 2, { random: rng(seed) });
      expect(sortedCentres(plain.centres.data)).toEqual([0.5, 10.5]);
    }
  });

  it("fixed centres take points but never move, and free centres settle elsewhere", () => {
    // The fixed centre 0.1 keeps 0 and 0.2 (distance 0.1² = 0.01 each); the free centres end at
    // (5 + 5.2)/2 = 5.1 and (10 + 10.2)/2 = 10.1.
    const points = matrixOf([[0], [0.2], [5], [5.2], [10], [10.2]]);
    const fixed = matrixOf([[0.1]]);
    for (let seed = 1; seed <= 5; seed++) {
      const result = kmeans(points, 2, { random: rng(seed), fixed });
      expect(sortedCentres(result.centres.data).map((v) => Number(v.toFixed(5)))).toEqual([5.1, 10.1]);
      expect(Array.from(result.assignment.slice(0, 2))).toEqual([-1, -1]);
      expect(result.distances[0]).toBeCloseTo(0.01, 7);
      expect(result.distances[1]).toBeCloseTo(0.01, 7);
      expect(Array.from(fixed.data)).toEqual([Math.fround(0.1)]);
      // No seed is drawn on top of the fixed centre's points: they are "already chosen".
      for (const s of result.seeds) expect(s).toBeGreaterThanOrEqual(2);
    }
  });

  it("seeding counts fixed centres as chosen: points on them are never drawn", () => {
    // D² to the fixed centre 0: [0, 0, 100] → the only possible seed is index 2, whatever the stream.
    const points = matrixOf([[0], [0], [10]]);
    for (let seed = 1; seed <= 20; seed++) {
      expect(Array.from(kmeansPlusPlus(points, 1, { random: rng(seed), fixed: matrixOf([[0]]) }))).toEqual([2]);
    }
  });

  it("draws the first seed ∝ weight and later ones ∝ weight · D² (chi-square)", () => {
    const points = matrixOf([[0], [1], [2], [3]]);
    const r = rng(42);
    const counts = [0, 0, 0, 0];
    const trials = 4000;
    for (let t = 0; t < trials; t++) counts[kmeansPlusPlus(points, 1, { random: r, weights: [1, 2, 3, 4] })[0]!]!++;
    const chi = counts.reduce((s, o, i) => s + (o - (trials * (i + 1)) / 10) ** 2 / ((trials * (i + 1)) / 10), 0);
    expect(chi).toBeLessThan(16.27); // 3 df, p = 0.001
    // Fixed centre 0: D² = [0, 1, 9] → P(index 1) = 1/10, P(index 2) = 9/10.
    const line = matrixOf([[0], [1], [3]]);
    let ones = 0;
    for (let t = 0; t < trials; t++) if (kmeansPlusPlus(line, 1, { random: r, fixed: matrixOf([[0]]) })[0] === 1) ones++;
    const chi1 = (ones - trials / 10) ** 2 / (trials / 10) + (trials - ones - (trials * 9) / 10) ** 2 / ((trials * 9) / 10);
    expect(chi1).toBeLessThan(10.83); // 1 df, p = 0.001
  });

  it("is deterministic for a seed and depends on it", () => {
    const points = randomEmbeddings(3, 300, 5);
    const a = kmeans(points, 7, { random: rng(1) });
    const b = kmeans(points, 7, { random: rng(1) });
    expect(b).toEqual(a);
    const seedsDiffer = [2, 3, 4, 5].some((s) => kmeans(points, 7, { random: rng(s) }).seeds.join() !== a.seeds.join());
    expect(seedsDiffer).toBe(true);
  });

  it("maxIterations 0 leaves the centres on the seeds; Lloyd never raises the inertia", () => {
    const points = randomEmbeddings(4, 200, 3);
    const start = kmeans(points, 5, { random: rng(9), maxIterations: 0, restarts: 1 });
    expect(start.iterations).toBe(0);
    expect(start.converged).toBe(false);
    for (let s = 0; s < 5; s++) {
      expect(Array.from(start.centres.data.subarray(s * 3, s * 3 + 3))).toEqual(
        Array.from(points.data.subarray(start.seeds[s]! * 3, start.seeds[s]! * 3 + 3)),
      );
    }
    const done = kmeans(points, 5, { random: rng(9), restarts: 1 });
    expect(done.seeds).toEqual(start.seeds);
    expect(done.inertia).toBeLessThanOrEqual(start.inertia);
  });

  it("copes with duplicates and zero weights: k distinct seeds, distinct representatives", () => {
    const same = matrixOf([[1, 1], [1, 1], [1, 1], [1, 1], [1, 1]]);
    const result = kmeans(same, 3, { random: rng(2), weights: [0, 0, 0, 0, 0] });
    expect(new Set(result.seeds).size).toBe(3);
    // Every point ties between identical centres → all go to centre 0; the two empty clusters
    // take the nearest points not taken yet, lowest index first.
    expect(Array.from(clusterRepresentatives(same, result))).toEqual([0, 1, 2]);
  });

  it("representatives are the members nearest their centres", () => {
    // Clusters {0, 1, 3} around 1.333… and {10, 12} around 11: nearest members 1 (index 1) and 10 (index 2; tie with 12 at index 4 → lowest index).
    const points = matrixOf([[0], [1], [10], [3], [12]]);
    const result = kmeans(points, 2, { random: rng(3) });
    const reps = Array.from(clusterRepresentatives(points, result)).sort((a, b) => a - b);
    expect(reps).toEqual([1, 2]);
  });

  it("drawProportional falls back to a uniform draw over eligible points when all mass is 0", () => {
    const eligible = Uint8Array.of(0, 1, 0, 1);
    const seen = new Set<number>();
    const r = rng(5);
    for (let t = 0; t < 50; t++) seen.add(drawProportional(new Float64Array(4), eligible, r));
    expect([...seen].sort()).toEqual([1, 3]);
  });

  it("rejects bad k, weights and shapes with the fix in the message", () => {
    const points = matrixOf([[0], [1]]);
    expect(() => kmeans(points, 3, { random: rng(1) })).toThrow(/k = 3 must be a whole number between 1 and the 2 points/);
    expect(() => kmeans(points, 1, { random: rng(1), weights: [1] })).toThrow(/1 weights for 2 points/);
    expect(() => kmeans(points, 1, { random: rng(1), weights: [1, -1] })).toThrow(/weights\[1\] = -1/);
    expect(() => kmeans(points, 1, { random: rng(1), fixed: matrixOf([[0, 0]]) })).toThrow(/fixed centres have 2 columns/);
    expect(() => kmeans(points, 1, { random: rng(1), restarts: 0 })).toThrow("kmeans: restarts = 0 must be a whole number ≥ 1");
    expect(() => kmeans(points, 1, { random: rng(1), restarts: 2.5 })).toThrow(/restarts = 2.5/);
  });
});

/** A stream that returns the given uniforms in order (and fails loudly when they run out). */
function scripted(values: number[]): Random {
  let i = 0;
  const next = (): number => {
    if (i >= values.length) throw new Error("scripted stream exhausted");
    return values[i++]!;
  };
  return { next, int: (n) => Math.floor(next() * n), uint32: () => Math.floor(next() * 2 ** 32), normal: () => 0, state: () => [0, 0, 0, 0] };
}

describe("kmeans restarts", () => {
  // A 10 × 1 rectangle's corners. Splitting left | right costs 4 · 0.5² = 1; top | bottom is a
  // Lloyd fixed point too (each point is 5 from its own centre, √26 from the other), costing 4 · 5² = 100.
  const corners = matrixOf([[0, 0], [0, 1], [10, 0], [10, 1]]);
  // k-means++ draws: first seed uniform (u · 4 → index); second ∝ D² = [0, 1, 100, 101] (sum 202).
  //   start 1: u = 0.1 → (0, 0); u = 0.001 → target 0.202 < 1 → (0, 1): the top | bottom split.
  //   start 2: u = 0.1 → (0, 0); u = 0.3 → target 60.6 ∈ [1, 101) → (10, 0): left | right.
  const draws = [0.1, 0.001, 0.1, 0.3];

  it("keeps the start with the lowest inertia, by hand", () => {
    const one = kmeans(corners, 2, { random: scripted(draws), restarts: 1 });
    expect(Array.from(one.seeds)).toEqual([0, 1]);
    expect(one.inertia).toBeCloseTo(100, 4);
    const two = kmeans(corners, 2, { random: scripted(draws), restarts: 2 });
    expect(Array.from(two.startInertias).map((v) => Number(v.toFixed(4)))).toEqual([100, 1]);
    expect(Array.from(two.seeds)).toEqual([0, 2]);
    expect(two.inertia).toBeCloseTo(1, 6);
    expect(sortedCentres(two.centres.data)).toEqual([0, 0.5, 0.5, 10]); // (0, 0.5) and (10, 0.5)
    // The other order: the good start first is kept, the bad one after it is not.
    const reversed = kmeans(corners, 2, { random: scripted([0.1, 0.3, 0.1, 0.001]), restarts: 2 });
    expect(Array.from(reversed.seeds)).toEqual([0, 2]);
    expect(Array.from(reversed.startInertias).map((v) => Number(v.toFixed(4)))).toEqual([1, 100]);
  });

  it("restarts: 1 is the single k-means++ start; the default runs 10 starts from the same stream", () => {
    const points = randomEmbeddings(6, 120, 4);
    const single = kmeans(points, 6, { random: rng(4), restarts: 1 });
    expect(single.seeds).toEqual(kmeansPlusPlus(points, 6, { random: rng(4) }));
    const best = kmeans(points, 6, { random: rng(4) });
    expect(best.startInertias.length).toBe(10);
    expect(best.startInertias[0]).toBe(single.inertia); // the first start is the single start
    expect(best.inertia).toBe(Math.min(...best.startInertias));
    expect(best).toEqual(kmeans(points, 6, { random: rng(4) })); // deterministic
  });

  it("on 5 separated blobs, 10 starts give every blob a centre for all of 100 seeds (1 start fails some)", () => {
    const { points, blobOf } = separatedBlobs();
    const failures = (restarts: number): number => {
      let failed = 0;
      for (let seed = 1; seed <= 100; seed++) {
        const { assignment } = kmeans(points, 5, { random: rng(seed), restarts });
        // Each blob must be exactly one cluster, and no two blobs the same one.
        const clusterOf = new Map<number, Set<number>>();
        assignment.forEach((a, i) => clusterOf.set(blobOf(i), (clusterOf.get(blobOf(i)) ?? new Set()).add(a)));
        const whole = [...clusterOf.values()].every((set) => set.size === 1);
        if (!whole || new Set([...clusterOf.values()].map((set) => [...set][0])).size !== 5) failed++;
      }
      return failed;
    };
    expect(failures(10)).toBe(0);
    expect(failures(1)).toBeGreaterThan(0); // the property is not vacuous: one start does fail
  });
});
