/**
 * `al-lab/stats`: comparing samplers across seeds and data sets (bootstrap intervals, Friedman
 * with Nemenyi, Wilcoxon, Kendall's tau, ranks, win/tie/loss). Pure core.
 */
export { averageRanks, type AverageRankOptions } from "../al/stats/average-ranks.ts";
export { bootstrapCi, type BootstrapOptions, type BootstrapInterval } from "../al/stats/bootstrap-ci.ts";
export { cohenKappa } from "../al/stats/cohen-kappa.ts";
export { normalCdf, normalTwoSided, chiSquareCdf, chiSquareSf, fCdf, fSf } from "../al/stats/distributions.ts";
export { friedmanTest, friedmanFromAverageRanks, type FriedmanOptions, type FriedmanResult } from "../al/stats/friedman.ts";
export { kendallTau } from "../al/stats/kendall-tau.ts";
export { nemenyiQ, nemenyiCriticalDifference, type NemenyiAlpha, type NemenyiOptions } from "../al/stats/nemenyi.ts";
export { rankWithTies, tieGroupSizes, type RankOptions } from "../al/stats/ranks.ts";
export { seedSummary, type SeedSummary } from "../al/stats/seed-summary.ts";
export { wilcoxonSignedRank, type WilcoxonOptions, type WilcoxonResult, type ZeroMethod } from "../al/stats/wilcoxon.ts";
export { winTieLoss, type WinTieLossOptions, type WinTieLoss } from "../al/stats/win-tie-loss.ts";
