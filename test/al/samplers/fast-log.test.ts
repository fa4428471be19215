import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { float32Bits, lnFloat32, xlnx, xlnxFloat32 } from "../../../lib/al/samplers/fast-log.ts";

const ln32 = (p: number): number => {
  const a = Float32Array.of(p);
  return lnFloat32(a[0]!, float32Bits(a)[0]!);
};

describe("lnFloat32", () => {
  it("is exact on powers of two (ln 1 = 0, ln 0.5 = −ln 2, ln 2^−20 = −20 ln 2)", () => {
    expect(ln32(1)).toBe(0);
    expect(ln32(0.5)).toBe(-Math.LN2);
    expect(ln32(2 ** -20)).toBe(-20 * Math.LN2);
  });

  it("matches Math.log within 1e-10 over a million random float32 values across 40 binades", () => {
    const r = createRandom(3, "fast-log");
    const values = new Float32Array(1_000_000);
    for (let i = 0; i < values.length; i++) values[i] = r.next() * 2 ** -r.int(40);
    const bits = float32Bits(values);
    let worst = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i] === 0) continue;
      worst = Math.max(worst, Math.abs(lnFloat32(values[i]!, bits[i]!) - Math.log(values[i]!)));
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it("falls back to Math.log off the fast path: 0, subnormals, negatives, ∞, NaN", () => {
    expect(ln32(0)).toBe(-Infinity);
    expect(ln32(1e-40)).toBeCloseTo(Math.log(Math.fround(1e-40)), 12); // subnormal float32
    expect(ln32(-1)).toBeNaN();
    expect(ln32(Infinity)).toBe(Infinity);
    expect(ln32(NaN)).toBeNaN();
  });

  it("float32Bits views the same memory, including a subarray's offset", () => {
    const data = Float32Array.of(0, 1, 0.5);
    const view = float32Bits(data.subarray(1));
    expect(Array.from(view)).toEqual([0x3f800000, 0x3f000000]);
  });
});

describe("x ln x", () => {
  it("is 0 at and below 0 and for NaN, p ln p elsewhere", () => {
    expect(xlnx(0)).toBe(0);
    expect(xlnx(-0.1)).toBe(0);
    expect(xlnx(NaN)).toBe(0);
    expect(xlnx(0.5)).toBeCloseTo(-0.5 * Math.LN2, 15);
    const a = Float32Array.of(0, 0.25, -1);
    const b = float32Bits(a);
    expect(xlnxFloat32(a[0]!, b[0]!)).toBe(0);
    expect(xlnxFloat32(a[1]!, b[1]!)).toBe(0.25 * -2 * Math.LN2); // 0.25 = 2^−2: exact
    expect(xlnxFloat32(a[2]!, b[2]!)).toBe(0);
  });
});
