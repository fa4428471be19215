/** Cohen's κ: agreement of two labelings beyond what their label frequencies make likely by chance. */

/**
 * κ = (p_o − p_e) / (1 − p_e), with p_o the observed agreement and p_e = Σ_c p_a(c)·p_b(c).
 * When both labelings use one and the same class everywhere, p_e = 1 and the formula is 0/0; we
 * return 1 there, because the labelings agree completely (the stabilising-predictions stop
 * rule relies on identical predictions scoring 1).
 */
export function cohenKappa(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) {
    throw new RangeError(`cohenKappa: a has ${a.length} labels but b has ${b.length}; pass two labelings of the same points`);
  }
  const n = a.length;
  if (n === 0) throw new RangeError("cohenKappa: no points; pass non-empty labelings");
  let classes = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < 0) throw new RangeError(`cohenKappa: a[${i}] = ${x} is negative; labels are class indices ≥ 0`);
    if (y < 0) throw new RangeError(`cohenKappa: b[${i}] = ${y} is negative; labels are class indices ≥ 0`);
    classes = Math.max(classes, x + 1, y + 1);
  }
  const countA = new Float64Array(classes);
  const countB = new Float64Array(classes);
  let agree = 0;
  for (let i = 0; i < n; i++) {
    countA[a[i]!]!++;
    countB[b[i]!]!++;
    if (a[i] === b[i]) agree++;
  }
  const observed = agree / n;
  let expected = 0;
  for (let c = 0; c < classes; c++) expected += (countA[c]! / n) * (countB[c]! / n);
  if (expected >= 1) return 1; // p_e = 1 only when both are one identical constant labeling
  return (observed - expected) / (1 - expected);
}
