/**
 * Tail probabilities of the normal, chi-square and F distributions, for the p-values of the
 * Wilcoxon and Friedman tests. Upper tails are computed directly (not as 1 − CDF) so small
 * p-values keep their precision.
 */
import { regularizedBeta } from "./beta.ts";
import { regularizedGammaP, regularizedGammaQ } from "./gamma.ts";

/** P(Z ≤ z) for a standard normal Z; Φ(z) = ½·erfc(−z/√2) and erfc(t) = Q(½, t²). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("normalCdf: z is NaN");
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? tail : 1 - tail;
}

/** P(|Z| ≥ |z|): the two-sided normal p-value, without cancellation for large |z|. */
export function normalTwoSided(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("normalTwoSided: z is NaN");
  return regularizedGammaQ(0.5, (z * z) / 2);
}

function checkDf(fn: string, name: string, df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`${fn}: ${name} = ${df} must be a finite number > 0`);
}

/** P(X ≤ x) for X ~ χ²(df). */
export function chiSquareCdf(x: number, df: number): number {
  checkDf("chiSquareCdf", "df", df);
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2);
}

/** P(X ≥ x) for X ~ χ²(df): the chi-square test's p-value. */
export function chiSquareSf(x: number, df: number): number {
  checkDf("chiSquareSf", "df", df);
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

/** P(X ≤ x) for X ~ F(d1, d2). */
export function fCdf(x: number, d1: number, d2: number): number {
  checkDf("fCdf", "d1", d1);
  checkDf("fCdf", "d2", d2);
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return regularizedBeta((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2);
}

/** P(X ≥ x) for X ~ F(d1, d2): the F test's p-value. */
export function fSf(x: number, d1: number, d2: number): number {
  checkDf("fSf", "d1", d1);
  checkDf("fSf", "d2", d2);
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  // Upper tail via the mirrored beta argument: P(X ≥ x) = I_{d2/(d2 + d1 x)}(d2/2, d1/2).
  return regularizedBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2);
}
