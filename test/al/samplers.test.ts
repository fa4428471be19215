import { describe, expect, it } from "vitest";
import type { Matrix } from "../../lib/al/matrix.ts";
import { createRandom } from "../../lib/al/random.ts";
import { entropy, entropyScores } from "../../lib/al/samplers/entropy.ts";
import { getSampler, samplerNames, samplerRegistry } from "../../lib/al/samplers/index.ts";
import { leastConfidence, leastConfidenceScores } from "../../lib/al/samplers/least-confidence.ts";
import { margin, marginScores } from "../../lib/al/samplers/margin.ts";
import { random } from "../../lib/al/samplers/random.ts";
import { ratio, ratioScores } from "../../lib/al/samplers/ratio.ts";
import type { EpochPredictions, Sampler, SamplerInput, SamplerInputs } from "../../lib/al/samplers/sampler.ts";
import { expectValidSelection } from "./samplers/expect-selection.ts";
import { parseNoOptions } from "../../lib/al/samplers/validate.ts";

function probsOf(rows: number[][]): Matrix {
  const c = rows[0]!.length;
  return { data: Float32Array.from(rows.flat()), n: rows.length, c };
}

const ctx = (seed = 1) => ({ random: createRandom(seed, "select") });
const pick = (s: Sampler, probs: Matrix, labelled: number[], k: number): number[] =>
  Array.from(s.select({ probs, labelled: Uint8Array.from(labelled) }, k, {}, ctx()));

const rows = probsOf([
  [0.1, 0.85, 0.05, 0],
  [0.6, 0.3, 0.1, 0],
  [0.39, 0.61, 0, 0],
  [0.2, 0.2, 0.2, 0.4],
]);
const none = [0, 0, 0, 0];
const threeLabelled = [0, 0, 0, 1];

describe("hand-computed scores", () => {
  it("least confidence = 1 − max p", () => {
    const s = leastConfidenceScores(rows);
    [0.15, 0.4, 0.39, 0.6].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
  });

  it("margin score = 1 − (p1 − p2)", () => {
    // p1 − p2: 0.85−0.1 = 0.75, 0.6−0.3 = 0.30, 0.61−0.39 = 0.22, 0.4−0.2 = 0.20
    const s = marginScores(rows);
    [0.25, 0.7, 0.78, 0.8].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
  });

  it("entropy in nats, with 0·ln 0 = 0", () => {
    // row 0: 0.1·2.302585 + 0.85·0.162519 + 0.05·2.995732 = 0.230259 + 0.138141 + 0.149787 = 0.518187
    // row 1: 0.6·0.510826 + 0.3·1.203973 + 0.1·2.302585 = 0.306495 + 0.361192 + 0.230259 = 0.897946
    // row 2: 0.39·0.941609 + 0.61·0.494296 = 0.367227 + 0.301521 = 0.668748
    // row 3: 3·0.2·1.609438 + 0.4·0.916291 = 0.965663 + 0.366516 = 1.332179
    const s = entropyScores(rows);
    [0.518187, 0.897946, 0.668748, 1.332179].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 5));
  });

  it("ratio = p2 / p1", () => {
    // 0.1/0.85 = 0.117647, 0.3/0.6 = 0.5, 0.39/0.61 = 0.639344, 0.2/0.4 = 0.5
    const s = ratioScores(rows);
    [0.1 / 0.85, 0.5, 0.39 / 0.61, 0.5].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
    expect(s[0]).toBeCloseTo(0.117647, 6);
    expect(s[2]).toBeCloseTo(0.639344, 6);
    // Rows 1 and 3 tie exactly (float32 halving is exact), which the order tests rely on.
    expect(s[1]).toBe(s[3]);
  });

  it("handles zeros, all-zero rows and a single class without NaN", () => {
    const zeros = probsOf([
      [1, 0, 0],
      [0, 0, 0],
      [0.5, 0.5, 0],
    ]);
    expect(Array.from(entropyScores(zeros))).toEqual([0, 0, Math.LN2]);
    expect(Array.from(ratioScores(zeros))).toEqual([0, 1, 1]);
    expect(Array.from(marginScores(zeros))).toEqual([0, 1, 1]);
    expect(Array.from(leastConfidenceScores(zeros))).toEqual([0, 1, 0.5]);
    const single = probsOf([[1], [1]]);
    expect(Array.from(marginScores(single))).toEqual([0, 0]); // p2 = 0
    expect(Array.from(ratioScores(single))).toEqual([0, 0]);
    expect(Array.from(entropyScores(single))).toEqual([0, 0]);
    expect(Array.from(leastConfidenceScores(single))).toEqual([0, 0]);
  });

  it("score() on the sampler equals the pure score function", () => {
    const inputs = { probs: rows, labelled: new Uint8Array(4) };
    expect(margin.score!(inputs, {})).toEqual(marginScores(rows));
    expect(ratio.score!(inputs, {})).toEqual(ratioScores(rows));
    expect(random.score).toBeUndefined();
  });

  it("least-confidence from the validating scan's row maxima equals the plain score, −0, zeros and ties included", () => {
    const draw = createRandom(7, "lc-maxima");
    for (const c of [1, 2, 3, 10, 100]) {
      const n = 300;
      const data = new Float32Array(n * c);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < c; j++) {
          // A third of the entries exact zeros (some −0), the rest exponential draws.
          const u = draw.next();
          const v = u < 0.3 ? 0 : u < 0.33 ? -0 : -Math.log(1 - draw.next());
          data[i * c + j] = v;
          sum += v;
        }
        if (sum === 0) data[i * c] = sum = 1;
        for (let j = 0; j < c; j++) data[i * c + j] = data[i * c + j]! / sum;
      }
      // A tie for the top and a one-hot row.
      if (c >= 2) data.set([0.5, 0.5, ...new Array(c - 2).fill(0)], 0);
      data.set([...new Array(c - 1).fill(0), 1], c);
      const probs = { data, n, c };
      expect(leastConfidence.score!({ probs, labelled: new Uint8Array(n) }, {})).toEqual(leastConfidenceScores(probs));
    }
  });
});

describe("selection order", () => {
  it("least confidence: 3, 1, 2, 0", () => {
    expect(pick(leastConfidence, rows, none, 2)).toEqual([3, 1]);
    expect(pick(leastConfidence, rows, none, 4)).toEqual([3, 1, 2, 0]);
    expect(pick(leastConfidence, rows, threeLabelled, 2)).toEqual([1, 2]);
    expect(pick(leastConfidence, rows, threeLabelled, 3)).toEqual([1, 2, 0]);
  });

  it("margin: smallest p1 − p2 first: 3, 2, 1, 0", () => {
    expect(pick(margin, rows, none, 2)).toEqual([3, 2]);
    expect(pick(margin, rows, none, 4)).toEqual([3, 2, 1, 0]);
    expect(pick(margin, rows, threeLabelled, 2)).toEqual([2, 1]);
    expect(pick(margin, rows, [1, 0, 1, 0], 2)).toEqual([3, 1]);
  });

  it("entropy: 3, 1, 2, 0", () => {
    expect(pick(entropy, rows, none, 2)).toEqual([3, 1]);
    expect(pick(entropy, rows, none, 4)).toEqual([3, 1, 2, 0]);
    expect(pick(entropy, rows, threeLabelled, 2)).toEqual([1, 2]);
  });

  it("ratio: 2, then the 0.5 tie (1 before 3), then 0", () => {
    expect(pick(ratio, rows, none, 2)).toEqual([2, 1]);
    expect(pick(ratio, rows, none, 4)).toEqual([2, 1, 3, 0]);
    expect(pick(ratio, rows, [0, 1, 0, 0], 2)).toEqual([2, 3]);
    expect(pick(ratio, rows, [0, 0, 1, 0], 2)).toEqual([1, 3]);
  });

  it("breaks ties between identical rows by lowest index", () => {
    const same = probsOf([
      [0.5, 0.3, 0.2],
      [0.5, 0.3, 0.2],
      [0.9, 0.1, 0],
      [0.5, 0.3, 0.2],
      [0.5, 0.3, 0.2],
    ]);
    for (const s of [leastConfidence, margin, entropy, ratio]) {
      expect(pick(s, same, [0, 0, 0, 0, 0], 2), s.name).toEqual([0, 1]);
      expect(pick(s, same, [1, 0, 0, 0, 0], 3), s.name).toEqual([1, 3, 4]);
      expect(pick(s, same, [0, 0, 0, 0, 0], 5), s.name).toEqual([0, 1, 3, 4, 2]);
    }
  });

  it("random: k distinct unlabelled indices, reproducible from the seed", () => {
    const labelled = Uint8Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const a = random.select({ labelled }, 10, {}, ctx(5));
    expect(a).toEqual(random.select({ labelled }, 10, {}, ctx(5)));
    expect(a).not.toEqual(random.select({ labelled }, 10, {}, ctx(6)));
    expect(new Set(a).size).toBe(10);
    for (const i of a) expect(labelled[i]).toBe(0);
  });

  it("random: each unlabelled point equally likely (chi-square)", () => {
    const labelled = Uint8Array.from([0, 1, 0, 0, 1, 0, 0, 0, 0, 0]); // 8 unlabelled
    const counts = new Array<number>(10).fill(0);
    const r = createRandom(9, "uniform");
    const trials = 16_000;
    for (let t = 0; t < trials; t++) counts[random.select({ labelled }, 1, {}, { random: r })[0]!]!++;
    expect(counts[1]).toBe(0);
    expect(counts[4]).toBe(0);
    const expected = trials / 8;
    const chi2 = counts.filter((_, i) => labelled[i] === 0).reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(24.32); // 7 df, p = 0.001
  });
});

describe("validation", () => {
  const inputs: SamplerInputs = { probs: rows, labelled: Uint8Array.from([0, 1, 1, 0]) };

  it("margin and entropy check rows in their own scans with the same verdicts and messages as requireProbs (ratio's path)", () => {
    const bad: [string, number[][]][] = [
      ["NaN", [[0.5, 0.5], [Number.NaN, 1]]],
      ["negative", [[0.5, 0.5], [1.2, -0.2]]],
      ["above one", [[0.5, 0.5], [1.5, 0]]],
      ["infinite", [[0.5, 0.5], [Number.POSITIVE_INFINITY, 0]]],
      ["sum off", [[0.5, 0.5], [0.3, 0.3]]],
      ["all zero", [[0, 0], [1, 0]]],
    ];
    for (const [what, values] of bad) {
      const probs = probsOf(values);
      const labelled = new Uint8Array(values.length);
      const messageOf = (s: Sampler) => {
        try {
          s.select({ probs, labelled }, 1, {}, ctx());
        } catch (error) {
          return (error as Error).message;
        }
        return "no error";
      };
      expect(messageOf(margin), what).toBe(messageOf(ratio).replace("ratio:", "margin:"));
      expect(messageOf(entropy), what).toBe(messageOf(ratio).replace("ratio:", "entropy:"));
      expect(messageOf(ratio), what).not.toBe("no error");
    }
    // A −0 is a zero: accepted, scored as 0.
    const signed = probsOf([[-0, 1], [0.5, 0.5]]);
    expect(margin.score!({ probs: signed, labelled: new Uint8Array(2) }, {})).toEqual(marginScores(probsOf([[0, 1], [0.5, 0.5]])));
    expect(entropy.score!({ probs: signed, labelled: new Uint8Array(2) }, {})).toEqual(entropyScores(probsOf([[0, 1], [0.5, 0.5]])));
    expect(() => margin.select({ probs: { data: new Float32Array(3), n: 2, c: 2 }, labelled: new Uint8Array(2) }, 1, {}, ctx())).toThrow("margin: probs has 3 values for 2 rows of 2 (row 1 is cut short)");
  });

  it("rejects k above the unlabelled count, below 1, or fractional", () => {
    expect(() => margin.select(inputs, 3, {}, ctx())).toThrow(
      "margin: k = 3 exceeds the 2 unlabelled pool points; lower the acquisition size",
    );
    expect(() => random.select(inputs, 3, {}, ctx())).toThrow(/random: k = 3 exceeds the 2 unlabelled/);
    expect(() => entropy.select(inputs, 0, {}, ctx())).toThrow(/entropy: k = 0 must be a whole number ≥ 1/);
    expect(() => ratio.select(inputs, 1.5, {}, ctx())).toThrow(/ratio: k = 1.5/);
  });

  it("rejects missing or mis-sized probabilities", () => {
    expect(() => margin.select({ labelled: new Uint8Array(4) }, 1, {}, ctx())).toThrow(
      'margin: needs "probs" but the runner gave none',
    );
    expect(() => margin.score!({ labelled: new Uint8Array(4) }, {})).toThrow(/needs "probs"/);
    expect(() => leastConfidence.select({ probs: rows, labelled: new Uint8Array(5) }, 1, {}, ctx())).toThrow(
      /least-confidence: probs has 4 rows but the pool has 5 points/,
    );
  });

  it("parseNoOptions accepts undefined or {} and names an unknown option", () => {
    expect(parseNoOptions(undefined, "x")).toEqual({});
    expect(parseNoOptions({}, "x")).toEqual({});
    expect(() => parseNoOptions({ foo: 1 }, "experiments[0].sampler.options")).toThrow(
      'experiments[0].sampler.options: unknown option "foo" (this sampler takes no options)',
    );
    expect(() => parseNoOptions(3, "p")).toThrow(/p: expected an options object, got number/);
    expect(() => parseNoOptions(null, "p")).toThrow(/got null/);
    expect(() => parseNoOptions([], "p")).toThrow(/got an array/);
  });

  it("getSampler finds registered samplers and lists the names otherwise", () => {
    expect(samplerNames.slice(0, 5)).toEqual(["random", "least-confidence", "margin", "entropy", "ratio"]);
    const bayesian = ["bald", "variation-ratios", "mean-std", "qbc-vote-entropy", "qbc-kl", "batchbald", "stochastic"];
    const multilabel = ["binary-minimum", "max-loss", "cardinality-inconsistency", "binary-entropy", "binary-bald", "binary-batchbald"];
    const diversity = ["kcenter-greedy", "kmeans", "wkmeans", "iwkmeans", "iconfidence", "information-density", "typicality", "badge", "egl", "cal"];
    expect(samplerNames).toEqual(expect.arrayContaining([...bayesian, ...multilabel, ...diversity]));
    for (const name of samplerNames) expect(getSampler(name, "s").name).toBe(name);
    expect(() => getSampler("foo", "grid.sampler")).toThrow(
      'grid.sampler: unknown sampler "foo"; expected one of random, least-confidence, margin, entropy, ratio',
    );
    expect(() => getSampler("toString", "s")).toThrow(/unknown sampler "toString"/);
  });
});

/** Random probability rows: Dirichlet(1)-like with exact zeros, one-hots, uniforms and copies. */
function randomProbs(seed: number, n: number, c: number): Matrix {
  const r = createRandom(seed, "probs");
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    const kind = r.int(6);
    if (kind === 0 && i > 0) {
      row.set(data.subarray((i - 1) * c, i * c)); // exact tie with the previous row
    } else if (kind === 1) {
      row[r.int(c)] = 1;
    } else if (kind === 2) {
      row.fill(1 / c);
    } else {
      let sum = 0;
      for (let j = 0; j < c; j++) {
        const w = r.next() < 0.3 ? 0 : -Math.log(1 - r.next()); // Exp(1) = Gamma(1)
        row[j] = w;
        sum += w;
      }
      if (sum === 0) row[r.int(c)] = 1;
      else for (let j = 0; j < c; j++) row[j] = row[j]! / sum;
    }
  }
  return { data, n, c };
}

/**
 * Every input a sampler may declare, random but well-formed, so the property loop below covers
 * every registered sampler whatever it needs: MC samples (N×T×C rows with the same zeros and ties
 * as randomProbs), class labels, 0/1 label sets, embeddings and reference probabilities.
 */
function randomInputs(seed: number, probs: Matrix, labelled: Uint8Array): SamplerInputs {
  const r = createRandom(seed, "inputs");
  const { n, c } = probs;
  const t = 1 + r.int(5);
  const d = 1 + r.int(4);
  const embeddings = new Float32Array(n * d);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = r.next() < 0.1 ? 0 : r.normal();
  return {
    probs,
    mcSamples: { data: randomProbs(seed + 10_000, n * t, c).data, n, t, c },
    labels: Int32Array.from({ length: n }, () => r.int(c)),
    labelSets: { data: Float32Array.from({ length: n * c }, () => (r.next() < 0.4 ? 1 : 0)), n, c },
    embeddings: { data: embeddings, n, c: d },
    referenceProbs: Float32Array.from({ length: n }, () => r.next()),
    epochPredictions: randomEpochPredictions(r, n, c),
    // Discriminator outputs, with exact 0s and 1s and ties (a sigmoid saturates).
    labelledness: Float32Array.from({ length: n }, () => [0, 1, 0.5][r.int(4)] ?? r.next()),
    // Drawn last, so every other input of a case is as before; a coarse grid makes ties common.
    predictedLoss: Float32Array.from({ length: n }, () => r.int(8) / 4 - 0.5),
    labelled,
  };
}

/** N×E predicted classes, E in [1, 6]; about a third of the rows constant (dispersion 0). */
function randomEpochPredictions(r: ReturnType<typeof createRandom>, n: number, c: number): EpochPredictions {
  const e = 1 + r.int(6);
  const data = new Int32Array(n * e);
  for (let i = 0; i < n; i++) {
    const constant = r.int(3) === 0;
    const first = r.int(c);
    for (let j = 0; j < e; j++) data[i * e + j] = constant ? first : r.int(c);
  }
  return { data, n, e };
}

/** The inputs a sampler reads with these options (a wrapper such as stochastic narrows `needs`). */
function neededInputs(sampler: Sampler<object>, options: object): readonly SamplerInput[] {
  const narrowed = sampler as Sampler<object> & { needsFor?: (options: object) => readonly SamplerInput[] };
  return narrowed.needsFor?.(options) ?? sampler.needs;
}

/** Input fields that carry each declared input ("labels" is `labelSets` for multi-label samplers). */
const inputFields: Record<SamplerInput, Array<keyof SamplerInputs>> = {
  probs: ["probs"],
  mcSamples: ["mcSamples"],
  embeddings: ["embeddings"],
  labels: ["labels", "labelSets"],
  referenceProbs: ["referenceProbs"],
  epochPredictions: ["epochPredictions"],
  labelledness: ["labelledness"],
  predictedLoss: ["predictedLoss"],
};

/** Options that keep the loop fast where defaults cost seconds here (defaults are tested per sampler). */
const propertyOptions: Record<string, object> = {
  batchbald: { draws: 50, maxConfigurations: 50 }, // still exercises both exact and sampled steps
};

describe("properties over 200 random pools, for every registered sampler", () => {
  const entries = Object.values(samplerRegistry) as Sampler<object>[];

  it("select returns k distinct, in-range, unlabelled indices, deterministically", () => {
    const r = createRandom(2024, "property");
    let checked = 0;
    for (let t = 0; t < 200; t++) {
      const n = 1 + r.int(60);
      const c = 1 + r.int(6);
      const probs = randomProbs(t, n, c);
      const density = r.next();
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < density ? 1 : 0));
      const unlabelled = labelled.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
      const inputs = randomInputs(t, probs, labelled);

      for (const sampler of entries) {
        const where = `case ${t} (n=${n}, c=${c}, unlabelled=${unlabelled}) ${sampler.name}`;
        const options = sampler.parseOptions(propertyOptions[sampler.name], "options");
        const needs = neededInputs(sampler, options);
        for (const input of needs) {
          const without: SamplerInputs = { ...inputs };
          for (const field of inputFields[input]) delete without[field];
          const named = new RegExp(`needs "(${inputFields[input].join("|")})"`);
          expect(() => sampler.select(without, Math.max(1, unlabelled), options, ctx(t)), where).toThrow(named);
        }
        if (needs.includes("labels") && unlabelled === n) {
          // A sampler that learns from the labelled set may refuse an empty one, but must say so.
          let refused = false;
          try {
            sampler.select(inputs, Math.max(1, unlabelled), options, ctx(t));
          } catch (error) {
            expect((error as Error).message, where).toMatch(/no labelled points/);
            refused = true;
          }
          if (refused) continue;
        }
        expect(() => sampler.select(inputs, unlabelled + 1, options, ctx(t)), where).toThrow(/exceeds the/);
        const scores = sampler.score?.(inputs, options);
        if (scores) {
          expect(scores.length, where).toBe(n);
          for (const s of scores) expect(Number.isFinite(s), where).toBe(true);
        }
        if (unlabelled === 0) continue;

        const k = 1 + r.int(unlabelled);
        const chosen = expectValidSelection(sampler, inputs, k, options, () => ctx(t), where);

        if (scores) {
          // Chosen in descending score, lowest index first on ties…
          for (let j = 1; j < k; j++) {
            const a = chosen[j - 1]!;
            const b = chosen[j]!;
            expect(scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b), where).toBe(true);
          }
          // …and no unchosen unlabelled point beats the last chosen one.
          const last = chosen[k - 1]!;
          const taken = new Set(chosen);
          for (let i = 0; i < n; i++) {
            if (labelled[i] === 1 || taken.has(i)) continue;
            expect(scores[i]! < scores[last]! || (scores[i] === scores[last] && i > last), where).toBe(true);
          }
          // Deterministic samplers ignore the rng.
          expect(sampler.select(inputs, k, options, ctx(t + 1000)), where).toEqual(chosen);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(800);
  });
});
