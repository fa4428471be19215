import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { bald, baldScores, baldTerms } from "../../../lib/al/samplers/bald.ts";
import { meanStd, meanStdScores } from "../../../lib/al/samplers/mean-std.ts";
import { qbcKl, klToConsensusScores } from "../../../lib/al/samplers/qbc-kl.ts";
import { qbcVoteEntropy, voteEntropyScores } from "../../../lib/al/samplers/qbc-vote-entropy.ts";
import type { Sampler, Samples } from "../../../lib/al/samplers/sampler.ts";
import { variationRatios, variationRatioScores } from "../../../lib/al/samplers/variation-ratios.ts";

/** Samples from nested [point][sample][class] arrays. */
function samplesOf(points: number[][][]): Samples {
  return { data: Float32Array.from(points.flat(2)), n: points.length, t: points[0]!.length, c: points[0]![0]!.length };
}

const ctx = (seed = 1) => ({ random: createRandom(seed, "select") });
const pick = (s: Sampler, mcSamples: Samples, labelled: number[], k: number): number[] =>
  Array.from(s.select({ mcSamples, labelled: Uint8Array.from(labelled) }, k, {}, ctx()));

// T = 4 samples × C = 3 classes per point.
const pool = samplesOf([
  // 0: votes 0, 0, 1, 2 (confident but contradicting passes)
  [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]],
  // 1: every pass identical
  [[0.2, 0.5, 0.3], [0.2, 0.5, 0.3], [0.2, 0.5, 0.3], [0.2, 0.5, 0.3]],
  // 2: argmax ties go to the lowest class: votes 0, 0, 1, 1
  [[0.4, 0.4, 0.2], [0.4, 0.4, 0.2], [0.2, 0.4, 0.4], [0.2, 0.4, 0.4]],
  // 3: all zeros (softmax underflow): must not give NaN; every pass votes class 0
  [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]],
  // 4: votes 0, 1, 0, 1
  [[0.7, 0.3, 0], [0.3, 0.7, 0], [0.7, 0.3, 0], [0.3, 0.7, 0]],
]);
const none = [0, 0, 0, 0, 0];
// The samplers reject all-zero rows (no softmax gives one); for selection, point 3 is a point
// whose passes all say class 0 for sure, which scores 0 everywhere, as the zeros do above.
const selectable: Samples = { ...pool, data: pool.data.slice() };
selectable.data.set([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0], 3 * 4 * 3);

describe("hand-computed Bayesian scores", () => {
  it("BALD = H[mean p] − mean H[p]", () => {
    // 0: mean (0.5, 0.25, 0.25): H = 0.5·ln2 + 2·0.25·ln4 = 0.346574 + 0.693147 = 1.039721; each pass H = 0.
    // 1: identical passes: H[mean] = mean H → 0.
    // 2: mean (0.3, 0.4, 0.3): H = 2·0.3·1.203973 + 0.4·0.916291 = 0.722384 + 0.366516 = 1.088900;
    //    each pass (0.4, 0.4, 0.2): 2·0.4·0.916291 + 0.2·1.609438 = 0.733033 + 0.321888 = 1.054920
    //    → 1.088900 − 1.054920 = 0.033980.
    // 3: zeros → 0.
    // 4: mean (0.5, 0.5, 0): ln2 = 0.693147; each pass 0.7·0.356675 + 0.3·1.203973 = 0.249672 + 0.361192
    //    = 0.610864 → 0.082283.
    const s = baldScores(pool);
    [1.039721, 0, 0.03398, 0, 0.082283].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 5));
    const e = baldTerms(pool).expectedEntropy;
    [0, 1.029653, 1.05492, 0, 0.610864].forEach((v, i) => expect(e[i]).toBeCloseTo(v, 5));
    // 1's pass entropy: 0.2·1.609438 + 0.5·0.693147 + 0.3·1.203973 = 0.321888 + 0.346574 + 0.361192 = 1.029653
  });

  it("variation ratio = 1 − mode count / T", () => {
    // votes: 0 → {0:2, 1:1, 2:1}: 1 − 2/4; 1 → {1:4}: 0; 2 → {0:2, 1:2}: 0.5; 3 → {0:4}: 0; 4 → {0:2, 1:2}: 0.5
    expect(Array.from(variationRatioScores(pool))).toEqual([0.5, 0, 0.5, 0, 0.5]);
  });

  it("vote entropy = entropy of the vote shares", () => {
    // 0: (0.5, 0.25, 0.25) → 1.039721; 2 and 4: (0.5, 0.5) → ln 2; 1 and 3: unanimous → 0
    const s = voteEntropyScores(pool);
    [1.039721, 0, Math.LN2, 0, Math.LN2].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
  });

  it("mean-STD = mean over classes of the population std over samples", () => {
    // 0: class 0 (1,1,0,0): σ = 0.5; class 1 (0,0,1,0): mean 0.25, var (3·0.0625 + 0.5625)/4 = 0.1875,
    //    σ = 0.433013; class 2 likewise → (0.5 + 0.866025)/3 = 0.455342
    // 2: class 0 (0.4,0.4,0.2,0.2): σ = 0.1; class 1 constant: 0; class 2: 0.1 → 0.2/3 = 0.066667
    // 4: classes 0 and 1: σ = 0.2; class 2: 0 → 0.4/3 = 0.133333
    const s = meanStdScores(pool);
    [0.455342, 0, 0.066667, 0, 0.133333].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
  });

  it("KL to consensus equals BALD (mean KL(p_t ‖ p̄) = H[p̄] − mean H[p_t])", () => {
    // 0: each one-hot pass: ln(1/p̄_c): ln 2, ln 2, ln 4, ln 4 → mean (2·0.693147 + 2·1.386294)/4 = 1.039721
    const kl = klToConsensusScores(pool);
    expect(kl[0]).toBeCloseTo(1.039721, 6);
    const b = baldScores(pool);
    for (let i = 0; i < pool.n; i++) expect(kl[i]).toBeCloseTo(b[i]!, 9);
  });

  it("KL to consensus equals BALD on random pools too (two independent formulas)", () => {
    const r = createRandom(11, "kl-vs-bald");
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + r.int(30);
      const t = 1 + r.int(12);
      const c = 1 + r.int(8);
      const data = new Float32Array(n * t * c);
      for (let j = 0; j < n * t; j++) {
        let sum = 0;
        for (let l = 0; l < c; l++) sum += data[j * c + l] = r.next() < 0.3 ? 0 : r.next();
        for (let l = 0; l < c; l++) data[j * c + l] = sum > 0 ? data[j * c + l]! / sum : 0;
      }
      const samples = { data, n, t, c };
      const kl = klToConsensusScores(samples);
      const b = baldScores(samples);
      for (let i = 0; i < n; i++) expect(Math.abs(kl[i]! - b[i]!)).toBeLessThan(1e-6);
    }
  });

  it("a single sample (T = 1) means no disagreement: every score is 0", () => {
    const one = samplesOf([[[0.2, 0.8]], [[0.5, 0.5]], [[0, 0]]]);
    for (const f of [baldScores, variationRatioScores, voteEntropyScores, meanStdScores, klToConsensusScores]) {
      expect(Array.from(f(one)), f.name).toEqual([0, 0, 0]);
    }
  });
});

describe("Bayesian selection order (ties → lowest index)", () => {
  it("BALD: 0, 4, 2, then the zeros 1, 3", () => {
    expect(pick(bald, selectable, none, 5)).toEqual([0, 4, 2, 1, 3]);
    expect(pick(bald, selectable, [1, 0, 0, 0, 0], 2)).toEqual([4, 2]);
  });

  it("variation ratios: the 0.5 tie 0, 2, 4, then 1, 3", () => {
    expect(pick(variationRatios, selectable, none, 5)).toEqual([0, 2, 4, 1, 3]);
    expect(pick(variationRatios, selectable, [0, 0, 1, 0, 0], 2)).toEqual([0, 4]);
  });

  it("vote entropy: 0, then the ln 2 tie 2, 4", () => {
    expect(pick(qbcVoteEntropy, selectable, none, 3)).toEqual([0, 2, 4]);
  });

  it("mean-STD: 0, 4, 2", () => {
    expect(pick(meanStd, selectable, none, 3)).toEqual([0, 4, 2]);
  });

  it("QBC-KL picks like BALD", () => {
    expect(pick(qbcKl, selectable, none, 5)).toEqual([0, 4, 2, 1, 3]);
  });
});

describe("Bayesian input checks", () => {
  const samplers = [bald, variationRatios, meanStd, qbcVoteEntropy, qbcKl];

  it("names the missing input, the sampler and the fix", () => {
    for (const s of samplers) {
      expect(() => s.select({ labelled: new Uint8Array(5) }, 1, {}, ctx())).toThrow(
        `${s.name}: needs "mcSamples" but the runner gave none`,
      );
      expect(() => s.score!({ labelled: new Uint8Array(5) }, {})).toThrow(/needs "mcSamples"/);
    }
  });

  it("rejects samples that are not distributions, naming the point and the sample", () => {
    for (const s of samplers) {
      // pool's point 3 is all zeros: its first sample sums to 0.
      expect(() => s.select({ mcSamples: pool, labelled: new Uint8Array(5) }, 1, {}, ctx())).toThrow(
        `${s.name}: mcSamples row 3 (sample 0) sums to 0, not 1 (±0.001); pass softmax probabilities, one distribution per row`,
      );
      const nan = { ...selectable, data: selectable.data.slice() };
      nan.data[(1 * 4 + 2) * 3 + 1] = NaN; // point 1, sample 2, class 1
      expect(() => s.score!({ mcSamples: nan, labelled: new Uint8Array(5) }, {})).toThrow(
        `${s.name}: mcSamples row 1 (sample 2) holds NaN (column 1); probabilities must be finite numbers in [0, 1], each row summing to 1 (softmax outputs)`,
      );
    }
  });

  it("rejects mis-shaped samples and k beyond the unlabelled pool", () => {
    expect(() => bald.select({ mcSamples: pool, labelled: new Uint8Array(4) }, 1, {}, ctx())).toThrow(
      /bald: mcSamples has 5 points but the pool has 4/,
    );
    const short = { ...pool, data: pool.data.subarray(1) };
    expect(() => meanStd.select({ mcSamples: short, labelled: new Uint8Array(5) }, 1, {}, ctx())).toThrow(
      /mean-std: mcSamples data has 59 values, expected 5×4×3 = 60/,
    );
    expect(() => qbcKl.select({ mcSamples: selectable, labelled: Uint8Array.from([1, 1, 1, 0, 0]) }, 3, {}, ctx())).toThrow(
      "qbc-kl: k = 3 exceeds the 2 unlabelled pool points; lower the acquisition size",
    );
  });
});
