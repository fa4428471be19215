/**
 * Folding the mc_samples axis into the sampler's name (src/components/mc-samples-fold.ts), as the
 * report page does before its comparison: two MC settings of one sampler stay two curves, and
 * random (which has no MC setting) still pairs with them.
 */
import { describe, expect, it } from "vitest";
import { foldMcSamples, samplerNamer } from "../../src/components/mc-samples-fold.ts";
import { randomDifference } from "../../src/components/random-difference.ts";
import { seedSummary } from "../../src/components/seed-summary.ts";
import { adviceCounts } from "../../src/components/advice-list.ts";
import { GRID_AXIS_NAMES, type AxisLabels } from "../../src/components/grid-axes.ts";
import { modeDifference } from "../../src/components/mode-difference.ts";
import { rankingFlips } from "../../src/components/ranking-flips.ts";
import { stoppingSummary } from "../../src/components/stopping-table.ts";
import { histogramBars, varyingKeys, type HistogramData, type HistogramRun } from "../../src/components/uncertainty-histogram.ts";

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

/**
 * The other report pages fold the same way before they pick a setting (modes.md, seeds.md,
 * diagnostics.md, uncertainty.md): mc_samples is then no picked axis, and random (no MC setting)
 * lands in the same selection as bald (one MC setting) instead of a picker value of its own.
 */
describe("the per-page data paths after the fold", () => {
  // Two seeds, two rounds, both modes: random ("—") and bald with one MC setting.
  const runs = (["retrain", "keep-train"] as const).flatMap((mode) =>
    [1, 2].flatMap((seed) =>
      [
        { sampler: "random", mc_samples: "—", base: 0.5 },
        { sampler: "bald", mc_samples: "mc-dropout 10", base: 0.6 },
      ].flatMap(({ sampler, mc_samples, base }) =>
        [0, 1].map((round) => ({ dataset: "d", mc_samples, sampler, mode, seed, round, labelled: 10 + 10 * round, accuracy: base + round / 10 + seed / 100 - (mode === "keep-train" ? 0.05 : 0) })),
      ),
    ),
  );
  /** The axes a page offers as pickers: the grid axes whose values differ (as the pages compute `varying`). */
  const varying = (rows: ReadonlyArray<Record<string, unknown>>) => GRID_AXIS_NAMES.filter((a) => new Set(rows.map((r) => r[a] ?? "—")).size > 1);

  it("modes: no mc_samples picker; keep-train − retrain pairs for random and bald alike", () => {
    expect(varying(runs)).toEqual(["mc_samples"]);
    const folded = foldMcSamples(runs);
    expect(varying(folded)).toEqual([]);
    const diffs = modeDifference(folded, { metric: "accuracy" });
    // keep-train − retrain: every pair differs by the 0.05 keep-train was made worse by; both samplers, both rounds.
    expect(diffs.map((d) => [d.sampler, d.labelled, +d.mean.toFixed(6), d.n])).toEqual(
      expect.arrayContaining([["random", 10, -0.05, 2], ["random", 20, -0.05, 2], ["bald", 10, -0.05, 2], ["bald", 20, -0.05, 2]]),
    );
    expect(diffs).toHaveLength(4);
  });

  it("seeds: random and bald are ranked against each other per seed", () => {
    const flips = rankingFlips(foldMcSamples(runs).filter((r) => r.mode === "retrain"), { metric: "accuracy" });
    expect(flips).toHaveLength(1);
    expect(flips[0]!.reason).toBeNull();
    expect(flips[0]!.samplers).toEqual(["random", "bald"]);
    // bald is 0.1 above random at both rounds for each seed: rank 1 (higher is better).
    expect(flips[0]!.meanOrder).toEqual(["bald", "random"]);
  });

  it("diagnostics: stopping and advice of random and bald in one setting", () => {
    const analysed = [1, 2].flatMap((seed) => [
      { sampler: "random", mc_samples: "—", mode: "retrain", seed, stopping: [{ rule: "contradiction", stop_round: 1, stop_labelled: 20, lost_accuracy: 0.01 * seed }], advice: [{ round: 0, action: "continue", use: null, reason: "r" }] },
      { sampler: "bald", mc_samples: "mc-dropout 10", mode: "retrain", seed, stopping: [{ rule: "contradiction", stop_round: null, stop_labelled: null, lost_accuracy: null }], advice: [{ round: 0, action: "stop", use: null, reason: "s" }] },
    ]);
    const name = samplerNamer(runs);
    const folded = foldMcSamples(analysed, { namer: name });
    expect(varying(folded)).toEqual([]);
    const summary = stoppingSummary(folded);
    expect(summary.map((s) => s.sampler).sort()).toEqual(["bald", "random"]);
    expect(adviceCounts(folded).map((c) => [c.sampler, c.action, c.rounds])).toEqual([["random", "continue", 2], ["bald", "stop", 2]]);
  });

  it("uncertainty: no mc_samples picker; one round's bars hold random and bald", () => {
    const axes = Object.fromEntries(GRID_AXIS_NAMES.map((a) => [a, "—"])) as AxisLabels;
    const hist = (id: string, sampler: string, mc_samples: string): HistogramRun => ({ run_id: id, ...axes, dataset: "d", mc_samples, sampler, mode: "retrain", seed: 1, histograms: [{ round: 0, pool: [3, 1], batch: [1, 1] }] });
    const data: HistogramData = { edges: [0, 0.5, 1], skipped: 0, runs: [hist("r", "random", "—"), hist("b", "bald", "mc-dropout 10")] };
    expect(varyingKeys(data)).toEqual(["mc_samples"]);
    const folded = { ...data, runs: foldMcSamples(data.runs) };
    expect(varyingKeys(folded)).toEqual([]);
    const bars = histogramBars(folded, { round: 0, seed: "sum" });
    expect([...new Set(bars.map((b) => b.sampler))]).toEqual(["random", "bald"]);
    // Pool [3, 1] → shares 0.75, 0.25 for each.
    expect(bars.filter((b) => b.target === "pool").map((b) => b.share)).toEqual([0.75, 0.25, 0.75, 0.25]);
  });
});
