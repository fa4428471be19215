/** Average rank of each sampler over data sets: the quantity the Friedman test and CD diagrams use. */
import { rankWithTies } from "./ranks.ts";

export interface AverageRankOptions {
  /** Rank 1 goes to the highest score (default true: accuracy-like scores). */
  higherIsBetter?: boolean;
}

/**
 * Checks a data sets × samplers score table (rows = data sets, columns = samplers) and returns
 * it as rows of numbers. Shared by the Friedman test.
 */
export function checkScoreTable(fn: string, scores: ReadonlyArray<ArrayLike<number>>): { n: number; k: number } {
  const n = scores.length;
  if (n === 0) throw new RangeError(`${fn}: no data sets; pass one row of scores per data set`);
  const k = scores[0]!.length;
  if (k < 2) throw new RangeError(`${fn}: ${k} sampler(s) per row; pass at least 2 columns (samplers) to rank`);
  for (let i = 0; i < n; i++) {
    if (scores[i]!.length !== k) {
      throw new RangeError(`${fn}: row ${i} has ${scores[i]!.length} scores but row 0 has ${k}; pass one score per sampler in every row`);
    }
  }
  return { n, k };
}

/**
 * Ranks the samplers within each data set (1 = best, ties averaged) and averages over data sets.
 * Returns one average rank per column; they sum to k(k + 1)/2.
 */
export function averageRanks(scores: ReadonlyArray<ArrayLike<number>>, options: AverageRankOptions = {}): Float64Array {
  const { n, k } = checkScoreTable("averageRanks", scores);
  const descending = options.higherIsBetter ?? true;
  const sums = new Float64Array(k);
  for (const row of scores) {
    const ranks = rankWithTies(row, { descending });
    for (let j = 0; j < k; j++) sums[j]! += ranks[j]!;
  }
  for (let j = 0; j < k; j++) sums[j]! /= n;
  return sums;
}
