/** The final value of a learning curve, optionally smoothed over the last rounds. */

export interface FinalValueOptions {
  /** Average the last `last` rounds (default 1: the final round alone), to damp round-to-round noise. */
  last?: number;
}

export function finalValue(values: ArrayLike<number>, options: FinalValueOptions = {}): number {
  const last = options.last ?? 1;
  if (!Number.isInteger(last) || last < 1) throw new RangeError(`finalValue: last = ${last} must be a whole number ≥ 1`);
  if (values.length < last) {
    throw new RangeError(`finalValue: the curve has ${values.length} round(s), fewer than last = ${last}`);
  }
  let sum = 0;
  for (let i = values.length - last; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`finalValue: values[${i}] = ${v} is not finite`);
    sum += v;
  }
  return sum / last;
}
