/**
 * The SIMD kernels of simd-row-stats.ts beyond the plain row statistics (single-pass.test.ts):
 * margin's top two and entropy's float32 Σ p·log2 p, against plain definitions, and the
 * samplers that read them against their own JavaScript paths, loaded with WebAssembly hidden
 * (`withoutWasm`: the module is evaluated again and finds no WebAssembly, as on a runtime without it).
 */
import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { entropy, entropyScores } from "../../../lib/al/samplers/entropy.ts";
import { margin, marginScores } from "../../../lib/al/samplers/margin.ts";
import { entropyUpperBound, ROW_POLY_ERROR, rowEntropy, rowTop2, sampleSums } from "../../../lib/al/samplers/simd-row-stats.ts";
import { topK, topKUnlabelled } from "../../../lib/al/samplers/top-k.ts";
import { rowSumTolerance } from "../../../lib/al/samplers/validate.ts";
import { withoutWasm } from "./without-wasm.ts";

const context = { random: createRandom(1, "unused") };


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

describe("rowEntropy", () => {
  it("gives Σ p·log2 p within its bound: entropyUpperBound is above the exact entropy, and not far (2·δ·ln 2 + 1e-4 + C·1e-7)", () => {
    const r = createRandom(12, "xlog2x");
    for (const c of [...WIDTHS, 1000]) {
      const n = c === 33 ? Math.ceil(70_000 / c) : 80;
      const data = tiedRows(r, n, c);
      // Rows of one 1 (and zeros), of values near 1, of subnormals beside one large value.
      if (c > 1) {
        data.fill(0, 0, c);
        data[r.int(c)] = 1;
        data.fill(0, c, 2 * c);
        data[c] = Math.fround(1 + 5e-6);
        data.fill(1e-40, 2 * c, 3 * c);
        data[2 * c + 1] = Math.fround(1 - (c - 1) * 1e-40);
      }
      const exact = entropyScores({ data, n, c });
      const maxSum = 1 + rowSumTolerance(c);
      const wrong: string[] = [];
      for (let i = 0; i < n; ) {
        const chunk = rowEntropy!(data, i, n - i, c);
        for (let q = 0; q < chunk.rows; q++, i++) {
          let plain = 0;
          for (let j = i * c; j < (i + 1) * c; j++) if (data[j]! > 0) plain += data[j]! * Math.log2(data[j]!);
          const upper = entropyUpperBound(chunk.xlog2x[q]!, c, maxSum);
          // The kernel's sum is within the polynomial's error δ (per unit of mass) of the plain one; the bound adds δ again.
          if (!(upper >= exact[i]!) || !(upper - exact[i]! <= 2 * ROW_POLY_ERROR * Math.LN2 + 1e-4 + c * 1e-7) || !(Math.abs(chunk.xlog2x[q]! - plain) <= ROW_POLY_ERROR + 2e-5)) wrong.push(`row ${i}: xlog2x ${chunk.xlog2x[q]} vs ${plain}, bound ${upper} vs ${exact[i]}`);
        }
      }
      expect(wrong, `c = ${c}`).toEqual([]);
    }
  });
});

/** Rows whose entropies tie or nearly tie: permuted copies of a few rows, and copies nudged by one float32 step. */
function nearTies(r: Random, n: number, c: number): Float32Array {
  const base = tiedRows(r, 4, c);
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    const from = r.int(4) * c;
    row.set(base.subarray(from, from + c));
    for (let j = c - 1; j > 0; j--) {
      const o = r.int(j + 1);
      [row[j], row[o]] = [row[o]!, row[j]!];
    }
    if (r.int(3) === 0 && c > 1) {
      // Move one float32 step of mass between two entries.
      const a = r.int(c);
      const b = (a + 1) % c;
      const step = 2 ** -26;
      if (row[a]! > step) {
        row[a] = Math.fround(row[a]! - step);
        row[b] = Math.fround(row[b]! + step);
      }
    }
  }
  return data;
}

describe("entropy through the SIMD screen", () => {
  it("picks bit-identically to its JavaScript path and to ranking every exact score (near-ties, ties, labelled points)", async () => {
    const js = await withoutWasm(() => import("../../../lib/al/samplers/entropy.ts"));
    const r = createRandom(30, "entropy-simd");
    for (const c of WIDTHS) {
      for (let trial = 0; trial < 4; trial++) {
        const n = trial === 0 ? Math.ceil(80_000 / c) : 50 + r.int(300);
        const data = trial % 2 === 0 ? nearTies(r, n, c) : tiedRows(r, n, c);
        const probs: Matrix = { data, n, c };
        const labelled = Uint8Array.from({ length: n }, () => (r.int(5) === 0 ? 1 : 0));
        const k = 1 + r.int(Math.min(60, n - 80 > 0 ? 60 : 20));
        const want = Array.from(topKUnlabelled(entropyScores(probs), k, labelled));
        expect(Array.from(entropy.select({ probs, labelled }, k, {}, context)), `c = ${c}, trial ${trial}`).toEqual(want);
        expect(Array.from(js.entropy.select({ probs, labelled }, k, {}, context)), `JavaScript path, c = ${c}, trial ${trial}`).toEqual(want);
      }
    }
  });

  it("rejects NaN, ∞, negative and unnormalised rows with the JavaScript path's message, before a bad k", async () => {
    const js = await withoutWasm(() => import("../../../lib/al/samplers/entropy.ts"));
    for (const c of [2, 3, 10, 100, 101]) {
      const n = 30;
      for (const bad of [NaN, Infinity, -0.25, 3, 0.5]) {
        const data = tiedRows(createRandom(c, "bad"), n, c);
        if (bad === 0.5) for (let j = 11 * c; j < 12 * c; j++) data[j] = data[j]! / 2;
        else data[11 * c + (c >> 1)] = bad;
        const inputs = { probs: { data, n, c }, labelled: new Uint8Array(n) };
        let jsError = "";
        try {
          js.entropy.select(inputs, 1000, {}, context);
        } catch (error) {
          jsError = (error as Error).message;
        }
        expect(jsError, `c = ${c}, ${bad}`).toMatch(/^entropy: probs row 11 (holds|sums to)/);
        expect(() => entropy.select(inputs, 1000, {}, context)).toThrow(jsError);
      }
    }
  });
});

/** MC samples: per point a few distinct sample rows, repeated and shuffled (exact and near ties between points). */
function mcRows(r: Random, n: number, t: number, c: number): Float32Array {
  const data = new Float32Array(n * t * c);
  const pool = tiedRows(r, 6, c);
  for (let i = 0; i < n; i++) {
    const copyOf = i > 0 && r.int(2) === 0 ? r.int(i) : -1;
    for (let u = 0; u < t; u++) {
      const at = (i * t + u) * c;
      if (copyOf >= 0) {
        // The same samples in another order: the same BALD score up to rounding.
        const from = (copyOf * t + ((u + 1) % t)) * c;
        data.copyWithin(at, from, from + c);
        if (u === 0 && c > 1 && r.int(4) !== 0) {
          // And one float32 step of mass moved between two entries: a score a hair off the copy's.
          const a = r.int(c);
          const b = (a + 1) % c;
          if (data[at + a]! > 2 ** -24) {
            data[at + a] = Math.fround(data[at + a]! - 2 ** -26);
            data[at + b] = Math.fround(data[at + b]! + 2 ** -26);
          }
        }
      } else {
        const from = r.int(r.int(3) === 0 ? 2 : 6) * c;
        data.set(pool.subarray(from, from + c), at);
      }
    }
  }
  return data;
}

describe("sampleSums", () => {
  it("gives each point's per-class float32 sums over its samples, added in sample order (T, C of every remainder mod 4, across chunks)", () => {
    const r = createRandom(41, "sample-sums");
    for (const [t, c] of [[1, 1], [1, 3], [3, 5], [4, 10], [7, 3], [100, 10], [2, 100], [5, 13], [60, 999]] as const) {
      const n = Math.max(3, Math.ceil(100_000 / (t * c)));
      const data = mcRows(r, n, t, c);
      const wrong: string[] = [];
      for (let i = 0; i < n; ) {
        const chunk = rowEntropy!(data, i, n - i, t * c);
        expect(chunk.rows).toBeGreaterThan(0);
        const sums = sampleSums!(chunk.rows, t, c);
        for (let q = 0; q < chunk.rows; q++, i++) {
          for (let l = 0; l < c; l++) {
            let want = 0;
            for (let u = 0; u < t; u++) want = Math.fround(want + data[(i * t + u) * c + l]!);
            if (sums[q * c + l] !== want) wrong.push(`point ${i} class ${l}: ${sums[q * c + l]} for ${want}`);
          }
        }
      }
      expect(wrong.slice(0, 5), `T = ${t}, C = ${c}`).toEqual([]);
    }
  });
});

describe("BALD through the SIMD screen", () => {
  it("H[mean p] from the float32 sample sums is within meanEntropySlack of the float64 one (and the slack below 1e-6·(T + 10))", async () => {
    const { meanEntropySlack } = await import("../../../lib/al/samplers/bald.ts");
    const r = createRandom(42, "mean-entropy");
    for (const [t, c] of [[1, 2], [5, 10], [100, 10], [3, 100], [300, 7]] as const) {
      const n = 60;
      const data = mcRows(r, n, t, c);
      const maxMean = 1 + rowSumTolerance(c);
      const wrong: string[] = [];
      for (let i = 0; i < n; ) {
        const chunk = rowEntropy!(data, i, n - i, t * c);
        const sums = sampleSums!(chunk.rows, t, c);
        for (let q = 0; q < chunk.rows; q++, i++) {
          let screened = 0;
          let exact = 0;
          for (let l = 0; l < c; l++) {
            const a = sums[q * c + l]! / t;
            if (a > 0) screened -= a * Math.log(a);
            let m = 0;
            for (let u = 0; u < t; u++) m += data[(i * t + u) * c + l]!;
            if (m > 0) exact -= (m / t) * Math.log(m / t);
          }
          const slack = meanEntropySlack(screened, t, c, maxMean);
          if (!(Math.abs(screened - exact) <= slack) || !(slack < 1e-6 * (t + 10))) wrong.push(`point ${i}: ${screened} vs ${exact}, slack ${slack}`);
        }
      }
      expect(wrong, `T = ${t}, C = ${c}`).toEqual([]);
    }
  });

  it("picks bit-identically to ranking every score and to its JavaScript path (ties, labelled points, blocks wider than a chunk)", async () => {
    const js = await withoutWasm(() => import("../../../lib/al/samplers/bald.ts"));
    const { bald, baldScores } = await import("../../../lib/al/samplers/bald.ts");
    const r = createRandom(40, "bald-simd");
    for (const [t, c] of [[1, 2], [2, 3], [5, 10], [20, 10], [7, 17], [3, 100], [70, 1000]] as const) {
      for (let trial = 0; trial < 12; trial++) {
        const n = t * c > 65_536 ? 6 : 40 + r.int(200);
        const mcSamples = { data: mcRows(r, n, t, c), n, t, c };
        const labelled = Uint8Array.from({ length: n }, () => (r.int(5) === 0 ? 1 : 0));
        const open = labelled.filter((v) => v === 0).length;
        if (open === 0) continue;
        const k = 1 + r.int(Math.min(open, 30));
        const want = Array.from(topKUnlabelled(baldScores(mcSamples), k, labelled));
        expect(Array.from(bald.select({ mcSamples, labelled }, k, {}, context)), `T = ${t}, C = ${c}, trial ${trial}`).toEqual(want);
        expect(Array.from(js.bald.select({ mcSamples, labelled }, k, {}, context)), `JavaScript path, T = ${t}, C = ${c}`).toEqual(want);
      }
    }
  });

  it("checks the samples before k, as the scores do", async () => {
    const { bald } = await import("../../../lib/al/samplers/bald.ts");
    const data = Float32Array.of(0.5, 0.5, 0.7, 0.7, 0.5, 0.5, 0.5, 0.5);
    const inputs = { mcSamples: { data, n: 2, t: 2, c: 2 }, labelled: new Uint8Array(2) };
    expect(() => bald.select(inputs, 5, {}, context)).toThrow("bald: mcSamples row 0 (sample 1) sums to 1.4, not 1");
    data[2] = data[3] = 0.5;
    expect(() => bald.select(inputs, 5, {}, context)).toThrow("bald: k = 5 exceeds the 2 unlabelled pool points");
  });
});
