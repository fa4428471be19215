import { describe, expect, it } from "vitest";
import { iconfidence, iconfidenceScores } from "../../../lib/al/samplers/iconfidence.ts";
import { leastConfidence } from "../../../lib/al/samplers/least-confidence.ts";
import { contextFor, matrixOf } from "./diversity-fixtures.ts";

describe("iconfidence", () => {
  const probs = matrixOf([[0.9, 0.1], [0.5, 0.5], [0.6, 0.4]]);
  const referenceProbs = Float32Array.of(1, 0.05, 0.3);

  it("caps least confidence with the reference probability", () => {
    // 1 − max p = 0.1, 0.5, 0.4; caps 1, 0.05, 0.3 → min: 0.1, 0.05, 0.3.
    const s = iconfidenceScores(probs, referenceProbs);
    [0.1, 0.05, 0.3].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
    // The ambiguous point 1 (least confident, but the reference also fails on it) drops to last.
    const labelled = new Uint8Array(3);
    expect(Array.from(iconfidence.select({ probs, referenceProbs, labelled }, 3, {}, contextFor(1)))).toEqual([2, 0, 1]);
    expect(Array.from(leastConfidence.select({ probs, labelled }, 3, {}, contextFor(1)))).toEqual([1, 2, 0]);
    expect(iconfidence.score!({ probs, referenceProbs, labelled }, {})).toEqual(s);
  });

  it("names the missing reference probabilities and rejects values outside [0, 1]", () => {
    const labelled = new Uint8Array(3);
    expect(() => iconfidence.select({ probs, labelled }, 1, {}, contextFor(1))).toThrow(
      'iconfidence: needs "referenceProbs" but the runner gave none',
    );
    expect(() => iconfidence.select({ probs, labelled, referenceProbs: Float32Array.of(1, 2) }, 1, {}, contextFor(1))).toThrow(
      /referenceProbs has 2 values but the pool has 3 points/,
    );
    expect(() => iconfidence.select({ probs, labelled, referenceProbs: Float32Array.of(1, NaN, 0) }, 1, {}, contextFor(1))).toThrow(
      "iconfidence: referenceProbs row 1 holds NaN; each value must be a probability, a finite number in [0, 1]",
    );
  });
});
