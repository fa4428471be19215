import { describe, expect, it } from "vitest";
import { dotAt } from "../../../lib/al/cluster/distances.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { createGradientDotKernel } from "../../../lib/al/simd/gradient-dots.ts";

describe("SIMD dot products for BADGE (gradient-dots)", () => {
  it("by hand: ⟨p − e_ŷ, a'⟩ with ŷ in a whole pair and as the odd last class; ⟨h, h'⟩", () => {
    // Rows of C = 3: ŷ = 0 (a whole pair's first lane), ŷ = 2 (the odd tail).
    const probs = Float32Array.of(0.5, 0.25, 0.25, 0.125, 0.125, 0.75);
    const top = Int32Array.of(0, 2);
    const aTop = Float64Array.of(0.5 - 1, 0.75 - 1);
    const kernel = createGradientDotKernel(probs, 3, Int32Array.of(0, 1), top, aTop, 2)!;
    expect(kernel).toBeDefined();
    const centre = Float64Array.of(1, 2, 4);
    kernel.list.set([1, 0]);
    // Row 1: a = (0.125, 0.125, −0.25) → 0.125 + 0.25 − 1 = −0.625; row 0: a = (−0.5, 0.25, 0.25) → −0.5 + 0.5 + 1 = 1.
    expect(Array.from(kernel.aDots(centre, 0, 2).subarray(0, 2))).toEqual([-0.625, 1]);
    const h = Float32Array.of(1, 2, 3, -1, 0.5, 4);
    const out = new Float64Array(2);
    kernel.hDots(h, Int32Array.of(2, 0), 2, 1, out); // rows (0.5, 4) and (1, 2) with (3, −1)
    expect(Array.from(out)).toEqual([-2.5, 1]);
  });

  it("every value bit-identical to dotAt's canonical sums (badge.ts's dot64 and dot32) (C and d 1–40, ŷ anywhere, runs past the scratch)", () => {
    const r = createRandom(11, "gradient-dots");
    for (let trial = 0; trial < 60; trial++) {
      const c = 1 + r.int(40);
      const d = 1 + r.int(40);
      const n = 1 + r.int(trial % 10 === 0 ? 3000 : 60);
      const probs = Float32Array.from({ length: n * c }, () => r.next() ** 3);
      const top = Int32Array.from({ length: n }, () => r.int(c));
      const aTop = Float64Array.from(top, (t, i) => probs[i * c + t]! - 1);
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const kernel = createGradientDotKernel(probs, c, rows, top, aTop, d)!;
      const a = Float64Array.from({ length: n * c }, (_, j) => probs[j]! - (j % c === top[Math.floor(j / c)] ? 1 : 0));
      const centre = r.int(n);
      const count = 1 + r.int(n);
      for (let q = 0; q < count; q++) kernel.list[q] = r.int(n);
      const got = kernel.aDots(a, centre * c, count);
      for (let q = 0; q < count; q++) {
        const want = dotAt(a, kernel.list[q]! * c, a, centre * c, c);
        if (!Object.is(got[q], want)) expect(`trial ${trial}, q ${q}: ${got[q]}`).toBe(`${want}`);
      }
      const h = Float32Array.from({ length: n * d }, () => r.normal());
      const at = Int32Array.from({ length: count }, () => r.int(n));
      const out = new Float64Array(count);
      kernel.hDots(h, at, count, centre, out);
      for (let q = 0; q < count; q++) {
        const want = dotAt(h, at[q]! * d, h, centre * d, d);
        if (!Object.is(out[q], want)) expect(`trial ${trial}, h ${q}: ${out[q]}`).toBe(`${want}`);
      }
    }
  });
});
