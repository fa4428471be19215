/**
 * The ranking `al compare` prints, from one area-under-the-learning-curve value per run: per
 * method (sampler × mode) the mean and 95% bootstrap CI of the area on each data set, the
 * average rank over blocks (data set × seed), Friedman's test over the methods, and a Wilcoxon
 * signed-rank test and win/tie/loss counts against random. Runs that differ in anything else
 * (learner, sizes, epochs…) are ranked in separate groups. Pure: the verb reads the store.
 */
import { averageRanks } from "../al/stats/average-ranks.ts";
import { bootstrapCi } from "../al/stats/bootstrap-ci.ts";
import { friedmanTest, type FriedmanResult } from "../al/stats/friedman.ts";
import { wilcoxonSignedRank } from "../al/stats/wilcoxon.ts";
import { winTieLoss } from "../al/stats/win-tie-loss.ts";

export interface RunArea {
  runId: string;
  /** What is ranked: e.g. "margin" and "retrain". */
  sampler: string;
  mode: string;
  /** Runs with the same group are ranked together (e.g. the learner's display name). */
  group: string;
  /** Block = data set × seed: the runs of one block are paired. */
  dataset: string;
  seed: number;
  /** The normalised area under the learning curve (lib/al/curves/area-under-curve.ts). */
  area: number;
}

export interface Interval {
  n: number;
  mean: number;
  lo: number;
  hi: number;
}

export interface MethodRow {
  sampler: string;
  mode: string;
  /** Mean area and its 95% bootstrap CI over the complete blocks of each data set. */
  area: Record<string, Interval>;
  averageRank: number;
  /** Against random (same mode where there is one); null for random itself or without random. */
  vsRandom: { reference: string; wilcoxonP: number; wins: number; ties: number; losses: number } | null;
}

export interface GroupRanking {
  group: string;
  datasets: string[];
  /** Blocks where every method has a run (only those are ranked and tested). */
  blocks: number;
  /** Blocks left out because some method has no done run there. */
  incompleteBlocks: number;
  methods: MethodRow[];
  /** Null with fewer than 2 blocks. */
  friedman: Pick<FriedmanResult, "n" | "k" | "chiSquare" | "chiSquareP" | "f" | "fP"> | null;
}

export interface RankingOptions {
  /** Higher areas are better (default true; false for losses such as log_loss). */
  higherIsBetter?: boolean;
  /** Seed of the bootstrap (default 0): the same store gives the same intervals. */
  seed?: number;
}

const methodKey = (r: { sampler: string; mode: string }): string => `${r.sampler}\u0000${r.mode}`;

/** Ranks the methods of every group with at least 2 of them; groups with fewer are skipped. */
export function rankMethods(runs: readonly RunArea[], options: RankingOptions = {}): GroupRanking[] {
  const higherIsBetter = options.higherIsBetter ?? true;
  const groups = [...new Set(runs.map((r) => r.group))];
  const out: GroupRanking[] = [];
  for (const group of groups) {
    const mine = runs.filter((r) => r.group === group);
    const methods = [...new Map(mine.map((r) => [methodKey(r), { sampler: r.sampler, mode: r.mode }])).values()];
    if (methods.length < 2) continue;
    const blockKey = (r: RunArea): string => JSON.stringify([r.dataset, r.seed]);
    const cells = new Map<string, number>();
    for (const r of mine) cells.set(`${blockKey(r)}\u0000${methodKey(r)}`, r.area);
    const allBlocks = [...new Map(mine.map((r) => [blockKey(r), { dataset: r.dataset, seed: r.seed }])).entries()];
    const blocks = allBlocks.filter(([key]) => methods.every((m) => cells.has(`${key}\u0000${methodKey(m)}`)));
    if (blocks.length === 0) continue;
    // scores[block][method]
    const scores = blocks.map(([key]) => methods.map((m) => cells.get(`${key}\u0000${methodKey(m)}`)!));
    const ranks = averageRanks(scores, { higherIsBetter });
    const datasets = [...new Set(blocks.map(([, b]) => b.dataset))];
    let friedman: GroupRanking["friedman"] = null;
    if (blocks.length >= 2) {
      // Tie-corrected, as scipy's friedmanchisquare: ties are common among samplers on small sets.
      const f = friedmanTest(scores, { higherIsBetter, tieCorrection: true });
      friedman = { n: f.n, k: f.k, chiSquare: f.chiSquare, chiSquareP: f.chiSquareP, f: f.f, fP: f.fP };
    }
    const column = (j: number): number[] => scores.map((row) => row[j]!);
    const randomIndex = (mode: string): number => {
      const same = methods.findIndex((m) => m.sampler === "random" && m.mode === mode);
      if (same >= 0) return same;
      const randoms = methods.map((m, i) => (m.sampler === "random" ? i : -1)).filter((i) => i >= 0);
      return randoms.length === 1 ? randoms[0]! : -1;
    };
    const rows: MethodRow[] = methods.map((m, j) => {
      const area: Record<string, Interval> = {};
      for (const d of datasets) {
        const values = blocks.flatMap(([, b], i) => (b.dataset === d ? [scores[i]![j]!] : []));
        const ci = bootstrapCi(values, { seed: options.seed ?? 0 });
        area[d] = { n: values.length, mean: ci.estimate, lo: ci.lo, hi: ci.hi };
      }
      const r = randomIndex(m.mode);
      let vsRandom: MethodRow["vsRandom"] = null;
      if (r >= 0 && r !== j) {
        const wtl = winTieLoss(column(j), column(r), { higherIsBetter });
        const w = wilcoxonSignedRank(column(j), column(r));
        vsRandom = { reference: `${methods[r]!.sampler} · ${methods[r]!.mode}`, wilcoxonP: w.pValue, ...wtl };
      }
      return { sampler: m.sampler, mode: m.mode, area, averageRank: ranks[j]!, vsRandom };
    });
    rows.sort((a, b) => a.averageRank - b.averageRank || a.sampler.localeCompare(b.sampler) || a.mode.localeCompare(b.mode));
    out.push({ group, datasets, blocks: blocks.length, incompleteBlocks: allBlocks.length - blocks.length, methods: rows, friedman });
  }
  return out;
}
