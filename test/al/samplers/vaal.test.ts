/**
 * The pure half of VAAL: score = 1 − labelledness, top k, ties → lowest index, and its options.
 * The β-VAE and discriminator that make `labelledness` are tested in test/learners/vaal/.
 */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { getSampler } from "../../../lib/al/samplers/index.ts";
import { parseVaalOptions, vaal, vaalOptionsOf, vaalScores } from "../../../lib/al/samplers/vaal.ts";
import { expectValidSelection } from "./expect-selection.ts";

const context = () => ({ random: createRandom(1, "select", 1) });

describe("vaal (the sampler)", () => {
  it("scores 1 − D and selects the unlabelled points D finds least labelled, ties to the lowest index", () => {
    const labelledness = Float32Array.of(0.9, 0.25, 0.1, 0.5, 0.25, 0.75);
    const labelled = Uint8Array.of(0, 0, 1, 0, 0, 0);
    const scores = vaal.score!({ labelledness, labelled }, parseVaalOptions({}, "o"));
    [0.1, 0.75, 0.9, 0.5, 0.75, 0.25].forEach((v, i) => expect(scores[i]).toBeCloseTo(v, 6));
    // Point 2 (0.1) is labelled; points 1 and 4 tie at 0.25 → 1 first; then 3 (0.5), 5 (0.75).
    expect(Array.from(vaal.select({ labelledness, labelled }, 4, parseVaalOptions({}, "o"), context()))).toEqual([1, 4, 3, 5]);
    expect(getSampler("vaal", "sampler")).toBe(vaal);
  });

  it("property: picks are k distinct unlabelled points, each no more labelled-looking than any unpicked one", () => {
    const r = createRandom(17, "vaal-property");
    for (let t = 0; t < 100; t++) {
      const n = 2 + r.int(80);
      // Saturated sigmoids give exact 0s, 1s and ties.
      const labelledness = Float32Array.from({ length: n }, () => [0, 1, 0.5][r.int(5)] ?? r.next());
      const labelled = Uint8Array.from({ length: n }, (_, i) => (i > 0 && r.next() < 0.4 ? 1 : 0));
      const free = labelled.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
      const k = 1 + r.int(free);
      const options = parseVaalOptions({}, "o");
      const picked = expectValidSelection(vaal, { labelledness, labelled }, k, options, context, `case ${t}`);
      const worstPicked = Math.max(...Array.from(picked, (i) => labelledness[i]!));
      for (let i = 0; i < n; i++) {
        if (labelled[i] || picked.includes(i)) continue;
        // An unpicked point ranks after every pick: higher D, or equal D and a higher index.
        expect(labelledness[i]! > worstPicked || (labelledness[i] === worstPicked && i > Math.max(...Array.from(picked).filter((j) => labelledness[j] === worstPicked))), `case ${t} point ${i}`).toBe(true);
      }
    }
    expect(vaalScores(Float32Array.of(0, 1))).toEqual(Float64Array.of(1, 0));
  });

  it("refuses a missing, short or out-of-range labelledness in one line naming the point", () => {
    const labelled = new Uint8Array(3);
    const options = parseVaalOptions({}, "o");
    expect(() => vaal.select({ labelled }, 1, options, context())).toThrow(/^vaal: needs "labelledness" but the runner gave none$/);
    expect(() => vaal.select({ labelledness: Float32Array.of(0.5, 0.5), labelled }, 1, options, context())).toThrow(
      /^vaal: labelledness has 2 values but the pool has 3 points; pass one per pool point$/,
    );
    expect(() => vaal.score!({ labelledness: Float32Array.of(0.5, NaN, 0.2), labelled }, options)).toThrow(/^vaal: labelledness of pool point 1 is NaN; expected a discriminator output in \[0, 1\]$/);
    expect(() => vaal.score!({ labelledness: Float32Array.of(0.5, 0.1, 1.5), labelled }, options)).toThrow(/pool point 2 is 1\.5/);
    expect(() => vaal.select({ labelledness: Float32Array.of(0.5, 0.1, 0.2), labelled }, 4, options, context())).toThrow(/exceeds the/);
  });

  it("parses its options with defaults and one-line errors naming the key", () => {
    expect(parseVaalOptions(undefined, "o")).toEqual({ latent: 32, hidden: 128, beta: 1, adversarialWeight: 1, epochs: 10, batchSize: 64, learningRate: 5e-4 });
    expect(parseVaalOptions({ latent: 8, adversarialWeight: 0 }, "o")).toMatchObject({ latent: 8, adversarialWeight: 0, hidden: 128 });
    expect(() => parseVaalOptions({ latent: 0 }, "samplers[0].options")).toThrow(/samplers\[0\]\.options\.latent: expected a whole number ≥ 1/);
    expect(() => parseVaalOptions({ beta: "high" }, "o")).toThrow(/o\.beta: expected a number > 0/);
    expect(() => parseVaalOptions({ adversarialWeight: -1 }, "o")).toThrow(/o\.adversarialWeight: expected a number ≥ 0/);
    expect(() => parseVaalOptions({ lambda: 1 }, "o")).toThrow(/lambda/);
  });

  it("vaalOptionsOf takes the VAAL keys of any sampler's options and defaults the rest", () => {
    expect(vaalOptionsOf({ epochs: 2, temperature: 3 })).toEqual({ ...parseVaalOptions({}, "o"), epochs: 2 });
    expect(() => vaalOptionsOf({ epochs: 0 })).toThrow(/sampler\.options\.epochs: expected a whole number ≥ 1/);
  });
});
