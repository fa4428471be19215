/** Learning-curve checks shared by the curve summaries. */

/**
 * Throws unless x (labelled counts) and y (metric values) are equally long, finite, non-empty,
 * and x strictly increases — a repeated or decreasing count means rounds of different runs were
 * mixed, and interpolating over it would be meaningless.
 */
export function checkCurve(fn: string, x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) {
    throw new RangeError(`${fn}: ${x.length} labelled counts but ${y.length} values; pass one value per round`);
  }
  if (x.length === 0) throw new RangeError(`${fn}: empty curve; pass at least one round`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new RangeError(`${fn}: labelled[${i}] = ${x[i]} is not finite`);
    if (!Number.isFinite(y[i]!)) throw new RangeError(`${fn}: values[${i}] = ${y[i]} is not finite; drop rounds without a value`);
    if (i > 0 && !(x[i]! > x[i - 1]!)) {
      throw new RangeError(
        `${fn}: labelled[${i}] = ${x[i]} does not exceed labelled[${i - 1}] = ${x[i - 1]}; pass one run's rounds in order`,
      );
    }
  }
}

/** y at x by linear interpolation; x must lie within the curve's range. */
export function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  let i = 1;
  while (i < xs.length - 1 && xs[i]! < x) i++;
  const x0 = xs[i - 1]!;
  const x1 = xs[i]!;
  return ys[i - 1]! + ((x - x0) / (x1 - x0)) * (ys[i]! - ys[i - 1]!);
}
