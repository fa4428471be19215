/**
 * Nemenyi post-hoc test after a Friedman test: two samplers differ significantly when their
 * average ranks differ by at least the critical difference CD = q_α·√(k(k + 1)/(6N)).
 */

/**
 * q_α for k = 2…10 samplers: the studentized range quantile (infinite degrees of freedom)
 * divided by √2, as tabulated in Demšar (2006), JMLR 7:1–30, Table 5(a). Checked against
 * scipy.stats.studentized_range.ppf(1 − α, k, ∞)/√2 to within 0.001 in the tests.
 */
const Q: Record<"0.05" | "0.10", readonly number[]> = {
  "0.05": [1.96, 2.343, 2.569, 2.728, 2.85, 2.949, 3.031, 3.102, 3.164],
  "0.10": [1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.78, 2.855, 2.92],
};

export type NemenyiAlpha = 0.05 | 0.1;

export interface NemenyiOptions {
  /** 0.05 (default) or 0.10 */
  alpha?: NemenyiAlpha;
}

/** The tabulated q_α for k samplers. */
export function nemenyiQ(k: number, options: NemenyiOptions = {}): number {
  const alpha = options.alpha ?? 0.05;
  if (alpha !== 0.05 && alpha !== 0.1) {
    throw new RangeError(`nemenyiQ: alpha = ${String(alpha)} has no table; use 0.05 or 0.10`);
  }
  if (!Number.isInteger(k) || k < 2 || k > 10) {
    throw new RangeError(`nemenyiQ: k = ${k} samplers is outside the table (2…10); compare at most 10 samplers at once`);
  }
  return Q[alpha === 0.05 ? "0.05" : "0.10"][k - 2]!;
}

/** CD = q_α·√(k(k + 1)/(6N)) for k samplers compared on N data sets. */
export function nemenyiCriticalDifference(k: number, n: number, options: NemenyiOptions = {}): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`nemenyiCriticalDifference: N = ${n} data sets must be a whole number ≥ 1`);
  }
  return nemenyiQ(k, options) * Math.sqrt((k * (k + 1)) / (6 * n));
}
