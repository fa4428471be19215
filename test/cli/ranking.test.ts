import { describe, expect, it } from "vitest";
import { rankMethods, type RunArea } from "../../lib/cli/ranking.ts";

const run = (sampler: string, mode: string, seed: number, area: number, extra: Partial<RunArea> = {}): RunArea => ({
  runId: `${sampler}-${mode}-${seed}`,
  sampler,
  mode,
  group: "",
  dataset: "d",
  seed,
  area,
  ...extra,
});

describe("rankMethods", () => {
  it("ranks only complete blocks and says how many were left out", () => {
    const runs = [
      run("random", "retrain", 1, 0.5), run("margin", "retrain", 1, 0.6),
      run("random", "retrain", 2, 0.4), run("margin", "retrain", 2, 0.7),
      run("random", "retrain", 3, 0.3), // margin has no seed 3
    ];
    const [g] = rankMethods(runs);
    expect(g).toMatchObject({ blocks: 2, incompleteBlocks: 1 });
    expect(g!.methods.map((m) => [m.sampler, m.averageRank])).toEqual([["margin", 1], ["random", 2]]);
    // Means over the complete blocks only: (0.5 + 0.4) / 2 for random.
    expect(g!.methods[1]!.area.d!.mean).toBeCloseTo(0.45, 12);
    // Two pairs, both won: exact two-sided p = 2 · (1/4).
    expect(g!.methods[0]!.vsRandom).toEqual({ reference: "random · retrain", wilcoxonP: 0.5, wins: 2, ties: 0, losses: 0 });
  });

  it("compares each mode with random of the same mode, else with the only random there is", () => {
    const runs = [1, 2].flatMap((seed) => [
      run("random", "retrain", seed, 0.5), run("margin", "retrain", seed, 0.5), run("margin", "keep-train", seed, 0.4 + seed / 100),
    ]);
    const [g] = rankMethods(runs);
    const vs = Object.fromEntries(g!.methods.map((m) => [`${m.sampler} ${m.mode}`, m.vsRandom]));
    expect(vs["margin retrain"]).toEqual({ reference: "random · retrain", wilcoxonP: 1, wins: 0, ties: 2, losses: 0 });
    expect(vs["margin keep-train"]).toMatchObject({ reference: "random · retrain", wins: 0, ties: 0, losses: 2 });
    expect(vs["random retrain"]).toBeNull();
  });

  it("ranks lower areas first for losses, skips groups with one method, and has no Friedman for one block", () => {
    const runs = [
      run("random", "retrain", 1, 0.9, { group: "a" }), run("margin", "retrain", 1, 0.2, { group: "a" }),
      run("random", "retrain", 1, 0.1, { group: "b" }),
    ];
    const groups = rankMethods(runs, { higherIsBetter: false });
    expect(groups.map((g) => g.group)).toEqual(["a"]);
    expect(groups[0]!.methods.map((m) => m.sampler)).toEqual(["margin", "random"]);
    expect(groups[0]!.methods[0]!.vsRandom).toMatchObject({ wins: 1, losses: 0 });
    expect(groups[0]!.friedman).toBeNull();
  });
});
