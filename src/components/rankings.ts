/**
 * The Rankings page's arithmetic, pure: ranking rows (src/data/ranking-rows.ts) → a blocks ×
 * methods score table → average ranks, Friedman's test, Nemenyi's critical difference, the groups
 * of methods it cannot tell apart and pairwise win/tie/loss counts. A block is one combination of
 * the block axes (data set × seed, say); every other axis must hold one value among the rows
 * (the page fixes it with a picker), so nothing is pooled. The statistics are lib/al/stats's,
 * through the bundled ./al-stats.js.
 */
import { averageRanks, friedmanTest, nemenyiCriticalDifference, winTieLoss, type WinTieLoss } from "./al-stats.js";
import { GRID_AXIS_NAMES } from "./grid-axes.js";
import { samplerNamer } from "./mc-samples-fold.js";

/** One run's row as the loader writes it; axis labels are strings. */
export interface RankingInput {
  experiment: string;
  run?: string;
  sampler: string;
  mode: string;
  seed: number;
  area: Record<string, number>;
  final: Record<string, number>;
  [axis: string]: unknown;
}

export type Measure = "area" | "final";

/**
 * Axes a block can be made of or a picker must fix. mc_samples is left out: only samplers that
 * draw Monte-Carlo samples carry it, so it belongs to the method (see methodNamer), not the block.
 */
export const RANKING_AXES = ["experiment", ...GRID_AXIS_NAMES.filter((a) => a !== "mc_samples"), "mode", "seed"] as const;
export type RankingAxis = (typeof RANKING_AXES)[number];

const AXIS_LABELS: Record<string, string> = { dataset: "data set", mc_samples: "MC samples" };
export const axisLabel = (axis: string): string => AXIS_LABELS[axis] ?? axis.replaceAll("_", " ");

const label = (row: RankingInput, axis: string): string => String(row[axis] ?? "—");
const distinct = (values: Iterable<string>): string[] => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The distinct labels of `axis` among `rows`, sorted (seeds numerically). */
export function axisValues(rows: readonly RankingInput[], axis: string): string[] {
  const values = distinct(rows.map((r) => label(r, axis)));
  return axis === "seed" ? values.sort((a, b) => Number(a) - Number(b)) : values;
}

/** The axes among `axes` with more than one value in `rows`. */
export function varyingAxes(rows: readonly RankingInput[], axes: readonly string[] = RANKING_AXES): string[] {
  return axes.filter((a) => axisValues(rows, a).length > 1);
}

/**
 * The axes a picker must fix: those that vary among `rows` and are neither block axes nor part of
 * the method. The experiment is not among them: the page picks experiments itself, and rows of
 * two experiments that meet in one block are refused by scoreTable.
 */
export function axesToFix(rows: readonly RankingInput[], options: { blockAxes: readonly string[]; byMode: boolean }): string[] {
  return varyingAxes(rows).filter((a) => a !== "experiment" && !options.blockAxes.includes(a) && !(options.byMode && a === "mode"));
}

/**
 * Names each row's method: the sampler, with its Monte-Carlo setting where that sampler was run
 * with several, and the training mode when modes are compared as methods ("margin · keep-train").
 */
export function methodNamer(rows: readonly RankingInput[], options: { byMode: boolean }): (row: RankingInput) => string {
  const sampler = samplerNamer(rows);
  return (r) => [sampler(r), ...(options.byMode ? [r.mode] : [])].join(" · ");
}

/**
 * Experiments picked by default: taken in order, each one with at least 2 samplers is added while
 * the samplers common to all added stay at least 2, so the default comparison has something to rank.
 */
export function defaultExperiments(rows: readonly RankingInput[]): string[] {
  const samplersOf = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!samplersOf.has(r.experiment)) samplersOf.set(r.experiment, new Set());
    samplersOf.get(r.experiment)!.add(r.sampler);
  }
  const out: string[] = [];
  let common: Set<string> | undefined;
  for (const name of distinct(samplersOf.keys())) {
    const mine = samplersOf.get(name)!;
    const next: Set<string> = common ? new Set([...common].filter((s) => mine.has(s))) : mine;
    if (next.size >= 2) {
      out.push(name);
      common = next;
    }
  }
  return out;
}

export interface ScoreTableOptions {
  metric: string;
  measure: Measure;
  /** The axes whose combinations are the blocks, e.g. ["dataset", "seed"]. */
  blockAxes: readonly string[];
  /** Methods are sampler × mode (true) or samplers at one mode (false). */
  byMode: boolean;
  /** The methods to compare (names as methodNamer gives them); default every method in the rows. */
  methods?: readonly string[];
}

export interface Block {
  /** "diabetes · 1": the block's axis labels. */
  label: string;
  /** One score per method, in ScoreTable.methods order. */
  scores: number[];
}

export interface ScoreTable {
  methods: string[];
  /** Complete blocks: every method has a score there. */
  blocks: Block[];
  /** Blocks left out because some method has no score there, with the methods missing. */
  incomplete: Array<{ label: string; missing: string[] }>;
}

/**
 * Blocks × methods of one metric's area or final value. Throws (one line) when an axis outside
 * the blocks still varies, or when one block holds two runs of a method: either would pool runs.
 */
export function scoreTable(rows: readonly RankingInput[], options: ScoreTableOptions): ScoreTable {
  const pooled = axesToFix(rows, options);
  if (pooled.length > 0) {
    throw new RangeError(`scoreTable: ${pooled.map((a) => `${axisLabel(a)} (${axisValues(rows, a).join(", ")})`).join(", ")} vary outside the blocks; pick one value or add it to the block axes`);
  }
  const name = methodNamer(rows, options);
  const methods = options.methods ? [...options.methods] : distinct(rows.map(name));
  const blockOf = (r: RankingInput): string => options.blockAxes.map((a) => label(r, a)).join(" · ");
  const cells = new Map<string, Map<string, { value: number; row: RankingInput }>>();
  const order: string[] = [];
  for (const r of rows) {
    const method = name(r);
    if (!methods.includes(method)) continue;
    const block = blockOf(r);
    if (!cells.has(block)) {
      cells.set(block, new Map());
      order.push(block);
    }
    const value = r[options.measure]?.[options.metric];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    const earlier = cells.get(block)!.get(method);
    // The same run listed under two picked experiments is one run.
    if (earlier && earlier.row.run !== undefined && earlier.row.run === r.run) continue;
    if (earlier) {
      const differ = RANKING_AXES.filter((a) => !options.blockAxes.includes(a) && label(earlier.row, a) !== label(r, a));
      throw new RangeError(`scoreTable: block "${block || "all"}" holds two runs of ${method}${differ.length ? ` (they differ in ${differ.map(axisLabel).join(", ")})` : ""}; add ${differ.length ? differ.map(axisLabel).join(" or ") : "an axis"} to the block axes`);
    }
    cells.get(block)!.set(method, { value, row: r });
  }
  const blocks: Block[] = [];
  const incomplete: ScoreTable["incomplete"] = [];
  for (const block of order) {
    const have = cells.get(block)!;
    const missing = methods.filter((m) => !have.has(m));
    if (missing.length === 0) blocks.push({ label: block, scores: methods.map((m) => have.get(m)!.value) });
    else incomplete.push({ label: block, missing });
  }
  return { methods, blocks, incomplete };
}

export interface MethodRank {
  method: string;
  /** 1 = best; ties share the mean of their ranks. */
  averageRank: number;
  /** Mean score over the complete blocks. */
  mean: number;
  blocks: number;
}

export interface Ranking {
  /** Sorted by average rank (best first); empty when nothing could be ranked. */
  methods: MethodRank[];
  /** Friedman's χ² (tie-corrected, as al compare and scipy) and its p; null without a test. */
  friedman: { chiSquare: number; df: number; p: number } | null;
  /** Nemenyi's critical difference at alpha; null without a test or beyond its table (> 10 methods). */
  criticalDifference: number | null;
  alpha: 0.05;
  /** Why there is no ranking or no test, in words; undefined when there is both. */
  why?: string;
  /** counts[i][j]: method i against method j over the complete blocks (ScoreTable.methods order). */
  winTieLoss: WinTieLoss[][];
}

/** Ranks the score table's methods; says why instead of testing with < 2 methods or < 2 blocks. */
export function rankMethods(table: ScoreTable, options: { higherIsBetter: boolean }): Ranking {
  const { methods, blocks } = table;
  const none: Ranking = { methods: [], friedman: null, criticalDifference: null, alpha: 0.05, winTieLoss: [] };
  if (methods.length < 2) return { ...none, why: `No ranking: fewer than 2 samplers to compare (${methods.length === 0 ? "none" : methods[0]}).` };
  if (blocks.length === 0) return { ...none, why: "No ranking: no complete block, as every block lacks some sampler's run." };
  const scores = blocks.map((b) => b.scores);
  const ranks = averageRanks(scores, { higherIsBetter: options.higherIsBetter });
  const column = (j: number): number[] => scores.map((row) => row[j]!);
  const ranked = methods
    .map((method, j) => ({ method, averageRank: ranks[j]!, mean: column(j).reduce((a, b) => a + b, 0) / blocks.length, blocks: blocks.length }))
    .sort((a, b) => a.averageRank - b.averageRank || (a.method < b.method ? -1 : 1));
  const winTieLossCounts = methods.map((_, i) => methods.map((_, j) => winTieLoss(column(i), column(j), { higherIsBetter: options.higherIsBetter })));
  const base = { ...none, methods: ranked, winTieLoss: winTieLossCounts };
  if (blocks.length < 2) return { ...base, why: `No test: fewer than 2 blocks (${blocks.length} complete block); Friedman's test and the CD diagram need at least 2.` };
  const f = friedmanTest(scores, { higherIsBetter: options.higherIsBetter, tieCorrection: true });
  const friedman = { chiSquare: f.chiSquare, df: f.chiSquareDf, p: f.chiSquareP };
  if (methods.length > 10) return { ...base, friedman, why: `No CD diagram: Nemenyi's table stops at 10 samplers (here ${methods.length}); compare fewer.` };
  return { ...base, friedman, criticalDifference: nemenyiCriticalDifference(methods.length, blocks.length, { alpha: 0.05 }) };
}

/**
 * The groups a CD diagram joins with a bar: maximal runs of methods (sorted by average rank) whose
 * ranks lie less than `cd` apart, so Nemenyi's test tells none of them apart. [first, last] indices
 * into the sorted ranks; a method that differs from every other is in no group.
 */
export function notSignificantGroups(sortedRanks: readonly number[], cd: number): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  for (let i = 0; i < sortedRanks.length; i++) {
    let j = i;
    while (j + 1 < sortedRanks.length && sortedRanks[j + 1]! - sortedRanks[i]! < cd) j++;
    // Contained in the previous group (which started earlier and reaches at least as far): not maximal.
    if (j > i && !(groups.length > 0 && groups[groups.length - 1]![1] >= j)) groups.push([i, j]);
  }
  return groups;
}
