import { describe, expect, it } from "vitest";
import { farthestFirst } from "../../../lib/al/cluster/farthest-first.ts";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom } from "../../../lib/al/random.ts";
import { matrixOf, randomEmbeddings } from "../samplers/diversity-fixtures.ts";

/** The textbook loop: after every pick, update every point's distance to its nearest centre. */
function naiveFarthestFirst(points: Matrix, k: number, initial: Matrix | undefined, first: number): number[] {
  const { n, c: d, data } = points;
  const dist = new Array<number>(n).fill(Infinity);
  const sq = (a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (a[ao + j]! - b[bo + j]!) ** 2;
    return s;
  };
  const add = (c: ArrayLike<number>, co: number): void => {
    for (let i = 0; i < n; i++) dist[i] = Math.min(dist[i]!, sq(data, i * d, c, co));
  };
  const picked = new Set<number>();
  const out: number[] = [];
  if (initial && initial.n > 0) for (let j = 0; j < initial.n; j++) add(initial.data, j * d);
  else {
    out.push(first);
    picked.add(first);
    add(data, first * d);
  }
  while (out.length < k) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!picked.has(i) && (best < 0 || dist[i]! > dist[best]!)) best = i;
    out.push(best);
    picked.add(best);
    add(data, best * d);
  }
  return out;
}

describe("farthestFirst", () => {
  const line = matrixOf([[0], [1], [5], [9], [10]]);

  it("picks the farthest point first, then the farthest from everything picked (ties → lowest index)", () => {
    // From the centre 0: distances 0, 1, 5, 9, 10 → 10 (index 4). Then min(|x|, |x − 10|): 1, 5, 1 → 5 (index 2).
    // Then min(…, |x − 5|): 1 → 1 and 9 → 1 tie → index 1.
    expect(Array.from(farthestFirst(line, 3, { initial: matrixOf([[0]]) }))).toEqual([4, 2, 1]);
    // With no centre, start where told: 0 (index 0) → 10 (index 4) → 5 (index 2).
    expect(Array.from(farthestFirst(line, 3, { first: 0 }))).toEqual([0, 4, 2]);
    // Excluding 10 (index 4): 9 (index 3) first, then min(|x|, |x − 9|) = 1, 4 → 5 (index 2), then 1 (index 1).
    expect(Array.from(farthestFirst(line, 3, { initial: matrixOf([[0]]), exclude: Uint8Array.of(0, 0, 0, 0, 1) }))).toEqual([3, 2, 1]);
  });

  it("keeps going on duplicates and all-covered pools (distance 0 points come last, lowest index first)", () => {
    const dup = matrixOf([[1, 1], [1, 1], [1, 1], [2, 2]]);
    expect(Array.from(farthestFirst(dup, 4, { initial: matrixOf([[1, 1]]) }))).toEqual([3, 0, 1, 2]);
    expect(Array.from(farthestFirst(dup, 4, { first: 1 }))).toEqual([1, 3, 0, 2]);
  });

  it("matches the textbook loop on random pools that span many blocks", () => {
    const r = createRandom(5, "ff-vs-naive");
    for (let t = 0; t < 12; t++) {
      const n = 1 + r.int(700);
      const d = 1 + r.int(12);
      const points = randomEmbeddings(100 + t, n, d);
      const k = 1 + r.int(Math.min(n, 60));
      const withInitial = t % 3 !== 0;
      const initial = withInitial ? randomEmbeddings(200 + t, 1 + r.int(20), d) : undefined;
      const first = r.int(n);
      const fast = farthestFirst(points, k, initial ? { initial } : { first });
      expect(Array.from(fast), `case ${t} n=${n} d=${d} k=${k}`).toEqual(naiveFarthestFirst(points, k, initial, first));
    }
  });

  it("matches the textbook loop on clustered pools, where the centre-gap test skips most rows", () => {
    // Tight clusters far apart: a new centre in one cluster cannot come closer to rows of another
    // (gap ≥ 2·√D), so lowerDistances skips them; duplicates and a cluster of exact copies give D = 0.
    const r = createRandom(6, "ff-clusters");
    for (let t = 0; t < 12; t++) {
      const d = 1 + r.int(16);
      const clusters = 2 + r.int(12);
      const n = 50 + r.int(900);
      const centres = Array.from({ length: clusters * d }, () => 20 * r.normal());
      const spread = t % 4 === 0 ? 0 : 0.2 + 2 * r.next();
      const data = new Float32Array(n * d);
      for (let i = 0; i < n; i++) {
        const c = r.int(clusters);
        for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j]! + spread * r.normal();
      }
      const points = { data, n, c: d };
      const k = 1 + r.int(Math.min(n, 80));
      const initial = t % 3 === 0 ? undefined : { data: data.slice(0, d * (1 + r.int(5))), n: 0, c: d };
      if (initial) initial.n = initial.data.length / d;
      const first = r.int(n);
      const expected = naiveFarthestFirst(points, k, initial, first);
      // With SIMD the gaps come from a kernel over the centres; without, from the scalar loop.
      for (const simd of [true, false]) {
        const fast = farthestFirst(points, k, { ...(initial ? { initial } : { first }), simd });
        expect(Array.from(fast), `case ${t} n=${n} d=${d} k=${k} simd=${simd}`).toEqual(expected);
      }
    }
  });

  it("rejects k beyond the points and a missing start", () => {
    expect(() => farthestFirst(line, 6, { first: 0 })).toThrow(/k = 6 must be a whole number between 0 and the 5 points/);
    expect(() => farthestFirst(line, 2)).toThrow(/with no initial centres pass first/);
  });
});
