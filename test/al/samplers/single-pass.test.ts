import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { getSampler } from "../../../lib/al/samplers/index.ts";
import { leastConfidenceScores } from "../../../lib/al/samplers/least-confidence.ts";
import { marginScores } from "../../../lib/al/samplers/margin.ts";
import { RowScan } from "../../../lib/al/samplers/row-scan.ts";
import { laneSum32Slack, rowStats } from "../../../lib/al/samplers/simd-row-stats.ts";
import { topK } from "../../../lib/al/samplers/top-k.ts";
import { TopKHeap } from "../../../lib/al/samplers/top-k-heap.ts";
import { float32Bits } from "../../../lib/al/samplers/fast-log.ts";
import { requireProbs } from "../../../lib/al/samplers/validate.ts";

type Random = ReturnType<typeof createRandom>;

/** Rows of `c` values summing to 1 (Dirichlet(1)), some with ties and exact zeros. */
function probabilityRows(r: Random, n: number, c: number): Float32Array {
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = i * c; j < (i + 1) * c; j++) {
      const kind = r.int(10);
      sum += data[j] = kind === 0 ? 0 : kind === 1 && j > i * c ? data[j - 1]! : -Math.log(1 - r.next());
    }
    if (sum === 0) data[i * c] = sum = 1;
    for (let j = i * c; j < (i + 1) * c; j++) data[j] = data[j]! / sum;
  }
  return data;
}

/** The definition plainly: index-order max, sum and sign bits of one row. */
function plainStats(row: Float32Array): { max: number; sum: number; sign: number } {
  let max = -Infinity;
  let sum = 0;
  let sign = 0;
  const bits = float32Bits(row);
  for (const [j, v] of row.entries()) {
    max = v > max ? v : max;
    sum += v;
    sign |= bits[j]!;
  }
  return { max, sum, sign };
}

describe("TopKHeap", () => {
  it("keeps what a full sort keeps, in its order (score descending, then index ascending), NaN last", () => {
    const r = createRandom(5, "heap");
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + r.int(60);
      const k = r.int(n + 3);
      // Few distinct values, so ties are common.
      const scores = Array.from({ length: n }, () => (r.int(12) === 0 ? NaN : r.int(8) / 4));
      const heap = new TopKHeap(k, n);
      scores.forEach((s, i) => heap.offer(s, i));
      const key = (s: number) => (Number.isNaN(s) ? -Infinity : s);
      const sorted = scores.map((s, i) => i).sort((a, b) => key(scores[b]!) - key(scores[a]!) || a - b);
      expect(Array.from(heap.take()), `trial ${trial}`).toEqual(sorted.slice(0, Math.min(k, n)));
    }
  });

  it("admits only a score that would change what it keeps", () => {
    const heap = new TopKHeap(2, 10);
    expect(heap.admits(-Infinity)).toBe(true);
    heap.offer(0.5, 0);
    heap.offer(0.25, 1);
    expect(heap.floor).toBe(0.25);
    // An equal score comes later, so it loses the tie.
    expect(heap.admits(0.25)).toBe(false);
    expect(heap.admits(0.3)).toBe(true);
    heap.offer(0.3, 2);
    expect(Array.from(heap.take())).toEqual([0, 2]);
  });
});

describe("the row scans", () => {
  it("RowScan and the SIMD kernel agree with the plain definition (widths 1–40, −0, chunk edges)", () => {
    const r = createRandom(9, "row-stats");
    for (let trial = 0; trial < 120; trial++) {
      const c = 1 + r.int(40);
      // Sometimes more rows than one 65,536-value chunk holds, so chunks split the pool.
      const n = trial % 30 === 0 ? Math.ceil(70_000 / c) : 1 + r.int(50);
      const data = probabilityRows(r, n, c);
      if (trial % 3 === 0) data[r.int(data.length)] = -0;
      const bits = float32Bits(data);
      const scan = new RowScan();
      const wrong: string[] = [];
      let seen = 0;
      for (let i = 0; i < n; ) {
        const chunk = rowStats!(data, i, n - i, c);
        expect(chunk.rows).toBeGreaterThan(0);
        for (let q = 0; q < chunk.rows; q++, i++, seen++) {
          const want = plainStats(data.subarray(i * c, (i + 1) * c));
          scan.read(data, bits, i * c, c);
          // −0 and 0 are the same maximum (+ 0 makes both 0).
          if (scan.max + 0 !== want.max + 0 || scan.sign !== want.sign || !(Math.abs(scan.sum - want.sum) <= (c + 4) * 2 ** -50)) wrong.push(`RowScan row ${i}`);
          if (chunk.max[q]! + 0 !== want.max + 0 || chunk.sign[q] !== want.sign || !(Math.abs(chunk.sum[q]! - want.sum) <= laneSum32Slack(c))) wrong.push(`kernel row ${i}`);
        }
      }
      expect(wrong, `trial ${trial}, c = ${c}`).toEqual([]);
      expect(seen).toBe(n);
    }
  });

  it("a NaN or ∞ makes the kernel's sum non-finite, so the row is flagged", () => {
    const data = Float32Array.from([0.25, 0.25, NaN, 0.25, 0.25, 0, 0.25, 0.25, 0.25, Infinity, 0.1, 0.1]);
    const chunk = rowStats!(data, 0, 2, 6);
    expect(Number.isNaN(chunk.sum[0])).toBe(true);
    expect(chunk.sum[1]).toBe(Infinity);
  });
});

describe("least-confidence's and margin's single pass", () => {
  it.each([
    ["least-confidence", leastConfidenceScores],
    ["margin", marginScores],
  ] as const)("%s picks what ranking every score picks, with labelled points, ties and pools across chunks", (name, scoresOf) => {
    const r = createRandom(3, "single-pass", name);
    const lc = getSampler(name, "test");
    for (let trial = 0; trial < 40; trial++) {
      const c = 1 + r.int(30);
      const n = trial % 8 === 0 ? Math.ceil(90_000 / c) : 5 + r.int(200);
      const data = probabilityRows(r, n, c);
      const labelled = new Uint8Array(n).map(() => (r.int(4) === 0 ? 1 : 0));
      const unlabelled = labelled.filter((v) => v === 0).length;
      if (unlabelled === 0) continue;
      const k = 1 + r.int(Math.min(unlabelled, 40));
      const probs = { data, n, c };
      const scores = scoresOf(probs);
      expect(lc.score!({ probs, labelled }, {})).toEqual(scores);
      const eligible = labelled.map((v) => (v === 0 ? 1 : 0));
      expect(Array.from(lc.select({ probs, labelled }, k, {}, { random: r })), `trial ${trial}`).toEqual(Array.from(topK(scores, k, eligible)));
    }
  });

  it("rejects a bad row with requireProbs's message, and a bad k after the rows", () => {
    const lc = getSampler("least-confidence", "test");
    const data = Float32Array.from([0.5, 0.5, 0.7, 0.7, 0.5, 0.5]);
    const inputs = { probs: { data, n: 3, c: 2 }, labelled: new Uint8Array(3) };
    expect(() => requireProbs("least-confidence", inputs, "distribution")).toThrow(/row 1 sums to 1\.4/);
    expect(() => lc.select(inputs, 1, {}, { random: createRandom(1) })).toThrow("least-confidence: probs row 1 sums to 1.4, not 1 (±0.001); pass softmax probabilities, one distribution per row");
    data[2] = data[3] = 0.5;
    expect(() => lc.select(inputs, 4, {}, { random: createRandom(1) })).toThrow("least-confidence: k = 4 exceeds the 3 unlabelled pool points; lower the acquisition size");
  });

  it("a row within the float32 sum's error of the tolerance is decided by the index-order sum", () => {
    const lc = getSampler("least-confidence", "test");
    // 1 + 0.001 − one float32 step: passes in float64 order; the kernel's sum may round either way.
    const c = 100;
    const data = new Float32Array(c).fill(0.01);
    data[0] = Math.fround(0.01 + 0.001 - 2e-6);
    const inputs = { probs: { data, n: 1, c }, labelled: new Uint8Array(1) };
    let plain = 0;
    for (const v of data) plain += v;
    expect(Math.abs(plain - 1)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(plain - 1)).toBeGreaterThan(0.001 - laneSum32Slack(c));
    expect(Array.from(lc.select(inputs, 1, {}, { random: createRandom(1) }))).toEqual([0]);
  });
});
