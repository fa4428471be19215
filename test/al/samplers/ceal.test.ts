/**
 * The ceal sampler: its selection and score are the base criterion's, its options are checked
 * in one line each, and its pseudoLabel capability is lib/al/pseudo-labels.ts with its options.
 */
import { describe, expect, it } from "vitest";
import { pseudoLabels } from "../../../lib/al/pseudo-labels.ts";
import { ceal } from "../../../lib/al/samplers/ceal.ts";
import { entropy } from "../../../lib/al/samplers/entropy.ts";
import { getSampler } from "../../../lib/al/samplers/index.ts";
import { leastConfidence } from "../../../lib/al/samplers/least-confidence.ts";
import { margin } from "../../../lib/al/samplers/margin.ts";
import { contextFor, matrixOf, randomProbs } from "./diversity-fixtures.ts";
import { expectValidSelection } from "./expect-selection.ts";

const parse = (options: unknown) => ceal.parseOptions(options, "experiments/x.ts: samplers[0].options");

describe("ceal", () => {
  it("is registered, with the paper's defaults: entropy, δ₀ = 0.005, dr = 0.00033, no cap", () => {
    expect(getSampler("ceal", "s")).toBe(ceal);
    expect(parse(undefined)).toEqual({ base: "entropy", threshold: 0.005, decay: 0.00033 });
    expect(parse({ base: "margin", threshold: 0.1, decay: 0, maxPseudoLabels: 50 })).toEqual({ base: "margin", threshold: 0.1, decay: 0, maxPseudoLabels: 50 });
  });

  it("selects by hand as its base: entropy, margin or least confidence", () => {
    const probs = matrixOf([
      [0.5, 0.5, 0], // H 0.693, margin score 1, LC 0.5
      [0.4, 0.3, 0.3], // H 1.089, margin score 0.9, LC 0.6
      [0.9, 0.05, 0.05], // H 0.394
      [0.6, 0.4, 0], // H 0.673, margin score 0.8, LC 0.4
    ]);
    const inputs = { probs, labelled: new Uint8Array(4) };
    const pick = (base: string) => Array.from(ceal.select(inputs, 2, parse({ base }), contextFor(1)));
    expect(pick("entropy")).toEqual([1, 0]);
    expect(pick("margin")).toEqual([0, 1]);
    expect(pick("least-confidence")).toEqual([1, 0]);
  });

  it("equals its base's selection and score on random pools", () => {
    const bases = { entropy, margin, "least-confidence": leastConfidence } as const;
    for (let trial = 0; trial < 30; trial++) {
      const probs = randomProbs(100 + trial, 40, 4);
      const labelled = Uint8Array.from({ length: 40 }, (_, i) => (i % 5 === trial % 5 ? 1 : 0));
      for (const [name, base] of Object.entries(bases)) {
        const options = parse({ base: name });
        const where = `trial ${trial} ${name}`;
        const chosen = expectValidSelection(ceal, { probs, labelled }, 7, options, () => contextFor(trial), where);
        expect(chosen, where).toEqual(base.select({ probs, labelled }, 7, {}, contextFor(trial)));
        expect(ceal.score!({ probs, labelled }, options), where).toEqual(base.score!({ probs, labelled }, {}));
      }
    }
  });

  it("pseudoLabel passes its options on (threshold, decay, cap)", () => {
    const probs = randomProbs(7, 50, 3);
    const blocked = Uint8Array.from({ length: 50 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const options = parse({ threshold: 0.6, decay: 0.1, maxPseudoLabels: 9 });
    const ours = ceal.pseudoLabel!(probs, blocked, 2, options);
    expect(ours).toEqual(pseudoLabels(probs, blocked, 2, { threshold: 0.6, decay: 0.1, maxPseudoLabels: 9 }));
    expect(ours.points.length).toBe(9);
  });

  it("refuses bad options with one line naming the key", () => {
    expect(() => parse({ base: "bald" })).toThrow(/^experiments\/x\.ts: samplers\[0\]\.options\.base: expected one of "least-confidence", "margin", "entropy"/);
    expect(() => parse({ threshold: -1 })).toThrow(/^experiments\/x\.ts: samplers\[0\]\.options\.threshold: expected a number ≥ 0/);
    expect(() => parse({ decay: "fast" })).toThrow(/^experiments\/x\.ts: samplers\[0\]\.options\.decay: expected a number ≥ 0/);
    expect(() => parse({ maxPseudoLabels: 2.5 })).toThrow(/^experiments\/x\.ts: samplers\[0\]\.options\.maxPseudoLabels: expected a whole number ≥ 1/);
    expect(() => parse({ delta: 0.1 })).toThrow(/^experiments\/x\.ts: samplers\[0\]\.options/);
    for (const bad of [{ base: "bald" }, { threshold: -1 }, { delta: 0.1 }]) {
      try {
        parse(bad);
      } catch (error) {
        expect((error as Error).message).not.toMatch(/\n/);
      }
    }
  });
});
