/**
 * Shared by the bench loader (not a loader itself): `npm run bench` keeps each run as
 * results/bench/<date>.json (env AL_BENCH_OUT); this reads them into one row per case per run
 * with the case's headline ratio and its min–max, the figure bench/run.ts's summary table shows:
 * the interleaved CPU ratio where a case has one, else its `ratio` (with the spread whose median
 * it is, where the case gives one).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchPoint } from "../components/bench-history.ts";

/** A row per case per bench run; the page's shape (src/components/bench-history.ts). */
export type BenchRow = BenchPoint;

export interface BenchHistory {
  rows: BenchRow[];
  /** Files that are not bench results, each with why (one line). */
  skipped: string[];
}

export const benchDir = (): string => process.env.AL_BENCH_OUT ?? "results/bench";

type Spread = { median: number; min: number; max: number };
const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isSpread = (x: unknown): x is Spread => typeof x === "object" && x !== null && isNumber((x as Spread).median) && isNumber((x as Spread).min) && isNumber((x as Spread).max);

/** A case's headline figure, or undefined for a case without one (a failed case, a plain measurement). */
export function headline(c: Record<string, unknown>): Omit<BenchRow, "date" | "case"> | undefined {
  if (isSpread(c.cpuRatio)) return { ratio: c.cpuRatio.median, min: c.cpuRatio.min, max: c.cpuRatio.max, measure: "cpuRatio" };
  if (!isNumber(c.ratio)) return undefined;
  const ratio = c.ratio;
  const around = [c.ratioSpread, c.wallRatio].find((s): s is Spread => isSpread(s) && s.median === ratio);
  return { ratio, min: around?.min ?? ratio, max: around?.max ?? ratio, measure: "ratio" };
}

/** One bench document's rows; throws a one-line error when it is not one. */
export function benchRows(doc: unknown): BenchRow[] {
  const d = doc as { date?: unknown; cases?: unknown };
  if (typeof d !== "object" || d === null || typeof d.date !== "string" || !Array.isArray(d.cases)) throw new Error("not a bench result (expected { date, cases: [...] })");
  const date = d.date;
  return d.cases.flatMap((c: Record<string, unknown>) => {
    const h = typeof c?.name === "string" ? headline(c) : undefined;
    return h ? [{ date, case: c.name as string, ...h }] : [];
  });
}

/** Every bench result in `dir`, oldest first (a missing folder is no history). */
export function readBenchHistory(dir = benchDir()): BenchHistory {
  if (!existsSync(dir)) return { rows: [], skipped: [] };
  const rows: BenchRow[] = [];
  const skipped: string[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    try {
      rows.push(...benchRows(JSON.parse(readFileSync(join(dir, name), "utf8"))));
    } catch (error) {
      skipped.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.case < b.case ? -1 : a.case > b.case ? 1 : 0));
  return { rows, skipped };
}
