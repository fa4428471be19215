import { describe, expect, it } from "vitest";
import { nemenyiCriticalDifference } from "../../lib/al/stats/nemenyi.ts";
import {
  axesToFix,
  defaultExperiments,
  methodNamer,
  notSignificantGroups,
  rankMethods,
  scoreTable,
  type RankingInput,
} from "../../src/components/rankings.ts";

// 3 samplers × 4 blocks (2 data sets × 2 seeds), accuracy areas; ranked by hand (1 = best):
//   d1·1: A .90 B .80 C .70 → 1, 2, 3
//   d1·2: A .80 B .90 C .70 → 2, 1, 3
//   d2·1: A .90 B .70 C .80 → 1, 3, 2
//   d2·2: A .85 B .85 C .60 → 1.5, 1.5, 3
// average ranks A 5.5/4 = 1.375, B 7.5/4 = 1.875, C 11/4 = 2.75
const SCORES: Record<string, [number, number, number]> = {
  "d1 1": [0.9, 0.8, 0.7],
  "d1 2": [0.8, 0.9, 0.7],
  "d2 1": [0.9, 0.7, 0.8],
  "d2 2": [0.85, 0.85, 0.6],
};
const SAMPLERS = ["A", "B", "C"];

function rows(extra: Partial<RankingInput> = {}): RankingInput[] {
  return Object.entries(SCORES).flatMap(([key, values]) => {
    const [dataset, seed] = key.split(" ");
    return values.map((v, j) => ({
      experiment: "e",
      run: `${key}-${j}`,
      dataset,
      learner: "mlp",
      sampler: SAMPLERS[j]!,
      mode: "retrain",
      seed: Number(seed),
      area: { accuracy: v, log_loss: 1 - v },
      final: { accuracy: v / 2 },
      ...extra,
    }));
  });
}

const options = { metric: "accuracy", measure: "area" as const, blockAxes: ["dataset", "seed"], byMode: false };

describe("scoreTable", () => {
  it("makes one block per data set × seed with one score per sampler", () => {
    const t = scoreTable(rows(), options);
    expect(t.methods).toEqual(["A", "B", "C"]);
    expect(t.blocks.map((b) => b.label)).toEqual(["d1 · 1", "d1 · 2", "d2 · 1", "d2 · 2"]);
    expect(t.blocks.map((b) => b.scores)).toEqual(Object.values(SCORES));
    expect(t.incomplete).toEqual([]);
    // The final value instead of the area.
    expect(scoreTable(rows(), { ...options, measure: "final" }).blocks[0]!.scores).toEqual([0.45, 0.4, 0.35]);
  });

  it("refuses to pool an axis outside the blocks, naming it and its values", () => {
    expect(() => scoreTable(rows(), { ...options, blockAxes: ["dataset"] })).toThrow(/seed \(1, 2\) vary outside the blocks; pick one value or add it to the block axes/);
    expect(axesToFix(rows(), { blockAxes: ["dataset"], byMode: false })).toEqual(["seed"]);
    const twoModes = [...rows(), ...rows({ mode: "keep-train" })];
    expect(axesToFix(twoModes, { blockAxes: ["dataset", "seed"], byMode: false })).toEqual(["mode"]);
    // Modes as methods: mode is no longer an axis to fix, and each sampler × mode is a method.
    expect(axesToFix(twoModes, { blockAxes: ["dataset", "seed"], byMode: true })).toEqual([]);
    expect(scoreTable(twoModes, { ...options, byMode: true }).methods).toEqual(["A · keep-train", "A · retrain", "B · keep-train", "B · retrain", "C · keep-train", "C · retrain"]);
  });

  it("refuses two runs of one sampler in a block (two experiments) but keeps one run listed twice", () => {
    const both = [...rows(), ...rows({ experiment: "f" }).map((r) => ({ ...r, run: `f-${r.run}` }))];
    expect(() => scoreTable(both, options)).toThrow(/block "d1 · 1" holds two runs of A \(they differ in experiment\); add experiment to the block axes/);
    expect(scoreTable(both, { ...options, blockAxes: ["experiment", "dataset", "seed"] }).blocks).toHaveLength(8);
    const shared = [...rows(), ...rows({ experiment: "f" })];
    expect(scoreTable(shared, options).blocks).toHaveLength(4);
  });

  it("drops and counts blocks where a sampler has no value", () => {
    const some = rows().filter((r) => !(r.dataset === "d2" && r.seed === 1 && r.sampler === "C"));
    some.find((r) => r.dataset === "d1" && r.seed === 2 && r.sampler === "B")!.area = {};
    const t = scoreTable(some, options);
    expect(t.blocks.map((b) => b.label)).toEqual(["d1 · 1", "d2 · 2"]);
    expect(t.incomplete).toEqual([{ label: "d1 · 2", missing: ["B"] }, { label: "d2 · 1", missing: ["C"] }]);
    // Only the picked samplers: B's gap no longer matters.
    expect(scoreTable(some, { ...options, methods: ["A", "C"] }).blocks).toHaveLength(3);
  });
});

describe("rankMethods", () => {
  it("gives the hand-computed average ranks, means, Friedman χ² and Nemenyi CD", () => {
    const r = rankMethods(scoreTable(rows(), options), { higherIsBetter: true });
    expect(r.why).toBeUndefined();
    expect(r.methods.map((m) => [m.method, m.averageRank, m.blocks])).toEqual([["A", 1.375, 4], ["B", 1.875, 4], ["C", 2.75, 4]]);
    expect(r.methods[0]!.mean).toBeCloseTo((0.9 + 0.8 + 0.9 + 0.85) / 4, 12);
    // χ² = 12·4/(3·4) · (1.375² + 1.875² + 2.75² − 3·16/4) = 4 · 0.96875 = 3.875; one tie of 2 in
    // block 4: ÷ (1 − 6/(4·3·8)) = 0.9375 → 4.1333; df 2, so p = exp(−χ²/2).
    expect(r.friedman!.chiSquare).toBeCloseTo(3.875 / 0.9375, 10);
    expect(r.friedman!.df).toBe(2);
    expect(r.friedman!.p).toBeCloseTo(Math.exp(-3.875 / 0.9375 / 2), 8);
    // CD = q(3) · √(3·4/(6·4)) = 2.343 · √0.5
    expect(r.criticalDifference).toBeCloseTo(2.343 * Math.sqrt(0.5), 10);
    expect(r.criticalDifference).toBe(nemenyiCriticalDifference(3, 4));
  });

  it("counts wins, ties and losses per pair from the row's side", () => {
    const r = rankMethods(scoreTable(rows(), options), { higherIsBetter: true });
    const wtl = r.winTieLoss.map((row) => row.map((c) => `${c.wins}/${c.ties}/${c.losses}`));
    expect(wtl).toEqual([
      ["0/4/0", "2/1/1", "4/0/0"],
      ["1/1/2", "0/4/0", "3/0/1"],
      ["0/0/4", "1/0/3", "0/4/0"],
    ]);
  });

  it("ranks lower-is-better metrics the other way round", () => {
    const r = rankMethods(scoreTable(rows(), { ...options, metric: "log_loss" }), { higherIsBetter: false });
    expect(r.methods.map((m) => [m.method, m.averageRank])).toEqual([["A", 1.375], ["B", 1.875], ["C", 2.75]]);
    const wrong = rankMethods(scoreTable(rows(), { ...options, metric: "log_loss" }), { higherIsBetter: true });
    expect(wrong.methods.map((m) => m.method)).toEqual(["C", "B", "A"]);
  });

  it("says why there is no test with one block or one sampler", () => {
    const one = rows().filter((r) => r.dataset === "d1" && r.seed === 1);
    const r = rankMethods(scoreTable(one, options), { higherIsBetter: true });
    expect(r.why).toMatch(/^No test: fewer than 2 blocks \(1 complete block\)/);
    expect(r.friedman).toBeNull();
    expect(r.criticalDifference).toBeNull();
    expect(r.methods.map((m) => m.averageRank)).toEqual([1, 2, 3]);
    const single = rankMethods(scoreTable(rows(), { ...options, methods: ["A"] }), { higherIsBetter: true });
    expect(single.why).toMatch(/fewer than 2 samplers to compare \(A\)/);
    expect(single.methods).toEqual([]);
  });
});

describe("rankMethods beyond Nemenyi's table", () => {
  it("tests 11 samplers with Friedman but draws no CD, saying why", () => {
    // Sampler j scores j/100 in both blocks: ranks 11 … 1, every block agreeing.
    const methods = Array.from({ length: 11 }, (_, j) => `s${String(j).padStart(2, "0")}`);
    const blocks = [0, 1].map((b) => ({ label: `b${b}`, scores: methods.map((_, j) => j / 100) }));
    const r = rankMethods({ methods, blocks, incomplete: [] }, { higherIsBetter: true });
    expect(r.methods[0]).toMatchObject({ method: "s10", averageRank: 1 });
    expect(r.methods[10]).toMatchObject({ method: "s00", averageRank: 11 });
    // Perfect agreement: χ² = N(k − 1) = 20.
    expect(r.friedman!.chiSquare).toBeCloseTo(20, 10);
    expect(r.criticalDifference).toBeNull();
    expect(r.why).toBe("No CD diagram: Nemenyi's table stops at 10 samplers (here 11); compare fewer.");
  });
});

describe("notSignificantGroups", () => {
  it("joins maximal runs of ranks closer than CD", () => {
    // 1 ↔ 1.5 (0.5), 1.5 ↔ 2.6 (1.1), 2.6 ↔ 3 (0.4) are < 1.2; 1 ↔ 2.6 and 1.5 ↔ 3 are not.
    expect(notSignificantGroups([1, 1.5, 2.6, 3], 1.2)).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(notSignificantGroups([1, 1.5, 2.6, 3], 5)).toEqual([[0, 3]]);
    expect(notSignificantGroups([1, 2, 3], 0.5)).toEqual([]);
    // A difference of exactly CD is significant.
    expect(notSignificantGroups([1, 2], 1)).toEqual([]);
  });
});

describe("methodNamer and defaultExperiments", () => {
  it("adds the MC setting only to samplers run with several, and the mode when asked", () => {
    const r = (sampler: string, mc: string, mode = "retrain"): RankingInput => ({ experiment: "e", sampler, mode, seed: 1, mc_samples: mc, area: {}, final: {} });
    const data = [r("bald", "mc-dropout 10"), r("bald", "mc-dropout 20"), r("random", "—"), r("margin", "—", "keep-train")];
    const name = methodNamer(data, { byMode: false });
    expect(data.map(name)).toEqual(["bald · mc-dropout 10", "bald · mc-dropout 20", "random", "margin"]);
    expect(data.map(methodNamer(data, { byMode: true }))).toEqual(["bald · mc-dropout 10 · retrain", "bald · mc-dropout 20 · retrain", "random · retrain", "margin · keep-train"]);
  });

  it("picks the experiments that keep at least 2 samplers in common", () => {
    const r = (experiment: string, sampler: string): RankingInput => ({ experiment, sampler, mode: "retrain", seed: 1, area: {}, final: {} });
    const data = [r("a", "random"), r("a", "margin"), r("a", "entropy"), r("b", "random"), r("b", "margin"), r("c", "random"), r("c", "kcenter"), r("d", "random")];
    expect(defaultExperiments(data)).toEqual(["a", "b"]);
    expect(defaultExperiments([r("x", "random")])).toEqual([]);
  });
});
