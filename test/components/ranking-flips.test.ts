import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { rankingChart, rankingFlips } from "../../src/components/ranking-flips.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

// Two rounds at 10 and 30 labelled: the normalised area is the mean of the two values.
const run = (sampler: string, seed: number, first: number, last: number, mode = "retrain") => [
  { sampler, mode, seed, round: 0, labelled: 10, accuracy: first },
  { sampler, mode, seed, round: 1, labelled: 30, accuracy: last },
];
// Areas — seed 1: a 0.6, b 0.7, c 0.8 (c > b > a); seed 2: a 0.6, b 0.8, c 0.7 (b > c > a);
// seed 3: a 0.9, b 0.7, c 0.8 (a > c > b); seed 4 lacks c.
const rows = [
  ...run("a", 1, 0.5, 0.7), ...run("b", 1, 0.6, 0.8), ...run("c", 1, 0.7, 0.9),
  ...run("a", 2, 0.5, 0.7), ...run("b", 2, 0.7, 0.9), ...run("c", 2, 0.6, 0.8),
  ...run("a", 3, 0.8, 1.0), ...run("b", 3, 0.6, 0.8), ...run("c", 3, 0.7, 0.9),
  ...run("a", 4, 0.5, 0.5), ...run("b", 4, 0.5, 0.5),
];

describe("rankingFlips", () => {
  it("ranks samplers by area per seed, averages ranks and flags the seeds that differ", () => {
    const [f] = rankingFlips(rows);
    expect(f!.reason).toBeNull();
    expect(f!.score).toBe("area");
    expect(f!.incomplete).toEqual([4]);
    // Ranks a/b/c — seed 1: 3,2,1; seed 2: 3,1,2; seed 3: 1,3,2 → mean 7/3, 2, 5/3.
    expect(f!.meanRanks.a).toBeCloseTo(7 / 3, 12);
    expect(f!.meanRanks.b).toBeCloseTo(2, 12);
    expect(f!.meanRanks.c).toBeCloseTo(5 / 3, 12);
    expect(f!.meanOrder).toEqual(["c", "b", "a"]);
    expect(f!.meanWinners).toEqual(["c"]);
    expect(f!.seeds.map((s) => [s.seed, s.order.join(">"), s.winners.join("="), s.sameWinner, s.sameOrder])).toEqual([
      [1, "c>b>a", "c", true, true],
      [2, "b>c>a", "b", false, false],
      [3, "a>c>b", "a", false, false],
    ]);
    expect(f!.seeds[0]!.scores.b).toBeCloseTo(0.7, 12);
    // τ-b vs the mean order — seed 1: 1; seed 2: one discordant pair of 3 → 1/3; seed 3: (1 − 2)/3.
    expect(f!.seeds.map((s) => s.tau)).toEqual([1, expect.closeTo(1 / 3, 12), expect.closeTo(-1 / 3, 12)]);
  });

  it("shares a rank on ties and reads a tie in the winner", () => {
    const tied = [...run("a", 1, 0.5, 0.7), ...run("b", 1, 0.5, 0.7), ...run("a", 2, 0.5, 0.7), ...run("b", 2, 0.4, 0.6)];
    const [f] = rankingFlips(tied);
    expect(f!.seeds[0]!.ranks).toEqual({ a: 1.5, b: 1.5 });
    expect(f!.seeds[0]!.winners).toEqual(["a", "b"]);
    expect(f!.meanOrder).toEqual(["a", "b"]);
    expect(f!.seeds.map((s) => [s.sameWinner, s.sameOrder, s.tau])).toEqual([[false, false, null], [true, true, 1]]);
  });

  it("ranks by the final value when a run has one round, per mode, and says when nothing can be ranked", () => {
    const single = [{ sampler: "a", mode: "keep-train", seed: 1, round: 0, labelled: 10, accuracy: 0.3 }, { sampler: "b", mode: "keep-train", seed: 1, round: 0, labelled: 10, accuracy: 0.4 }];
    const flips = rankingFlips([...rows, ...single]);
    expect(flips.map((f) => [f.mode, f.score])).toEqual([["retrain", "area"], ["keep-train", "final"]]);
    expect(flips[1]!.meanOrder).toEqual(["b", "a"]);
    expect(rankingFlips(run("a", 1, 0.5, 0.6))[0]!.reason).toMatch(/only 1 sampler here/);
    expect(rankingFlips([...run("a", 1, 0.5, 0.6), ...run("b", 2, 0.5, 0.6)])[0]!.reason).toMatch(/no seed ran every sampler/);
  });
});

describe("rankingChart", () => {
  it("draws a bump chart: one line per sampler through every seed and the mean", () => {
    const fig = rankingChart(rankingFlips(rows), { document });
    const svg = fig.querySelector(":scope > svg")!;
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3);
    // 3 samplers × (3 seeds + mean)
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(12);
    expect([...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(["seed 1", "seed 2", "seed 3", "mean"]);
    expect(() => rankingChart(rankingFlips(run("a", 1, 0.5, 0.6)), { document })).toThrow(/nothing ranked \(only 1 sampler/);
  });
});
