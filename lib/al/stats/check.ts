/** Input checks shared by the statistics: one readable line naming the function and the fix. */

/** Throws unless every value is a finite number; returns the values as a plain number array. */
export function finiteValues(fn: string, name: string, values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`${fn}: ${name}[${i}] = ${String(v)} is not a finite number; drop or fix that value`);
    }
    out[i] = v;
  }
  return out;
}

/** Throws unless the two arrays have the same length (paired data). */
export function checkPaired(fn: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new RangeError(`${fn}: a has ${a.length} values but b has ${b.length}; pass one value per pair`);
  }
}
