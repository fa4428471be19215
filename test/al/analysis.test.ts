import { describe, expect, it } from "vitest";
import { analyse, type RunSeries } from "../../lib/al/analysis.ts";

function run(runId: string, sampler: string, accuracy: number[], extra: Record<string, Array<number | null>> = {}, percent: number | null = null): RunSeries {
  return {
    runId,
    sampler,
    cell: "cell",
    baselineKey: "base",
    baselinePercent: percent,
    rounds: accuracy.map((a, r) => {
      const metrics: Record<string, number> = { accuracy: a };
      for (const [k, v] of Object.entries(extra)) if (v[r] !== null && v[r] !== undefined) metrics[k] = v[r]!;
      return { round: r, labelled: 10 + 10 * r, metrics };
    }),
  };
}

describe("experiment analysis", () => {
  const margin = run("m", "margin", [0.5, 0.6, 0.7, 0.72, 0.73], {
    contradiction_ratio: [null, 0.3, 0.1, 0.01, 0.01],
    exploration_gain: [null, 5, 5, 5, 5],
    agreement: [0.5, 0.5, 0.5, 0.5, null],
    batch_accuracy: [0.2, 0.5, 0.95, 0.95, null],
  });
  const random = run("r", "random", [0.5, 0.55, 0.6, 0.65, 0.7], {
    contradiction_ratio: [null, 0.3, 0.2, 0.1, 0.1],
    exploration_gain: [null, 9, 1, 1, 1],
    agreement: [0.4, 0.4, 0.4, 0.4, null],
  });
  const full = run("b", "random", [0.8], {}, 100);
  const result = analyse([margin, random, full]);

  it("reports where each stopping rule would stop and what it would cost", () => {
    const rule = (r: string) => result.stopping.find((s) => s.runId === "m" && s.rule === r)!;
    // Contradictions ≤ 0.02 for 2 rounds first at round 4: lose 0.73 − 0.73 = 0.
    expect(rule("contradiction")).toEqual({ runId: "m", rule: "contradiction", stopRound: 4, stopLabelled: 50, lostAccuracy: 0 });
    // Selected accuracy ≥ 0.9 first at round 2: lose 0.73 − 0.70 = 0.03.
    expect(rule("selected_accuracy").stopRound).toBe(2);
    expect(rule("selected_accuracy").lostAccuracy).toBeCloseTo(0.03, 10);
    // No uncertainty series stored → those rules never fire.
    expect(rule("max_uncertainty").stopRound).toBeNull();
    expect(result.stopping.filter((s) => s.runId === "b")).toEqual([]); // baselines are not AL runs
  });

  it("advises from the random run of the same cell", () => {
    const advice = result.advice.filter((a) => a.runId === "m").map((a) => a.action);
    // r1: random explores more (9 > 5) → explore; r2: contradictions fell, agreement 0.5 > random's 0.4 → harder;
    // r3: same → harder; r4: contradictions ≤ 0.02 for 2 rounds → stop. Round 0 has no change metrics.
    expect(advice).toEqual(["harder", "explore", "harder", "harder", "stop"]);
    expect(result.advice.find((a) => a.runId === "m" && a.round === 1)!.use).toBe("random");
  });

  it("gives every run a final_accuracy row, so an analysed run is recognisable (baselines and runs without accuracy too)", () => {
    const blind: RunSeries = { ...run("x", "margin", [0.5, 0.6]), rounds: [0, 1].map((r) => ({ round: r, labelled: 10, metrics: {} })) };
    const empty: RunSeries = { ...run("e", "margin", []), rounds: [] };
    const all = analyse([margin, full, blind, empty]);
    const finals = Object.fromEntries(all.summaries.filter((s) => s.name === "final_accuracy").map((s) => [s.runId, s.value]));
    expect(finals).toEqual({ m: 0.73, b: 0.8, x: null, e: null });
    // The baseline and the runs with nothing to judge get no stopping rules or advice.
    expect(new Set(all.stopping.map((s) => s.runId))).toEqual(new Set(["m"]));
    expect(new Set(all.advice.map((a) => a.runId))).toEqual(new Set(["m"]));
  });

  it("summarises curves against the full-data baseline", () => {
    const value = (name: string) => result.summaries.find((s) => s.runId === "m" && s.name === name)?.value;
    expect(value("final_accuracy")).toBe(0.73);
    expect(value("baseline_accuracy")).toBe(0.8);
    expect(value("gap_to_baseline")).toBeCloseTo(0.07, 10);
    // 95% of 0.8 = 0.76 is never reached.
    expect(value("labels_to_95pct_baseline")).toBeNull();
    // Trapezoid over labelled 10…50: (0.55 + 0.65 + 0.71 + 0.725) × 10 / 40 = 0.65875.
    expect(value("aulc_accuracy")).toBeCloseTo(0.65875, 10);
    // No cost metric: no area over cost.
    expect(value("aulc_cost_accuracy")).toBeUndefined();
  });

  it("summarises the area over what the labels cost for runs with a cost", () => {
    // Costs 10, 40, 50 for accuracies 0.5, 0.7, 0.8: (0.6 × 30 + 0.75 × 10) / 40 = 0.6375.
    const costed = run("c", "margin", [0.5, 0.7, 0.8], { cost: [10, 40, 50] });
    const flat = run("f", "margin", [0.5, 0.7], { cost: [10, 10] });
    const all = analyse([costed, flat]);
    const value = (id: string, name: string) => all.summaries.find((s) => s.runId === id && s.name === name)?.value;
    expect(value("c", "aulc_cost_accuracy")).toBeCloseTo(0.6375, 12);
    // By count (10, 20, 30) the same run's area is (0.6 + 0.75) / 2.
    expect(value("c", "aulc_accuracy")).toBeCloseTo(0.675, 12);
    // Costs that do not grow give no area (null), not an error.
    expect(value("f", "aulc_cost_accuracy")).toBeNull();
  });
});
