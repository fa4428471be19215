import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { marginScores } from "../../../lib/al/samplers/margin.ts";

/** The definition, written plainly: sort a copy of the row, 1 − (largest − second largest). */
function reference(row: Float32Array): number {
  if (row.length === 1) return 1 - row[0]!;
  const sorted = Array.from(row).sort((a, b) => b - a);
  return 1 - (sorted[0]! - sorted[1]!);
}

describe("margin's integer fast path", () => {
  it("equals the plain definition on 20,000 random rows (zeros, ties, tiny and subnormal values)", () => {
    const r = createRandom(17, "margin-fast");
    for (let trial = 0; trial < 200; trial++) {
      const n = 100;
      const c = 1 + r.int(12);
      const data = new Float32Array(n * c);
      for (let j = 0; j < data.length; j++) {
        const kind = r.int(8);
        data[j] = kind === 0 ? 0 : kind === 1 ? 1e-40 : kind === 2 ? 2 ** -r.int(140) : kind === 3 && j > 0 ? data[j - 1]! : r.next();
      }
      const scores = marginScores({ data, n, c });
      for (let i = 0; i < n; i++) {
        expect(scores[i], `trial ${trial} row ${i}`).toBe(reference(data.subarray(i * c, (i + 1) * c)));
      }
    }
  });

  it("rows outside its domain (negative, −0, ∞, NaN) behave as the float scan does", () => {
    const rows = [
      [0.5, -0.25, 0.25], // negative, not in the top two: 1 − (0.5 − 0.25)
      [-0.5, -0.25, -1], // all negative: 1 − (−0.25 − (−0.5))
      [-0, 0.25, 0], // −0
      [Infinity, 0.5, 0.2], // ∞ − 0.5
      [0.3, NaN, 0.2], // NaN never wins a comparison: 1 − (0.3 − 0.2)
    ];
    const data = Float32Array.from(rows.flat());
    const s = marginScores({ data, n: rows.length, c: 3 });
    expect(s[0]).toBe(0.75);
    expect(s[1]).toBe(0.75);
    expect(s[2]).toBe(0.75);
    expect(s[3]).toBe(-Infinity);
    expect(s[4]).toBeCloseTo(0.9, 6);
  });
});
