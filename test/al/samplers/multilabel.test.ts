import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { baldScores } from "../../../lib/al/samplers/bald.ts";
import { binaryBald, binaryBaldScores } from "../../../lib/al/samplers/binary-bald.ts";
import { binaryEntropy, binaryEntropyScores } from "../../../lib/al/samplers/binary-entropy.ts";
import { binaryMinimum, binaryMinimumScores } from "../../../lib/al/samplers/binary-minimum.ts";
import {
  cardinalityInconsistency,
  cardinalityInconsistencyScores,
  meanLabelCount,
} from "../../../lib/al/samplers/cardinality-inconsistency.ts";
import { maxLoss, maxLossScores } from "../../../lib/al/samplers/max-loss.ts";
import type { Sampler, SamplerInputs, Samples } from "../../../lib/al/samplers/sampler.ts";

const matrixOf = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length });
const ctx = () => ({ random: createRandom(1, "select") });

// Independent sigmoid outputs, L = 3 labels. Rows 5 and 6 are the labelled ones.
const probs = matrixOf([
  [0.9, 0.1, 0.55],
  [0.5, 0.5, 0.5],
  [0.2, 0.3, 0.1],
  [1, 1, 0],
  [0.8, 0.6, 0.9],
  [0.5, 0.5, 0.5],
  [0.5, 0.5, 0.5],
]);
// Label sets: rows 5 and 6 carry 1 and 2 labels (mean 1.5). Unlabelled rows hold 1s everywhere:
// if a sampler read them the mean would change.
const labelSets = matrixOf([
  [1, 1, 1],
  [1, 1, 1],
  [1, 1, 1],
  [1, 1, 1],
  [1, 1, 1],
  [1, 0, 0],
  [0, 1, 1],
]);
const labelled = Uint8Array.from([0, 0, 0, 0, 0, 1, 1]);
const inputs: SamplerInputs = { probs, labelSets, labelled };
const pick = (s: Sampler<object>, k: number, options: object = {}): number[] => Array.from(s.select(inputs, k, options, ctx()));

describe("hand-computed multi-label scores", () => {
  it("binary minimum: 0.5 − min |p − 0.5|", () => {
    // min |p − 0.5|: 0.05, 0, 0.2, 0.5, 0.1
    const s = binaryMinimumScores(probs);
    [0.45, 0.5, 0.3, 0, 0.4].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
    expect(pick(binaryMinimum, 5)).toEqual([1, 0, 4, 2, 3]);
  });

  it("summed binary entropy (nats), 0 at p ∈ {0, 1}", () => {
    // h(0.9) = h(0.1) = 0.1·2.302585 + 0.9·0.105361 = 0.325083; h(0.55) = 0.55·0.597837 + 0.45·0.798508 = 0.688139
    // h(0.2) = 0.500402, h(0.3) = 0.610864, h(0.8) = h(0.2), h(0.6) = 0.6·0.510826 + 0.4·0.916291 = 0.673012
    // 0: 0.325083·2 + 0.688139 = 1.338305; 1: 3 ln 2 = 2.079442; 2: 0.500402 + 0.610864 + 0.325083 = 1.436349
    // 3: 0; 4: 0.500402 + 0.673012 + 0.325083 = 1.498497
    const s = binaryEntropyScores(probs);
    [1.338305, 2.079442, 1.436349, 0, 1.498497].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 5));
    expect(pick(binaryEntropy, 5)).toEqual([1, 4, 2, 0, 3]);
  });

  it("max loss, expected cardinality: Σ_{top m̂}(1 − p) + Σ_rest p with m̂ = max(1, round(Σp))", () => {
    // 0: Σp = 1.55 → m̂ = 2 (0.9, 0.55): 0.1 + 0.45 + 0.1 = 0.65
    // 1: Σp = 1.5 → m̂ = 2: 0.5 + 0.5 + 0.5 = 1.5
    // 2: Σp = 0.6 → m̂ = 1 (0.3): 0.2 + 0.7 + 0.1 = 1.0
    // 3: Σp = 2 → m̂ = 2 (1, 1): 0
    // 4: Σp = 2.3 → m̂ = 2 (0.9, 0.8): 0.1 + 0.2 + 0.6 = 0.9
    const s = maxLossScores(probs);
    [0.65, 1.5, 1, 0, 0.9].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
    expect(pick(maxLoss, 5, { cardinality: "expected" })).toEqual([1, 2, 4, 0, 3]);
  });

  it("max loss, threshold cardinality: Σ min(p, 1 − p) (Li et al.'s mean max loss × L)", () => {
    // 0: 0.1 + 0.1 + 0.45 = 0.65; 1: 1.5; 2: 0.2 + 0.3 + 0.1 = 0.6; 3: 0; 4: 0.2 + 0.4 + 0.1 = 0.7
    const s = maxLossScores(probs, { cardinality: "threshold" });
    [0.65, 1.5, 0.6, 0, 0.7].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
    expect(pick(maxLoss, 5, { cardinality: "threshold" })).toEqual([1, 4, 0, 2, 3]);
  });

  it("cardinality inconsistency: |#{p > 0.5} − mean labelled count|", () => {
    // labelled rows 5 and 6 have 1 and 2 labels: mean 1.5. Predicted counts (p > 0.5): 2, 0, 0, 2, 3
    // → |2 − 1.5| = 0.5, 1.5, 1.5, 0.5, 1.5
    expect(meanLabelCount(labelSets, labelled)).toBe(1.5);
    expect(Array.from(cardinalityInconsistencyScores(probs, 1.5))).toEqual([0.5, 1.5, 1.5, 0.5, 1.5, 1.5, 1.5]);
    expect(pick(cardinalityInconsistency, 5)).toEqual([1, 2, 4, 0, 3]);
  });
});

describe("multi-label samplers: tasks, options and errors", () => {
  const all = [binaryMinimum, maxLoss, cardinalityInconsistency, binaryEntropy] as Sampler<object>[];

  it("declare the multi-label task", () => {
    for (const s of all) expect(s.tasks, s.name).toEqual(["multilabel"]);
  });

  it("name the missing input", () => {
    for (const s of all) {
      expect(() => s.select({ labelled }, 1, s.parseOptions(undefined, "o"), ctx())).toThrow(`${s.name}: needs "probs" but the runner gave none`);
    }
    expect(() => cardinalityInconsistency.select({ probs, labelled }, 1, {}, ctx())).toThrow(
      'cardinality-inconsistency: needs "labelSets" (the labelled points\' label sets) but the runner gave none',
    );
    expect(() => cardinalityInconsistency.select({ probs, labelled, labelSets: matrixOf([[1, 0]]) }, 1, {}, ctx())).toThrow(
      "cardinality-inconsistency: labelSets is 1×2 but the pool needs 7×3",
    );
    expect(() => cardinalityInconsistency.select({ probs, labelSets, labelled: new Uint8Array(7) }, 1, {}, ctx())).toThrow(
      "cardinality-inconsistency: no labelled points to take the mean label count from; start from a non-empty initial set",
    );
  });

  it("max-loss validates its option with the path named", () => {
    expect(maxLoss.parseOptions(undefined, "o")).toEqual({ cardinality: "expected" });
    expect(() => maxLoss.parseOptions({ cardinality: 2 }, "samplers[0].options")).toThrow(
      'samplers[0].options.cardinality: expected one of "expected", "threshold", got 2',
    );
  });

  it("reject k beyond the unlabelled pool", () => {
    for (const s of all) {
      expect(() => s.select(inputs, 6, s.parseOptions(undefined, "o"), ctx())).toThrow(`${s.name}: k = 6 exceeds the 5 unlabelled`);
    }
  });
});

describe("multi-label samplers on real data (yeast, ../shared/data)", () => {
  // 1,500 genes × 103 features, 14 labels joined by "|". The first 1,000 rows are labelled; a
  // 10-nearest-neighbour model (label frequencies among the labelled neighbours, Euclidean on the
  // features) predicts the other 500.
  const text = readFileSync(join(import.meta.dirname, "../../../../shared/data/tabular/yeast-multilabel.csv"), "utf8");
  const rows = text.trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
  const n = rows.length;
  const L = 14;
  const d = rows[0]!.length - 1;
  const labelCounts = rows.map((r) => r[d]!.split("|").length);
  const sets = new Float32Array(n * L);
  rows.forEach((r, i) => r[d]!.split("|").forEach((l) => (sets[i * L + Number(l)] = 1)));
  const x = rows.map((r) => r.slice(0, d).map(Number));
  const nLabelled = 1000;
  const mask = Uint8Array.from({ length: n }, (_, i) => (i < nLabelled ? 1 : 0));
  const p = new Float32Array(n * L);
  for (let i = nLabelled; i < n; i++) {
    const dist = x.slice(0, nLabelled).map((row, j) => [row.reduce((s, v, f) => s + (v - x[i]![f]!) ** 2, 0), j] as const);
    dist.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [, j] of dist.slice(0, 10)) for (let l = 0; l < L; l++) p[i * L + l] += sets[j * L + l]! / 10;
  }
  const realInputs: SamplerInputs = { probs: { data: p, n, c: L }, labelSets: { data: sets, n, c: L }, labelled: mask };
  /** Hamming errors of the thresholded prediction (p > 0.5) on row i. */
  const errors = (i: number): number => {
    let e = 0;
    for (let l = 0; l < L; l++) e += (p[i * L + l]! > 0.5 ? 1 : 0) !== sets[i * L + l] ? 1 : 0;
    return e;
  };

  it("the mean label count is the labelled rows' mean number of labels", () => {
    const expected = labelCounts.slice(0, nLabelled).reduce((a, b) => a + b, 0) / nLabelled;
    expect(meanLabelCount({ data: sets, n, c: L }, mask)).toBeCloseTo(expected, 12);
    expect(expected).toBeGreaterThan(4); // yeast's label cardinality is about 4.2
    expect(expected).toBeLessThan(4.5);
  });

  it("uncertainty samplers pick points the model gets more labels wrong on than average", () => {
    let average = 0;
    for (let i = nLabelled; i < n; i++) average += errors(i) / (n - nLabelled);
    for (const s of [binaryMinimum, maxLoss, binaryEntropy] as Sampler<object>[]) {
      const picks = s.select(realInputs, 50, s.parseOptions(undefined, "o"), ctx());
      const picked = Array.from(picks).reduce((sum, i) => sum + errors(i), 0) / 50;
      expect(picked, s.name).toBeGreaterThan(average);
      for (const i of picks) expect(mask[i]).toBe(0);
    }
    // Cardinality inconsistency picks distinct unlabelled points whose predicted counts are the most
    // unusual: each at least as far from the mean as every unpicked point.
    const picks = cardinalityInconsistency.select(realInputs, 50, {}, ctx());
    const scores = cardinalityInconsistency.score!(realInputs, {});
    const lowest = Math.min(...Array.from(picks, (i) => scores[i]!));
    for (let i = nLabelled; i < n; i++) if (!picks.includes(i)) expect(scores[i]!).toBeLessThanOrEqual(lowest);
  });
});

describe("binary-bald: summed per-label mutual information over sigmoid MC samples", () => {
  /** N×T×L samples from nested rows: point → pass → labels. */
  const samplesOf = (points: number[][][]): Samples => ({
    data: Float32Array.from(points.flat(2)),
    n: points.length,
    t: points[0]!.length,
    c: points[0]![0]!.length,
  });

  it("hand-computed: H_b(mean) − mean H_b per label, summed", () => {
    // Point 0, label 0: passes 0.9 and 0.1 → H_b(0.5) − H_b(0.9) = 0.693147 − 0.325083 = 0.368064;
    // label 1: 0.5 and 0.5 → 0. Point 1: every pass agrees → 0. Point 2, label 0: 1 and 0 →
    // ln 2 = 0.693147; label 1: 0.2 and 0.6 → H_b(0.4) − (H_b(0.2) + H_b(0.6))/2
    // = 0.673012 − (0.500402 + 0.673012)/2 = 0.086305; sum 0.779452.
    const s = binaryBaldScores(samplesOf([
      [[0.9, 0.5], [0.1, 0.5]],
      [[0.3, 0.8], [0.3, 0.8]],
      [[1, 0.2], [0, 0.6]],
    ]));
    expect(s[0]).toBeCloseTo(0.368064, 5);
    expect(s[1]).toBe(0);
    expect(s[2]).toBeCloseTo(0.779452, 5);
    const mc = samplesOf([[[0.9, 0.5], [0.1, 0.5]], [[0.3, 0.8], [0.3, 0.8]], [[1, 0.2], [0, 0.6]]]);
    expect(Array.from(binaryBald.select({ mcSamples: mc, labelled: new Uint8Array(3) }, 2, {}, ctx()))).toEqual([2, 0]);
  });

  it("equals BALD summed over each label seen as a two-class softmax [p, 1 − p] (property)", () => {
    const r = createRandom(3, "binary-bald");
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + r.int(6);
      const t = 1 + r.int(5);
      const L = 1 + r.int(4);
      const data = Float32Array.from({ length: n * t * L }, () => (r.next() < 0.1 ? r.int(2) : r.next()));
      const ours = binaryBaldScores({ data, n, t, c: L });
      for (let l = 0; l < L; l++) {
        const two = new Float32Array(n * t * 2);
        for (let k = 0; k < n * t; k++) {
          two[2 * k] = data[k * L + l]!;
          two[2 * k + 1] = 1 - data[k * L + l]!;
        }
        const perLabel = baldScores({ data: two, n, t, c: 2 });
        for (let i = 0; i < n; i++) ours[i] = ours[i]! - perLabel[i]!;
      }
      // Clamping happens on the sum (ours) and per label (BALD): equal up to rounding whenever no term is clamped.
      for (let i = 0; i < n; i++) expect(Math.abs(ours[i]!)).toBeLessThan(1e-6);
    }
  });

  it("is multi-label only, names its input and refuses values outside [0, 1]", () => {
    expect(binaryBald.tasks).toEqual(["multilabel"]);
    expect(() => binaryBald.select({ labelled: new Uint8Array(2) }, 1, {}, ctx())).toThrow('binary-bald: needs "mcSamples" but the runner gave none');
    const mc = samplesOf([[[0.2, 1.5]], [[0.1, 0.1]]]);
    expect(() => binaryBald.select({ mcSamples: mc, labelled: new Uint8Array(2) }, 1, {}, ctx())).toThrow(/^binary-bald: mcSamples row 0 .*holds 1\.5 \(column 1\)/);
    // Per-label rows need not sum to 1.
    const ok = samplesOf([[[0.9, 0.9]], [[0.1, 0.1]]]);
    expect(binaryBald.select({ mcSamples: ok, labelled: new Uint8Array(2) }, 1, {}, ctx()).length).toBe(1);
  });
});
