import { describe, expect, it } from "vitest";
import { dotAt, lowerDistances, lowerDistancesWith, squaredNorms } from "../../../lib/al/cluster/distances.ts";
import { farthestFirst } from "../../../lib/al/cluster/farthest-first.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { createDotKernel } from "../../../lib/al/simd/dots.ts";
import { randomEmbeddings } from "../samplers/diversity-fixtures.ts";

describe("SIMD dot products (KCenterGreedy's distance updates)", () => {
  it("by hand: 3 rows of width 3 against 1, 2 and 4 centres", () => {
    const x = Float32Array.of(1, 2, 3, 0.5, -1, 4, 0, 0, 0);
    const kernel = createDotKernel(x, 3, 3, 8);
    expect(kernel).toBeDefined();
    const centres = Float64Array.of(1, 1, 1, 2, 0, -1, 0.25, 0.5, 2, -3, 1, 0);
    kernel!.list.set([2, 0, 1]);
    const one = kernel!.dots(centres, 1, 1, 3); // centre (2, 0, −1)
    expect([one[0], one[4], one[8]]).toEqual([0, -1, -3]);
    const two = kernel!.dots(centres, 0, 2, 3);
    expect([0, 1, 2].map((q) => [two[4 * q], two[4 * q + 1]])).toEqual([[0, 0], [6, -1], [3.5, -3]]);
    const four = kernel!.dots(centres, 0, 4, 2);
    expect(Array.from(four.subarray(0, 8))).toEqual([0, 0, 0, 0, 6, -1, 7.25, -1]);
  });

  it("every dot bit-identical to dotAt (widths 1–40, lists in any order, groups of 1–4)", () => {
    const r = createRandom(3, "dots");
    for (let trial = 0; trial < 80; trial++) {
      const d = 1 + r.int(40);
      const n = 1 + r.int(60);
      const x = randomEmbeddings(trial, n, d).data;
      const m = 1 + r.int(4);
      const centres = Float64Array.from({ length: (m + 2) * d }, () => (r.next() < 0.5 ? x[r.int(n * d)]! : r.normal()));
      const kernel = createDotKernel(x, n, d, n)!;
      const rows = 1 + r.int(n);
      for (let q = 0; q < rows; q++) kernel.list[q] = r.int(n);
      const j0 = r.int(3);
      const dots = kernel.dots(centres, j0, m, rows);
      const wrong: string[] = [];
      for (let q = 0; q < rows; q++) {
        for (let j = 0; j < m; j++) {
          const want = dotAt(x, kernel.list[q]! * d, centres, (j0 + j) * d, d);
          if (!Object.is(dots[4 * q + j], want)) wrong.push(`row ${kernel.list[q]} centre ${j0 + j}: ${dots[4 * q + j]} ≠ ${want}`);
        }
      }
      expect(wrong, `trial ${trial}, d = ${d}, m = ${m}`).toEqual([]);
    }
  });

  it("lowerDistancesWith (the kernel's own comparison) leaves the same distances and owners as lowerDistances", () => {
    const r = createRandom(4, "lower-with");
    for (let trial = 0; trial < 40; trial++) {
      const d = 1 + r.int(20);
      const n = 1 + r.int(200);
      const x = randomEmbeddings(100 + trial, n, d);
      const m = 1 + r.int(11);
      // Centres copied from rows (distance exactly 0, and ties between equal centres).
      const centres = Float64Array.from({ length: m * d }, (_, e) => x.data[(r.int(n) * d + (e % d)) % (n * d)]!);
      for (let e = 0; e < d; e++) centres[(m - 1) * d + e] = x.data[e]!;
      const norms = squaredNorms(x);
      const centreNorms = new Float64Array(m).map((_, j) => dotAt(centres, j * d, centres, j * d, d));
      const start = Float64Array.from({ length: n }, () => (r.next() < 0.1 ? -Infinity : r.next() < 0.5 ? Infinity : 50 * r.next()));
      const a = { distance: start.slice(), owner: new Int32Array(n).fill(-1) };
      const b = { distance: start.slice(), owner: new Int32Array(n).fill(-1) };
      const r0 = r.int(n);
      const r1 = r0 + 1 + r.int(n - r0);
      lowerDistances(x.data, d, norms, r0, r1, centres, centreNorms, m, a.distance, a.owner, 3);
      const kernel = createDotKernel(x.data, n, d, n, true)!;
      const state = kernel.state!;
      state.norms.set(norms);
      state.distance.set(b.distance);
      state.owner.set(b.owner);
      lowerDistancesWith(kernel, r0, r1, centres, centreNorms, m, 3);
      expect(Array.from(state.distance)).toEqual(Array.from(a.distance));
      expect(Array.from(state.owner)).toEqual(Array.from(a.owner));
    }
  });

  it("the float32 screen (widths divisible by 4) changes no distance or owner: ties, one-ulp margins, underflow, huge norms", () => {
    const r = createRandom(6, "screen");
    const ulp = (v: number, up: boolean): number => {
      // The next float64 above or below v (finite, v ≥ 0 here).
      const b = new Float64Array([v]);
      const i = new BigInt64Array(b.buffer);
      i[0] = i[0]! + (up ? 1n : -1n);
      return v === 0 ? (up ? Number.MIN_VALUE : 0) : b[0]!;
    };
    for (let trial = 0; trial < 60; trial++) {
      const d = 4 * (1 + r.int(trial < 40 ? 8 : 64));
      const n = 1 + r.int(150);
      const kind = trial % 5;
      // 0 Gaussian, 1 small-integer lattice (exact ties), 2 tiny values (float32 products underflow),
      // 3 huge rows (norms past the screen's limit) among ordinary ones, 4 one centre a float32 step from a row.
      const value = (): number => {
        if (kind === 1) return r.int(3) - 1;
        if (kind === 2) return 1e-25 * r.normal();
        if (kind === 3 && r.next() < 0.05) return 1e20 * r.normal();
        return r.normal();
      };
      const x = Float32Array.from({ length: n * d }, value);
      const m = 1 + r.int(9);
      const centres = Float64Array.from({ length: m * d }, (_, e) => (r.next() < 0.5 ? x[(r.int(n) * d + (e % d)) % (n * d)]! : Math.fround(value())));
      if (kind === 4) for (let e = 0; e < d; e++) centres[e] = Math.fround(x[e]! * (1 + 2 ** -23));
      const norms = squaredNorms({ data: x, n, c: d });
      const centreNorms = new Float64Array(m).map((_, j) => dotAt(centres, j * d, centres, j * d, d));
      // Start each row at its exact distance to one centre, one float64 step either side, +∞ or −∞.
      const exact = new Float64Array(n);
      const probe = new Int32Array(n).fill(-1);
      exact.fill(Infinity);
      lowerDistances(x, d, norms, 0, n, centres.subarray(0, d), centreNorms.subarray(0, 1), 1, exact, probe, 0);
      const start = Float64Array.from(exact, (v) => {
        const u = r.next();
        return u < 0.3 ? v : u < 0.5 ? ulp(v, true) : u < 0.7 ? ulp(v, false) : u < 0.8 ? -Infinity : u < 0.9 ? Infinity : 2 * v * r.next();
      });
      const a = { distance: start.slice(), owner: new Int32Array(n).fill(-1) };
      lowerDistances(x, d, norms, 0, n, centres, centreNorms, m, a.distance, a.owner, 2);
      const kernel = createDotKernel(x, n, d, n, true)!;
      const state = kernel.state!;
      state.norms.set(norms);
      state.distance.set(start);
      state.owner.fill(-1);
      lowerDistancesWith(kernel, 0, n, centres, centreNorms, m, 2);
      expect(Array.from(state.distance), `trial ${trial}, kind ${kind}, d = ${d}`).toEqual(Array.from(a.distance));
      expect(Array.from(state.owner), `trial ${trial}, kind ${kind}, d = ${d}`).toEqual(Array.from(a.owner));
    }
  });

  it("farthestFirst picks the same points with and without the kernel (clusters, duplicates, labelled centres)", () => {
    const r = createRandom(5, "ff-simd");
    for (let trial = 0; trial < 24; trial++) {
      const n = 1 + r.int(1500);
      const d = 1 + r.int(24);
      const data = randomEmbeddings(200 + trial, n, d).data;
      // Half the pools are tight clusters, where the centre gaps skip most rows.
      if (trial % 2 === 0) for (let i = 0; i < n; i++) for (let e = 0; e < d; e++) data[i * d + e] = 10 * (i % 5) + 0.01 * data[i * d + e]!;
      const points = { data, n, c: d };
      const labelled = r.int(Math.min(20, n));
      const initial = { data: Float32Array.from({ length: labelled * d }, () => r.normal()), n: labelled, c: d };
      const k = 1 + r.int(Math.min(n, 200));
      const options = labelled > 0 ? { initial } : { first: r.int(n) };
      const simd = farthestFirst(points, k, options);
      const plain = farthestFirst(points, k, { ...options, simd: false });
      expect(Array.from(simd), `trial ${trial}`).toEqual(Array.from(plain));
    }
  });
});
