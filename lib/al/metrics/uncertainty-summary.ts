/** Summary of uncertainty scores over the pool or the selected batch: mean, variance, histogram. */

export interface UncertaintySummaryOptions {
  /** Summarise only these positions of `scores` (e.g. the selected batch's pool indices). */
  indices?: ArrayLike<number>;
  /** Skip positions where skip[i] = 1 (e.g. the labelled mask, to summarise the unlabelled pool). */
  skip?: Uint8Array;
  /** Histogram bins (default 10). */
  bins?: number;
  /**
   * Fixed histogram range [lo, hi] (default [0, 1]), so histograms of different rounds and runs
   * share bins; entropy scores need [0, ln C]. Values outside are counted in below/above.
   */
  range?: readonly [number, number];
}

export interface Histogram {
  lo: number;
  hi: number;
  /** counts per equal-width bin; bin b covers [lo + b·w, lo + (b+1)·w), the last one closed */
  counts: number[];
  below: number;
  above: number;
}

export interface UncertaintySummary {
  count: number;
  mean: number;
  /** population variance (divide by count): a description of these scores, not an estimate */
  variance: number;
  min: number;
  max: number;
  histogram: Histogram;
}

/**
 * Summarises sampler scores (higher = more uncertain). Of the pool, it shows how much uncertainty
 * is left; of the batch, its mean and max feed the uncertainty stop rules and its variance the
 * variance-based rule.
 */
export function uncertaintySummary(scores: ArrayLike<number>, options: UncertaintySummaryOptions = {}): UncertaintySummary {
  const bins = options.bins ?? 10;
  const [lo, hi] = options.range ?? [0, 1];
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`uncertaintySummary: bins = ${bins} must be a whole number ≥ 1`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(`uncertaintySummary: range = [${lo}, ${hi}] must be finite with lo < hi`);
  }
  if (options.skip !== undefined && options.skip.length !== scores.length) {
    throw new RangeError(`uncertaintySummary: skip has ${options.skip.length} entries but scores has ${scores.length}; pass one flag per score`);
  }
  const picked: number[] = [];
  if (options.indices !== undefined) {
    const idx = options.indices;
    for (let i = 0; i < idx.length; i++) {
      const j = idx[i]!;
      if (!Number.isInteger(j) || j < 0 || j >= scores.length) {
        throw new RangeError(`uncertaintySummary: indices[${i}] = ${j} is not an index into the ${scores.length} scores`);
      }
      if (options.skip?.[j] !== 1) picked.push(j);
    }
  } else {
    for (let j = 0; j < scores.length; j++) if (options.skip?.[j] !== 1) picked.push(j);
  }
  if (picked.length === 0) throw new RangeError("uncertaintySummary: no scores selected; pass a non-empty batch or pool");
  const counts = new Array<number>(bins).fill(0);
  let below = 0;
  let above = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const width = (hi - lo) / bins;
  for (const j of picked) {
    const v = scores[j]!;
    if (!Number.isFinite(v)) throw new RangeError(`uncertaintySummary: scores[${j}] = ${v} is not finite; check the sampler's scores`);
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < lo) below++;
    else if (v > hi) above++;
    else counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  }
  const mean = sum / picked.length;
  let squares = 0;
  for (const j of picked) squares += (scores[j]! - mean) ** 2;
  return {
    count: picked.length,
    mean,
    variance: squares / picked.length,
    min,
    max,
    histogram: { lo, hi, counts, below, above },
  };
}
