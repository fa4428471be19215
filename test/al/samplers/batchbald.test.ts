import { describe, expect, it, vi } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { baldScores } from "../../../lib/al/samplers/bald.ts";
import {
  absorb,
  batchBald,
  batchBaldSampler,
  createJointState,
  jointMutualInformation,
  type BatchBaldOptions,
} from "../../../lib/al/samplers/batchbald.ts";
import type { Samples } from "../../../lib/al/samplers/sampler.ts";
import { topKUnlabelled } from "../../../lib/al/samplers/top-k.ts";

function samplesOf(points: number[][][]): Samples {
  return { data: Float32Array.from(points.flat(2)), n: points.length, t: points[0]!.length, c: points[0]![0]!.length };
}

/** Random MC samples: per point a random "centre" and T noisy passes around it, with exact zeros. */
function randomSamples(seed: number, n: number, t: number, c: number, sharpness = 1): Samples {
  const r = createRandom(seed, "mc");
  const data = new Float32Array(n * t * c);
  const centre = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < c; l++) centre[l] = r.normal() * 2;
    for (let u = 0; u < t; u++) {
      const o = (i * t + u) * c;
      let sum = 0;
      for (let l = 0; l < c; l++) {
        const v = r.next() < 0.1 ? 0 : Math.exp(sharpness * (centre[l]! + r.normal()));
        data[o + l] = v;
        sum += v;
      }
      // Exact zeros in some classes, never a whole row of them (all-zero rows, which are not
      // distributions, are tested on their own below).
      if (sum === 0) data[o + r.int(c)] = sum = 1;
      for (let l = 0; l < c; l++) data[o + l] = data[o + l]! / sum;
    }
  }
  return { data, n, t, c };
}

const defaults: BatchBaldOptions = batchBaldSampler.parseOptions(undefined, "options");
const ctx = (seed = 1) => ({ random: createRandom(seed, "select") });

// T = 4, C = 2. Points 0 and 1 are duplicates (each BALD ln 2); point 2 disagrees along another
// axis of the samples; point 3 is pure noise.
const duplicates = samplesOf([
  [[1, 0], [1, 0], [0, 1], [0, 1]],
  [[1, 0], [1, 0], [0, 1], [0, 1]],
  [[0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.1, 0.9]],
  [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]],
]);

describe("BatchBALD, hand-computed", () => {
  it("skips a duplicate that BALD would take second", () => {
    // BALD: 0 and 1: H(0.5, 0.5) − 0 = ln 2; 2: ln 2 − H(0.9, 0.1) = 0.693147 − 0.325083 = 0.368064; 3: 0.
    expect(Array.from(topKUnlabelled(baldScores(duplicates), 2, new Uint8Array(4)))).toEqual([0, 1]);
    // After 0: y_0 = 0 ⇔ t ∈ {1, 2} and y_0 = 1 ⇔ t ∈ {3, 4}, each with weight ½.
    //   point 1 given y_0 is certain: H(y_1 | y_0) = 0, minus E H = 0 → gain 0.
    //   point 2 given y_0: mix ½(0.9, 0.1) + ½(0.1, 0.9) = (0.5, 0.5) either way → ln 2 − 0.325083 = 0.368064.
    // So the batch is [0, 2], joint MI = ln 2 + 0.368064 = 1.061211 (= ln 4 − 0.325083: all four
    // (y_0, y_2) pairs have probability ¼).
    const { indices, values, sampledSteps } = batchBald(duplicates, 2, new Uint8Array(4), defaults, createRandom(1));
    expect(Array.from(indices)).toEqual([0, 2]);
    expect(values[0]).toBe(Math.LN2);
    expect(values[1]).toBeCloseTo(1.061211, 6);
    expect(sampledSteps).toBe(0);
    expect(jointMutualInformation(duplicates, [0, 2], defaults, createRandom(1))).toBeCloseTo(Math.log(4) - 0.325083, 6);
    // The duplicate adds nothing: I(y_0, y_1; w) = I(y_0; w).
    expect(jointMutualInformation(duplicates, [0, 1], defaults, createRandom(1))).toBeCloseTo(Math.LN2, 12);
  });

  it("never picks labelled points and respects the candidates option", () => {
    const picks = batchBaldSampler.select({ mcSamples: duplicates, labelled: Uint8Array.from([1, 0, 0, 0]) }, 2, defaults, ctx());
    // 1 now leads (ln 2); given y_1, 2 still gains 0.368064 and 3 gains 0.
    expect(Array.from(picks)).toEqual([1, 2]);
    // candidates = 2 keeps only the two highest-BALD unlabelled points: 0 and 1.
    const narrow = batchBald(duplicates, 2, new Uint8Array(4), { ...defaults, candidates: 2 }, createRandom(1));
    expect(Array.from(narrow.indices)).toEqual([0, 1]);
    expect(() => batchBald(duplicates, 3, new Uint8Array(4), { ...defaults, candidates: 2 }, createRandom(1))).toThrow(
      "batchbald: candidates = 2 is below k = 3; raise candidates or lower the acquisition size",
    );
  });
});

describe("BatchBALD with a batch of one is BALD", () => {
  it("same index and same score on 100 random pools", () => {
    const r = createRandom(5, "b1");
    for (let trial = 0; trial < 100; trial++) {
      const n = 1 + r.int(40);
      const samples = randomSamples(trial, n, 1 + r.int(10), 1 + r.int(6));
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
      labelled[r.int(n)] = 0;
      const bald = baldScores(samples);
      const top = topKUnlabelled(bald, 1, labelled)[0]!;
      const { indices, values } = batchBald(samples, 1, labelled, defaults, createRandom(trial));
      expect(indices[0], `trial ${trial}`).toBe(top);
      expect(values[0], `trial ${trial}`).toBe(bald[top]);
    }
  });
});

describe("exact vs sampled configurations", () => {
  // 40 points, T = 10, C = 3, batch of 5: exact needs at most 3^4 = 81 configurations.
  const samples = randomSamples(42, 40, 10, 3);
  const labelled = new Uint8Array(40);
  const exact: BatchBaldOptions = { draws: 1, maxConfigurations: 10_000 };
  const sampled: BatchBaldOptions = { draws: 20_000, maxConfigurations: 1 };

  it("the exact run enumerates and the sampled run samples from step 2 on", () => {
    expect(batchBald(samples, 5, labelled, exact, createRandom(1)).sampledSteps).toBe(0);
    expect(batchBald(samples, 5, labelled, sampled, createRandom(1)).sampledSteps).toBe(4);
  });

  it("agree on the joint mutual information within 0.01 nats (20,000 draws) and on the batch", () => {
    // Monte-Carlo error per step is about sd(H)/√draws ≤ (ln 3 / 2)/141 ≈ 0.004; over four sampled
    // steps we observed at most 0.002 (seeds 1–5) and allow 0.01.
    const batch = batchBald(samples, 5, labelled, exact, createRandom(1));
    const exactMi = jointMutualInformation(samples, batch.indices, exact, createRandom(1));
    expect(exactMi).toBeCloseTo(batch.values[4]!, 10);
    for (const seed of [1, 2, 3]) {
      const estimate = jointMutualInformation(samples, batch.indices, sampled, createRandom(seed));
      expect(Math.abs(estimate - exactMi), `seed ${seed}`).toBeLessThan(0.01);
    }
    // The sampled greedy run picks the same batch here (the gaps between candidates exceed the
    // noise), and its own running estimate is within the tolerance too.
    const other = batchBald(samples, 5, labelled, sampled, createRandom(7));
    expect(Array.from(other.indices)).toEqual(Array.from(batch.indices));
    expect(Math.abs(other.values[4]! - exactMi)).toBeLessThan(0.01);
  });

  it("reports an unbiased joint MI once it samples: the mean over 200 seeds matches the exact value", () => {
    // With sampled configurations every step keeps the best of many noisy gains, so summing the
    // winners overstates the joint MI (here by ≈ 0.024 nats, 3 %, ≈ 16 standard errors). The
    // values are re-estimated on fresh draws after selection, so the error averages out: the
    // mean difference from the exact MI of the chosen batch must be within 3 standard errors.
    const small = randomSamples(42, 30, 8, 3);
    const seeds = 200;
    let sum = 0;
    let squares = 0;
    let relative = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const run = batchBald(small, 4, new Uint8Array(30), { draws: 50, maxConfigurations: 1 }, createRandom(seed, "bias"));
      expect(run.sampledSteps).toBe(3);
      const truth = jointMutualInformation(small, run.indices, exact, createRandom(1)); // 3^3 configurations: exact
      const d = run.values[3]! - truth;
      sum += d;
      squares += d * d;
      relative += d / truth;
    }
    const mean = sum / seeds;
    const standardError = Math.sqrt((squares / seeds - mean * mean) / seeds);
    expect(standardError).toBeGreaterThan(0); // the values are estimates, not exact by accident
    expect(Math.abs(mean)).toBeLessThan(3 * standardError);
    expect(Math.abs(relative / seeds)).toBeLessThan(0.01);
  });

  it("is reproducible from the seed once it samples, and the draws matter", () => {
    const a = batchBald(samples, 5, labelled, { draws: 50, maxConfigurations: 1 }, createRandom(9));
    const b = batchBald(samples, 5, labelled, { draws: 50, maxConfigurations: 1 }, createRandom(9));
    expect(a).toEqual(b);
    const c = batchBald(samples, 5, labelled, { draws: 50, maxConfigurations: 1 }, createRandom(10));
    expect(Array.from(c.values)).not.toEqual(Array.from(a.values));
  });

  it("the joint MI never decreases and stays below the batch's summed BALD (submodularity)", () => {
    const { indices, values } = batchBald(samples, 5, labelled, exact, createRandom(1));
    const bald = baldScores(samples);
    let sum = 0;
    for (let j = 0; j < 5; j++) {
      sum += bald[indices[j]!]!;
      if (j > 0) expect(values[j]!).toBeGreaterThanOrEqual(values[j - 1]! - 1e-12);
      expect(values[j]!).toBeLessThanOrEqual(sum + 1e-9);
    }
  });
});

/**
 * I(y_batch; w) by brute force: enumerate all C^b label configurations, p̂(y) = (1/T) Σ_t Π_i p_t(y_i),
 * H = −Σ p̂ ln p̂, minus Σ_i (1/T) Σ_t H[p_t(x_i)]. Independent of the configuration machinery.
 */
function bruteForceMi(samples: Samples, batch: number[]): number {
  const { data, t, c } = samples;
  const p = (x: number, u: number, l: number): number => data[(x * t + u) * c + l]!;
  let joint = 0;
  const labels = new Array<number>(batch.length).fill(0);
  for (let config = 0; config < c ** batch.length; config++) {
    for (let i = 0, rest = config; i < batch.length; i++, rest = Math.floor(rest / c)) labels[i] = rest % c;
    let prob = 0;
    for (let u = 0; u < t; u++) prob += batch.reduce((acc, x, i) => acc * p(x, u, labels[i]!), 1) / t;
    if (prob > 0) joint -= prob * Math.log(prob);
  }
  let expected = 0;
  for (const x of batch) {
    for (let u = 0; u < t; u++) for (let l = 0; l < c; l++) if (p(x, u, l) > 0) expected -= (p(x, u, l) * Math.log(p(x, u, l))) / t;
  }
  return joint - expected;
}

describe("against brute force, with pruning and merging", () => {
  it("exact joint MI equals full enumeration on 30 random small batches", () => {
    const r = createRandom(21, "brute");
    for (let trial = 0; trial < 30; trial++) {
      const n = 4 + r.int(6);
      const samples = randomSamples(100 + trial, n, 1 + r.int(6), 2 + r.int(2));
      const b = 1 + r.int(4);
      // b distinct points in random order: the top b of random keys.
      const batch = Array.from(topKUnlabelled(Float64Array.from({ length: n }, () => r.next()), b, new Uint8Array(n)));
      const mi = jointMutualInformation(samples, batch, { draws: 1, maxConfigurations: 10_000 }, createRandom(1));
      expect(Math.abs(mi - bruteForceMi(samples, batch)), `trial ${trial}`).toBeLessThan(1e-6);
    }
  });

  it("merges configurations with equal posteriors: a point whose passes agree adds no configurations", () => {
    // Point 1's predictions do not depend on t, so its label says nothing about t: the C = 3
    // children of each configuration share the parent's posterior and merge back into one.
    const flat = samplesOf([
      [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]],
      [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5]],
      [[0.6, 0.4, 0], [0.1, 0.9, 0], [0.3, 0.3, 0.4], [0.5, 0.5, 0]],
    ]);
    const state = createJointState(flat, defaults, createRandom(1));
    absorb(state, 0);
    expect(state.scoring.count).toBe(3); // y_0 ∈ {0, 1, 2}: posteriors {t1, t4}, {t2}, {t3}
    absorb(state, 1);
    expect(state.scoring.count).toBe(3);
    // float32 rows sum to 1 only within ~1e-7, and the brute force does not renormalise
    expect(jointMutualInformation(flat, [0, 1, 2], defaults, createRandom(1))).toBeCloseTo(bruteForceMi(flat, [0, 1, 2]), 6);
  });

  it("pruning by the Jensen bound returns the same batch and values as scoring every candidate", () => {
    const r = createRandom(8, "prune");
    let pruned = 0;
    let total = 0;
    for (let trial = 0; trial < 40; trial++) {
      const n = 10 + r.int(50);
      const samples = randomSamples(300 + trial, n, 2 + r.int(10), 2 + r.int(5), 0.3 + r.next());
      const k = 1 + r.int(8);
      const options: BatchBaldOptions = { draws: 20 + r.int(200), maxConfigurations: 1 + r.int(300) };
      const a = batchBald(samples, k, new Uint8Array(n), options, createRandom(trial));
      const b = batchBald(samples, k, new Uint8Array(n), options, createRandom(trial), { exhaustive: true });
      expect(a.indices, `trial ${trial}`).toEqual(b.indices);
      expect(a.values, `trial ${trial}`).toEqual(b.values);
      pruned += b.evaluated - a.evaluated;
      total += b.evaluated;
    }
    expect(pruned / total).toBeGreaterThan(0.2); // the bound does prune
  });
});

describe("memory stays bounded by the options, not by C^b", () => {
  it("a batch of 12 over 10 classes (10^11 configurations) runs in bounded memory", () => {
    const samples = randomSamples(3, 60, 20, 10, 0.5);
    const { indices, sampledSteps } = batchBald(samples, 12, new Uint8Array(60), { draws: 200, maxConfigurations: 100 }, createRandom(1));
    expect(new Set(indices).size).toBe(12);
    // Steps 2–3 exact (1·10 and 10·10 ≤ 100 configurations), steps 4–12 sampled.
    expect(sampledSteps).toBe(9);
  });

  it("all-zero rows (softmax underflow) give no NaN", () => {
    const zeros = samplesOf([
      [[0, 0], [0, 0]],
      [[1, 0], [0, 1]],
      [[0, 0], [0, 0]],
      [[0.5, 0.5], [0, 1]],
    ]);
    for (const options of [defaults, { draws: 30, maxConfigurations: 1 }]) {
      const { indices, values } = batchBald(zeros, 4, new Uint8Array(4), options, createRandom(1));
      expect(new Set(indices).size).toBe(4);
      for (const v of values) expect(Number.isFinite(v)).toBe(true);
    }
  });
});

describe("options and inputs", () => {
  it("validates options with the path named", () => {
    expect(defaults).toEqual({ draws: 1000, maxConfigurations: 1000 });
    expect(batchBaldSampler.parseOptions({ draws: 50, candidates: 200 }, "o")).toEqual({
      draws: 50,
      maxConfigurations: 1000,
      candidates: 200,
    });
    expect(() => batchBaldSampler.parseOptions({ draws: "many" }, "samplers[3].options")).toThrow(
      'samplers[3].options.draws: expected a whole number ≥ 1, got "many"',
    );
    expect(() => batchBaldSampler.parseOptions({ maxConfigurations: 0.5 }, "o")).toThrow(
      "o.maxConfigurations: expected a whole number ≥ 1, got 0.5",
    );
    expect(() => batchBaldSampler.parseOptions({ draw: 5 }, "o")).toThrow("o.draw: unknown field");
  });

  it("names missing samples and an oversized k", () => {
    expect(() => batchBaldSampler.select({ labelled: new Uint8Array(4) }, 1, defaults, ctx())).toThrow(
      'batchbald: needs "mcSamples" but the runner gave none',
    );
    expect(() => batchBaldSampler.select({ mcSamples: duplicates, labelled: Uint8Array.from([0, 1, 1, 1]) }, 2, defaults, ctx())).toThrow(
      "batchbald: k = 2 exceeds the 1 unlabelled pool points",
    );
  });
});

/**
 * Pools that stress the screen: peaked, flat, one-hot and all-zero rows; exact duplicates (exact
 * ties, lowest index wins) and near-duplicates one float32 step apart (gaps far inside the
 * screen's bound, so the exact values must decide).
 */
function stressSamples(seed: number, n: number, t: number, c: number): Samples {
  const r = createRandom(seed, "screen-stress");
  const base = randomSamples(seed, n, t, c, [0.05, 1, 4][r.int(3)]);
  const data = base.data;
  for (let i = 1; i < n; i++) {
    const block = data.subarray(i * t * c, (i + 1) * t * c);
    const kind = r.int(8);
    if (kind === 0) block.set(data.subarray((i - 1) * t * c, i * t * c));
    else if (kind === 1) {
      block.set(data.subarray((i - 1) * t * c, i * t * c));
      const j = r.int(t * c);
      block[j] = Math.fround(block[j]! * (1 + 2 ** -22));
    } else if (kind === 2) for (let u = 0; u < t; u++) block.fill(0, u * c, (u + 1) * c)[u * c + r.int(c)] = 1;
    else if (kind === 3) block.fill(0);
    else if (kind === 4) block.fill(1 / c);
  }
  return base;
}

describe("the float32 screen (rigorous bound, exact rescoring) changes no pick and no value", () => {
  it("equals the exhaustive exact scan: C = 2, 3, 10, 100, exact and sampled configurations, ties and near-ties", () => {
    const r = createRandom(9, "screen");
    let evaluated = 0;
    let screenedOut = 0;
    let sampled = 0;
    for (let trial = 0; trial < 48; trial++) {
      const c = [2, 3, 10, 100][trial % 4]!;
      const n = 8 + r.int(c === 100 ? 20 : 50);
      const t = 1 + r.int(c === 100 ? 6 : 16);
      const samples = stressSamples(500 + trial, n, t, c);
      const k = 2 + r.int(7);
      const options: BatchBaldOptions = { draws: 10 + r.int(150), maxConfigurations: 1 + r.int(trial % 3 === 0 ? 20 : 400) };
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < 0.2 ? 1 : 0));
      const open = labelled.reduce((a, v) => a + 1 - v, 0);
      if (open < k) continue;
      const a = batchBald(samples, k, labelled, options, createRandom(trial));
      const b = batchBald(samples, k, labelled, options, createRandom(trial), { exhaustive: true });
      expect(Array.from(a.indices), `trial ${trial}`).toEqual(Array.from(b.indices));
      expect(Array.from(a.values), `trial ${trial}`).toEqual(Array.from(b.values));
      expect(b.screenedOut).toBe(0);
      evaluated += a.evaluated;
      screenedOut += a.screenedOut;
      sampled += a.sampledSteps;
    }
    expect(sampled).toBeGreaterThan(20); // sampled configurations were screened too
    expect(screenedOut / evaluated).toBeGreaterThan(0.1); // the screen does rule candidates out (0.21 here)
  });

  it("without WebAssembly (the JavaScript mixtures, no screen) picks the same batch with the same values", async () => {
    vi.stubGlobal("WebAssembly", undefined);
    vi.resetModules();
    let js: typeof import("../../../lib/al/samplers/batchbald.ts");
    try {
      js = await import("../../../lib/al/samplers/batchbald.ts");
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
    const r = createRandom(10, "screen-js");
    for (let trial = 0; trial < 12; trial++) {
      const c = [2, 3, 10, 100][trial % 4]!;
      const n = 10 + r.int(30);
      const samples = stressSamples(700 + trial, n, 1 + r.int(8), c);
      const options: BatchBaldOptions = { draws: 50, maxConfigurations: 1 + r.int(200) };
      const simd = batchBald(samples, 5, new Uint8Array(n), options, createRandom(trial));
      const plain = js.batchBald(samples, 5, new Uint8Array(n), options, createRandom(trial));
      expect(plain.screenedOut).toBe(0);
      expect(Array.from(plain.indices), `trial ${trial}`).toEqual(Array.from(simd.indices));
      expect(Array.from(plain.values), `trial ${trial}`).toEqual(Array.from(simd.values));
      expect(plain.evaluated).toBe(simd.evaluated);
    }
  });
});
