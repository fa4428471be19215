/** Entropy's top k with screened scores (entropy.ts selectByEntropy) against ranking every exact score. */
import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { entropy, entropyScores } from "../../../lib/al/samplers/entropy.ts";
import { topKUnlabelled } from "../../../lib/al/samplers/top-k.ts";

const context = { random: createRandom(1, "unused") };

/** Rows of many kinds: Dirichlet, peaked, one-hot, uniform, exact copies (ties), tiny and subnormal entries. */
function rows(r: Random, n: number, c: number): Matrix {
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    const kind = r.int(7);
    if (kind === 0 && i > 0) row.set(data.subarray((i - 1) * c, i * c));
    else if (kind === 1) row[r.int(c)] = 1;
    else if (kind === 2) row.fill(1 / c);
    else {
      const sharp = kind === 3 ? 8 : 1; // kind 3: peaked, like a trained model's softmax
      let sum = 0;
      for (let j = 0; j < c; j++) sum += row[j] = r.next() < 0.1 ? 0 : r.next() < 0.05 ? 1e-40 : (-Math.log(1 - r.next())) ** sharp;
      if (sum === 0) row[r.int(c)] = sum = 1;
      for (let j = 0; j < c; j++) row[j] = row[j]! / sum;
    }
  }
  return { data, n, c };
}

describe("entropy top-k with screened scores", () => {
  it("picks what ranking every exact entropy picks, in the same order, ties to the lowest index", () => {
    const r = createRandom(21, "entropy-screen");
    for (let trial = 0; trial < 120; trial++) {
      const n = 20 + r.int(400);
      const c = 1 + r.int(trial % 2 === 0 ? 12 : 120);
      const probs = rows(r, n, c);
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < 0.2 ? 1 : 0));
      const open = labelled.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
      if (open === 0) continue;
      const k = 1 + r.int(Math.min(open, 60));
      const expected = topKUnlabelled(entropyScores(probs), k, labelled);
      expect(Array.from(entropy.select({ probs, labelled }, k, {}, context)), `trial ${trial}`).toEqual(Array.from(expected));
    }
  });

  it("scores that differ in the last bits still rank exactly (the screen only narrows the candidates)", () => {
    // Rows one float32 ulp apart in one entry: screened scores are equal, exact ones are not.
    const c = 4;
    const n = 50;
    const data = new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      const a = Math.fround(0.25 + i * 2 ** -26);
      data.set([a, 0.25, 0.25, Math.fround(1 - a - 0.5)], i * c);
    }
    const probs = { data, n, c };
    const labelled = new Uint8Array(n);
    for (const k of [1, 7, 50]) {
      expect(Array.from(entropy.select({ probs, labelled }, k, {}, context))).toEqual(Array.from(topKUnlabelled(entropyScores(probs), k, labelled)));
    }
  });

  it("checks rows before k, as the scores do", () => {
    const probs = { data: Float32Array.of(0.5, 0.5, 0.7, 0.7), n: 2, c: 2 };
    expect(() => entropy.select({ probs, labelled: new Uint8Array(2) }, 5, {}, context)).toThrow("entropy: probs row 1 sums to 1.4, not 1");
    const good = { data: Float32Array.of(0.5, 0.5, 0.3, 0.7), n: 2, c: 2 };
    expect(() => entropy.select({ probs: good, labelled: new Uint8Array(2) }, 5, {}, context)).toThrow("entropy: k = 5 exceeds the 2 unlabelled pool points");
  });
});
