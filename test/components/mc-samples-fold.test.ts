/**
 * Folding the mc_samples axis into the sampler's name (src/components/mc-samples-fold.ts), as the
 * report page does before its comparison: two MC settings of one sampler stay two curves, and
 * random (which has no MC setting) still pairs with them.
 */
import { describe, expect, it } from "vitest";
import { foldMcSamples, samplerNamer } from "../../src/components/mc-samples-fold.ts";
import { randomDifference } from "../../src/components/random-difference.ts";
import { seedSummary } from "../../src/components/seed-summary.ts";

/** One round at 20 labels for seeds 1–2: random, and bald with 10 and 20 MC-dropout samples. */
const rows = [1, 2].flatMap((seed) => [
  { dataset: "d", mc_samples: "—", sampler: "random", mode: "retrain", seed, labelled: 20, accuracy: 0.5 + seed / 100 },
  { dataset: "d", mc_samples: "mc-dropout 10", sampler: "bald", mode: "retrain", seed, labelled: 20, accuracy: 0.6 + seed / 100 },
  { dataset: "d", mc_samples: "mc-dropout 20", sampler: "bald", mode: "retrain", seed, labelled: 20, accuracy: 0.7 + seed / 100 },
]);

describe("foldMcSamples", () => {
  it("names a sampler with its MC setting only where it has several", () => {
    const name = samplerNamer(rows);
    expect(rows.slice(0, 3).map(name)).toEqual(["random", "bald · mc-dropout 10", "bald · mc-dropout 20"]);
    // One setting only: the plain name.
    expect(samplerNamer(rows.filter((r) => r.mc_samples !== "mc-dropout 20"))(rows[1]!)).toBe("bald");
    // A sampler the namer has not seen keeps its name.
    expect(name({ sampler: "margin", mc_samples: "—" })).toBe("margin");
  });

  it("keeps two MC settings apart and pairs each with random (the pooled or unpaired result would differ)", () => {
    const folded = foldMcSamples(rows);
    expect(new Set(folded.map((r) => r.mc_samples))).toEqual(new Set(["—"]));
    const means = seedSummary(folded, { metric: "accuracy" }).map((s) => [s.sampler, +s.mean.toFixed(6)]);
    // bald 10: (0.61 + 0.62) / 2; bald 20: (0.71 + 0.72) / 2 — never the pooled 0.665.
    expect(means).toEqual(expect.arrayContaining([["random", 0.515], ["bald · mc-dropout 10", 0.615], ["bald · mc-dropout 20", 0.715]]));
    expect(means).toHaveLength(3);
    const diff = randomDifference(folded, { metric: "accuracy" }).map((d) => [d.sampler, d.seed, +d.difference.toFixed(6)]);
    expect(diff).toEqual([["bald · mc-dropout 10", 1, 0.1], ["bald · mc-dropout 20", 1, 0.2], ["bald · mc-dropout 10", 2, 0.1], ["bald · mc-dropout 20", 2, 0.2]]);
    // Unfolded, mc_samples is a key column: random shares no cell with bald, so nothing pairs.
    expect(randomDifference(rows, { metric: "accuracy" })).toEqual([]);
  });

  it("names other rows (stored summaries) with the rounds' namer", () => {
    const summaries = [{ sampler: "bald", mc_samples: "mc-dropout 20", name: "aulc_accuracy", value: 0.7 }];
    expect(foldMcSamples(summaries, { namer: samplerNamer(rows) })).toEqual([{ sampler: "bald · mc-dropout 20", mc_samples: "—", name: "aulc_accuracy", value: 0.7 }]);
  });
});
