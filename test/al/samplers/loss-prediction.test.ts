/** The loss-prediction sampler: a pure ranking of the predicted losses it is given. */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { getSampler } from "../../../lib/al/samplers/index.ts";
import { lossPrediction } from "../../../lib/al/samplers/loss-prediction.ts";

const context = { random: createRandom(1, "select") };
const select = (predictedLoss: Float32Array, labelled: Uint8Array, k: number) => Array.from(lossPrediction.select({ predictedLoss, labelled }, k, {}, context));

describe("loss-prediction sampler", () => {
  it("takes the highest predicted losses among the unlabelled points, ties to the lowest index", () => {
    // Point 1 (4.0) is labelled; then 0.9 at 3, the tie 0.5 at 0 and 4, −1 at 2.
    const predicted = Float32Array.of(0.5, 4, -1, 0.9, 0.5);
    const labelled = Uint8Array.of(0, 1, 0, 0, 0);
    expect(select(predicted, labelled, 1)).toEqual([3]);
    expect(select(predicted, labelled, 3)).toEqual([3, 0, 4]);
    expect(select(predicted, labelled, 4)).toEqual([3, 0, 4, 2]);
    expect(Array.from(lossPrediction.score!({ predictedLoss: predicted, labelled }, {}))).toEqual(Array.from(predicted));
  });

  it("selects k distinct unlabelled points whose scores none left behind beats (200 random pools)", () => {
    const r = createRandom(7, "loss-prediction");
    for (let t = 0; t < 200; t++) {
      const n = 1 + r.int(50);
      const predicted = Float32Array.from({ length: n }, () => r.int(10) - 3);
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
      const free = labelled.filter((v) => v === 0).length;
      if (free === 0) continue;
      const k = 1 + r.int(free);
      const picked = select(predicted, labelled, k);
      expect(new Set(picked).size).toBe(k);
      const chosen = new Set(picked);
      const lowest = Math.min(...picked.map((i) => predicted[i]!));
      for (let i = 0; i < n; i++) {
        if (labelled[i]) expect(chosen.has(i)).toBe(false);
        else if (!chosen.has(i)) expect(predicted[i]!).toBeLessThanOrEqual(lowest);
      }
    }
  });

  it("the stochastic wrapper draws from it by softmax (predicted losses may be negative) and asks only for them", () => {
    const stochastic = getSampler("stochastic", "sampler") as ReturnType<typeof getSampler> & { needsFor(o: object): readonly string[] };
    const options = stochastic.parseOptions({ score: "loss-prediction", method: "softmax", temperature: 0.05 }, "sampler.options");
    expect(stochastic.needsFor(options)).toEqual(["predictedLoss"]);
    // Points 1–3 tie at 0.25, point 0 is 1 lower (weight e^−20 at this temperature): top-k would
    // always take 1 and 2; the draws share the tie between all three and never take point 0.
    const predictedLoss = Float32Array.of(-0.75, 0.25, 0.25, 0.25);
    const labelled = new Uint8Array(4);
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const picked = Array.from(stochastic.select({ predictedLoss, labelled }, 2, options, { random: createRandom(seed, "select") }));
      expect(new Set(picked).size).toBe(2);
      expect(picked).not.toContain(0);
      seen.add([...picked].sort().join(","));
    }
    expect([...seen].sort()).toEqual(["1,2", "1,3", "2,3"]);
  });

  it("refuses missing, mis-sized or non-finite predicted losses in one line", () => {
    const labelled = new Uint8Array(3);
    expect(() => lossPrediction.select({ labelled }, 1, {}, context)).toThrow(/^loss-prediction: needs "predictedLoss" but the runner gave none$/);
    expect(() => select(Float32Array.of(1, 2), labelled, 1)).toThrow(/^loss-prediction: predictedLoss has 2 values but the pool has 3 points; pass one per pool point$/);
    expect(() => select(Float32Array.of(1, NaN, 2), labelled, 1)).toThrow(/^loss-prediction: predictedLoss of pool point 1 is NaN; predicted losses must be finite numbers$/);
    expect(lossPrediction.needs).toEqual(["predictedLoss"]);
  });
});
