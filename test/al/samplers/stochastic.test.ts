import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { gumbelTopK } from "../../../lib/al/samplers/gumbel-top-k.ts";
import { samplerRegistry } from "../../../lib/al/samplers/index.ts";
import { marginScores } from "../../../lib/al/samplers/margin.ts";
import type { SamplerInputs } from "../../../lib/al/samplers/sampler.ts";
import { stochasticLogWeights, type StochasticOptions } from "../../../lib/al/samplers/stochastic.ts";
import { topKUnlabelled } from "../../../lib/al/samplers/top-k.ts";

const stochastic = samplerRegistry.stochastic;
const ctx = (seed: number) => ({ random: createRandom(seed, "select") });
const parse = (options: unknown): StochasticOptions => stochastic.parseOptions(options, "samplers[2].options");

/** Chi-square statistic of observed counts against probabilities ∝ weights (zero-weight cells must be empty). */
function chiSquare(counts: number[], weights: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const sum = weights.reduce((a, b) => a + b, 0);
  let chi2 = 0;
  counts.forEach((o, i) => {
    if (weights[i] === 0) return expect(o).toBe(0);
    const e = (total * weights[i]!) / sum;
    chi2 += (o - e) ** 2 / e;
  });
  return chi2;
}

function randomProbs(seed: number, n: number, c: number): Matrix {
  const r = createRandom(seed, "probs");
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) sum += data[i * c + j] = -Math.log(1 - r.next());
    for (let j = 0; j < c; j++) data[i * c + j] = data[i * c + j]! / sum;
  }
  return { data, n, c };
}

describe("gumbelTopK", () => {
  it("draws one item with probability ∝ weight (chi-square, 5 df)", () => {
    const weights = [1, 2, 3, 4, 0, 5];
    const logs = weights.map(Math.log);
    const counts = new Array<number>(6).fill(0);
    const r = createRandom(1, "gumbel");
    const all = new Uint8Array(6).fill(1);
    for (let trial = 0; trial < 15_000; trial++) counts[gumbelTopK(logs, 1, all, r)[0]!]!++;
    expect(chiSquare(counts, weights)).toBeLessThan(18.47); // 4 df (5 positive cells), p = 0.001
  });

  it("draws the second item from the remaining weights (Plackett–Luce)", () => {
    // P(second = j | first = 0) = w_j / (W − w_0): weights (4, 1, 2, 3) → given 0 first: (1, 2, 3)/6.
    const logs = [4, 1, 2, 3].map(Math.log);
    const counts = [0, 0, 0, 0];
    const r = createRandom(2, "gumbel");
    const all = new Uint8Array(4).fill(1);
    for (let trial = 0; trial < 20_000; trial++) {
      const [a, b] = gumbelTopK(logs, 2, all, r);
      if (a === 0) counts[b!]!++;
    }
    expect(chiSquare(counts, [0, 1, 2, 3])).toBeLessThan(13.82); // 2 df, p = 0.001
  });

  it("fills k with zero-weight items only after every positive one, uniformly at random", () => {
    const logs = [-Infinity, 0, -Infinity, NaN, -Infinity];
    const all = new Uint8Array(5).fill(1);
    const r = createRandom(3, "gumbel");
    const counts = [0, 0, 0, 0, 0];
    for (let trial = 0; trial < 4000; trial++) {
      const picks = gumbelTopK(logs, 2, all, r);
      expect(picks[0]).toBe(1);
      counts[picks[1]!]!++;
    }
    expect(chiSquare(counts, [1, 0, 1, 1, 1])).toBeLessThan(16.27); // 3 df, p = 0.001
    expect(() => gumbelTopK(logs, 6, all, r)).toThrow(/k = 6 must be a whole number between 0 and the 5 eligible/);
  });
});

describe("stochastic log-weights", () => {
  const eligible = Uint8Array.from([1, 1, 1, 0, 1]);
  const scores = [0.5, 2, 0, 9, 2];

  it("power: (1/T) ln s, −∞ for s = 0 and for labelled points", () => {
    const w = stochasticLogWeights(scores, eligible, "power", 0.5);
    expect(Array.from(w)).toEqual([2 * Math.log(0.5), 2 * Math.log(2), -Infinity, -Infinity, 2 * Math.log(2)]);
  });

  it("softmax: s / T", () => {
    expect(Array.from(stochasticLogWeights(scores, eligible, "softmax", 2))).toEqual([0.25, 1, 0, -Infinity, 1]);
  });

  it("softrank: −(1/T) ln rank, equal scores sharing the best rank (labelled points are not ranked)", () => {
    // unlabelled scores 0.5, 2, 0, 2 → ranks 3, 1, 4, 1 (9 at the labelled index 3 does not count)
    const w = stochasticLogWeights(scores, eligible, "softrank", 1);
    expect(Array.from(w)).toEqual([-Math.log(3), -0, -Math.log(4), -Infinity, -0]);
  });

  it("power refuses negative scores and says which method to use instead", () => {
    expect(() => stochasticLogWeights([0.1, -0.2], new Uint8Array(2).fill(1), "power", 1, '"custom"')).toThrow(
      'stochastic: method "power" needs scores ≥ 0, but "custom" gave -0.2 at pool point 1; use method "softmax" or "softrank"',
    );
  });
});

describe("stochastic sampler", () => {
  const probs = randomProbs(4, 200, 5);
  const labelled = Uint8Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 1 : 0));
  const inputs: SamplerInputs = { probs, labelled };

  it("same seed ⇒ same picks; another seed ⇒ other picks; all distinct and unlabelled", () => {
    for (const method of ["power", "softmax", "softrank"] as const) {
      const options = parse({ score: "margin", method });
      const a = stochastic.select(inputs, 20, options, ctx(1));
      expect(stochastic.select(inputs, 20, options, ctx(1))).toEqual(a);
      expect(stochastic.select(inputs, 20, options, ctx(2))).not.toEqual(a);
      expect(new Set(a).size).toBe(20);
      for (const i of a) expect(labelled[i]).toBe(0);
    }
  });

  it("approaches the deterministic top-k as the temperature goes to 0", () => {
    const top = Array.from(topKUnlabelled(marginScores(probs), 10, labelled));
    for (const method of ["power", "softmax", "softrank"] as const) {
      const overlap = (temperature: number): number => {
        let shared = 0;
        for (let seed = 0; seed < 20; seed++) {
          const picks = stochastic.select(inputs, 10, parse({ score: "margin", method, temperature }), ctx(seed));
          shared += picks.filter((i) => top.includes(i)).length;
        }
        return shared / 200;
      };
      const hot = overlap(10);
      const warm = overlap(0.1);
      expect(warm, method).toBeGreaterThan(hot);
      expect(overlap(1e-9), method).toBe(1);
      // At 1e-9 even the order is the top-k order (scores here are distinct).
      expect(Array.from(stochastic.select(inputs, 10, parse({ score: "margin", method, temperature: 1e-9 }), ctx(3)))).toEqual(top);
    }
  });

  it("picks one point with probability ∝ score^(1/T) (power, chi-square)", () => {
    // Margin scores of the four rows: 1 − (p1 − p2) = 0.2, 0.4, 0.8, 1 → with T = 0.5, weights ∝ s²:
    // 0.04, 0.16, 0.64, 1.
    const four: SamplerInputs = {
      probs: { data: Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.5, 0.5]), n: 4, c: 2 },
      labelled: new Uint8Array(4),
    };
    const options = parse({ score: "margin", method: "power", temperature: 0.5 });
    const counts = [0, 0, 0, 0];
    const r = createRandom(8, "chi");
    for (let trial = 0; trial < 12_000; trial++) counts[stochastic.select(four, 1, options, { random: r })[0]!]!++;
    expect(chiSquare(counts, [0.04, 0.16, 0.64, 1])).toBeLessThan(16.27); // 3 df, p = 0.001
  });

  it("wraps Bayesian scores (PowerBALD by default) and says which inputs a score needs", () => {
    expect(parse(undefined)).toEqual({ score: "bald", scoreOptions: {}, method: "power", temperature: 1 });
    expect(stochastic.needsFor(parse(undefined))).toEqual(["mcSamples"]);
    expect(stochastic.needsFor(parse({ score: "margin" }))).toEqual(["probs"]);
    expect(() => stochastic.select({ labelled: new Uint8Array(3) }, 1, parse(undefined), ctx(1))).toThrow(
      'bald: needs "mcSamples" but the runner gave none',
    );
    const mcSamples = { data: new Float32Array(3 * 2 * 2).fill(0.5), n: 3, t: 2, c: 2 };
    // Every BALD score is 0 here: all weights are zero, so the draw is uniform — but still 2 distinct.
    const picks = stochastic.select({ mcSamples, labelled: Uint8Array.from([0, 1, 0]) }, 2, parse(undefined), ctx(1));
    expect(Array.from(picks).sort()).toEqual([0, 2]);
  });

  it("validates options with the path named", () => {
    expect(() => parse({ temperature: "high" })).toThrow('samplers[2].options.temperature: expected a number > 0, got "high"');
    expect(() => parse({ temperature: 0 })).toThrow("samplers[2].options.temperature: expected a number > 0, got 0");
    expect(() => parse({ method: "gumbel" })).toThrow(
      'samplers[2].options.method: expected one of "power", "softmax", "softrank", got "gumbel"',
    );
    expect(() => parse({ score: "marginn" })).toThrow(/samplers\[2\]\.options\.score: unknown sampler "marginn"; expected one of random, /);
    expect(() => parse({ score: "random" })).toThrow(
      'samplers[2].options.score: sampler "random" has no pointwise score to sample from; pick one that scores points (e.g. bald, margin, entropy)',
    );
    expect(() => parse({ score: "batchbald" })).toThrow(/sampler "batchbald" has no pointwise score/);
    expect(() => parse({ score: "stochastic" })).toThrow(/sampler "stochastic" has no pointwise score/);
    expect(() => parse({ score: "max-loss", scoreOptions: { cardinality: "all" } })).toThrow(
      'samplers[2].options.scoreOptions.cardinality: expected one of "expected", "threshold", got "all"',
    );
    expect(parse({ score: "max-loss" }).scoreOptions).toEqual({ cardinality: "expected" });
    expect(() => parse({ temperature: 1, extra: 1 })).toThrow("samplers[2].options.extra: unknown field");
  });

  it("rejects k beyond the unlabelled pool", () => {
    expect(() => stochastic.select({ probs, labelled: new Uint8Array(200).fill(1) }, 1, parse({ score: "margin" }), ctx(1))).toThrow(
      "stochastic: k = 1 exceeds the 0 unlabelled pool points; lower the acquisition size",
    );
  });
});
