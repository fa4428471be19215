/**
 * CEAL's pseudo-labels (lib/al/pseudo-labels.ts): threshold and decay by hand on a tiny pool,
 * nats not bits, the cap, and properties over random pools (only open points, only below the
 * threshold, the model's class, a falling threshold never adds points).
 */
import { describe, expect, it } from "vitest";
import { argmaxRows } from "../../lib/al/matrix.ts";
import { pseudoLabelAccuracy, pseudoLabelMetrics, pseudoLabels, pseudoLabelThreshold, withPseudoLabels } from "../../lib/al/pseudo-labels.ts";
import { createRandom } from "../../lib/al/random.ts";
import { entropyScores } from "../../lib/al/samplers/entropy.ts";
import { matrixOf, randomProbs } from "./samplers/diversity-fixtures.ts";

// Entropies in nats, from the float32 values (computed by hand with ln, checked in the first test).
const pool = matrixOf([
  [1, 0, 0], // 0
  [0.999, 0.001, 0], // −(0.999 ln 0.999 + 0.001 ln 0.001) = 0.0079072
  [0.9995, 0.0005, 0], // 0.0043003 nats = 0.0062042 bits
  [0.2, 0.5, 0.3], // 1.0296530
  [0, 0, 1], // 0
  [0, 0.9999, 0.0001], // 0.0010210
]);
const paper = { threshold: 0.005, decay: 0.00033 };
const none = new Uint8Array(6);
const picks = (round: number, blocked = none, options: Parameters<typeof pseudoLabels>[3] = paper) => {
  const { points, classes } = pseudoLabels(pool, blocked, round, options);
  return { points: Array.from(points), classes: Array.from(classes) };
};

describe("pseudo-labels by hand", () => {
  it("the pool's entropies are those in the comments (nats)", () => {
    const h = entropyScores(pool);
    [0, 0.0079072, 0.0043003, 1.029653, 0, 0.001021].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 6));
  });

  it("δ_r = δ₀ − dr·r", () => {
    expect(pseudoLabelThreshold(0, paper)).toBe(0.005);
    expect(pseudoLabelThreshold(2, paper)).toBeCloseTo(0.00434, 12);
    expect(pseudoLabelThreshold(16, paper)).toBeCloseTo(-0.00028, 12);
  });

  it("round 0 (δ = 0.005): entropies below it, most confident first, ties to the lowest index, each with its argmax", () => {
    // 0.0043 nats is in; in bits (0.0062) it would not be.
    expect(picks(0)).toEqual({ points: [0, 4, 5, 2], classes: [0, 2, 1, 0] });
  });

  it("the threshold decays: round 2 (0.00434) keeps point 2, round 3 (0.00401) drops it, round 13 (0.00071) drops point 5", () => {
    expect(picks(2).points).toEqual([0, 4, 5, 2]);
    expect(picks(3).points).toEqual([0, 4, 5]);
    expect(picks(12).points).toEqual([0, 4, 5]); // 0.00104 > 0.001021
    expect(picks(13).points).toEqual([0, 4]);
    expect(picks(15).points).toEqual([0, 4]); // δ = 0.00005: only certain rows
    expect(picks(16).points).toEqual([]); // δ < 0: none, even at entropy 0
  });

  it("blocked points (labelled, picked this round, set aside) are never pseudo-labelled", () => {
    expect(picks(0, Uint8Array.of(1, 0, 0, 0, 0, 1))).toEqual({ points: [4, 2], classes: [2, 0] });
  });

  it("maxPseudoLabels keeps the most confident", () => {
    expect(picks(0, none, { ...paper, maxPseudoLabels: 3 }).points).toEqual([0, 4, 5]);
    expect(picks(0, none, { ...paper, maxPseudoLabels: 1 }).points).toEqual([0]);
  });

  it("accuracy against the truth, count and rows for the fit", () => {
    const labels = pseudoLabels(pool, none, 0, paper); // classes 0, 2, 1, 0 for points 0, 4, 5, 2
    const truth = Int32Array.of(0, 0, 0, 2, 2, 0); // point 5 is truly 0, not 1: 3 of 4 right
    expect(pseudoLabelAccuracy(labels, truth)).toBe(0.75);
    expect(pseudoLabelMetrics(labels, truth)).toEqual({ pseudo_labels: 4, pseudo_label_accuracy: 0.75 });
    expect(pseudoLabelMetrics(undefined, truth)).toEqual({ pseudo_labels: 0 });
    expect(pseudoLabelMetrics(pseudoLabels(pool, none, 16, paper), truth)).toEqual({ pseudo_labels: 0 });
    const fit = withPseudoLabels(Int32Array.of(3, 1), Int32Array.of(2, 0), labels);
    expect(fit).toEqual({ rows: Int32Array.of(3, 1, 0, 4, 5, 2), targets: Int32Array.of(2, 0, 0, 2, 1, 0) });
    expect(withPseudoLabels(Int32Array.of(3), Int32Array.of(2), undefined)).toEqual({ rows: Int32Array.of(3), targets: Int32Array.of(2) });
    expect(() => withPseudoLabels(Int32Array.of(3), { data: new Float32Array(2), n: 1, c: 2 }, labels)).toThrow(
      "pseudo-labels: multi-label targets take no pseudo-labels; use ceal on multi-class data",
    );
  });

  it("refuses a bad row or mask with one line", () => {
    expect(() => pseudoLabels(matrixOf([[0.5, 0.6]]), new Uint8Array(1), 0, paper)).toThrow(/^pseudo-labels: probs row 0 sums to 1\.1, not 1/);
    expect(() => pseudoLabels(pool, new Uint8Array(5), 0, paper)).toThrow(
      "pseudo-labels: the mask has 5 entries but probs has 6 rows; pass one flag per pool point",
    );
  });
});

describe("pseudo-labels against a numpy reference", () => {
  it("picks what the public CEAL reimplementations' rule picks: −nansum(p·ln p) < δ, then argmax", () => {
    // A 40×5 pool, sharper row by row: logits (1 + 0.6i)·sin(7i + 3j), softmax, float32.
    const n = 40;
    const c = 5;
    const data = new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      const logits = Array.from({ length: c }, (_, j) => (1 + i * 0.6) * Math.sin(i * 7 + j * 3));
      const top = Math.max(...logits);
      const e = logits.map((v) => Math.exp(v - top));
      const total = e.reduce((a, b) => a + b, 0);
      e.forEach((v, j) => (data[i * c + j] = v / total));
    }
    // From numpy 1.24 (Debian python3), the rule written the way those scripts write it, on the
    // same float32 values; no entropy lies within 0.006 of either threshold.
    const reference = {
      0.5: {
        points: [13, 14, 15, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 32, 34, 35, 36, 37, 39],
        classes: [4, 1, 1, 3, 0, 0, 4, 4, 1, 1, 3, 3, 0, 0, 4, 4, 1, 3, 3, 0, 0, 4],
      },
      0.1: { points: [26, 27, 31, 32, 35, 36, 39], classes: [3, 0, 4, 1, 3, 0, 4] },
    };
    const options = { threshold: 0.5, decay: 0.2 };
    for (const [round, delta] of [[0, 0.5], [2, 0.1]] as const) {
      const ours = pseudoLabels({ data, n, c }, new Uint8Array(n), round, options);
      // The reference lists points by index; ours are most confident first.
      const byIndex = Array.from(ours.points, (p, j) => [p, ours.classes[j]!] as const).sort((a, b) => a[0] - b[0]);
      expect(byIndex.map(([p]) => p), `δ = ${delta}`).toEqual(reference[delta].points);
      expect(byIndex.map(([, k]) => k), `δ = ${delta}`).toEqual(reference[delta].classes);
    }
  });
});

describe("pseudo-labels: properties over random pools", () => {
  it("only open points, distinct, below δ_r, lowest entropies first, argmax classes; all of them unless capped; δ falling never adds one", () => {
    const r = createRandom(17, "pseudo-label-properties");
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + r.int(60);
      const c = 1 + r.int(6);
      const probs = randomProbs(trial, n, c);
      const blocked = Uint8Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
      const options = { threshold: 1.5 * r.next(), decay: 0.2 * r.next(), ...(r.int(3) === 0 ? { maxPseudoLabels: 1 + r.int(10) } : {}) };
      const round = r.int(8);
      const where = `trial ${trial} (n=${n}, c=${c}, round ${round}, ${JSON.stringify(options)})`;
      const { points, classes } = pseudoLabels(probs, blocked, round, options);
      const h = entropyScores(probs);
      const argmax = argmaxRows(probs);
      const delta = options.threshold - options.decay * round;
      expect(new Set(points).size, where).toBe(points.length);
      expect(classes.length, where).toBe(points.length);
      points.forEach((i, j) => {
        expect(blocked[i], where).toBe(0);
        expect(h[i]! < delta, where).toBe(true);
        expect(classes[j], where).toBe(argmax[i]);
        if (j > 0) expect(h[points[j - 1]!]! <= h[i]!, where).toBe(true);
      });
      const below = Array.from({ length: n }, (_, i) => i).filter((i) => blocked[i] === 0 && h[i]! < delta);
      expect(points.length, where).toBe(Math.min(below.length, options.maxPseudoLabels ?? Infinity));
      // Capped: nothing left out is more confident than the least confident kept.
      const kept = new Set(points);
      const worst = points.length > 0 ? h[points.at(-1)!]! : -Infinity;
      for (const i of below) if (!kept.has(i)) expect(h[i]! >= worst, where).toBe(true);
      // Uncapped, a later round's set is a subset of this one's.
      if (options.maxPseudoLabels === undefined) {
        const later = pseudoLabels(probs, blocked, round + 1 + r.int(4), options);
        for (const i of later.points) expect(kept.has(i), where).toBe(true);
      }
    }
  });
});
