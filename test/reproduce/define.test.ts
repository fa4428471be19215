import { describe, expect, it } from "vitest";
import { defineReproduction, labelsToReach, meanOf, type Reproduction, type ReproductionRun } from "../../lib/reproduce/define.ts";

const base: Reproduction = {
  study: "s",
  title: "t",
  citation: "c",
  measures: { auc: { label: "AUC", better: "higher", of: () => 1 } },
  paper: [{ sampler: "random", measure: "auc", value: 40 }],
  headline: { measure: "auc", sampler: "random" },
  curve: { metric: "accuracy", label: "accuracy" },
  discussion: [],
};

describe("defineReproduction", () => {
  it("accepts a consistent definition", () => {
    expect(defineReproduction(base)).toBe(base);
  });
  it("rejects a paper row of an unknown measure, a non-finite value, a headline without a paper value, no measures", () => {
    expect(() => defineReproduction({ ...base, paper: [{ sampler: "random", measure: "nsr", value: 1 }] })).toThrow('reproduction "s": paper[0].measure "nsr" is not one of the measures (auc)');
    expect(() => defineReproduction({ ...base, paper: [{ sampler: "random", measure: "auc", value: Number.NaN }] })).toThrow("paper[0].value must be a finite number");
    expect(() => defineReproduction({ ...base, headline: { measure: "auc", sampler: "margin" } })).toThrow("headline (auc, margin) has no paper value");
    expect(() => defineReproduction({ ...base, measures: {} })).toThrow("measures is empty");
  });
  it("accepts profile names to lead the page with, and rejects what cannot be a profile directory", () => {
    expect(defineReproduction({ ...base, profiles: ["local-cnn", "local"] }).profiles).toEqual(["local-cnn", "local"]);
    expect(() => defineReproduction({ ...base, profiles: ["../full"] })).toThrow('reproduction "s": profiles entry "../full" is not a profile name');
    expect(() => defineReproduction({ ...base, profiles: ["Local"] })).toThrow('profiles entry "Local"');
  });
});

const run: ReproductionRun = {
  config: {} as ReproductionRun["config"],
  seconds: 1,
  rounds: [
    { round: 0, labelled: 20, metrics: { accuracy: 0.5 } },
    { round: 1, labelled: 30, metrics: { accuracy: 0.7, noisy_ratio: 0.2 } },
    { round: 2, labelled: 40, metrics: { accuracy: 0.9 } },
  ],
};

describe("meanOf / labelsToReach", () => {
  it("average over the rounds that have the metric; the first labelled count that reaches a target", () => {
    expect(meanOf(run, "accuracy")).toBeCloseTo(0.7, 12);
    expect(meanOf(run, "noisy_ratio")).toBe(0.2);
    expect(meanOf(run, "accuracy", (r) => r.labelled >= 30)).toBeCloseTo(0.8, 12);
    expect(meanOf(run, "ece")).toBeUndefined();
    expect(labelsToReach(run, "accuracy", 0.7)).toBe(30);
    expect(labelsToReach(run, "accuracy", 0.95)).toBeUndefined();
    expect(labelsToReach(run, "accuracy", 0.6, "lower")).toBe(20);
  });
});
