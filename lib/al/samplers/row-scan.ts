/**
 * One probability row read for validation, in the form V8 runs fastest: the checks every
 * sampler needs (any sign bit, the largest value, the sum) in independent lanes, so no add or
 * max waits on the previous one. A single running sum chains every add behind the last, and a
 * compare-and-branch maximum mispredicts a few times per row on softmax outputs: together they
 * made validation, not scoring, the cost of least-confidence at C = 100.
 */

export class RowScan {
  /** OR of the row's float32 bit patterns: negative when any value has its sign bit set. */
  sign = 0;
  /** The largest value (Math.max: NaN when the row holds one; −0 and 0 count alike). */
  max = 0;
  /** Σ of the row's values in float64, summed in four lanes (so not in index order). */
  sum = 0;

  /** Reads `width` values from `start`; `bits` is the Int32 view of `data` (float32Bits). */
  read(data: Float32Array, bits: Int32Array, start: number, width: number): void {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let m0 = -Infinity;
    let m1 = -Infinity;
    let sign = 0;
    let j = start;
    const end = start + width;
    for (; j + 3 < end; j += 4) {
      const a = data[j]!;
      const b = data[j + 1]!;
      const c = data[j + 2]!;
      const d = data[j + 3]!;
      sign |= bits[j]! | bits[j + 1]! | bits[j + 2]! | bits[j + 3]!;
      m0 = Math.max(m0, a, b);
      m1 = Math.max(m1, c, d);
      s0 += a;
      s1 += b;
      s2 += c;
      s3 += d;
    }
    for (; j < end; j++) {
      const a = data[j]!;
      sign |= bits[j]!;
      m0 = Math.max(m0, a);
      s0 += a;
    }
    this.sign = sign;
    this.max = Math.max(m0, m1);
    this.sum = s0 + s1 + (s2 + s3);
  }
}
