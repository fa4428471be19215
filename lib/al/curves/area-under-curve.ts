/** Normalised area under the learning curve: one number for a whole run, not just its end. */
import { checkCurve, interpolate } from "./check.ts";

export interface AreaOptions {
  /**
   * Integrate over [from, to] only (interpolating at the ends), e.g. the labelled-count range
   * every compared run covers, so runs with different budgets are judged on the same span.
   * Default: the curve's own range.
   */
  from?: number;
  to?: number;
}

/**
 * Trapezoid area of values over labelled counts, divided by the width of the x range: the mean
 * height of the curve, in the metric's units (accuracy 0..1 gives 0..1). Rewards samplers that
 * are good early, which the final value cannot see.
 */
export function normalisedArea(labelled: ArrayLike<number>, values: ArrayLike<number>, options: AreaOptions = {}): number {
  checkCurve("normalisedArea", labelled, values);
  if (labelled.length < 2) {
    throw new RangeError("normalisedArea: one round has no area; the curve needs at least 2 rounds");
  }
  const first = labelled[0]!;
  const last = labelled[labelled.length - 1]!;
  const from = options.from ?? first;
  const to = options.to ?? last;
  if (!(from >= first && to <= last && from < to)) {
    throw new RangeError(
      `normalisedArea: range [${from}, ${to}] must satisfy ${first} ≤ from < to ≤ ${last} (the curve's labelled counts)`,
    );
  }
  // The curve restricted to [from, to]: interpolated end points plus the rounds strictly inside.
  const xs = [from];
  const ys = [interpolate(labelled, values, from)];
  for (let i = 0; i < labelled.length; i++) {
    if (labelled[i]! > from && labelled[i]! < to) {
      xs.push(labelled[i]!);
      ys.push(values[i]!);
    }
  }
  xs.push(to);
  ys.push(interpolate(labelled, values, to));
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i]! - xs[i - 1]!) * (ys[i]! + ys[i - 1]!)) / 2;
  return area / (to - from);
}
