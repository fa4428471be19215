/**
 * The SIMD kernels of simd-row-stats.ts beyond the plain row statistics (single-pass.test.ts):
 * margin's top two and entropy's float32 Σ p·log2 p, against plain definitions, and the
 * samplers that read them against their own JavaScript paths, loaded with WebAssembly hidden
 * (`withoutWasm`: the module is evaluated again and finds no WebAssembly, as on a runtime without it).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { margin, marginScores } from "../../../lib/al/samplers/margin.ts";
import { rowTop2 } from "../../../lib/al/samplers/simd-row-stats.ts";
import { topK } from "../../../lib/al/samplers/top-k.ts";

const context = { random: createRandom(1, "unused") };

/** Imports a module afresh with the global WebAssembly hidden, so its kernels are undefined. */
async function withoutWasm<T>(load: () => Promise<T>): Promise<T> {
  vi.stubGlobal("WebAssembly", undefined);
  vi.resetModules();
  try {
    return await load();
  } finally {
    vi.unstubAllGlobals();
    vi.resetModules();
  }
}
afterEach(() => vi.unstubAllGlobals());

/** Probability rows with exact ties (a copied value, often the maximum), zeros and tiny values. */
function tiedRows(r: Random, n: number, c: number): Float32Array {
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const kind = r.int(10);
      sum += row[j] = kind === 0 ? 0 : kind === 1 ? 1e-30 : kind === 2 && j > 0 ? row[r.int(j)]! : -Math.log(1 - r.next());
    }
    if (r.int(4) === 0 && c > 1) {
      // The maximum twice: margin 0.
      let top = 0;
      for (let j = 1; j < c; j++) if (row[j]! > row[top]!) top = j;
      const other = (top + 1 + r.int(c - 1)) % c;
      sum += row[top]! - row[other]!;
      row[other] = row[top]!;
    }
    if (sum === 0) row[0] = sum = 1;
    for (let j = 0; j < c; j++) row[j] = row[j]! / sum;
  }
  return data;
}

/** The two largest values of a row, plainly: sort a copy (p2 = 0 for one value). */
function plainTop2(row: Float32Array): [number, number] {
  const sorted = Array.from(row).sort((a, b) => b - a);
  return [sorted[0]!, row.length > 1 ? sorted[1]! : 0];
}

const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 31, 33, 100, 101, 257];

describe("rowTop2", () => {
  it("gives each row's largest and second largest value (the largest again when it occurs twice), widths 1–257, across chunks", () => {
    const r = createRandom(4, "top2");
    for (const c of WIDTHS) {
      const n = c === 17 ? Math.ceil(70_000 / c) : 60;
      const data = tiedRows(r, n, c);
      const wrong: string[] = [];
      for (let i = 0; i < n; ) {
        const chunk = rowTop2!(data, i, n - i, c);
        expect(chunk.rows).toBeGreaterThan(0);
        for (let q = 0; q < chunk.rows; q++, i++) {
          const [p1, p2] = plainTop2(data.subarray(i * c, (i + 1) * c));
          if (chunk.max[q] !== p1 || chunk.second[q] !== p2) wrong.push(`row ${i}: ${chunk.max[q]}, ${chunk.second[q]} for ${p1}, ${p2}`);
        }
      }
      expect(wrong, `c = ${c}`).toEqual([]);
    }
  });

  it("a row holding its maximum twice has second = max, in any two positions", () => {
    for (const c of [2, 3, 5, 8, 13]) {
      for (let a = 0; a < c; a++) {
        for (let b = a + 1; b < c; b++) {
          const row = new Float32Array(c).fill(0.1 / c);
          row[a] = row[b] = 0.45;
          const chunk = rowTop2!(row, 0, 1, c);
          expect([chunk.max[0], chunk.second[0]], `c = ${c}, at ${a} and ${b}`).toEqual([Math.fround(0.45), Math.fround(0.45)]);
        }
      }
    }
  });
});

describe("margin through the SIMD kernel", () => {
  it("hiding WebAssembly leaves the kernels undefined (so the comparisons below are with the JavaScript path)", async () => {
    const hidden = await withoutWasm(() => import("../../../lib/al/samplers/simd-row-stats.ts"));
    expect([hidden.rowStats, hidden.rowTop2, hidden.rowEntropy]).toEqual([undefined, undefined, undefined]);
    expect(rowTop2).toBeTypeOf("function");
  });

  it("scores and picks bit-identically to its JavaScript path (ties, labelled points, C = 2 … 257)", async () => {
    const js = await withoutWasm(() => import("../../../lib/al/samplers/margin.ts"));
    const r = createRandom(8, "margin-simd");
    for (const c of WIDTHS) {
      for (let trial = 0; trial < 3; trial++) {
        const n = trial === 0 ? Math.ceil(80_000 / c) : 50 + r.int(300);
        const probs: Matrix = { data: tiedRows(r, n, c), n, c };
        const labelled = Uint8Array.from({ length: n }, () => (r.int(5) === 0 ? 1 : 0));
        const k = 1 + r.int(40);
        const scores = marginScores(probs);
        expect(js.marginScores(probs), `c = ${c}`).toEqual(scores);
        expect(margin.score!({ probs, labelled }, {})).toEqual(scores);
        expect(js.margin.score!({ probs, labelled }, {})).toEqual(scores);
        const picks = Array.from(margin.select({ probs, labelled }, k, {}, context));
        expect(picks, `c = ${c}, trial ${trial}`).toEqual(Array.from(js.margin.select({ probs, labelled }, k, {}, context)));
        expect(picks).toEqual(Array.from(topK(scores, k, labelled.map((v) => 1 - v))));
      }
    }
  });

  it("rejects NaN, ∞, negative and unnormalised rows with the JavaScript path's message; a −0 is fine", async () => {
    const js = await withoutWasm(() => import("../../../lib/al/samplers/margin.ts"));
    for (const c of [2, 3, 10, 16, 17, 100, 101]) {
      const n = 40;
      for (const [bad, pattern] of [
        [NaN, /holds NaN/],
        [Infinity, /holds Infinity/],
        [-0.25, /holds -0\.25/],
        [3, /holds 3/],
      ] as const) {
        const data = tiedRows(createRandom(c, "bad"), n, c);
        data[23 * c + (c - 1)] = bad;
        const inputs = { probs: { data, n, c }, labelled: new Uint8Array(n) };
        const message = `margin: probs row 23`;
        expect(() => margin.select(inputs, 5, {}, context), `c = ${c}, ${bad}`).toThrow(pattern);
        expect(() => margin.select(inputs, 5, {}, context)).toThrow(message);
        let jsError = "";
        try {
          js.margin.select(inputs, 5, {}, context);
        } catch (error) {
          jsError = (error as Error).message;
        }
        expect(() => margin.select(inputs, 5, {}, context)).toThrow(jsError);
        expect(() => margin.score!(inputs, {})).toThrow(jsError);
      }
      // Unnormalised: every value halved.
      const data = tiedRows(createRandom(c, "sum"), n, c);
      for (let j = 7 * c; j < 8 * c; j++) data[j] = data[j]! / 2;
      expect(() => margin.select({ probs: { data, n, c }, labelled: new Uint8Array(n) }, 5, {}, context)).toThrow(/margin: probs row 7 sums to 0\.5,/);
      // A −0 passes the check and scores as 0 does.
      const zeros = tiedRows(createRandom(c, "zero"), n, c);
      zeros.fill(1 / (c - 1), 5 * c, 6 * c);
      zeros[5 * c] = 0;
      const withZero = marginScores({ data: zeros, n, c })[5];
      zeros[5 * c] = -0;
      expect(margin.score!({ probs: { data: zeros, n, c }, labelled: new Uint8Array(n) }, {})[5]).toBe(withZero);
    }
  });
});
