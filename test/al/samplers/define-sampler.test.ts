/** defineSampler: score → top-k over the unlabelled points, select checked like the loop checks a sampler. */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { checkSelection, defineSampler } from "../../../lib/al/samplers/define-sampler.ts";
import type { SamplerInputs } from "../../../lib/al/samplers/sampler.ts";
import { matrixOf } from "./diversity-fixtures.ts";

const context = (seed = 1) => ({ random: createRandom(seed, "select") });

describe("defineSampler with a score", () => {
  // Scores 0.125, 0.875, 0.5, 0.875, 0.25 (exact in float32) with point 3 labelled: the best
  // unlabelled are 1 (0.875), then 2 (0.5).
  const scores = [0.125, 0.875, 0.5, 0.875, 0.25];
  const inputs: SamplerInputs = { probs: matrixOf(scores.map((s) => [s, 1 - s])), labelled: Uint8Array.of(0, 0, 0, 1, 0) };
  const first = defineSampler({ name: "first-column", needs: ["probs"], score: (x) => Array.from({ length: x.probs!.n }, (_, i) => x.probs!.data[i * 2]!) });

  it("takes the k best unlabelled points, best first, and keeps the score for summaries", () => {
    expect(Array.from(first.select(inputs, 2, {}, context()))).toEqual([1, 2]);
    // k = 4: 1 (0.875), 2 (0.5), 4 (0.25), 0 (0.125); the labelled 3 never.
    expect(Array.from(first.select(inputs, 4, {}, context()))).toEqual([1, 2, 4, 0]);
    expect(Array.from(first.score!(inputs, {}))).toEqual(scores);
    expect(first.needs).toEqual(["probs"]);
    expect(first.tasks).toBeUndefined();
  });

  it("breaks ties towards the lowest index", () => {
    const flat = defineSampler({ name: "flat", needs: [], score: (x) => [0.5, 0.2, 0.5, 0.5].slice(0, x.labelled.length) });
    expect(Array.from(flat.select({ labelled: Uint8Array.of(1, 0, 0, 0) }, 2, {}, context()))).toEqual([2, 3]);
  });

  it("passes its options to the score; the stored options are the defined ones", () => {
    const shifted = defineSampler({
      name: "distance-to",
      needs: ["probs"],
      options: { target: 0.5 },
      score: (x, o) => Array.from({ length: x.probs!.n }, (_, i) => -Math.abs(x.probs!.data[i * 2]! - o.target)),
    });
    // |s − 0.5|: 0.375, 0.375, 0, (labelled), 0.25 → 2, 4, then 0 and 1 tie at 0.375 → 0.
    expect(Array.from(shifted.select(inputs, 3, shifted.parseOptions(undefined, "o"), context()))).toEqual([2, 4, 0]);
    // Target 0.125: 0, 0.75, 0.375, -, 0.125 → 0, 4, 2.
    expect(Array.from(shifted.select(inputs, 3, shifted.parseOptions({ target: 0.125 }, "o"), context()))).toEqual([0, 4, 2]);
    expect(shifted.defined.options).toEqual({ target: 0.5 });
    expect(JSON.parse(JSON.stringify(shifted))).toMatchObject({ name: "distance-to", options: { target: 0.5 }, kind: "defined-sampler" });
  });

  it("refuses scores of the wrong length or NaN where a point can be picked, naming the sampler", () => {
    const short = defineSampler({ name: "short", needs: [], score: () => [1, 2] });
    expect(() => short.select(inputs, 1, {}, context())).toThrow("short: score returned 2 values for 5 pool points; return one number per pool point");
    const nan = defineSampler({ name: "nan", needs: [], score: () => [0, 1, Number.NaN, 1, 0] });
    expect(() => nan.select(inputs, 1, {}, context())).toThrow("nan: score of pool point 2 is NaN");
    // NaN on a labelled point is never read.
    const labelledNaN = defineSampler({ name: "nan-labelled", needs: [], score: () => [0, 1, 0, Number.NaN, 0] });
    expect(Array.from(labelledNaN.select(inputs, 1, {}, context()))).toEqual([1]);
  });

  it("checks k and the declared inputs", () => {
    expect(() => first.select(inputs, 5, {}, context())).toThrow("first-column: k = 5 exceeds the 4 unlabelled pool points");
    expect(() => first.select({ labelled: new Uint8Array(5) }, 1, {}, context())).toThrow('first-column: needs "probs" but got none');
  });
});

describe("defineSampler with a select", () => {
  const labelled = Uint8Array.of(0, 1, 0, 0, 0);
  const returning = (name: string, picks: number[]) => defineSampler({ name, needs: [], select: () => picks });

  it("gets the seeded stream and its options, and returns what it picked", () => {
    const seen: unknown[] = [];
    const s = defineSampler({
      name: "draws",
      needs: [],
      options: { step: 2 },
      select: (x, k, { random, options }) => {
        seen.push(random.next(), options);
        return [0, 2, 4].slice(0, k);
      },
    });
    expect(Array.from(s.select({ labelled }, 2, s.parseOptions(undefined, "o"), context(7)))).toEqual([0, 2]);
    s.select({ labelled }, 2, { step: 3 }, context(7));
    expect(seen[0]).toBe(seen[2]);
    expect(seen[1]).toEqual({ step: 2 });
    expect(seen[3]).toEqual({ step: 3 });
  });

  it("fails with one line naming the sampler for a labelled, repeated, out-of-range or missing pick", () => {
    expect(() => returning("picks-labelled", [0, 1]).select({ labelled }, 2, {}, context())).toThrow(
      "picks-labelled: select returned pool point 1 (position 1), which is already labelled; return unlabelled points only (labelled[i] = 0)",
    );
    expect(() => returning("picks-twice", [3, 0, 3]).select({ labelled }, 3, {}, context())).toThrow(
      "picks-twice: select returned pool point 3 twice (positions 0 and 2); return k distinct points",
    );
    expect(() => returning("picks-outside", [0, 5]).select({ labelled }, 2, {}, context())).toThrow(
      "picks-outside: select returned 5 at position 1, not a pool index in [0, 5); return integer indices into the pool",
    );
    expect(() => returning("picks-half", [0, 2.5]).select({ labelled }, 2, {}, context())).toThrow("picks-half: select returned 2.5 at position 1");
    expect(() => returning("picks-few", [0]).select({ labelled }, 2, {}, context())).toThrow("picks-few: select returned 1 indices for k = 2; return exactly k");
    const nothing = defineSampler({ name: "nothing", needs: [], select: () => undefined as unknown as number[] });
    expect(() => nothing.select({ labelled }, 1, {}, context())).toThrow("nothing: select returned undefined; return an array of k pool indices");
  });

  it("checkSelection returns the picks as Int32Array", () => {
    expect(checkSelection("s", [4, 0], 2, labelled)).toEqual(Int32Array.of(4, 0));
  });
});

describe("defineSampler's own checks", () => {
  const score = () => [];
  it("rejects a bad name, unknown inputs, neither score nor select, and options that are not JSON", () => {
    expect(() => defineSampler({ name: "my score", needs: [], score })).toThrow(`defineSampler: name "my score": expected letters, digits, '.', '_' or '-'`);
    expect(() => defineSampler({ name: "s", needs: ["prob" as "probs"], score })).toThrow(
      'defineSampler("s"): needs[0]: unknown input "prob"; expected one of probs, mcSamples, embeddings, labels, referenceProbs, epochPredictions, labelledness, predictedLoss',
    );
    expect(() => defineSampler({ name: "s", needs: [] })).toThrow('defineSampler("s"): give a score(inputs, options) or a select(inputs, k, context) function');
    expect(() => defineSampler({ name: "s", needs: [], score, options: { f: (() => 1) as unknown as number } })).toThrow(
      'defineSampler("s"): options.f: options must be plain JSON (numbers, strings, booleans, lists, objects), got function',
    );
    expect(() => defineSampler({ name: "s", needs: [], score, options: { beta: Number.POSITIVE_INFINITY } })).toThrow('defineSampler("s"): options.beta: Infinity is not JSON');
  });

  it("records the source text of its functions (what the run id hashes)", () => {
    const s = defineSampler({ name: "src", needs: ["probs"], score: (x) => new Float64Array(x.labelled.length) });
    expect(Object.keys(s.defined.sources)).toEqual(["score"]);
    expect(s.defined.sources["score"]).toContain("new Float64Array");
  });
});
