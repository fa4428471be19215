/**
 * Where a forest tree puts its split thresholds: midway between the node's own in-bag neighbours
 * (as CART), not between neighbouring values of the whole training matrix; and which split it
 * picks: the best Gini split over every cut between the node's distinct values.
 */
import { describe, expect, it } from "vitest";
import type { Matrix } from "../../lib/al/matrix.ts";
import { createRandom } from "../../lib/al/random.ts";
import { binFeatures } from "../../lib/learners/forest/bins.ts";
import { growTree, type RowLabels, type Tree } from "../../lib/learners/forest/tree.ts";
import { randomForest } from "../../lib/learners/random-forest.ts";

const labelsOf = (y: Int32Array, classes: number): RowLabels => ({ start: Int32Array.from({ length: y.length + 1 }, (_, i) => i), list: y, classes });
const all = (d: number) => ({ maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: d });

describe("forest split thresholds", () => {
  it("lie between the node's rows, not between rows outside the node", async () => {
    // Rows (x0, x1 → class): (0, 0 → 0), (0, 10 → 1), (1, 4 → 2), (1, 6 → 2). Root scores
    // (Σ_k n_k² / n per side): x0 at 0.5: 2/2 + 4/2 = 3; x1 after 0: 1 + 5/3, after 4: 1 + 1,
    // after 6: 5/3 + 1 — so the root cuts x0 at 0.5. Its left node {(0,0), (0,10)} cuts x1 midway
    // between its own values, at 5; the whole matrix's x1 values 0, 4, 6, 10 would put it at 2.
    const x: Matrix = { data: Float32Array.of(0, 0, 0, 10, 1, 4, 1, 6), n: 4, c: 2 };
    const forest = randomForest.create(randomForest.parseOptions({ trees: 1, bootstrap: false, maxFeatures: "all" }, "o"), { inputSize: 2, classes: 3 });
    forest.reset(1);
    await forest.fit(x, Int32Array.of(0, 1, 2, 2), { epochs: 1, random: createRandom(1) });
    const p = await forest.predictProba({ data: Float32Array.of(0, 3, 0, 4.99, 0, 5.01, 1, 0), n: 4, c: 2 });
    expect(Array.from(p.data)).toEqual([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it("lie between in-bag values: out-of-bag rows do not move them", () => {
    // x = 1, 2, 3, 4 with classes 0 0 1 1, but the row at 3 is out of bag (weight 0) and the row
    // at 1 drawn twice: the cut between classes falls between the in-bag 2 and 4, at 3 (the whole
    // matrix's neighbours would give 2.5).
    const x: Matrix = { data: Float32Array.of(1, 2, 3, 4), n: 4, c: 1 };
    const tree = growTree(binFeatures(x, 256), labelsOf(Int32Array.of(0, 0, 1, 1), 2), Float64Array.of(2, 1, 0, 1), Int32Array.of(0, 1, 3), all(1), createRandom(1));
    expect([tree.nodes, tree.feature[0], tree.threshold[0]]).toEqual([3, 0, 3]);
    // Leaves: class 0 (weight 3) on the left, class 1 (weight 1) on the right.
    const leaf = (node: number) => Array.from(tree.value.subarray(2 * node, 2 * node + 2));
    expect([leaf(tree.left[0]!), leaf(tree.right[0]!)]).toEqual([[1, 0], [0, 1]]);
  });

  it("at quantile bins, still lie between the node's rows either side of the bin edge", () => {
    // 2 bins over 1..8: the one edge is at 4.5, so the only cut is there; rows 3, 4, 5 are out of
    // bag, so the threshold is midway between the in-bag 2 and 6, at 4.
    const x: Matrix = { data: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), n: 8, c: 1 };
    const binned = binFeatures(x, 2);
    expect(Array.from(binned.edges[0]!)).toEqual([4.5]);
    const tree = growTree(binned, labelsOf(Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1), 2), Float64Array.of(1, 1, 0, 0, 0, 1, 1, 1), Int32Array.of(0, 1, 5, 6, 7), all(1), createRandom(1));
    expect([tree.nodes, tree.threshold[0]]).toEqual([3, 4]);
  });
});

/** Σ_children Σ_k w_k² / W: the score a split maximises (minimum weighted Gini). */
function score(rowsLeft: number[], rowsRight: number[], y: Int32Array, weight: Float64Array, classes: number): number {
  let total = 0;
  for (const side of [rowsLeft, rowsRight]) {
    const counts = new Float64Array(classes);
    let w = 0;
    for (const r of side) {
      counts[y[r]!] += weight[r]!;
      w += weight[r]!;
    }
    for (const c of counts) total += (c * c) / w;
  }
  return total;
}

/** The best score over every cut between distinct values of every feature (−∞: none allowed). */
function bestSplit(x: Matrix, rows: number[], y: Int32Array, weight: Float64Array, classes: number, minLeaf: number): number {
  let best = -Infinity;
  for (let f = 0; f < x.c; f++) {
    const value = (r: number) => x.data[r * x.c + f]!;
    const sorted = rows.slice().sort((a, b) => value(a) - value(b));
    for (let q = minLeaf; q <= sorted.length - minLeaf; q++) {
      if (value(sorted[q - 1]!) !== value(sorted[q]!)) best = Math.max(best, score(sorted.slice(0, q), sorted.slice(q), y, weight, classes));
    }
  }
  return best;
}

describe("forest trees (property)", () => {
  it("split every node at its best exact Gini cut, with the threshold midway between its in-bag neighbours", () => {
    for (let seed = 0; seed < 40; seed++) {
      const random = createRandom(seed, "forest-property");
      // Up to 700 rows, so nodes above 256 rows sort both ways (counting sort, wide keys).
      const n = 5 + random.int(700);
      const d = 1 + random.int(3);
      const classes = 2 + random.int(3);
      const kinds = Array.from({ length: d }, () => random.int(3));
      const data = new Float32Array(n * d);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        for (let f = 0; f < d; f++) {
          const kind = kinds[f]!;
          // Continuous with some ties; a few integers; or a near-constant column.
          data[i * d + f] = kind === 0 ? Math.round(random.normal() * 300) / 10 : kind === 1 ? random.int(8) : random.next() < 0.95 ? 1 : 2;
        }
        // Mostly decided by the first feature, 30% noise: trees of some depth.
        y[i] = random.next() < 0.3 ? random.int(classes) : data[i * d]! > 0 ? 1 : 0;
      }
      const x: Matrix = { data, n, c: d };
      const exact = seed % 2 === 0;
      const binned = binFeatures(x, exact ? 65536 : 2 + random.int(20));
      const weight = new Float64Array(n);
      for (let i = 0; i < n; i++) weight[random.int(n)]!++;
      const inBag: number[] = [];
      for (let i = 0; i < n; i++) if (weight[i]! > 0) inBag.push(i);
      const minLeaf = 1 + random.int(3);
      const tree: Tree = growTree(binned, labelsOf(y, classes), weight, Int32Array.from(inBag), { ...all(d), minSamplesLeaf: minLeaf }, random);

      const visit = (node: number, rows: number[]): void => {
        const f = tree.feature[node]!;
        if (f < 0) {
          // A leaf is pure, or has no allowed cut (exact bins: none at all).
          const pure = rows.every((r) => y[r] === y[rows[0]!]);
          if (!pure && exact) expect(bestSplit(x, rows, y, weight, classes, minLeaf)).toBe(-Infinity);
          return;
        }
        const t = tree.threshold[node]!;
        const left = rows.filter((r) => data[r * d + f]! <= t);
        const right = rows.filter((r) => data[r * d + f]! > t);
        expect(Math.min(left.length, right.length)).toBeGreaterThanOrEqual(minLeaf);
        const maxLeft = Math.max(...left.map((r) => data[r * d + f]!));
        const minRight = Math.min(...right.map((r) => data[r * d + f]!));
        expect(t).toBe(maxLeft / 2 + minRight / 2);
        if (exact) {
          const best = bestSplit(x, rows, y, weight, classes, minLeaf);
          expect(Math.abs(score(left, right, y, weight, classes) - best)).toBeLessThanOrEqual(1e-9 * best);
        }
        visit(tree.left[node]!, left);
        visit(tree.right[node]!, right);
      };
      visit(0, inBag);
    }
  });
});
