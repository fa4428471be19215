/**
 * BALD's single read of its samples (bald.ts selectByBald, simd-row-stats.ts sampleBlockStats):
 * the kernel's per-row checks against rowStats', its block screen against the exact sums and
 * within blockXlog2xSlack, its degree-3 polynomial over every mantissa, and the sampler's picks
 * and errors against plain computations, today's checks (requireSamples) and its JavaScript
 * path (WebAssembly hidden, as on a runtime without it).
 */
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { bald, baldScores } from "../../../lib/al/samplers/bald.ts";
import { requireSamples } from "../../../lib/al/samplers/mc-samples.ts";
import type { Samples } from "../../../lib/al/samplers/sampler.ts";
import {
  ROW_LOG2_POLY, ROW_POLY_ERROR, blockXlog2xSlack, laneSum32Slack, rowStats, SAMPLE_CHUNK_FLOATS, sampleBlockStats,
} from "../../../lib/al/samplers/simd-row-stats.ts";
import { topKUnlabelled } from "../../../lib/al/samplers/top-k.ts";
import { ABOVE_ONE, rowSumTolerance } from "../../../lib/al/samplers/validate.ts";
import { withoutWasm } from "./without-wasm.ts";

const context = { random: createRandom(1, "unused") };


type Kind = "dirichlet" | "peaked" | "flat" | "one-hot" | "mixed";

/** One softmax-like row of `kind` into `row` (float32, normalised in float64 then rounded). */
function fillRow(r: Random, row: Float32Array, kind: Kind): void {
  const c = row.length;
  const pick = kind === "mixed" ? (["dirichlet", "peaked", "flat", "one-hot"] as const)[r.int(4)]! : kind;
  if (pick === "one-hot") {
    row.fill(0);
    row[r.int(c)] = 1;
    return;
  }
  if (pick === "flat") {
    row.fill(1 / c);
    return;
  }
  let sum = 0;
  const top = r.int(c);
  for (let j = 0; j < c; j++) {
    const v = pick === "peaked" ? (j === top ? 1 : r.int(3) === 0 ? 0 : 1e-4 * r.next()) : -Math.log(1 - r.next());
    row[j] = v;
    sum += v;
  }
  for (let j = 0; j < c; j++) row[j] = row[j]! / sum;
}

/**
 * N×T×C samples of `kind`; about a third of the points copy an earlier one with its samples
 * rotated (an exact tie up to rounding) and some of those move 2⁻²⁶ of mass (a near-tie).
 */
function samplesOf(r: Random, n: number, t: number, c: number, kind: Kind): Samples {
  const data = new Float32Array(n * t * c);
  for (let i = 0; i < n; i++) {
    const copyOf = i > 0 && r.int(3) === 0 ? r.int(i) : -1;
    for (let u = 0; u < t; u++) {
      const at = (i * t + u) * c;
      const row = data.subarray(at, at + c);
      if (copyOf < 0) {
        fillRow(r, row, kind);
        continue;
      }
      const from = (copyOf * t + ((u + 1) % t)) * c;
      data.copyWithin(at, from, from + c);
      if (u === 0 && c > 1 && r.int(2) === 0) {
        const a = r.int(c);
        const b = (a + 1) % c;
        if (row[a]! > 2 ** -20) {
          row[a] = Math.fround(row[a]! - 2 ** -26);
          row[b] = Math.fround(row[b]! + 2 ** -26);
        }
      }
    }
  }
  return { data, n, t, c };
}

/** The plain definition in float64 with Math.log: H[mean p] − mean H[p_t], clamped at 0. */
function plainBald(s: Samples): Float64Array {
  const { data, n, t, c } = s;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    let expected = 0;
    for (let l = 0; l < c; l++) {
      let m = 0;
      for (let u = 0; u < t; u++) {
        const p = data[(i * t + u) * c + l]!;
        m += p;
        if (p > 0) expected -= p * Math.log(p);
      }
      if (m > 0) mean -= (m / t) * Math.log(m / t);
    }
    out[i] = Math.max(0, mean - expected / t);
  }
  return out;
}

/** The degree-3 polynomial in float32, in the kernel's order (Horner, each step rounded). */
function baldPoly32(x: number): number {
  const [a1, a2, a3] = ROW_LOG2_POLY.map((a) => Math.fround(a)) as unknown as [number, number, number];
  const f = Math.fround;
  let q = f(f(a3 * x) + a2);
  q = f(f(q * x) + a1);
  return f(q * x);
}

const SHAPES = [[1, 2], [2, 3], [3, 2], [5, 3], [7, 5], [4, 8], [9, 13], [100, 10], [6, 100], [100, 100], [3, 257], [650, 100]] as const;

describe("sampleBlockStats", () => {
  it("its degree-3 polynomial is within ROW_POLY_ERROR of log2(1 + x) for every float32 mantissa", () => {
    let worst = 0;
    for (let k = 0; k < 2 ** 23; k++) {
      const x = k / 2 ** 23;
      worst = Math.max(worst, Math.abs(baldPoly32(x) - Math.log2(1 + x)));
    }
    expect(worst).toBeLessThanOrEqual(ROW_POLY_ERROR);
    expect(worst).toBeGreaterThan(ROW_POLY_ERROR * 0.9);
  });

  it("gives each sample row rowStats' max, sum and sign bits, each point's class sums in sample order, and Σ p·log2 p within blockXlog2xSlack (T, C of every remainder mod 8, across chunks)", () => {
    const r = createRandom(51, "block-stats");
    for (const [t, c] of SHAPES) {
      const n = Math.max(4, Math.ceil((2.5 * SAMPLE_CHUNK_FLOATS) / (t * c)));
      const s = samplesOf(r, n, t, c, "mixed");
      const { data } = s;
      // A −0, a negative, a NaN and a value past 1 in some rows: their checks must match too.
      data[c - 1] = -0;
      if (n * t > 3) {
        data[2 * c] = -0.25;
        data[3 * c + (c >> 1)] = Number.NaN;
      }
      const wrong: string[] = [];
      const maxSum = t * (1 + rowSumTolerance(c));
      const bounds = { aboveOne: ABOVE_ONE, sumBound: rowSumTolerance(c) - laneSum32Slack(c) };
      let flaggedPoints = 0;
      for (let i = 0; i < n; ) {
        const chunk = sampleBlockStats!(data, i, n - i, t, c, bounds);
        expect(chunk.points).toBeGreaterThan(0);
        const points = chunk.points;
        const max = chunk.max.slice(0, points * t);
        const sum = chunk.sum.slice(0, points * t);
        const sign = chunk.sign.slice(0, points * t);
        const xlog2x = chunk.xlog2x.slice(0, points);
        const sums = chunk.sums.slice(0, points * c);
        const flag = chunk.flag.slice(0, points);
        const rows = rowStats!(data, i * t, points * t, c);
        expect(rows.rows).toBe(points * t);
        for (let q = 0; q < points * t; q++) {
          const same = Object.is(rows.max[q], max[q]) && Object.is(rows.sum[q], sum[q]) && rows.sign[q] === sign[q];
          if (!same) wrong.push(`row ${i * t + q}: ${max[q]} ${sum[q]} ${sign[q]} for ${rows.max[q]} ${rows.sum[q]} ${rows.sign[q]}`);
        }
        for (let q = 0; q < points; q++, i++) {
          let want = false;
          for (let u = q * t; u < (q + 1) * t; u++) {
            want ||= rows.sign[u]! < 0 || !(rows.max[u]! <= bounds.aboveOne) || !(Math.abs(rows.sum[u]! - 1) <= bounds.sumBound);
          }
          if ((flag[q] !== 0) !== want) wrong.push(`point ${i}: flag ${flag[q]}, rows say ${want}`);
          if (want) flaggedPoints++;
          let exact = 0;
          let clean = true;
          for (let l = 0; l < c; l++) {
            let want = 0;
            for (let u = 0; u < t; u++) {
              const p = data[(i * t + u) * c + l]!;
              want = Math.fround(want + p);
              if (!(p >= 0)) clean = false;
              else if (p > 0) exact += p * Math.log2(p);
            }
            if (!Object.is(sums[q * c + l], want)) wrong.push(`point ${i} class ${l}: ${sums[q * c + l]} for ${want}`);
          }
          if (!clean) continue;
          const slack = blockXlog2xSlack(xlog2x[q]!, t, c, maxSum) / Math.LN2;
          if (!(Math.abs(xlog2x[q]! - exact) <= slack)) wrong.push(`point ${i}: Σ p·log2 p ${xlog2x[q]} for ${exact}, slack ${slack}`);
          // Not vacuous: the slack stays near the polynomial's share (T·δ) plus the rounding's.
          if (!(slack < maxSum * ROW_POLY_ERROR * 1.5 + 1e-4 * (t + 10))) wrong.push(`point ${i}: slack ${slack}`);
        }
      }
      expect(wrong.slice(0, 5), `T = ${t}, C = ${c}`).toEqual([]);
      expect(flaggedPoints, `T = ${t}, C = ${c}`).toBeGreaterThan(0);
    }
  });
});

describe("bald select, one read of the samples", () => {
  it("picks as ranking every exact score, ties to the lower index; the scores are the plain float64 definition's (near-ties, peaked, flat, one-hot rows, labelled points)", async () => {
    const js = await withoutWasm(() => import("../../../lib/al/samplers/bald.ts"));
    const r = createRandom(52, "bald-picks");
    for (const [t, c] of SHAPES) {
      for (const kind of ["dirichlet", "peaked", "flat", "one-hot", "mixed"] as const) {
        for (let trial = 0; trial < 3; trial++) {
          const n = t * c >= 10_000 ? 30 + r.int(40) : 50 + r.int(250);
          const s = samplesOf(r, n, t, c, kind);
          const labelled = Uint8Array.from({ length: n }, () => (r.int(4) === 0 ? 1 : 0));
          const open = labelled.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
          if (open === 0) continue;
          const k = trial === 2 ? open : 1 + r.int(Math.min(open, 40));
          const scores = baldScores(s);
          const plain = plainBald(s);
          for (let i = 0; i < n; i++) expect(Math.abs(scores[i]! - plain[i]!), `T = ${t}, C = ${c}, ${kind}, point ${i}`).toBeLessThan(1e-9);
          const want = Array.from(topKUnlabelled(scores, k, labelled));
          const where = `T = ${t}, C = ${c}, ${kind}, trial ${trial}, k = ${k}`;
          expect(Array.from(bald.select({ mcSamples: s, labelled }, k, {}, context)), where).toEqual(want);
          expect(Array.from(js.bald.select({ mcSamples: s, labelled }, k, {}, context)), `JavaScript path, ${where}`).toEqual(want);
          expect(Array.from(bald.score!({ mcSamples: s, labelled }, {})), where).toEqual(Array.from(scores));
        }
      }
    }
  });

  it("throws requireSamples' error for the first bad sample row, labelled points included, before k is checked; a −0 or a value just past 1 within the row tolerance passes as it did", async () => {
    const js = await withoutWasm(() => import("../../../lib/al/samplers/bald.ts"));
    const r = createRandom(53, "bald-errors");
    const messageOf = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    };
    const bads = ["nan", "negative", "-0", "infinity", "above-one", "gap", "sum-low", "sum-high", "zero-row"] as const;
    for (const [t, c] of [[3, 2], [5, 3], [4, 8], [7, 13], [100, 10], [6, 100]] as const) {
      for (const bad of bads) {
        const n = 40;
        const s = samplesOf(r, n, t, c, "mixed");
        const { data } = s;
        const labelled = Uint8Array.from({ length: n }, () => (r.int(3) === 0 ? 1 : 0));
        // Two bad rows, the later one worse, so which is reported first is checked too.
        for (const at of [17 * t + (t - 1), 23 * t + 1]) {
          const row = data.subarray(at * c, (at + 1) * c);
          const j = r.int(c);
          const top = row.indexOf(Math.max(...row));
          if (bad === "nan") row[j] = Number.NaN;
          else if (bad === "negative") row[j] = -1e-3;
          else if (bad === "-0") {
            row.fill(-0);
            row[j] = 1;
          }
          else if (bad === "infinity") row[j] = Infinity;
          else if (bad === "above-one") row[j] = 1.5;
          else if (bad === "gap") {
            // In (1 + 1e-5, ABOVE_ONE]: passes the kernels' max test, which only a sum test may then flag.
            row.fill(0);
            row[j] = ABOVE_ONE;
          } else if (bad === "sum-low") row[top] = row[top]! * 0.5; // ≥ 1/(2C) off
          else if (bad === "sum-high") row[top] = row[top]! + 0.01;
          else row.fill(0);
        }
        const inputs = { mcSamples: s, labelled };
        const want = messageOf(() => requireSamples("bald", inputs));
        for (const k of [3, 1000]) {
          const where = `T = ${t}, C = ${c}, ${bad}, k = ${k}`;
          const got = messageOf(() => bald.select(inputs, k, {}, context));
          const gotJs = messageOf(() => js.bald.select(inputs, k, {}, context));
          if (want !== "") {
            expect(got, where).toBe(want);
            expect(gotJs, where).toBe(want);
            expect(want).toMatch(/^bald: mcSamples row 17 \(sample \d+\) (holds|sums to)/);
          } else if (k === 1000) {
            expect(got, where).toMatch(/^bald: k = 1000 exceeds the \d+ unlabelled pool points/);
            expect(gotJs, where).toBe(got);
          } else {
            const picks = Array.from(topKUnlabelled(baldScores(s), k, labelled));
            expect(Array.from(bald.select(inputs, k, {}, context)), where).toEqual(picks);
            expect(Array.from(js.bald.select(inputs, k, {}, context)), where).toEqual(picks);
          }
        }
      }
    }
  });
});
