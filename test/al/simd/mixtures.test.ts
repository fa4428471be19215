import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { absorb, conditionalEntropyOf, createJointState } from "../../../lib/al/samplers/joint-state.ts";
import type { Samples } from "../../../lib/al/samplers/sampler.ts";
import { entropyOf } from "../../../lib/al/samplers/joint-state.ts";
import { MIXTURE_LOG2_POLY, MIXTURE_POLY_ERROR } from "../../../lib/al/simd/log2-poly.ts";
import { createMixtureKernel, type MixtureKernel, screenBound } from "../../../lib/al/simd/mixtures.ts";

/** T noisy softmax passes per point, with exact zeros and some passes copied (equal posteriors merge). */
function samplesOf(seed: number, n: number, t: number, c: number): Samples {
  const r = createRandom(seed, "mixtures");
  const data = new Float32Array(n * t * c);
  for (let i = 0; i < n * t; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    if (i % t > 0 && r.next() < 0.2) {
      row.set(data.subarray((i - 1) * c, i * c));
      continue;
    }
    let sum = 0;
    for (let l = 0; l < c; l++) sum += row[l] = r.next() < 0.1 ? 0 : Math.exp(2 * r.normal());
    if (sum === 0) row[r.int(c)] = sum = 1;
    for (let l = 0; l < c; l++) row[l] = row[l]! / sum;
  }
  return { data, n, t, c };
}

describe("SIMD mixtures (BatchBALD's configurations × T × C product)", () => {
  it("by hand: 5 configurations (a tile of 4 and one more), T = 2, C = 3 (a padded class column)", () => {
    const kernel = createMixtureKernel(2, 3);
    expect(kernel).toBeDefined();
    // Posteriors π_m(t), row-major (m, t).
    const posterior = Float64Array.of(0.5, 0.5, 1, 0, 0.25, 0.75, 0, 1, 0.125, 0.875);
    kernel!.load(posterior, 5);
    // p_t(l): t = 0 → (0.5, 0.25, 0.25), t = 1 → (0, 0.5, 0.5).
    const mix = kernel!.mixtures(Float32Array.of(0.5, 0.25, 0.25, 0, 0.5, 0.5), 0);
    expect(kernel!.stride).toBe(4);
    const rows = [0, 1, 2, 3, 4].map((m) => Array.from(mix.subarray(m * 4, m * 4 + 3)));
    expect(rows).toEqual([
      [0.25, 0.375, 0.375],
      [0.5, 0.25, 0.25],
      [0.125, 0.4375, 0.4375],
      [0, 0.5, 0.5],
      [0.0625, 0.46875, 0.46875],
    ]);
  });

  it("conditional entropies bit-identical to the JavaScript loop, exact and sampled, odd and even C", () => {
    let checked = 0;
    const counts: number[] = [];
    for (const [n, t, c, seed] of [[30, 7, 3, 1], [24, 16, 10, 2], [20, 5, 2, 3], [16, 9, 1, 4], [12, 33, 5, 5]] as const) {
      const samples = samplesOf(seed, n, t, c);
      for (const options of [{ draws: 37, maxConfigurations: 1000 }, { draws: 23, maxConfigurations: 6 }]) {
        const simd = createJointState(samples, options, createRandom(seed, "draws"));
        const plain = createJointState(samples, options, createRandom(seed, "draws"));
        expect(simd.kernel).toBeDefined();
        plain.kernel = undefined;
        for (let step = 0; step < 4; step++) {
          for (let x = 0; x < n; x++) {
            const a = conditionalEntropyOf(simd, x);
            const b = conditionalEntropyOf(plain, x);
            if (!Object.is(a, b)) expect(`n ${n} c ${c} step ${step} x ${x}: ${a}`).toBe(`${b}`);
            checked++;
          }
          const x = (step * 7) % n;
          absorb(simd, x);
          absorb(plain, x);
          expect(simd.scoring.count).toBe(plain.scoring.count);
        }
        counts.push(simd.scoring.count);
      }
    }
    expect(checked).toBe(8 * (30 + 24 + 20 + 16 + 12));
    // Both the 4-configuration tiles and the single rows after them were exercised.
    expect(counts.some((count) => count > 4 && count % 4 !== 0)).toBe(true);
  });
});

/**
 * The screen recomputed in JavaScript, each float32 step rounded with Math.fround in the
 * kernel's order: mixtures Σ_t fl32(π)·p summed over t in float32; lane j of a row takes
 * classes 4v + j (C rounded up to 4 with zeros), lanes add ((0 + 1) + 2) + 3, then float64 w·sum.
 * A peer of the kernel's arithmetic (which screenBound's derivation describes).
 */
function screenSums(block: Float32Array, t: number, c: number, posterior: Float64Array, count: number, weight: Float64Array): [number, number, number] {
  const f = Math.fround;
  const bits = new DataView(new ArrayBuffer(4));
  const [a1, a2, a3, a4, a5] = MIXTURE_LOG2_POLY.map(f) as [number, number, number, number, number];
  const c4 = (c + 3) & ~3;
  let sumT = 0, sumAbs = 0, sumQ = 0;
  for (let m = 0; m < count; m++) {
    const lanes = [0, 1, 2].map(() => [0, 0, 0, 0]);
    for (let l = 0; l < c4; l++) {
      let mix = 0;
      if (l < c) for (let u = 0; u < t; u++) mix = f(mix + f(f(posterior[m * t + u]!) * block[u * c + l]!));
      const q = mix > 0 ? mix : 0; // pmax(0, q): negatives, −0 and NaN to 0
      bits.setFloat32(0, q, true);
      const word = bits.getUint32(0, true);
      bits.setUint32(0, (word & 0x7fffff) | 0x3f800000, true);
      const x = f(bits.getFloat32(0, true) - 1);
      let poly = f(f(x * a5) + a4);
      poly = f(f(poly * x) + a3);
      poly = f(f(poly * x) + a2);
      poly = f(f(poly * x) + a1);
      poly = f(poly * x);
      const term = f(f(poly + ((word >>> 23) - 127)) * q);
      const lane = l % 4;
      lanes[0]![lane] = f(lanes[0]![lane]! + term);
      lanes[1]![lane] = f(lanes[1]![lane]! + Math.abs(term));
      lanes[2]![lane] = f(lanes[2]![lane]! + q);
    }
    const [st, sa, sq] = lanes.map((v) => f(f(f(v[0]! + v[1]!) + v[2]!) + v[3]!)) as [number, number, number];
    sumT += st * weight[m]!;
    sumAbs += sa * weight[m]!;
    sumQ += sq * weight[m]!;
  }
  return [sumT, sumAbs, sumQ];
}

/** Σ_m w_m · entropyOf(float64 mixture m): the exact value the screen bounds, as joint-state.ts sums it. */
function exactOf(mix: Float64Array, stride: number, c: number, count: number, weight: Float64Array): number {
  let total = 0;
  for (let m = 0; m < count; m++) total += weight[m]! * entropyOf(mix, m * stride, c);
  return total;
}

type RowKind = "softmax" | "peaked" | "flat" | "one-hot" | "zeros" | "tiny" | "over" | "negative" | "nan" | "big";

/** A T × C candidate block of the given row kinds (mostly probability rows, some that are not). */
function blockOf(r: ReturnType<typeof createRandom>, t: number, c: number, kinds: readonly RowKind[]): Float32Array {
  const data = new Float32Array(t * c);
  for (let u = 0; u < t; u++) {
    const row = data.subarray(u * c, (u + 1) * c);
    const kind = kinds[r.int(kinds.length)]!;
    const scale = kind === "peaked" ? 8 : kind === "flat" ? 0.01 : 2;
    let sum = 0;
    for (let l = 0; l < c; l++) sum += row[l] = r.next() < 0.1 ? 0 : Math.exp(scale * r.normal());
    if (sum === 0) row[0] = sum = 1;
    for (let l = 0; l < c; l++) row[l] = row[l]! / sum;
    if (kind === "one-hot") row.fill(0)[r.int(c)] = 1;
    if (kind === "zeros") row.fill(0);
    if (kind === "tiny") for (let l = 0; l < c; l++) if (r.next() < 0.5) row[l] = [1e-30, 1e-39, 1e-45][r.int(3)]!;
    if (kind === "over") for (let l = 0; l < c; l++) row[l] = row[l]! * (1 + 1e-5); // past 1 by a validator's tolerance
    if (kind === "negative") row[r.int(c)] = -0.25;
    if (kind === "nan") row[r.int(c)] = NaN;
    if (kind === "big") row[r.int(c)] = 2.5;
  }
  return data;
}

/** M random posteriors over T (some one-hot, some with zeros or tiny values) and weights summing to 1. */
function configurationsOf(r: ReturnType<typeof createRandom>, count: number, t: number): { posterior: Float64Array; weight: Float64Array } {
  const posterior = new Float64Array(count * t);
  const weight = new Float64Array(count);
  let total = 0;
  for (let m = 0; m < count; m++) {
    const row = posterior.subarray(m * t, (m + 1) * t);
    let sum = 0;
    if (r.next() < 0.2) row[r.int(t)] = sum = 1;
    else for (let u = 0; u < t; u++) sum += row[u] = r.next() < 0.2 ? (r.next() < 0.5 ? 0 : 1e-50) : r.next() ** 3;
    if (sum === 0) row[0] = sum = 1;
    for (let u = 0; u < t; u++) row[u] = row[u]! / sum;
    total += weight[m] = r.next() < 0.1 ? 1e-12 : r.next();
  }
  for (let m = 0; m < count; m++) weight[m] = weight[m]! / total;
  return { posterior, weight };
}

/** The mixture screen's polynomial, evaluated in float32 in its order (Horner, each step rounded). */
function poly32(x: number): number {
  const [a1, a2, a3, a4, a5] = MIXTURE_LOG2_POLY.map((a) => Math.fround(a)) as unknown as [number, number, number, number, number];
  const f = Math.fround;
  let q = f(f(a5 * x) + a4);
  q = f(f(q * x) + a3);
  q = f(f(q * x) + a2);
  q = f(f(q * x) + a1);
  return f(q * x);
}

describe("the mixtures kernel's float32 entropy screen", () => {
  it("the screen's degree-5 float32 polynomial is within MIXTURE_POLY_ERROR of log2(1 + x) for every float32 mantissa", () => {
    let worst = 0;
    for (let k = 0; k < 2 ** 23; k++) {
      const x = k / 2 ** 23; // m − 1 for the mantissa m = 1 + k·2⁻²³, exact in float32
      worst = Math.max(worst, Math.abs(poly32(x) - Math.log2(1 + x)));
    }
    expect(worst).toBeLessThanOrEqual(MIXTURE_POLY_ERROR);
    // The bound is tight to the fit (a looser or wrong polynomial would not pass both).
    expect(worst).toBeGreaterThan(MIXTURE_POLY_ERROR / 2);
  });

  it("by hand: powers of two get log2 exactly, so the estimate is exact; the bound is small but not 0", () => {
    const kernel = createMixtureKernel(2, 3)!;
    // Posteriors (½, ½) and (1, 0), weights ¾ and ¼; p_0 = (½, ¼, ¼), p_1 = (½, ½, 0).
    kernel.load(Float64Array.of(0.5, 0.5, 1, 0), 2, Float64Array.of(0.75, 0.25));
    const block = Float32Array.of(0.5, 0.25, 0.25, 0.5, 0.5, 0);
    const mix = kernel.mixtures(block, 0);
    // Mixtures (½, ⅜, ⅛) and (½, ¼, ¼), exact in float32 too; ⅜ is not a power of two.
    expect(Array.from(mix.subarray(0, 3))).toEqual([0.5, 0.375, 0.125]);
    expect(Array.from(mix.subarray(4, 7))).toEqual([0.5, 0.25, 0.25]);
    const exact = 0.75 * entropyOf(mix, 0, 3) + 0.25 * entropyOf(mix, 4, 3);
    const { approx, bound } = kernel.screen(block, 0)!;
    expect(Math.abs(approx - exact)).toBeLessThanOrEqual(bound);
    expect(bound).toBeGreaterThan(MIXTURE_POLY_ERROR * Math.LN2);
    expect(bound).toBeLessThan(1.3 * MIXTURE_POLY_ERROR * Math.LN2); // unit mass: δ·ln 2, plus the rounding terms
    // The screen leaves the float64 mixtures' view as it was.
    expect(Array.from(mix.subarray(0, 3))).toEqual([0.5, 0.375, 0.125]);
    // Only powers of two: (½, ½) under weight 1 is exactly 1 bit.
    kernel.load(Float64Array.of(1, 0), 1, Float64Array.of(1));
    expect(kernel.screen(Float32Array.of(0.5, 0, 0.5, 0, 0, 0), 0)!.approx).toBe(Math.LN2);
    // Outside the bound's premises (values in [0, 2]): no screen.
    expect(kernel.screen(Float32Array.of(0.5, 0, 0.5, 2.5, 0, 0), 0)).toBeUndefined();
    kernel.load(Float64Array.of(1.5, -0.5), 1, Float64Array.of(1));
    expect(kernel.screen(Float32Array.of(0.5, 0, 0.5, 0, 0, 0), 0)).toBeUndefined();
    kernel.load(Float64Array.of(1, 0, 1, 0), 2, Float64Array.of(1.5, -0.5));
    expect(kernel.screen(Float32Array.of(0.5, 0, 0.5, 0, 0, 0), 0)).toBeUndefined();
    kernel.load(Float64Array.of(1, 0), 1);
    expect(() => kernel.screen(block, 0)).toThrow("mixtures: screen needs the configurations' weights (load was given none)");
  });

  it("sums bit-identically to its float32 steps redone in JavaScript, and |approx − exact| ≤ bound on 3,000 random mixtures", () => {
    const r = createRandom(17, "screen-bound");
    const kinds: RowKind[] = ["softmax", "peaked", "flat", "one-hot", "zeros", "tiny", "over", "negative", "nan", "big"];
    let worst = 0;
    let checked = 0;
    let declined = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const c = [1, 2, 3, 4, 5, 10, 17, 100][trial % 8]!;
      const t = 1 + r.int(c === 100 ? 8 : trial % 7 === 0 ? 300 : 30);
      const count = 1 + r.int(trial % 5 === 0 ? 60 : 9);
      // Most trials probability rows only; every tenth also values the bound does not cover.
      const invalid = trial % 10 === 9;
      const kernel: MixtureKernel = createMixtureKernel(t, c)!;
      const { posterior, weight } = configurationsOf(r, count, t);
      kernel.load(posterior, count, weight);
      const block = blockOf(r, t, c, invalid ? kinds : kinds.slice(0, 7));
      const mix = kernel.mixtures(block, 0);
      const screen = kernel.screen(block, 0);
      if (block.some((v) => !(v >= 0 && v <= 2))) {
        expect(screen, `trial ${trial}`).toBeUndefined();
        declined++;
        continue;
      }
      const { approx, bound } = screen!;
      const [sumT, sumAbs, sumQ] = screenSums(block, t, c, posterior, count, weight);
      let weights = 0;
      for (const w of weight) weights += w;
      expect(approx, `trial ${trial}`).toBe(-sumT * Math.LN2);
      expect(bound, `trial ${trial}`).toBe(screenBound(sumT, sumAbs, sumQ, weights, t, (c + 3) & ~3, count).bound);
      const exact = exactOf(mix, kernel.stride, c, count, weight);
      const error = Math.abs(approx - exact);
      if (!(error <= bound)) expect(`trial ${trial}: |${approx} − ${exact}| = ${error} > ${bound}`).toBe("within the bound");
      // Not vacuous: the polynomial's error per unit mass plus float32 rounding of the sums.
      const eps = (t + 3) * 2 ** -24;
      expect(bound, `trial ${trial}`).toBeLessThan(Math.LN2 * ((1.05 * MIXTURE_POLY_ERROR + 3 * eps) * sumQ + (3e-6 + 3 * eps) * sumAbs) + 1e-12);
      worst = Math.max(worst, error / bound);
      checked++;
    }
    expect(checked + declined).toBe(3000);
    expect(declined).toBeGreaterThan(100);
    // The bound is close to what is reached: worst-case mantissas do turn up (c = 1, p just below 1).
    expect(worst).toBeGreaterThan(0.5);
  });
});
