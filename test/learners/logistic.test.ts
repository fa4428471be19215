/** Logistic regression: the L2 optimum from its first-order condition, L-BFGS, real data (wdbc). */
import { describe, expect, it } from "vitest";
import { argmaxRows } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { minimizeLbfgs } from "../../lib/learners/lbfgs.ts";
import { logistic } from "../../lib/learners/logistic.ts";
import { fitScaler } from "../../lib/learners/standardize.ts";
import { loadTabular } from "./real-data.ts";

/** Root of a decreasing-then-increasing g on [lo, hi] by bisection (g(lo) < 0 < g(hi)). */
function bisect(g: (w: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const twoPoints = { data: Float32Array.of(-1, 1), n: 2, c: 1 };

describe("logistic regression by hand", () => {
  it("multinomial: two points x = ∓1 of classes 0/1 with λ = 1 land on the stationary point", async () => {
    // By symmetry W = [−w, w], b = 0; each point's loss is log(1 + e^(−2w)), the penalty
    // λ/2·(w² + w²) = λw². d/dw: −2/(1 + e^(2w)) + 2λw = 0 → w(1 + e^(2w)) = 1 (λ = 1) → w ≈ 0.3374.
    // P(class 1 | x = 1) = softmax([−w, w])₁ = 1 / (1 + e^(−2w)).
    const w = bisect((v) => v * (1 + Math.exp(2 * v)) - 1, 0, 1);
    const learner = logistic.create(logistic.parseOptions({ l2: 1, standardize: false, tolerance: 1e-9 }, "o"), { inputSize: 1, classes: 2 });
    learner.reset(1);
    await learner.fit(twoPoints, Int32Array.of(0, 1), { epochs: 1, random: createRandom(1) });
    const p = await learner.predictProba(twoPoints);
    expect(p.data[3]).toBeCloseTo(1 / (1 + Math.exp(-2 * w)), 5);
    expect(p.data[0]).toBeCloseTo(1 / (1 + Math.exp(-2 * w)), 5);
  });

  it("multi-label: one sigmoid per label with λ = 0.5", async () => {
    // Label 0 is positive at x = 1 only, label 1 at x = −1 only. For label 0, z = wx + b with
    // b = 0 by symmetry; loss per point log(1 + e^(−w)), penalty λ/2·w²:
    // −1/(1 + e^w) + λw = 0 → with λ = 0.5: w(1 + e^w) = 2 → w ≈ 0.675; P = σ(w) at x = 1.
    const w = bisect((v) => v * (1 + Math.exp(v)) - 2, 0, 2);
    const learner = logistic.create(logistic.parseOptions({ l2: 0.5, standardize: false, tolerance: 1e-9 }, "o"), { inputSize: 1, classes: 2, task: "multilabel" });
    learner.reset(1);
    await learner.fit(twoPoints, { data: Float32Array.of(0, 1, 1, 0), n: 2, c: 2 }, { epochs: 1, random: createRandom(1) });
    const p = await learner.predictProba(twoPoints);
    const s = 1 / (1 + Math.exp(-w));
    // Rows: x = −1 → [1 − s, s]; x = 1 → [s, 1 − s].
    [1 - s, s, s, 1 - s].forEach((v, i) => expect(p.data[i]).toBeCloseTo(v, 5));
  });

  it("L-BFGS finds the minimum of a scaled quadratic and of Rosenbrock's function", () => {
    // f(x) = Σ (i+1)(x_i − i)²: minimum at x_i = i.
    const x = new Float64Array(6);
    const r = minimizeLbfgs(
      (v, g) => {
        let f = 0;
        for (let i = 0; i < v.length; i++) {
          f += (i + 1) * (v[i]! - i) ** 2;
          g[i] = 2 * (i + 1) * (v[i]! - i);
        }
        return f;
      },
      x,
      { maxIterations: 100, tolerance: 1e-10 },
    );
    expect(r.converged).toBe(true);
    x.forEach((v, i) => expect(v).toBeCloseTo(i, 6));
    // (1 − a)² + 100(b − a²)²: minimum at (1, 1), a curved valley.
    const y = Float64Array.of(-1.2, 1);
    minimizeLbfgs(
      (v, g) => {
        const [a, b] = [v[0]!, v[1]!];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      y,
      { maxIterations: 500, tolerance: 1e-8 },
    );
    expect(y[0]).toBeCloseTo(1, 4);
    expect(y[1]).toBeCloseTo(1, 4);
  });

  it("standardises with the training mean and standard deviation (constant features keep scale 1)", () => {
    // Column 0: 1, 3 → mean 2, sd 1; column 1: 5, 5 → mean 5, sd 0 → scale 1.
    const s = fitScaler({ data: Float32Array.of(1, 5, 3, 5), n: 2, c: 2 });
    expect(Array.from(s.mean)).toEqual([2, 5]);
    expect(Array.from(s.scale)).toEqual([1, 1]);
  });
});

describe("logistic regression on real data", () => {
  it("classifies wdbc above 90%, with or without balanced class weights", async () => {
    const s = loadTabular("wdbc.csv", 0.3, 1);
    for (const options of [{}, { classWeights: "balanced" }]) {
      const learner = logistic.create(logistic.parseOptions(options, "learner.options"), { inputSize: 30, classes: 2 });
      learner.reset(1);
      await learner.fit(s.train.x, s.train.y, { epochs: 1, random: createRandom(1) });
      // ≈ 0.98 here.
      expect(accuracy(argmaxRows(await learner.predictProba(s.test.x)), s.test.y)).toBeGreaterThan(0.9);
      learner.dispose();
    }
  });

  it("validates options with the field named", () => {
    expect(() => logistic.parseOptions({ l2: -1 }, "learner.options")).toThrow("learner.options.l2");
    expect(() => logistic.parseOptions({ maxIterations: 0.5 }, "learner.options")).toThrow("learner.options.maxIterations");
  });
});
