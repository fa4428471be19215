/** Contradiction ratio C(t): how much of the test set changed its predicted label since the last round. */

/**
 * Fraction of test points whose predicted label at round t differs from round t − 1. High
 * values mean the model is still being reshaped by each batch; a ratio that stays low means
 * more labels no longer change its mind — the signal the advisor and a stop rule use.
 */
export function contradictionRatio(previous: Int32Array, current: Int32Array): number {
  if (previous.length !== current.length) {
    throw new RangeError(
      `contradictionRatio: previous has ${previous.length} predictions but current has ${current.length}; pass both rounds' predictions on the same test set`,
    );
  }
  if (current.length === 0) throw new RangeError("contradictionRatio: no test points; evaluate on a non-empty test set");
  let changed = 0;
  for (let i = 0; i < current.length; i++) if (previous[i] !== current[i]) changed++;
  return changed / current.length;
}
