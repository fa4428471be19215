/**
 * Feature binning for the splits: each feature's values are mapped to at most `maxBins` ordered
 * bins (every distinct value its own bin when there are at most that many, so splits are exact as
 * in CART; quantiles otherwise, for histogram speed), so a node orders its rows by a counting sort
 * over bin ids, or sorts small integer keys, instead of sorting floats.
 * Bin b holds the values x with edges[b-1] < x ≤ edges[b]. A split "bin ≤ b" is applied to raw
 * values at prediction by a threshold the tree places between the node's own rows on either side
 * (see tree.ts), not at edges[b]: the edges are midpoints of the whole matrix's values, and a
 * node's nearest value above the cut is usually a row outside the node or out of bag.
 */
import type { Matrix } from "../../al/matrix.ts";

export interface BinnedFeatures {
  /** Column-major bin ids: bins[f * n + i]. */
  bins: Uint16Array;
  /** Per feature: the upper edges of bins 0..B-2 (midpoints between neighbouring values). */
  edges: Float64Array[];
  /** Column-major raw values: values[f * n + i], for the thresholds. */
  values: Float32Array;
  n: number;
  d: number;
}

/** Bin ids are 16-bit. */
export const MAX_BINS = 65536;

export function binFeatures(x: Matrix, maxBins: number): BinnedFeatures {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) throw new RangeError(`binFeatures: maxBins must be an integer in 2..${MAX_BINS}, got ${maxBins}`);
  const { n, c: d } = x;
  const bins = new Uint16Array(n * d);
  const values = new Float32Array(n * d);
  const edges: Float64Array[] = [];
  const column = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    for (let i = 0; i < n; i++) column[i] = x.data[i * d + f]!;
    values.set(column, f * n);
    const sorted = column.slice().sort();
    const cuts: number[] = [];
    let distinct = 1;
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
    if (distinct <= maxBins) {
      for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) cuts.push((sorted[i - 1]! + sorted[i]!) / 2);
    } else {
      // Quantile cuts: after the value at each k·n/maxBins position, between it and the next
      // larger value, so equal values never straddle a cut.
      for (let k = 1; k < maxBins; k++) {
        const p = Math.floor((k * n) / maxBins) - 1;
        let q = p + 1;
        while (q < n && sorted[q] === sorted[p]) q++;
        if (q >= n) break;
        const cut = (sorted[p]! + sorted[q]!) / 2;
        if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
      }
    }
    const e = Float64Array.from(cuts);
    edges.push(e);
    for (let i = 0; i < n; i++) bins[f * n + i] = binOf(e, column[i]!);
  }
  return { bins, edges, values, n, d };
}

/** The bin of value v: the first b with v ≤ edges[b], or edges.length. */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
