/**
 * The sampler comparison table: per curve (sampler × mode × every other key column) the area
 * under the curve and the final value with 95% CIs over seeds (curve-summary.ts), the labels
 * each seed needs to reach a target, and the comparison with random on the area, paired by
 * seed within the same grid cell and mode: Wilcoxon signed-rank p-value and win/tie/loss.
 * Pure; the statistics are lib/al's (al-stats.js), the same code as `al compare`.
 */
import { labelsToReach, wilcoxonSignedRank, winTieLoss } from "./al-stats.js";
import { interval, normalisedArea, seedCurves, type CurveX, type Interval, type StoredSummary } from "./curve-summary.js";
import type { KeyValue, RoundRow } from "./seed-summary.js";

export interface ComparisonOptions {
  /** Metric column; default "accuracy". */
  metric?: string;
  /** Target for labels to reach; default defaultTarget(rows) (95% of the best final mean). */
  target?: number;
  /** Sampler the others are compared with; default "random". */
  reference?: string;
  /** Columns that identify a curve besides sampler and mode; default every key column present. */
  keys?: readonly string[];
  /**
   * What the area and "to reach" are measured over: the labelled count (default) or the
   * labels' annotation cost (rounds need the `cost` metric; rounds without one are left out).
   */
  x?: CurveX;
  /** Stored per-run summaries (summaries.json): a curve's area comes from them where every seed has one. */
  stored?: readonly StoredSummary[];
  /** The stored summary holding the area; default `aulc_<metric>` (x = "cost": `aulc_cost_<metric>`). */
  storedName?: string;
  /** Columns a stored summary is matched on (the varying axes plus sampler and mode); default sampler and mode. */
  storedKeys?: readonly string[];
  /** |difference| ≤ tolerance counts as a tie in win/tie/loss; default 0. */
  tolerance?: number;
  /**
   * Direction of the metric; default true. False (log loss, calibration error): a win is a lower
   * area, the target is reached at or below it, and the default target is 105% of the best (lowest) final mean.
   */
  higherIsBetter?: boolean;
}

export interface ReachSummary {
  target: number;
  /** Mean and CI of the labelled count (x = "cost": the cost) over the seeds that reach the target; null when none does. */
  labels: Interval | null;
  reached: number;
  /** Seeds whose curve never reaches the target (not counted as the budget). */
  never: number;
}

/** How a curve compares with the reference sampler's curve of the same cell and mode. */
export type VersusReference =
  | { status: "reference" }
  | { status: "missing" }
  | {
      status: "paired";
      /** Seeds with an area in both curves. */
      pairs: number;
      /** Two-sided Wilcoxon signed-rank p-value on the paired areas; null with fewer than 2 pairs. */
      pValue: number | null;
      /** The test's note on zeros and ties, or why there is no p-value. */
      note: string;
      wins: number;
      ties: number;
      losses: number;
    };

export interface ComparisonRow {
  sampler: string;
  mode: string;
  n: number;
  area: Interval | null;
  /** Whether the area is the stored per-run summary (every seed had one). */
  areaStored: boolean;
  final: Interval;
  /** x of the last point (labelled count, or cost for x = "cost"), the largest any seed reached. */
  finalLabelled: number;
  reach: ReachSummary;
  versus: VersusReference;
  [key: string]: KeyValue | Interval | ReachSummary | VersusReference | boolean | null;
}

/** 95% of the best final mean over the curves (105% of the lowest when lower is better): a target good samplers reach. Undefined without data. */
export function defaultTarget(rows: readonly RoundRow[], options: { metric?: string; keys?: readonly string[]; higherIsBetter?: boolean; x?: CurveX } = {}): number | undefined {
  const finals = seedCurves(rows, options).map(({ seeds }) => interval([...seeds.values()].map((p) => p.at(-1)![1])).mean);
  if (finals.length === 0) return undefined;
  return (options.higherIsBetter ?? true) ? 0.95 * Math.max(...finals) : 1.05 * Math.min(...finals);
}

export function comparisonTable(rows: readonly RoundRow[], options: ComparisonOptions = {}): ComparisonRow[] {
  const metric = options.metric ?? "accuracy";
  const reference = options.reference ?? "random";
  const x = options.x ?? "labelled";
  const curves = seedCurves(rows, { metric, keys: options.keys, x });
  const higher = options.higherIsBetter ?? true;
  const target = options.target ?? defaultTarget(rows, { metric, keys: options.keys, higherIsBetter: higher, x });
  if (target !== undefined && !Number.isFinite(target)) throw new RangeError(`comparisonTable: target = ${target} must be a finite number`);
  const storedName = options.storedName ?? (x === "cost" ? `aulc_cost_${metric}` : `aulc_${metric}`);
  const storedKeys = options.storedKeys ?? ["sampler", "mode"];

  // Per curve and seed: its area (stored where every seed has one, else from the rounds).
  const areasOf = curves.map(({ key, seeds }) => {
    const computed = new Map([...seeds].map(([seed, points]) => [seed, normalisedArea(points)]));
    const stored = new Map<string, number>();
    for (const s of options.stored ?? []) {
      if (s.name !== storedName || s.kind === "baseline" || typeof s.value !== "number" || !Number.isFinite(s.value)) continue;
      if (storedKeys.every((k) => s[k] === key[k]) && seeds.has(String(s.seed))) stored.set(String(s.seed), s.value);
    }
    const useStored = stored.size > 0 && stored.size === seeds.size;
    return { areas: useStored ? stored : computed, stored: useStored };
  });
  const cellOf = (key: Record<string, KeyValue>): string => JSON.stringify({ ...key, sampler: undefined });
  const referenceOf = new Map<string, number>();
  curves.forEach(({ key }, i) => {
    if (key.sampler === reference) referenceOf.set(cellOf(key), i);
  });

  return curves.map(({ key, seeds }, i) => {
    const finals = [...seeds.values()].map((p) => p.at(-1)![1]);
    const areas = [...areasOf[i]!.areas.values()].filter((a): a is number => a !== undefined);
    const reached: number[] = [];
    if (target !== undefined) {
      for (const points of seeds.values()) {
        // Lower is better: reaching the target from above is reaching −target from below.
        const sign = higher ? 1 : -1;
        const at = labelsToReach(points.map((p) => p[0]), points.map((p) => sign * p[1]), sign * target);
        if (at !== null) reached.push(at);
      }
    }
    const r = referenceOf.get(cellOf(key));
    let versus: VersusReference;
    if (key.sampler === reference) versus = { status: "reference" };
    else if (r === undefined) versus = { status: "missing" };
    else versus = compare(areasOf[i]!.areas, areasOf[r]!.areas, { tolerance: options.tolerance ?? 0, higherIsBetter: higher });
    return {
      ...key,
      n: seeds.size,
      area: areas.length ? interval(areas) : null,
      areaStored: areasOf[i]!.stored,
      final: interval(finals),
      finalLabelled: Math.max(...[...seeds.values()].map((p) => p.at(-1)![0])),
      reach: { target: target ?? NaN, labels: reached.length ? interval(reached) : null, reached: reached.length, never: seeds.size - reached.length },
      versus,
    };
  });
}

/** Paired over the seeds both curves have an area for. */
function compare(mine: ReadonlyMap<string, number | undefined>, theirs: ReadonlyMap<string, number | undefined>, wtlOptions: { tolerance: number; higherIsBetter: boolean }): VersusReference {
  const a: number[] = [];
  const b: number[] = [];
  for (const [seed, value] of mine) {
    const other = theirs.get(seed);
    if (value !== undefined && other !== undefined) {
      a.push(value);
      b.push(other);
    }
  }
  const wtl = a.length ? winTieLoss(a, b, wtlOptions) : { wins: 0, ties: 0, losses: 0 };
  if (a.length < 2) {
    return { status: "paired", pairs: a.length, pValue: null, note: a.length === 1 ? "n/a (1 seed)" : "n/a (no paired seeds)", ...wtl };
  }
  const test = wilcoxonSignedRank(a, b);
  return { status: "paired", pairs: a.length, pValue: test.pValue, note: test.note, ...wtl };
}

/** "0.500", "<0.001", "n/a (1 seed)", "reference", "no random run". */
export function formatPValue(versus: VersusReference, reference = "random"): string {
  if (versus.status === "reference") return "reference";
  if (versus.status === "missing") return `no ${reference} run`;
  if (versus.pValue === null) return versus.note;
  return versus.pValue < 0.001 ? "<0.001" : versus.pValue.toFixed(3);
}

/** "2/0/1" (wins/ties/losses against the reference), or "—" where there is nothing to count. */
export function formatWinTieLoss(versus: VersusReference): string {
  if (versus.status !== "paired" || versus.pairs === 0) return "—";
  return `${versus.wins}/${versus.ties}/${versus.losses}`;
}

/** "123 [100, 146]", "130 (1 of 3 never)", "never (3 seeds)"; `digits` after the point (costs: 1). */
export function formatReach(reach: ReachSummary, digits = 0): string {
  if (!Number.isFinite(reach.target)) return "—";
  if (reach.labels === null) return `never (${reach.never} seed${reach.never === 1 ? "" : "s"})`;
  const { mean, ciLow, ciHigh } = reach.labels;
  const value = ciLow === ciHigh ? mean.toFixed(digits) : `${mean.toFixed(digits)} [${ciLow.toFixed(digits)}, ${ciHigh.toFixed(digits)}]`;
  return reach.never ? `${value} (${reach.never} of ${reach.never + reach.reached} never)` : value;
}
