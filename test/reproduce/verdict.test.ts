import { describe, expect, it } from "vitest";
import { agreements, comparisons, curveSummary, describeComparison, headline, kendallTau } from "../../lib/reproduce/verdict.ts";

const row = (sampler: string, repetition: string, value: number | null, measure = "auc", setting = "all") => ({ setting, sampler, repetition, measure, value });

describe("comparisons", () => {
  it("mean, sample sd, range and difference of our repetitions per paper value, by hand", () => {
    const rows = [row("random", "1", 40), row("random", "2", 44), row("random", "3", 42), row("margin", "1", 50), row("margin", "2", null)];
    const [random, margin, missing] = comparisons(
      [
        { setting: "all", sampler: "random", measure: "auc", value: 43 },
        { setting: "all", sampler: "margin", measure: "auc", value: 45 },
        { setting: "all", sampler: "entropy", measure: "auc", value: 45 },
      ],
      rows,
    );
    // mean 42; sd = sqrt(((−2)² + 2² + 0²) / 2) = 2; range 40–44 holds 43.
    expect(random).toEqual({ setting: "all", sampler: "random", measure: "auc", paper: 43, n: 3, missing: 0, mean: 42, sd: 2, min: 40, max: 44, difference: -1, inside: true });
    // one value, one repetition that never reached the measure: no sd; 45 is outside [50, 50].
    expect(margin).toMatchObject({ n: 1, missing: 1, mean: 50, sd: null, difference: 5, inside: false });
    expect(missing).toMatchObject({ n: 0, missing: 0, mean: null, inside: false });
    expect(describeComparison(random!)).toBe("paper 43.0, ours 42.0 ± 2.0 (−1.0; inside our range 40.0–44.0)");
    expect(describeComparison(missing!)).toBe("paper 45.0; ours: not run");
    const single = comparisons([{ setting: "all", sampler: "random", measure: "auc", value: 12 }], [{ setting: "all", sampler: "random", repetition: "seed 1", measure: "auc", value: 11.9 }])[0]!;
    expect(describeComparison(single)).toBe("paper 12.0, ours 11.9 (−0.1; one repetition, no range)");
  });

  it("keeps settings and measures apart", () => {
    const rows = [row("random", "1", 10, "auc", "low"), row("random", "1", 90, "auc", "high"), row("random", "1", 5, "nsr", "low")];
    const list = comparisons([{ setting: "low", sampler: "random", measure: "auc", value: 10 }, { setting: "high", sampler: "random", measure: "auc", value: 10 }], rows);
    expect(list.map((c) => c.mean)).toEqual([10, 90]);
  });
});

describe("kendallTau", () => {
  // τ-b values from scipy.stats.kendalltau (scipy 1.10, Debian's python3-scipy).
  it("matches scipy's τ-b without and with ties", () => {
    expect(kendallTau([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.6, 12);
    expect(kendallTau([1, 2, 2, 3], [1, 3, 2, 2])).toBeCloseTo(0.4, 12);
    expect(kendallTau([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(kendallTau([1, 1], [1, 2])).toBeNull();
    expect(() => kendallTau([1], [1, 2])).toThrow(/differ in length/);
  });
});

describe("agreements and headline", () => {
  const paper = [
    { setting: "all", sampler: "a", measure: "auc", value: 30 },
    { setting: "all", sampler: "b", measure: "auc", value: 20 },
    { setting: "all", sampler: "c", measure: "auc", value: 10 },
  ];
  const rows = [row("a", "1", 31), row("a", "2", 29), row("b", "1", 12), row("c", "1", 22)];
  it("orders by the measure's direction and names each side's best", () => {
    const list = comparisons(paper, rows);
    // ours: a 30, b 12, c 22 → pairs (a,b) +, (a,c) +, (b,c) − → τ = 1/3.
    const [higher] = agreements(list, () => "higher");
    expect(higher).toMatchObject({ samplers: 3, paperBest: "a", oursBest: "a" });
    expect(higher!.tau).toBeCloseTo(1 / 3, 12);
    const [lower] = agreements(list, () => "lower");
    expect(lower).toMatchObject({ paperBest: "c", oursBest: "b" });
    const h = headline(list, [higher!], { measure: "auc", sampler: "a" });
    expect(h).toEqual({ label: "auc of a", paper: 30, mean: 30, sd: Math.SQRT2, digits: 1, verdict: "level matches (inside our range); order differs (τ 0.33)" });
    expect(headline(list, [higher!], { measure: "auc", sampler: "b" }).verdict).toBe("level differs by −8.0; order differs (τ 0.33)");
    expect(() => headline(list, [], { measure: "auc", sampler: "z" })).toThrow(/no paper value for auc of z/);
    // Over two samplers one pair decides τ = ±1: the headline makes no order claim from it.
    const pair = comparisons(paper.slice(0, 2), rows);
    const [two] = agreements(pair, () => "higher");
    expect(two).toMatchObject({ samplers: 2, tau: 1 });
    expect(headline(pair, [two!], { measure: "auc", sampler: "b" }).verdict).toBe("level differs by −8.0");
  });
});

describe("curveSummary", () => {
  it("summarises each labelled count over the repetitions", () => {
    const c = curveSummary([
      { setting: "all", sampler: "a", labelled: 10, value: 1 },
      { setting: "all", sampler: "a", labelled: 10, value: 3 },
      { setting: "all", sampler: "a", labelled: 20, value: 5 },
    ]);
    expect(c).toEqual([
      { setting: "all", sampler: "a", labelled: 10, n: 2, mean: 2, sd: Math.SQRT2, min: 1, max: 3 },
      { setting: "all", sampler: "a", labelled: 20, n: 1, mean: 5, sd: null, min: 5, max: 5 },
    ]);
  });
});
