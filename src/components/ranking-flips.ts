/**
 * Which seeds flip the sampler ranking: within each mode, every seed ranks the samplers by the
 * normalised area under its learning curve (the final value where a run has a single round),
 * the mean ranking is al-stats averageRanks over those seeds, and each seed is compared with it —
 * same winner or not, same order or not, and Kendall's τ-b between the two. Only seeds that ran
 * every sampler take part (a rank needs all of them). Pure data plus a bump-chart renderer.
 */
import * as Plot from "@observablehq/plot";
import { averageRanks, kendallTau, normalisedArea, rankWithTies } from "./al-stats.js";
import { groupRuns, orderModes, orderSamplers, type RunOptions } from "./run-groups.js";
import type { KeyValue, RoundRow } from "./seed-summary.js";

export interface SeedRanking {
  seed: KeyValue;
  /** Each sampler's score (area or final value). */
  scores: Record<string, number>;
  /** Rank per sampler, 1 = best, ties averaged. */
  ranks: Record<string, number>;
  /** Samplers best first (ties in sampler order). */
  order: string[];
  winners: string[];
  /** τ-b of this seed's ranks against the mean ranks; null where either is all ties. */
  tau: number | null;
  sameWinner: boolean;
  /** Every sampler in the same (tied) place as in the mean ranking. */
  sameOrder: boolean;
}

export interface RankingFlips {
  mode: string;
  /** "area" normally; "final" when some run has fewer than two rounds with the metric. */
  score: "area" | "final";
  samplers: string[];
  /** Not enough to rank: fewer than two samplers, or no seed ran them all. */
  reason: string | null;
  meanRanks: Record<string, number>;
  meanOrder: string[];
  meanWinners: string[];
  seeds: SeedRanking[];
  /** Seeds left out because they lack a sampler. */
  incomplete: KeyValue[];
}

export interface RankingFlipsOptions extends RunOptions {
  /** Samplers to rank (and their tie order); default all present, random first. */
  samplers?: readonly string[];
  /** Default true (accuracy-like metrics). */
  higherIsBetter?: boolean;
}

export function rankingFlips(rows: readonly RoundRow[], options: RankingFlipsOptions = {}): RankingFlips[] {
  const higherIsBetter = options.higherIsBetter ?? true;
  const runs = groupRuns(rows, options);
  const modes = orderModes(runs.map((r) => r.mode));
  return modes.map((mode) => {
    const here = runs.filter((r) => r.mode === mode);
    const present = new Set(here.map((r) => r.sampler));
    const samplers = (options.samplers ?? orderSamplers(present)).filter((s) => present.has(s));
    const curves = here.map((r) => ({ run: r, points: r.points.filter((p): p is typeof p & { value: number } => p.value !== undefined) })).filter((c) => c.points.length > 0);
    const score: "area" | "final" = curves.every((c) => c.points.length >= 2 && c.points.at(-1)!.labelled > c.points[0]!.labelled) ? "area" : "final";
    const bySeed = new Map<string, { seed: KeyValue; scores: Record<string, number> }>();
    for (const { run, points } of curves) {
      if (!samplers.includes(run.sampler)) continue;
      const id = String(run.seed);
      const entry = bySeed.get(id) ?? { seed: run.seed, scores: {} };
      if (run.sampler in entry.scores) throw new Error(`rankingFlips: sampler ${run.sampler} (${mode}) has two runs with seed ${run.seed}; pick one value of every other grid axis first`);
      entry.scores[run.sampler] =
        score === "area" ? normalisedArea(points.map((p) => p.labelled), points.map((p) => p.value)) : points.at(-1)!.value;
      bySeed.set(id, entry);
    }
    const complete = [...bySeed.values()].filter((e) => samplers.every((s) => s in e.scores));
    const incomplete = [...bySeed.values()].filter((e) => !complete.includes(e)).map((e) => e.seed);
    const empty = { mode, score, samplers, meanRanks: {}, meanOrder: [], meanWinners: [], seeds: [], incomplete };
    if (samplers.length < 2) return { ...empty, reason: `only ${samplers.length} sampler here: nothing to rank` };
    if (complete.length === 0) return { ...empty, reason: "no seed ran every sampler: nothing to rank" };
    const table = complete.map((e) => samplers.map((s) => e.scores[s]!));
    const mean = averageRanks(table, { higherIsBetter });
    const meanRanks = Object.fromEntries(samplers.map((s, j) => [s, mean[j]!]));
    // The mean ranking's own places (ties shared), to compare a seed's places with.
    const meanPlaces = rankWithTies(mean);
    const meanOrder = byRank(samplers, meanRanks);
    const meanWinners = samplers.filter((s) => meanRanks[s] === Math.min(...mean));
    const seeds = complete.map((e, i) => {
      const r = rankWithTies(table[i]!, { descending: higherIsBetter });
      const ranks = Object.fromEntries(samplers.map((s, j) => [s, r[j]!]));
      const winners = samplers.filter((s) => ranks[s] === Math.min(...r));
      return {
        seed: e.seed,
        scores: e.scores,
        ranks,
        order: byRank(samplers, ranks),
        winners,
        tau: kendallTau(r, mean),
        sameWinner: winners.length === meanWinners.length && winners.every((w) => meanWinners.includes(w)),
        sameOrder: samplers.every((_, j) => r[j] === meanPlaces[j]),
      };
    });
    return { mode, score, samplers, reason: null, meanRanks, meanOrder, meanWinners, seeds, incomplete };
  });
}

function byRank(samplers: readonly string[], ranks: Record<string, number>): string[] {
  return [...samplers].sort((a, b) => ranks[a]! - ranks[b]! || samplers.indexOf(a) - samplers.indexOf(b));
}

export interface RankingChartOptions {
  samplers?: readonly string[];
  width?: number;
  document?: Document;
}

interface BumpPoint {
  mode: string;
  column: string;
  sampler: string;
  rank: number;
}

/** A bump chart per mode: x = seed (then "mean"), y = rank (1 on top), one line per sampler. */
export function rankingChart(flips: readonly RankingFlips[], options: RankingChartOptions = {}): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const { width = 720 } = options;
  const ranked = flips.filter((f) => f.reason === null);
  if (ranked.length === 0) throw new Error(`rankingChart: nothing ranked (${flips.map((f) => f.reason).join("; ")})`);
  const points: BumpPoint[] = ranked.flatMap((f) => [
    ...f.seeds.flatMap((s) => f.samplers.map((sampler) => ({ mode: f.mode, column: `seed ${s.seed}`, sampler, rank: s.ranks[sampler]! }))),
    ...f.samplers.map((sampler) => ({ mode: f.mode, column: "mean", sampler, rank: f.meanRanks[sampler]! })),
  ]);
  const columns = [...new Set(points.map((p) => p.column).filter((c) => c !== "mean")), "mean"];
  const k = Math.max(...ranked.map((f) => f.samplers.length));
  const samplers = options.samplers ?? orderSamplers(points.map((p) => p.sampler));
  return Plot.plot({
    document: options.document,
    width,
    height: ranked.length * (k * 28 + 40) + 60,
    marginLeft: 40,
    marginRight: ranked.length > 1 ? 90 : 16,
    x: { label: null, domain: columns, type: "point", padding: 0.3 },
    y: { label: "Rank (1 = best) ↓", reverse: true, inset: 8, domain: [1, k], ticks: Array.from({ length: k }, (_, i) => i + 1), tickFormat: "d" },
    fy: { label: null, domain: ranked.map((f) => f.mode), axis: ranked.length > 1 ? "right" : null, padding: 0.15 },
    color: { legend: true, label: "Sampler", domain: samplers },
    marks: [
      Plot.frame({ strokeOpacity: 0.1 }),
      Plot.lineY(points, { x: "column", y: "rank", z: "sampler", fy: "mode", stroke: "sampler", strokeWidth: 1.5 }),
      Plot.dot(points, { x: "column", y: "rank", fy: "mode", fill: "sampler", r: 4, tip: true, channels: { sampler: "sampler" } }),
    ],
  });
}
