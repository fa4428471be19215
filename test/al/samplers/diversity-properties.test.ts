import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { badge } from "../../../lib/al/samplers/badge.ts";
import { cal } from "../../../lib/al/samplers/cal.ts";
import { egl } from "../../../lib/al/samplers/egl.ts";
import { iconfidence } from "../../../lib/al/samplers/iconfidence.ts";
import { informationDensity } from "../../../lib/al/samplers/information-density.ts";
import { iwkmeans } from "../../../lib/al/samplers/iwkmeans.ts";
import { kcenterGreedy } from "../../../lib/al/samplers/kcenter-greedy.ts";
import { kmeans } from "../../../lib/al/samplers/kmeans.ts";
import type { Sampler, SamplerInput, SamplerInputs } from "../../../lib/al/samplers/sampler.ts";
import { typicality } from "../../../lib/al/samplers/typicality.ts";
import { wkmeans } from "../../../lib/al/samplers/wkmeans.ts";
import { contextFor, randomInputs } from "./diversity-fixtures.ts";
import { expectValidSelection } from "./expect-selection.ts";

const samplers = [kcenterGreedy, kmeans, wkmeans, iwkmeans, iconfidence, informationDensity, typicality, badge, egl, cal] as Sampler<object>[];

/** `inputs` without one field. */
function without(inputs: SamplerInputs, need: SamplerInput): SamplerInputs {
  const copy: SamplerInputs = { ...inputs };
  delete copy[need];
  return copy;
}

describe("diversity and hybrid samplers over 150 random pools", () => {
  it("return k distinct unlabelled in-range indices, deterministically, and name what is missing", () => {
    const r = createRandom(77, "diversity-properties");
    let selections = 0;
    for (let t = 0; t < 150; t++) {
      const n = 1 + r.int(80);
      const c = 1 + r.int(6);
      const d = 1 + r.int(6);
      // A quarter of the pools have nothing labelled (cold start).
      const density = r.int(4) === 0 ? 0 : r.next();
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < density ? 1 : 0));
      const unlabelled = labelled.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
      const inputs = randomInputs(t, n, c, d, labelled);

      for (const sampler of samplers) {
        const where = `case ${t} (n=${n}, c=${c}, d=${d}, unlabelled=${unlabelled}) ${sampler.name}`;
        const options = sampler.parseOptions(undefined, "options");
        for (const need of sampler.needs) {
          expect(() => sampler.select(without(inputs, need), Math.max(1, unlabelled), options, contextFor(t)), where).toThrow(
            `${sampler.name}: needs "${need}" but the runner gave none`,
          );
        }
        expect(() => sampler.select(inputs, unlabelled + 1, options, contextFor(t)), where).toThrow(
          `${sampler.name}: k = ${unlabelled + 1} exceeds the ${unlabelled} unlabelled pool points; lower the acquisition size`,
        );
        expect(() => sampler.select(inputs, 0, options, contextFor(t)), where).toThrow(/k = 0 must be a whole number ≥ 1/);
        const scores = sampler.score?.(inputs, options);
        if (scores) {
          expect(scores.length, where).toBe(n);
          for (const s of scores) expect(Number.isFinite(s), where).toBe(true);
        }
        if (unlabelled === 0) continue;

        const k = 1 + r.int(unlabelled);
        expectValidSelection(sampler, inputs, k, options, () => contextFor(t), where);
        selections++;
      }
    }
    expect(selections).toBeGreaterThan(1000);
  });
});
