/** Seed aggregation: the spread of one quantity over the seeds of a configuration. */
import { finiteValues } from "./check.ts";

export interface SeedSummary {
  /** number of seeds */
  n: number;
  mean: number;
  /** sample standard deviation (n − 1 denominator); null with a single seed */
  sd: number | null;
  /** standard error of the mean, sd / √n; null with a single seed */
  sem: number | null;
}

/**
 * Mean, sample standard deviation and standard error over seeds. A single seed has no spread:
 * sd and sem are null rather than 0, so one run is never shown as a zero-width band.
 */
export function seedSummary(values: ArrayLike<number>): SeedSummary {
  const xs = finiteValues("seedSummary", "values", values);
  const n = xs.length;
  if (n === 0) throw new RangeError("seedSummary: no values; pass one value per seed");
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  if (n === 1) return { n, mean, sd: null, sem: null };
  // Two passes: the sum of squared deviations does not cancel like Σx² − n·mean² would.
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  const sd = Math.sqrt(squares / (n - 1));
  return { n, mean, sd, sem: sd / Math.sqrt(n) };
}
