/**
 * Ours against a reference, interleaved: A B A B … for a number of pairs, each run timed in CPU
 * time and wall time, then the ratio ours ÷ reference per pair summarised (median, min, max).
 * On a shared, noisy machine a load spike hits both sides of a pair alike, so the pair's ratio
 * stays meaningful where two separately timed medians do not; CPU time is less disturbed by
 * other processes than wall time. Ratios below 1 mean we are faster.
 */
import { loadavg } from "node:os";

/** One timed run of one side. */
export interface Timing {
  cpuMs: number;
  wallMs: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Interleaved {
  pairs: number;
  ours: { cpuMs: Spread; wallMs: Spread };
  reference: { cpuMs: Spread; wallMs: Spread };
  /** ours ÷ reference per pair. */
  cpuRatio: Spread;
  wallRatio: Spread;
  /** 1-minute load average before the first and after the last run. */
  load: { before: number; after: number };
}

export interface InterleaveOptions {
  /** Timed pairs; default 5 (at least 1). */
  pairs?: number;
  /** Untimed pairs first (JIT, caches, page faults); default 1. */
  warmup?: number;
}

/** Times `fn` in this process: CPU time from process.cpuUsage (user + system), wall from performance.now. */
export async function timeInProcess(fn: () => unknown): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

/** Median, min and max of `values` (the median of an even count is the mean of the middle two). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("spread: no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Runs ours, reference, ours, reference, … and summarises each side and the per-pair ratios. */
export async function interleave(ours: () => Promise<Timing>, reference: () => Promise<Timing>, options: InterleaveOptions = {}): Promise<Interleaved> {
  return (await interleaveAll(ours, { reference }, options)).reference!;
}

/**
 * interleave against several references at once: each pair runs ours, then every reference in
 * the order given (A B C A B C …), and each reference gets its own summary and ratios to the same
 * runs of ours, so a slow `ours` is timed once per pair, not once per reference.
 */
export async function interleaveAll(
  ours: () => Promise<Timing>,
  references: Record<string, () => Promise<Timing>>,
  options: InterleaveOptions = {},
): Promise<Record<string, Interleaved>> {
  const pairs = options.pairs ?? 5;
  const warmup = options.warmup ?? 1;
  if (!Number.isInteger(pairs) || pairs < 1) throw new RangeError(`interleave: pairs must be a whole number ≥ 1, got ${pairs}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`interleave: warmup must be a whole number ≥ 0, got ${warmup}`);
  const names = Object.keys(references);
  if (names.length === 0) throw new RangeError("interleave: no references; pass at least one");
  for (let i = 0; i < warmup; i++) {
    await ours();
    for (const name of names) await references[name]!();
  }
  const before = loadavg()[0]!;
  const a: Timing[] = [];
  const b: Record<string, Timing[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < pairs; i++) {
    a.push(await ours());
    for (const name of names) b[name]!.push(await references[name]!());
  }
  const after = loadavg()[0]!;
  const summary = (theirs: Timing[]): Interleaved => {
    const ratio = (key: keyof Timing) => spread(a.map((t, i) => t[key] / Math.max(theirs[i]![key], 1e-9)));
    return {
      pairs,
      ours: { cpuMs: spread(a.map((t) => t.cpuMs)), wallMs: spread(a.map((t) => t.wallMs)) },
      reference: { cpuMs: spread(theirs.map((t) => t.cpuMs)), wallMs: spread(theirs.map((t) => t.wallMs)) },
      cpuRatio: ratio("cpuMs"),
      wallRatio: ratio("wallMs"),
      load: { before, after },
    };
  };
  return Object.fromEntries(names.map((name) => [name, summary(b[name]!)]));
}

/** The summary rounded for the JSON (ms to 0.01, ratios to 0.001). */
export function rounded(result: Interleaved): Interleaved {
  const r = (x: number, d: number) => Number(x.toFixed(d));
  const s = (x: Spread, d: number): Spread => ({ median: r(x.median, d), min: r(x.min, d), max: r(x.max, d) });
  return {
    pairs: result.pairs,
    ours: { cpuMs: s(result.ours.cpuMs, 2), wallMs: s(result.ours.wallMs, 2) },
    reference: { cpuMs: s(result.reference.cpuMs, 2), wallMs: s(result.reference.wallMs, 2) },
    cpuRatio: s(result.cpuRatio, 3),
    wallRatio: s(result.wallRatio, 3),
    load: { before: r(result.load.before, 2), after: r(result.load.after, 2) },
  };
}
