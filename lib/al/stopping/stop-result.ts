/**
 * The shared shape of stopping criteria: each is a pure function over per-round series (index =
 * round, null = not defined at that round, e.g. a change metric at round 0) that answers "would
 * stop at round r, losing x points vs the end of the run".
 */

/** A per-round series: entry r is the value observed at round r; null where it is undefined. */
export type Series = ReadonlyArray<number | null>;

export interface StopResult {
  /** First round after which the rule says stop (its model is kept, its batch not labelled); null = never fired. */
  stopRound: number | null;
  /**
   * quality[last] − quality[stopRound], in the quality series' units (accuracy as a fraction ⇒
   * multiply by 100 for percentage points); negative when stopping early would have been better.
   * Null when the rule never fired.
   */
  lostPoints: number | null;
}

export interface WindowOptions {
  /** The condition must hold on this many consecutive rounds (ending at the stop round). */
  window?: number;
}

/** Throws unless `series` has one entry per round of `quality` and its numbers are finite. */
export function checkSeries(fn: string, name: string, series: Series, rounds: number): void {
  if (series.length !== rounds) {
    throw new RangeError(`${fn}: ${name} has ${series.length} rounds but quality has ${rounds}; pass one entry per round (null where undefined)`);
  }
  for (let r = 0; r < series.length; r++) {
    const v = series[r];
    if (v !== null && !Number.isFinite(v)) {
      throw new RangeError(`${fn}: ${name}[${r}] = ${String(v)} is not a finite number; use null for rounds without a value`);
    }
  }
}

/** Throws unless quality is non-empty and finite. */
export function checkQuality(fn: string, quality: ArrayLike<number>): void {
  if (quality.length === 0) throw new RangeError(`${fn}: quality is empty; pass the run's per-round accuracy (or another metric)`);
  for (let r = 0; r < quality.length; r++) {
    if (!Number.isFinite(quality[r]!)) throw new RangeError(`${fn}: quality[${r}] = ${quality[r]} is not a finite number`);
  }
}

export function checkWindow(fn: string, window: number): void {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`${fn}: window = ${window} must be a whole number ≥ 1`);
}

export function checkThreshold(fn: string, threshold: number | undefined): number {
  if (threshold === undefined || !Number.isFinite(threshold)) {
    throw new RangeError(`${fn}: threshold = ${String(threshold)} must be a finite number; pass options.threshold`);
  }
  return threshold;
}

/**
 * The first round r such that `holds` is true at rounds r − window + 1 … r (all of them), or
 * null. `holds` sees the round index and must return false where its inputs are null.
 */
export function firstSustained(rounds: number, window: number, holds: (round: number) => boolean): number | null {
  let run = 0;
  for (let r = 0; r < rounds; r++) {
    run = holds(r) ? run + 1 : 0;
    if (run >= window) return r;
  }
  return null;
}

export function stopResult(stopRound: number | null, quality: ArrayLike<number>): StopResult {
  if (stopRound === null) return { stopRound: null, lostPoints: null };
  return { stopRound, lostPoints: quality[quality.length - 1]! - quality[stopRound]! };
}
