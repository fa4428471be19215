/** Gap to the full-data baseline: how far the run ends below a model trained on every pool label. */

/**
 * baseline − final value (in the metric's units): positive = the run has not caught up with the
 * full-data ("naive", no active learning) model, ≤ 0 = it matches or beats it with fewer labels.
 */
export function gapToBaseline(values: ArrayLike<number>, baseline: number): number {
  if (values.length === 0) throw new RangeError("gapToBaseline: empty curve; pass at least one round");
  if (!Number.isFinite(baseline)) throw new RangeError(`gapToBaseline: baseline = ${baseline} must be a finite number`);
  const last = values[values.length - 1]!;
  if (!Number.isFinite(last)) throw new RangeError(`gapToBaseline: the final value ${last} is not finite`);
  return baseline - last;
}
