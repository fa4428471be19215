import { describe, expect, it } from "vitest";
import { matrix } from "../../lib/al/matrix.ts";
import { createRandom } from "../../lib/al/random.ts";
import { covariance, pca2, pcaBasis, project, projectBasis, roundCoordinates, sampleIndices, standardise } from "../../lib/map/projection.ts";

const m = (rows: number[][]) => matrix(Float32Array.from(rows.flat()), rows.length, rows[0]!.length);

describe("pca2", () => {
  it("finds the line points lie on: first component along it, no second direction", () => {
    // x = (1, 1) + t · (0.6, 0.8), t = −2 … 2: variance Σt² / (n − 1) = 10 / 4 = 2.5.
    const ts = [-2, -1, 0, 1, 2];
    const x = m(ts.map((t) => [1 + 0.6 * t, 1 + 0.8 * t]));
    const p = pca2(x);
    expect([...p.mean].map((v) => +v.toFixed(6))).toEqual([1, 1]);
    expect(p.components[0][0]).toBeCloseTo(0.6, 6);
    expect(p.components[0][1]).toBeCloseTo(0.8, 6);
    expect(p.variance[0]).toBeCloseTo(2.5, 5);
    expect(p.variance[1]).toBe(0);
    expect([...p.components[1]]).toEqual([0, 0]);
    expect(p.totalVariance).toBeCloseTo(2.5, 5);
    const xy = project(x, p);
    [...xy.x].forEach((v, i) => expect(v).toBeCloseTo(ts[i]!, 5));
    expect([...xy.y]).toEqual([0, 0, 0, 0, 0]);
  });

  it("orders components by variance (axis-aligned data)", () => {
    // Variances: x 18/5 = 3.6, y 2/5 = 0.4, z 8/5 = 1.6 → components e_x, then e_z.
    const x = m([[3, 0, 0], [-3, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 2], [0, 0, -2]]);
    const p = pca2(x);
    expect(p.variance[0]).toBeCloseTo(3.6, 9);
    expect(p.variance[1]).toBeCloseTo(1.6, 9);
    expect(p.totalVariance).toBeCloseTo(5.6, 9);
    expect([...p.components[0]].map((v) => Math.abs(+v.toFixed(9)))).toEqual([1, 0, 0]);
    expect([...p.components[1]].map((v) => Math.abs(+v.toFixed(9)))).toEqual([0, 0, 1]);
    const xy = project(x, p, [4, 5]);
    expect([...xy.x].map((v) => Math.abs(+v.toFixed(9)))).toEqual([0, 0]);
    expect([...xy.y].map((v) => +v.toFixed(9))).toEqual([2, -2]);
  });

  it("matches the closed-form eigenvectors of a correlated 2-D cloud", () => {
    // Covariance [[10/3, 2], [2, 4/3]]: λ = (7 ± 3√5) / 3, top eigenvector ∝ (1, (√5 − 1) / 2).
    const x = m([[2, 1], [-2, -1], [1, 1], [-1, -1]]);
    const p = pca2(x);
    const s5 = Math.sqrt(5);
    expect(p.variance[0]).toBeCloseTo((7 + 3 * s5) / 3, 9);
    expect(p.variance[1]).toBeCloseTo((7 - 3 * s5) / 3, 9);
    const g = (s5 - 1) / 2;
    const norm = Math.hypot(1, g);
    expect(p.components[0][0]).toBeCloseTo(1 / norm, 9);
    expect(p.components[0][1]).toBeCloseTo(g / norm, 9);
    // Second: orthogonal, ±(−g, 1) / norm; its larger entry (the second) positive by the sign rule.
    expect(p.components[1][0]).toBeCloseTo(-g / norm, 9);
    expect(p.components[1][1]).toBeCloseTo(1 / norm, 9);
  });

  it("fixes signs: negated data gives the same components and negated coordinates", () => {
    const random = createRandom(7, "test");
    const rows = Array.from({ length: 40 }, () => Array.from({ length: 6 }, (_, j) => random.normal() * (6 - j)));
    const a = pca2(m(rows));
    const b = pca2(m(rows.map((r) => r.map((v) => -v))));
    for (const k of [0, 1] as const) {
      [...a.components[k]].forEach((v, j) => expect(b.components[k][j]).toBeCloseTo(v, 6));
      // The entry of largest magnitude is positive.
      const c = [...a.components[k]];
      const big = c.reduce((at, v, j) => (Math.abs(v) > Math.abs(c[at]!) ? j : at), 0);
      expect(c[big]).toBeGreaterThan(0);
    }
    const pa = project(m(rows), a);
    const pb = project(m(rows.map((r) => r.map((v) => -v))), b);
    [...pa.x].forEach((v, i) => expect(pb.x[i]).toBeCloseTo(-v, 5));
  });

  it("is deterministic and fits only the rows it is given", () => {
    const random = createRandom(3, "test");
    const rows = Array.from({ length: 200 }, () => Array.from({ length: 30 }, () => random.normal()));
    const x = m(rows);
    const a = pca2(x, { rows: sampleIndices(200, 120) });
    const b = pca2(x, { rows: sampleIndices(200, 120) });
    expect([...a.components[0]]).toEqual([...b.components[0]]);
    expect([...a.components[1]]).toEqual([...b.components[1]]);
    expect(a.variance).toEqual(b.variance);
    const all = pca2(x);
    expect(all.variance[0]).not.toBe(a.variance[0]);
    // Components are unit and orthogonal.
    const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, ui, j) => s + ui * v[j]!, 0);
    expect(dot(a.components[0], a.components[0])).toBeCloseTo(1, 9);
    expect(dot(a.components[1], a.components[1])).toBeCloseTo(1, 9);
    expect(dot(a.components[0], a.components[1])).toBeCloseTo(0, 9);
    expect(a.variance[0]).toBeGreaterThanOrEqual(a.variance[1]);
  });

  it("handles wide data (implicit covariance) the same way: a line in 1,200 dimensions", () => {
    const c = 1200;
    const dir = Float64Array.from({ length: c }, (_, j) => (j % 3 === 0 ? 1 : j % 3 === 1 ? -2 : 0.5));
    const len = Math.hypot(...dir);
    const ts = [-3, -1, 0, 2, 2];
    const x = m(ts.map((t) => Array.from(dir, (d) => (t * d) / len)));
    const p = pca2(x);
    // Largest entries are the −2s: the sign rule makes them positive, so the component is −dir.
    expect(p.components[0][1]).toBeCloseTo(2 / len, 5);
    expect(p.components[0][0]).toBeCloseTo(-1 / len, 5);
    // mean t = 0: Σt² = 18 → variance 18 / 4.
    expect(p.variance[0]).toBeCloseTo(4.5, 3);
    expect(p.variance[1]).toBe(0);
  });

  it("returns zeros for constant data, one row and one column", () => {
    expect(pca2(m([[1, 2], [1, 2], [1, 2]])).variance).toEqual([0, 0]);
    expect(pca2(m([[1, 2]])).totalVariance).toBe(0);
    const one = pca2(m([[1], [3], [5]]));
    expect([...one.components[0]]).toEqual([1]);
    expect(one.variance[0]).toBeCloseTo(4, 9);
    expect(one.variance[1]).toBe(0);
    expect(() => pca2(m([[1, 2]]), { rows: [1] })).toThrow(/row 1 is outside the matrix \(1 rows\)/);
  });
});

describe("pcaBasis", () => {
  // Rows ±a_j·e_j (two per axis j) in c dimensions: centred, with a diagonal covariance whose
  // entry j is 2·a_j² / (n − 1); so the components are the axes in decreasing a_j.
  const axisRows = (a: number[], c: number) => a.flatMap((v, j) => [1, -1].map((s) => Array.from({ length: c }, (_, k) => (k === j ? s * v : 0))));
  const a = [3, 1, 7, 5, 2, 6, 4];

  it("is the exact eigendecomposition when the block is as wide as the data (c ≤ components + oversample)", () => {
    const x = m(axisRows(a, 7));
    const p = pcaBasis(x, { components: 4 });
    const n = 14;
    expect(p.variance.map((v) => +v.toFixed(9))).toEqual([7, 6, 5, 4].map((v) => +((2 * v * v) / (n - 1)).toFixed(9)));
    expect(p.components.map((u) => [...u].findIndex((v) => Math.abs(v) > 0.5))).toEqual([2, 5, 3, 6]);
    expect(p.components.every((u) => Math.abs(Math.hypot(...u) - 1) < 1e-9)).toBe(true);
    expect(p.totalVariance).toBeCloseTo((2 * a.reduce((s, v) => s + v * v, 0)) / (n - 1), 9);
    // Row 4 is +7·e_2: coordinates (7, 0, 0, 0) on the components (their big entry is positive).
    expect([...projectBasis(x, p, [4])[0]!].map((v) => +v.toFixed(9))).toEqual([7, 0, 0, 0]);
  });

  it("finds the top components by subspace iteration in wide data, and drops directions with no variance", () => {
    // 7 axes with variance among 120 columns: block 3 + 10 < 120, so the iterative path runs.
    const x = m(axisRows(a, 120));
    const p = pcaBasis(x, { components: 3 });
    expect(p.components.map((u) => [...u].findIndex((v) => Math.abs(v) > 0.5))).toEqual([2, 5, 3]);
    p.variance.forEach((v, i) => expect(v).toBeCloseTo((2 * [49, 36, 25][i]!) / 13, 6));
    // Only 7 directions carry variance: asking for 20 gives 7.
    const all = pcaBasis(x, { components: 20 });
    expect(all.components).toHaveLength(7);
    // Distances between rows survive in the 7 components (all the variance is there).
    const z = projectBasis(x, all);
    const d = (i: number, j: number) => Math.hypot(...z[i]!.map((v, k) => v - z[j]![k]!));
    expect(d(4, 5)).toBeCloseTo(14, 6);
    expect(d(0, 4)).toBeCloseTo(Math.hypot(3, 7), 6);
  });

  it("agrees with pca2 on its first two components, shares one covariance, and is deterministic", () => {
    const random = createRandom(5, "test");
    const rows = Array.from({ length: 150 }, () => Array.from({ length: 80 }, (_, j) => random.normal() * (1 + 40 / (j + 1))));
    const x = m(rows);
    const fitted = covariance(x, sampleIndices(150, 100));
    const two = pca2(x, { covariance: fitted });
    const p = pcaBasis(x, { covariance: fitted, components: 10 });
    expect(two.variance[0]).toBeGreaterThan(0);
    expect(p.variance[0]).toBeCloseTo(two.variance[0], 4);
    expect(p.variance[1]).toBeCloseTo(two.variance[1], 4);
    const cos = (u: Float64Array, v: Float64Array) => Math.abs(u.reduce((s, ui, j) => s + ui * v[j]!, 0));
    expect(cos(p.components[0]!, two.components[0])).toBeCloseTo(1, 4);
    expect(p.variance).toEqual([...p.variance].sort((u, v) => v - u));
    expect(pcaBasis(x, { covariance: fitted, components: 10 }).components.map((u) => [...u])).toEqual(p.components.map((u) => [...u]));
    expect(() => covariance(x, [150])).toThrow(/row 150 is outside the matrix \(150 rows\)/);
  });
});

describe("standardise", () => {
  it("z-scores each column with the population sd; a constant column becomes zeros", () => {
    // Column 1: mean 2, sd √(2/3). Column 2: constant. Column 3: mean 20, deviations −10, −10, 20,
    // variance 600 / 3 = 200. Column 4: 0.1 three times (its float32 mean need not be exact).
    const z = standardise(m([[1, 5, 10, 0.1], [2, 5, 10, 0.1], [3, 5, 40, 0.1]]));
    const s = Math.sqrt(2 / 3);
    const r2 = Math.SQRT2;
    const expected = [[-1 / s, 0, -10 / Math.sqrt(200), 0], [0, 0, -10 / Math.sqrt(200), 0], [1 / s, 0, 20 / Math.sqrt(200), 0]];
    expect([z.n, z.c]).toEqual([3, 4]);
    [...z.data].forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 6));
    expect(z.data[2]).toBeCloseTo(-1 / r2, 6);
    expect(z.data[10]).toBeCloseTo(r2, 6);
  });

  it("lets correlated small-range columns, not one large-range column, carry the first component", () => {
    // Column 1 = 1000·p, columns 2 and 3 = q and 2q, with p = (−1, 1, 1, −1) ⟂ q = (−1, −1, 1, 1).
    // Unscaled, column 1 dominates (variance 4·10⁶ / 3). Standardised, every column is ±1
    // (variance 4 / 3), columns 2 and 3 are equal: the covariance is (4/3)·[[1,0,0],[0,1,1],[0,1,1]]
    // with eigenvalues 8/3 along (0, 1, 1)/√2 and 4/3 along (1, 0, 0); total 4.
    const x = m([[-1000, -1, -2], [1000, -1, -2], [1000, 1, 2], [-1000, 1, 2]]);
    const raw = pca2(x);
    expect([...raw.components[0]].map((v) => Math.abs(+v.toFixed(6)))).toEqual([1, 0, 0]);
    const p = pca2(standardise(x));
    expect(p.variance[0]).toBeCloseTo(8 / 3, 6);
    expect(p.variance[1]).toBeCloseTo(4 / 3, 6);
    expect(p.totalVariance).toBeCloseTo(4, 6);
    expect(p.components[0][0]).toBeCloseTo(0, 6);
    expect(p.components[0][1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(p.components[0][2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(Math.abs(p.components[1][0])).toBeCloseTo(1, 6);
    // Coordinates along (0, 1, 1)/√2: q·√2 = (−√2, −√2, √2, √2).
    [...project(standardise(x), p).x].forEach((v, i) => expect(v).toBeCloseTo([-1, -1, 1, 1][i]! * Math.SQRT2, 5));
  });

  it("leaves its input as it was", () => {
    const x = m([[1, 2], [3, 4]]);
    standardise(x);
    expect([...x.data]).toEqual([1, 2, 3, 4]);
  });
});

describe("sampleIndices / roundCoordinates", () => {
  it("takes all indices up to the cap, else a fixed sorted sample", () => {
    expect([...sampleIndices(4, 10)]).toEqual([0, 1, 2, 3]);
    const s = [...sampleIndices(1000, 50, 1)];
    expect(s).toEqual([...sampleIndices(1000, 50, 1)]);
    expect(s).not.toEqual([...sampleIndices(1000, 50, 2)]);
    expect(s.length).toBe(50);
    expect(new Set(s).size).toBe(50);
    expect(s).toEqual([...s].sort((a, b) => a - b));
    expect(s.every((i) => i >= 0 && i < 1000)).toBe(true);
  });

  it("rounds to four significant digits of the largest value", () => {
    expect(roundCoordinates([12.34567, -0.001234, 0])).toEqual([12.35, 0, 0]);
    expect(roundCoordinates([0.0123456, -0.00049])).toEqual([0.01235, -0.00049]);
    expect(roundCoordinates([1234.56, 1.5])).toEqual([1235, 2]);
    expect(roundCoordinates([0, 0])).toEqual([0, 0]);
  });
});
