import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { getSampler } from "../../../lib/al/samplers/index.ts";
import { labelDispersion, labelDispersionScores } from "../../../lib/al/samplers/label-dispersion.ts";
import type { EpochPredictions } from "../../../lib/al/samplers/sampler.ts";
import { variationRatioScores } from "../../../lib/al/samplers/variation-ratios.ts";
import { contextFor } from "./diversity-fixtures.ts";
import { expectValidSelection } from "./expect-selection.ts";

/** Rows of per-epoch classes → the N×E record. */
function record(rows: number[][]): EpochPredictions {
  const e = rows[0]!.length;
  return { data: Int32Array.from(rows.flat()), n: rows.length, e };
}

describe("label-dispersion", () => {
  // Five epochs of predictions for five pool points.
  const epochs = record([
    [2, 2, 2, 2, 2], // never changes: 1 − 5/5 = 0
    [0, 1, 0, 1, 0], // mode 0 ×3: 1 − 3/5 = 0.4
    [0, 1, 2, 3, 4], // all different: 1 − 1/5 = 0.8
    [1, 1, 1, 1, 0], // mode 1 ×4: 1 − 4/5 = 0.2
    [3, 0, 3, 0, 7], // modes 3 and 0 ×2: 1 − 2/5 = 0.6
  ]);

  it("is 1 − (count of the most frequent class) / E, by hand", () => {
    const s = labelDispersionScores(epochs);
    [0, 0.4, 0.8, 0.2, 0.6].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
    const labelled = new Uint8Array(5);
    expect(labelDispersion.score!({ epochPredictions: epochs, labelled }, {})).toEqual(s);
  });

  it("selects the most dispersed unlabelled points, ties to the lowest index", () => {
    const labelled = Uint8Array.of(0, 0, 1, 0, 0);
    // Point 2 (0.8) is labelled; then 0.6, 0.4, 0.2, 0.
    expect(Array.from(labelDispersion.select({ epochPredictions: epochs, labelled }, 4, {}, contextFor(1)))).toEqual([4, 1, 3, 0]);
    // Three points with dispersion 0.5 and one with 0: ties go to the lowest index.
    const tied = record([[1, 1], [0, 1], [2, 0], [3, 4]]);
    expect(Array.from(labelDispersion.select({ epochPredictions: tied, labelled: new Uint8Array(4) }, 2, {}, contextFor(1)))).toEqual([1, 2]);
  });

  it("equals variation ratios over one-hot 'samples', one per epoch (the same formula, another implementation)", () => {
    const r = createRandom(11, "dispersion-vs-vr");
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + r.int(30);
      const e = 1 + r.int(12);
      const c = 1 + r.int(5);
      const data = Int32Array.from({ length: n * e }, () => r.int(c));
      const oneHot = new Float32Array(n * e * c);
      for (let k = 0; k < n * e; k++) oneHot[k * c + data[k]!] = 1;
      const ours = labelDispersionScores({ data, n, e });
      const theirs = variationRatioScores({ data: oneHot, n, t: e, c });
      for (let i = 0; i < n; i++) expect(ours[i], `trial ${trial} point ${i}`).toBeCloseTo(theirs[i]!, 12);
    }
  });

  it("properties: in [0, 1 − 1/E] (at most 1 − ⌈E/C⌉/E), 0 exactly when constant, order of epochs irrelevant", () => {
    const r = createRandom(3, "dispersion-properties");
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + r.int(40);
      const e = 1 + r.int(10);
      const c = 1 + r.int(6);
      const data = new Int32Array(n * e);
      const constant = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        constant[i] = r.int(3) === 0 ? 1 : 0;
        const first = r.int(c);
        for (let j = 0; j < e; j++) data[i * e + j] = constant[i] ? first : r.int(c);
      }
      const s = labelDispersionScores({ data, n, e });
      // The same epochs in reverse order.
      const reversed = Int32Array.from({ length: n * e }, (_, k) => data[Math.floor(k / e) * e + (e - 1 - (k % e))]!);
      const back = labelDispersionScores({ data: reversed, n, e });
      for (let i = 0; i < n; i++) {
        const where = `trial ${trial} (n=${n}, e=${e}, c=${c}) point ${i}`;
        const row = Array.from(data.subarray(i * e, (i + 1) * e));
        expect(s[i], where).toBeGreaterThanOrEqual(0);
        expect(s[i]! <= 1 - 1 / e + 1e-12, where).toBe(true);
        expect(s[i]! <= 1 - Math.ceil(e / c) / e + 1e-12, where).toBe(true);
        expect(s[i] === 0, where).toBe(row.every((v) => v === row[0]));
        if (constant[i]) expect(s[i], where).toBe(0);
        expect(back[i], where).toBe(s[i]);
      }
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
      const open = labelled.reduce((sum, v) => sum + (v === 0 ? 1 : 0), 0);
      if (open > 0) {
        expectValidSelection(labelDispersion, { epochPredictions: { data, n, e }, labelled }, 1 + r.int(open), {}, () => contextFor(trial), `trial ${trial}`);
      }
    }
  });

  it("the stochastic wrapper draws from it (its coarse scores tie often) and asks only for the record", () => {
    const stochastic = getSampler("stochastic", "sampler") as ReturnType<typeof getSampler> & { needsFor(o: object): readonly string[] };
    const options = stochastic.parseOptions({ score: "label-dispersion", method: "softmax", temperature: 0.05 }, "sampler.options");
    expect(stochastic.needsFor(options)).toEqual(["epochPredictions"]);
    // Points 1–3 tie at 0.5, point 0 has 0: top-k would always take 1 and 2; the draws share
    // the tie between all three and (at this temperature, weight e^−10) never take point 0.
    const tied = record([[1, 1], [0, 1], [2, 0], [3, 4]]);
    const labelled = new Uint8Array(4);
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const picked = Array.from(stochastic.select({ epochPredictions: tied, labelled }, 2, options, contextFor(seed)));
      expect(new Set(picked).size).toBe(2);
      expect(picked).not.toContain(0);
      seen.add([...picked].sort().join(","));
    }
    expect([...seen].sort()).toEqual(["1,2", "1,3", "2,3"]);
  });

  it("refuses a missing or malformed record with one line naming the sampler", () => {
    const labelled = new Uint8Array(5);
    expect(() => labelDispersion.select({ labelled }, 1, {}, contextFor(1))).toThrow(
      'label-dispersion: needs "epochPredictions" but the runner gave none',
    );
    expect(() => labelDispersion.select({ epochPredictions: record([[0, 1]]), labelled }, 1, {}, contextFor(1))).toThrow(
      "label-dispersion: epochPredictions has 1 rows but the pool has 5 points; pass one row per pool point",
    );
    expect(() => labelDispersion.select({ epochPredictions: { data: new Int32Array(0), n: 5, e: 0 }, labelled }, 1, {}, contextFor(1))).toThrow(
      "label-dispersion: epochPredictions has 0 epochs; record at least one epoch per pool point",
    );
    expect(() => labelDispersion.select({ epochPredictions: { data: new Int32Array(9), n: 5, e: 2 }, labelled }, 1, {}, contextFor(1))).toThrow(
      "label-dispersion: epochPredictions data has 9 values, expected 5×2 = 10; pass an Int32Array of class indices",
    );
    const negative = record([[0, 0], [1, 1], [0, -1], [2, 2], [0, 1]]);
    expect(() => labelDispersion.select({ epochPredictions: negative, labelled }, 1, {}, contextFor(1))).toThrow(
      "label-dispersion: epochPredictions row 2 (epoch 1) holds -1; predicted classes are indices ≥ 0",
    );
    expect(() => labelDispersion.parseOptions({ epochs: 3 }, "experiments[0].sampler.options")).toThrow(/unknown option "epochs"/);
  });
});
