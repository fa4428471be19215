/**
 * One CART tree grown on binned features with the Gini criterion. Multi-class and multi-label
 * share the code: every row carries a list of "labels" (its class, or its positive labels), a
 * node keeps per-label weighted counts, and a split maximises Σ_children (Σ_l count_l²) / weight,
 * which minimises the weighted Gini impurity in both cases (multi-label: the sum of the
 * per-label binary Ginis). Leaves store count_l / weight: the class distribution, or each
 * label's positive rate. A split's threshold lies midway between the largest value going left and
 * the smallest going right among the node's rows (those in bag), as in CART.
 */
import type { Random } from "../../al/random.ts";
import type { BinnedFeatures } from "./bins.ts";

/** Rows' labels in CSR form: row i has labels list[start[i] .. start[i+1]). */
export interface RowLabels {
  start: Int32Array;
  list: Int32Array;
  /** Classes (multi-class) or labels (multi-label). */
  classes: number;
}

export interface TreeOptions {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried per split (at least this many non-constant ones, when there are). */
  maxFeatures: number;
}

/** A fitted tree as flat arrays; node 0 is the root; feature −1 marks a leaf. */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** nodes × classes: leaf distributions (internal nodes too). */
  value: Float32Array;
  nodes: number;
}

/**
 * Grows a tree on the rows with weight > 0 (bootstrap counts, or 1 each). `rows` lists them and
 * is reordered in place.
 */
export function growTree(data: BinnedFeatures, labels: RowLabels, weight: Float64Array, rows: Int32Array, options: TreeOptions, random: Random): Tree {
  const { n, d, bins, edges, values } = data;
  const C = labels.classes;
  // A leaf holds ≥ 1 row, so a binary tree over m rows has at most 2m − 1 nodes.
  const capacity = Math.max(1, 2 * rows.length - 1);
  const feature = new Int32Array(capacity).fill(-1);
  const threshold = new Float64Array(capacity);
  const left = new Int32Array(capacity).fill(-1);
  const right = new Int32Array(capacity).fill(-1);
  const value = new Float32Array(capacity * C);
  let nodes = 0;

  const counts = new Float64Array(C);
  const countsL = new Float64Array(C);
  const countsR = new Float64Array(C);
  const features = Int32Array.from({ length: d }, (_, f) => f);
  const order = new Int32Array(rows.length);
  const keys = new Uint32Array(rows.length);
  // The counting sort runs only where a feature has at most as many bins as the node has rows.
  const maxBinCount = edges.reduce((most, e) => Math.max(most, e.length + 1), 1);
  const histogram = new Int32Array(Math.min(maxBinCount, rows.length) + 1);

  // Explicit stack of (node, lo, hi, depth): recursion depth could reach the row count.
  const stack: number[] = [];
  const push = (lo: number, hi: number, depth: number): number => {
    const id = nodes++;
    stack.push(id, lo, hi, depth);
    return id;
  };
  push(0, rows.length, 0);

  while (stack.length > 0) {
    const depth = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    const node = stack.pop()!;
    const m = hi - lo;

    counts.fill(0);
    let total = 0;
    for (let p = lo; p < hi; p++) {
      const r = rows[p]!;
      const w = weight[r]!;
      total += w;
      for (let j = labels.start[r]!; j < labels.start[r + 1]!; j++) counts[labels.list[j]!] += w;
    }
    let sumSq = 0;
    let pure = true;
    for (let k = 0; k < C; k++) {
      const c = counts[k]!;
      value[node * C + k] = c / total;
      sumSq += c * c;
      if (c > 0 && c < total) pure = false;
    }
    if (pure || depth >= options.maxDepth || m < options.minSamplesSplit || m < 2 * options.minSamplesLeaf) continue;

    let bestScore = -Infinity;
    let bestFeature = -1;
    let bestBin = -1;
    let nonConstant = 0;
    for (let j = 0; j < d && nonConstant < options.maxFeatures; j++) {
      // Partial Fisher–Yates: features[j] is a fresh uniform draw among the untried ones.
      const pick = j + random.int(d - j);
      const f = features[pick]!;
      features[pick] = features[j]!;
      features[j] = f;

      const column = f * n;
      // Order the node's rows by bin: counting sort for large nodes over few bins, a key sort
      // (bin, position) otherwise; a key fits 32 bits as bins < 2^16 and positions < 2^shift.
      const binCount = edges[f]!.length + 1;
      let first = 0;
      let last = 0;
      if (m > 256 && binCount <= m) {
        histogram.fill(0, 0, binCount + 1);
        for (let p = lo; p < hi; p++) histogram[bins[column + rows[p]!]! + 1]!++;
        for (let b = 1; b <= binCount; b++) histogram[b]! += histogram[b - 1]!;
        for (let p = lo; p < hi; p++) {
          const r = rows[p]!;
          order[histogram[bins[column + r]!]!++] = r;
        }
        first = bins[column + order[0]!]!;
        last = bins[column + order[m - 1]!]!;
      } else {
        const shift = m <= 256 ? 8 : 16;
        const mask = (1 << shift) - 1;
        for (let p = lo; p < hi; p++) keys[p - lo] = ((bins[column + rows[p]!]! << shift) | (p - lo)) >>> 0;
        let sorted: Uint32Array;
        if (m <= 48) {
          // Insertion sort: small nodes are most nodes, and a builtin sort call costs more there.
          for (let a = 1; a < m; a++) {
            const key = keys[a]!;
            let b = a - 1;
            while (b >= 0 && keys[b]! > key) {
              keys[b + 1] = keys[b]!;
              b--;
            }
            keys[b + 1] = key;
          }
          sorted = keys;
        } else sorted = keys.subarray(0, m).sort();
        for (let q = 0; q < m; q++) order[q] = rows[lo + (sorted[q]! & mask)]!;
        first = sorted[0]! >>> shift;
        last = sorted[m - 1]! >>> shift;
      }
      if (first === last) continue;
      nonConstant++;

      countsL.fill(0);
      countsR.set(counts);
      let sumL = 0;
      let sumR = sumSq;
      let weightL = 0;
      let weightR = total;
      for (let q = 0; q < m - 1; q++) {
        const r = order[q]!;
        const w = weight[r]!;
        for (let j2 = labels.start[r]!; j2 < labels.start[r + 1]!; j2++) {
          const k = labels.list[j2]!;
          sumL += w * (2 * countsL[k]! + w);
          countsL[k] += w;
          sumR -= w * (2 * countsR[k]! - w);
          countsR[k] -= w;
        }
        weightL += w;
        weightR -= w;
        const bin = bins[column + r]!;
        if (bin === bins[column + order[q + 1]!]! || q + 1 < options.minSamplesLeaf || m - q - 1 < options.minSamplesLeaf) continue;
        const score = sumL / weightL + sumR / weightR;
        if (score > bestScore) {
          bestScore = score;
          bestFeature = f;
          bestBin = bin;
        }
      }
    }
    if (bestFeature < 0) continue;

    // Partition rows[lo..hi): bins ≤ bestBin first, noting the raw values either side of the cut.
    const column = bestFeature * n;
    let maxLeft = -Infinity;
    let minRight = Infinity;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      const r = rows[i]!;
      const v = values[column + r]!;
      if (bins[column + r]! <= bestBin) {
        if (v > maxLeft) maxLeft = v;
        i++;
      } else {
        if (v < minRight) minRight = v;
        rows[i] = rows[j]!;
        rows[j] = r;
        j--;
      }
    }
    feature[node] = bestFeature;
    // In float64 (29 more mantissa bits than the float32 values) the midpoint of two distinct
    // values lies strictly between them, so x ≤ threshold reproduces the partition.
    threshold[node] = maxLeft / 2 + minRight / 2;
    // Right is pushed first so the left subtree is grown first (depth-first, small stack).
    right[node] = push(i, hi, depth + 1);
    left[node] = push(lo, i, depth + 1);
  }
  return { feature, threshold, left, right, value, nodes };
}

/** The leaf a row (length-d feature vector at `offset` of `x`) falls into. */
export function leafOf(tree: Tree, x: Float32Array, offset: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) node = x[offset + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  return node;
}
