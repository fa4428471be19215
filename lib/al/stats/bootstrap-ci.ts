/** Percentile bootstrap confidence interval with a seeded resampler. */
import { createRandom } from "../random.ts";
import { finiteValues } from "./check.ts";

export interface BootstrapOptions {
  /** Seed of the resampling stream (createRandom(seed, "bootstrap")): same seed ⇒ same interval. */
  seed: number;
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Coverage, 0 < level < 1 (default 0.95). */
  level?: number;
  /** Statistic of a sample (default: the mean). */
  statistic?: (sample: Float64Array) => number;
}

export interface BootstrapInterval {
  /** The statistic on the original values. */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  resamples: number;
}

const mean = (xs: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
};

/** Linear interpolation between order statistics (Hyndman–Fan type 7, the common default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Resamples the values with replacement `resamples` times, computes the statistic on each, and
 * returns the (1 − level)/2 and (1 + level)/2 quantiles of those statistics. With few seeds
 * (the usual 3–5) the interval is narrow-biased; it is an honest description of the seeds we
 * have, not a guarantee.
 */
export function bootstrapCi(values: ArrayLike<number>, options: BootstrapOptions): BootstrapInterval {
  const xs = Float64Array.from(finiteValues("bootstrapCi", "values", values));
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const statistic = options.statistic ?? mean;
  if (xs.length === 0) throw new RangeError("bootstrapCi: no values; pass at least one value");
  if (!Number.isInteger(options.seed)) {
    throw new RangeError(`bootstrapCi: seed = ${options.seed} must be an integer; pass options.seed`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`bootstrapCi: resamples = ${resamples} must be a whole number ≥ 1`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrapCi: level = ${level} must lie strictly between 0 and 1`);
  const random = createRandom(options.seed, "bootstrap");
  const n = xs.length;
  const sample = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = xs[random.int(n)]!;
    stats[r] = statistic(sample);
  }
  stats.sort();
  const alpha = 1 - level;
  return {
    estimate: statistic(xs),
    lo: quantile(stats, alpha / 2),
    hi: quantile(stats, 1 - alpha / 2),
    level,
    resamples,
  };
}
