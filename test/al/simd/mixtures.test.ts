import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { absorb, conditionalEntropyOf, createJointState } from "../../../lib/al/samplers/joint-state.ts";
import type { Samples } from "../../../lib/al/samplers/sampler.ts";
import { createMixtureKernel } from "../../../lib/al/simd/mixtures.ts";

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
