import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { aurocMacro } from "../../../lib/al/metrics/auroc-macro.ts";
import { aurocMicro } from "../../../lib/al/metrics/auroc-micro.ts";
import { aurocMultilabel } from "../../../lib/al/metrics/auroc-multilabel.ts";
import { binaryAuroc } from "../../../lib/al/metrics/binary-auroc.ts";
import { createRandom } from "../../../lib/al/random.ts";

const m = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length });

/** Independent O(P·N) definition: P(positive > negative) + ½·P(tie). */
function pairwise(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!positive[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (positive[j]) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins++;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe("binary AUROC", () => {
  it("by hand without ties", () => {
    // positives 0.35, 0.8; negatives 0.1, 0.4: pairs 0.35>0.1 ✓, 0.35>0.4 ✗, 0.8>0.1 ✓, 0.8>0.4 ✓ → 3/4
    expect(binaryAuroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it("by hand with ties counting ½ (the average-rank / Mann–Whitney value)", () => {
    // positives 0.5, 0.8; negatives 0.5, 0.2, 0.8
    // 0.5: vs 0.5 tie ½, vs 0.2 win 1, vs 0.8 loss 0 → 1.5; 0.8: vs 0.5 1, vs 0.2 1, vs 0.8 ½ → 2.5
    // AUROC = 4/6. Via ranks: sorted 0.2(1) 0.5 0.5(2.5 each) 0.8 0.8(4.5 each);
    // R_pos = 2.5 + 4.5 = 7, U = 7 − 2·3/2 = 4, U/(2·3) = 4/6 ✓
    expect(binaryAuroc([0.5, 0.8, 0.5, 0.2, 0.8], [1, 1, 0, 0, 0])).toBeCloseTo(4 / 6, 14);
    // everything tied: 0.5
    expect(binaryAuroc([0.3, 0.3, 0.3], [1, 0, 1])).toBe(0.5);
  });

  it("null when one side is empty", () => {
    expect(binaryAuroc([0.1, 0.2], [1, 1])).toBeNull();
    expect(binaryAuroc([0.1, 0.2], [0, 0])).toBeNull();
  });

  it("properties over seeded random inputs: equals the pairwise definition; invariant to monotone transforms", () => {
    for (let seed = 0; seed < 30; seed++) {
      const random = createRandom(seed, "test", "auroc");
      const n = 2 + random.int(60);
      // coarse scores ⇒ ties
      const scores = Array.from({ length: n }, () => random.int(10) / 10);
      const positive = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : random.int(2)));
      const auc = binaryAuroc(scores, positive)!;
      expect(auc).toBeCloseTo(pairwise(scores, positive), 12);
      const transformed = scores.map((s) => Math.exp(3 * s) - 7); // strictly increasing
      expect(binaryAuroc(transformed, positive)).toBeCloseTo(auc, 12);
      const flipped = scores.map((s) => -s); // reversing the order gives 1 − AUROC
      expect(binaryAuroc(flipped, positive)).toBeCloseTo(1 - auc, 12);
    }
  });

  it("rejects NaN scores and mismatched lengths", () => {
    expect(() => binaryAuroc([Number.NaN, 0.2], [1, 0])).toThrow(/auroc: a positive score is NaN/);
    expect(() => binaryAuroc([0.1, Number.NaN], [1, 0])).toThrow(/negative score is NaN/);
    expect(() => binaryAuroc([0.1], [1, 0])).toThrow(/1 scores but 2 flags/);
  });
});

describe("one-vs-rest AUROC", () => {
  // rows = test points, columns = classes 0, 1, 2 (class 3 never occurs in truth)
  const probs = m([
    [0.5, 0.25, 0.25, 0],
    [0.25, 0.5, 0.25, 0],
    [0.5, 0.5, 0, 0],
    [0.25, 0.25, 0.5, 0],
  ]);
  const truth = Int32Array.from([0, 1, 1, 2]);

  it("macro by hand, skipping a class absent from the test set", () => {
    // class 0: pos {0.5}, neg {0.25, 0.5, 0.25} → (1 + ½ + 1)/3 = 5/6
    // class 1: pos {0.5, 0.5}, neg {0.25, 0.25} → 4/4 = 1
    // class 2: pos {0.5}, neg {0.25, 0.25, 0} → 1
    // class 3: no positives → skipped; macro = (5/6 + 1 + 1)/3 = 17/18
    const r = aurocMacro(probs, truth);
    expect(r.value).toBeCloseTo(17 / 18, 12);
    expect(r.skipped).toEqual([3]);
  });

  it("macro is null (and every class skipped) when the test set holds one class only", () => {
    expect(aurocMacro(m([[0.6, 0.4], [0.7, 0.3]]), Int32Array.from([0, 0]))).toEqual({ value: null, skipped: [0, 1] });
  });

  it("micro by hand", () => {
    // positives (own-class probs): 0.5, 0.5, 0.5, 0.5
    // negatives (other 12 entries): 0.25, 0.25, 0 | 0.25, 0.25, 0 | 0.5, 0, 0 | 0.25, 0.25, 0
    //   → eleven below 0.5 and one tie (row 2's 0.5 for class 0)
    // each positive scores 11 + ½ = 11.5 of 12 → AUROC = 11.5/12
    expect(aurocMicro(probs, truth)).toBeCloseTo(11.5 / 12, 12);
  });

  it("micro equals the pairwise definition over seeded random softmax rows", () => {
    for (let seed = 0; seed < 10; seed++) {
      const random = createRandom(seed, "test", "auroc-micro");
      const n = 5 + random.int(30);
      const c = 2 + random.int(4);
      const rows = Array.from({ length: n }, () => {
        const r = Array.from({ length: c }, () => random.int(5) + 1);
        const s = r.reduce((a, b) => a + b, 0);
        return r.map((v) => v / s);
      });
      const t = Int32Array.from({ length: n }, () => random.int(c));
      const flat = rows.flat();
      const onehot = flat.map((_, k) => (t[Math.floor(k / c)] === k % c ? 1 : 0));
      const p = m(rows);
      expect(aurocMicro(p, t)).toBeCloseTo(pairwise(Array.from(p.data), onehot), 12);
    }
  });

  it("rejects bad shapes", () => {
    expect(() => aurocMacro(probs, Int32Array.from([0, 1]))).toThrow(/probs has 4 rows but 2 were expected/);
    expect(() => aurocMicro(m([[1], [1]]), Int32Array.from([0, 0]))).toThrow(/at least 2 classes/);
    expect(() => aurocMacro(probs, Int32Array.from([0, 1, 4, 2]))).toThrow(/truth\[2\] = 4 is outside 0..3/);
  });
});

describe("multi-label AUROC", () => {
  it("by hand, skipping an all-0 and an all-1 label and saying which", () => {
    const scores = m([
      [0.9, 0.2, 0.1, 0.4],
      [0.3, 0.8, 0.2, 0.6],
      [0.6, 0.8, 0.3, 0.5],
    ]);
    const truth = m([
      [1, 0, 0, 1],
      [0, 1, 0, 1],
      [1, 0, 0, 1],
    ]);
    // label 0: pos {0.9, 0.6}, neg {0.3} → 1
    // label 1: pos {0.8}, neg {0.2, 0.8} → (1 + ½)/2 = 0.75
    // label 2: all 0 → skipped; label 3: all 1 → skipped
    // macro = (1 + 0.75)/2 = 0.875
    expect(aurocMultilabel(scores, truth)).toEqual({ value: 0.875, skipped: [2, 3] });
  });

  it("null when every label is skipped; rejects a shape mismatch", () => {
    expect(aurocMultilabel(m([[0.2, 0.3]]), m([[1, 0]]))).toEqual({ value: null, skipped: [0, 1] });
    expect(() => aurocMultilabel(m([[0.2, 0.3]]), m([[1, 0, 1]]))).toThrow(/scores has 2 columns but 3 were expected/);
  });
});

describe("multi-label AUROC on real data (yeast, ../shared/data)", () => {
  it("equals the per-label pairwise definition and skips exactly the labels absent from the rows", () => {
    // First 10 rows of yeast (103 features, 14 labels 0..13 joined by "|"); score label l by feature l,
    // an arbitrary but real score. Labels 8, 9 and 10 are rare and miss these rows: they must be skipped.
    const text = readFileSync(join(import.meta.dirname, "../../../../shared/data/tabular/yeast-multilabel.csv"), "utf8");
    const rows = text.trim().split(/\r?\n/).slice(1, 11).map((line) => line.split(","));
    const L = 14;
    const scoreRows = rows.map((r) => r.slice(0, L).map(Number));
    const labelRows = rows.map((r) => {
      const set = new Set(r[r.length - 1]!.split("|").map(Number));
      return Array.from({ length: L }, (_, l) => (set.has(l) ? 1 : 0));
    });
    const result = aurocMultilabel(m(scoreRows), m(labelRows));
    let sum = 0;
    const skipped: number[] = [];
    for (let l = 0; l < L; l++) {
      const column: number[] = labelRows.map((r) => r[l]!);
      const positives = column.reduce((a, b) => a + b, 0);
      if (positives === 0 || positives === column.length) {
        skipped.push(l);
        continue;
      }
      // float32 scores, as the matrix stores them
      sum += pairwise(scoreRows.map((r) => Math.fround(r[l]!)), column);
    }
    expect(skipped).toEqual([8, 9, 10]); // counted with awk over the file; the test is vacuous without skips
    expect(result.skipped).toEqual(skipped);
    expect(result.value).toBeCloseTo(sum / (L - skipped.length), 12);
  });
});
