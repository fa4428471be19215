import { describe, expect, it } from "vitest";
import { facetWrap } from "../../src/components/facet-wrap.ts";
import { groupRuns, keyId, lastPoint, orderModes, orderSamplers } from "../../src/components/run-groups.ts";

const rows = [
  // Out of round order on purpose, with a BigInt seed and a missing metric and phase.
  { dataset: "d", sampler: "a", mode: "retrain", seed: 1n, round: 1, labelled: 20, accuracy: 0.7, train_seconds: 2, score_seconds: 0.5, select_seconds: null, evaluate_seconds: 0.5 },
  { dataset: "d", sampler: "a", mode: "retrain", seed: 1n, round: 0, labelled: 10, accuracy: 0.5, train_seconds: 1, score_seconds: 0, select_seconds: 0, evaluate_seconds: 0 },
  { dataset: "d", sampler: "a", mode: "retrain", seed: 1n, round: 2, labelled: 30, accuracy: null, train_seconds: 3, score_seconds: 0, select_seconds: 0, evaluate_seconds: 0 },
  { dataset: "d", sampler: "a", mode: "keep-train", seed: 1n, round: 0, labelled: 10, accuracy: 0.4 },
];

describe("groupRuns", () => {
  it("makes one run per key × seed with its rounds in order and summed phase seconds", () => {
    const runs = groupRuns(rows, { keys: ["dataset"] });
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ sampler: "a", mode: "retrain", seed: 1, key: { dataset: "d", sampler: "a", mode: "retrain" } });
    expect(runs[0]!.points).toEqual([
      { round: 0, labelled: 10, value: 0.5, seconds: 1 },
      { round: 1, labelled: 20, value: 0.7, seconds: 3 },
      { round: 2, labelled: 30, value: undefined, seconds: 3 },
    ]);
    expect(runs[1]!.points).toEqual([{ round: 0, labelled: 10, value: 0.4, seconds: 0 }]);
    expect(lastPoint(runs[0]!)).toEqual({ round: 1, labelled: 20, value: 0.7, seconds: 3 });
  });

  it("refuses two rows of one run at one round (an axis that is not a key)", () => {
    const pooled = [...rows, { ...rows[0]!, dataset: "d", learner: "x" }];
    expect(() => groupRuns(pooled, { keys: ["dataset"] })).toThrow(/two rows at round 1; the rows differ in a column not among the keys \(dataset, sampler, mode\)/);
    expect(() => groupRuns(rows, { keys: ["learner"] })).toThrow(/column "learner" not found/);
    expect(groupRuns([])).toEqual([]);
  });

  it("keyId drops columns; orders put random and retrain first", () => {
    expect(keyId({ a: 1, mode: "retrain" }, ["mode"])).toBe(keyId({ a: 1, mode: "keep-train" }, ["mode"]));
    expect(keyId({ a: 1 })).not.toBe(keyId({ a: 2 }));
    expect(orderSamplers(["margin", "random", "entropy", "margin"])).toEqual(["random", "entropy", "margin"]);
    expect(orderModes(["keep-train", "x", "retrain"])).toEqual(["retrain", "keep-train", "x"]);
  });
});

describe("facetWrap", () => {
  it("wraps panels into as many ≥260 px columns as fit, one at 400 px", () => {
    const w = facetWrap(["a", "b", "c", "d", "e"], 800);
    expect([w.columns, w.rows]).toEqual([3, 2]);
    expect(["a", "b", "c", "d", "e"].map((p) => [w.fx(p), w.fy(p)])).toEqual([[0, 0], [1, 0], [2, 0], [0, 1], [1, 1]]);
    expect(facetWrap(["a", "b"], 400).columns).toBe(1);
    expect(facetWrap(["a", "b"], 2000).columns).toBe(2);
    expect(() => w.fx("z")).toThrow(/"z" is not one of the panels/);
    expect(() => facetWrap([], 800)).toThrow(/no panels/);
  });
});
