import { describe, expect, it } from "vitest";
import { advise } from "../../../lib/al/stopping/advisor.ts";

describe("sampler advisor", () => {
  // Rounds 0..6 of an uncertainty sampler, with random and k-means references.
  const series = {
    explorationGain: [null, 5, 6, 9, 8, 7, 6],
    reference: { random: [null, 8, 9, 8, 7, 6, 5], kMeans: [null, 10, 7, 8, 7, 6, 5] },
    contradiction: [null, 0.3, 0.2, 0.25, 0.1, 0.015, 0.01],
    agreement: [null, 0.5, 0.6, 0.7, 0.9, 0.8, 0.7],
    randomAgreement: [null, 0.6, 0.7, 0.75, 0.8, 0.85, 0.8],
  };

  it("applies the rules in order, one advice per round, with reasons", () => {
    const advice = advise(series);
    expect(advice.map((a) => a.action)).toEqual([
      "continue", // round 0: nothing to compare
      "explore", // round 1: k-means 10 > random 8 > sampler 5
      "explore", // round 2: random 9 > k-means 7 > sampler 6
      "easier", // round 3: explores most (9), but C rose 0.2 → 0.25
      "harder", // round 4: C fell; agreement 0.9 > random's 0.8
      "continue", // round 5: C fell, agreement below random's; C ≤ 0.02 only one round so far
      "stop", // round 6: C ≤ 0.02 for two rounds (0.015, 0.01)
    ]);
    expect(advice[0]).toEqual({ action: "continue", reason: "no metrics to compare at this round" });
    expect(advice[1]).toMatchObject({ action: "explore", use: "k-means" });
    expect(advice[1]!.reason).toBe("k-means explores more (exploration gain 10 vs 5): keep exploring with k-means");
    expect(advice[2]).toMatchObject({ action: "explore", use: "random" });
    expect(advice[3]!.reason).toBe("contradictions did not decrease (0.2 → 0.25): switch to a sampler that selects easier batches");
    expect(advice[4]!.reason).toBe("agreement with 1-NN 0.9 is above random's 0.8: switch to a sampler that selects harder batches");
    expect(advice[5]!.reason).toBe("no reference explores more; contradictions falling; agreement not above random's");
    expect(advice[6]!.reason).toBe("contradiction ratio 0.01 ≤ 0.02 for 2 round(s): predictions have settled");
  });

  it("stop overrides exploring, and options move the thresholds", () => {
    // round 6 has random exploring less here, but make it explore more: stop still wins
    const s = { ...series, reference: { random: [null, 8, 9, 8, 7, 6, 100] } };
    expect(advise(s)[6]!.action).toBe("stop");
    // a margin of 3 on exploration: round 1's k-means 10 > 5 + 3 still explores; round 2's 9 ≤ 6 + 3 does not
    const margin = advise(series, { exploreMargin: 3 });
    expect(margin.slice(1, 3).map((a) => a.action)).toEqual(["explore", "continue"]);
    // stop as soon as C ≤ 0.1 for one round: round 4
    expect(advise(series, { stopBelow: 0.1, stopWindow: 1 })[4]!.action).toBe("stop");
  });

  it("rules whose inputs are missing do not fire", () => {
    const bare = {
      explorationGain: [null, 1],
      reference: {},
      contradiction: [null, 0.5],
      agreement: [null, 0.9],
      randomAgreement: [null, null],
    };
    expect(advise(bare)[1]).toEqual({ action: "continue", reason: "no metrics to compare at this round" });
    expect(() => advise({ ...bare, agreement: [0.1] })).toThrow(/advise: agreement has 1 rounds but contradiction has 2/);
  });
});
