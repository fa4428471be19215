/**
 * Friedman test over data sets × samplers, with the Iman–Davenport F correction: do the
 * samplers' average ranks differ more than chance would make them? (Demšar 2006, §3.2.2.)
 */
import { averageRanks, checkScoreTable } from "./average-ranks.ts";
import { chiSquareSf, fSf } from "./distributions.ts";
import { tieGroupSizes } from "./ranks.ts";

export interface FriedmanOptions {
  /** Rank 1 goes to the highest score (default true). */
  higherIsBetter?: boolean;
  /**
   * Divide χ² by 1 − Σ(t³ − t)/(N·k(k² − 1)) for ties within data sets (default false: Demšar's
   * formula, which CD diagrams are built on; true matches scipy's friedmanchisquare). Without
   * ties the two agree.
   */
  tieCorrection?: boolean;
}

export interface FriedmanResult {
  /** data sets */
  n: number;
  /** samplers */
  k: number;
  /** per sampler, 1 = best */
  averageRanks: Float64Array;
  /** Friedman's χ²_F, k − 1 degrees of freedom */
  chiSquare: number;
  chiSquareDf: number;
  chiSquareP: number;
  /** Iman–Davenport F_F = (N − 1)χ² / (N(k − 1) − χ²), less conservative than χ²_F */
  f: number;
  fDf1: number;
  fDf2: number;
  fP: number;
}

/**
 * χ²_F and F_F from average ranks alone: χ²_F = 12N/(k(k+1)) · (Σ R_j² − k(k+1)²/4).
 * Exported because published comparisons often give only the average ranks.
 */
export function friedmanFromAverageRanks(
  ranks: ArrayLike<number>,
  n: number,
  options: { tieCorrectionFactor?: number } = {},
): FriedmanResult {
  const correction = options.tieCorrectionFactor ?? 1;
  const k = ranks.length;
  if (k < 2) throw new RangeError(`friedman: ${k} sampler(s); compare at least 2`);
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`friedman: ${n} data set(s); the test needs at least 2 (rows of the score table)`);
  }
  let squares = 0;
  for (let j = 0; j < k; j++) squares += ranks[j]! * ranks[j]!;
  const raw = ((12 * n) / (k * (k + 1))) * (squares - (k * (k + 1) * (k + 1)) / 4);
  // Rounding can push a table with every row fully tied a hair below 0.
  const chiSquare = Math.max(0, raw) / correction;
  const df1 = k - 1;
  const df2 = (k - 1) * (n - 1);
  const denominator = n * (k - 1) - chiSquare;
  // Every data set ranking the samplers the same way gives χ² = N(k − 1): F is infinite, p = 0.
  const f = denominator <= 1e-12 * n * k ? Infinity : ((n - 1) * chiSquare) / denominator;
  return {
    n,
    k,
    averageRanks: Float64Array.from(ranks as ArrayLike<number>),
    chiSquare,
    chiSquareDf: df1,
    chiSquareP: chiSquareSf(chiSquare, df1),
    f,
    fDf1: df1,
    fDf2: df2,
    fP: fSf(f, df1, df2),
  };
}

/** Rows = data sets, columns = samplers (e.g. each sampler's mean final accuracy per data set). */
export function friedmanTest(scores: ReadonlyArray<ArrayLike<number>>, options: FriedmanOptions = {}): FriedmanResult {
  const { n, k } = checkScoreTable("friedmanTest", scores);
  const ranks = averageRanks(scores, { higherIsBetter: options.higherIsBetter ?? true });
  let correction = 1;
  if (options.tieCorrection) {
    let ties = 0;
    for (const row of scores) for (const t of tieGroupSizes(row)) ties += t * t * t - t;
    correction = 1 - ties / (n * k * (k * k - 1));
    // Every row fully tied: no information about any ordering.
    if (correction <= 0) correction = 1;
  }
  return friedmanFromAverageRanks(ranks, n, { tieCorrectionFactor: correction });
}
