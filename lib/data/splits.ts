/**
 * Seeded splits. `splitIndices` cuts rows into train / validation / test, stratified by label
 * when labels are given: each class contributes its share (floor of size × fraction, the
 * leftover rows going to the classes with the largest remainders, ties to the lower class), so
 * the totals are round(N × fraction) and every class keeps its proportion within one row.
 * Optional groups keep rows together (duplicate texts must not sit on both sides of a split).
 * `balancedSample` draws the same number of rows from every class (class-balanced initial sets).
 */
import type { Random } from "../al/random.ts";

export interface SplitOptions {
  /** Fraction of rows for the test part, in [0, 1). */
  test: number;
  /** Fraction of rows for the validation part (default 0); test + validation < 1. */
  validation?: number;
  random: Random;
  /** One class per row: stratify by it. Absent: a plain random split. */
  labels?: Int32Array;
  /** One group id per row: rows of a group land in the same part (the first row's label counts). */
  groups?: Int32Array;
}

export interface SplitIndices {
  /** Row indices, ascending. */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

function shuffleInPlace(values: number[], random: Random): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}

/** Largest-remainder allocation of round(total × fraction) over strata, each at most its cap. */
function allocate(sizes: number[], caps: number[], total: number, fraction: number): number[] {
  const target = Math.round(total * fraction);
  const exact = sizes.map((s) => s * fraction);
  const take = exact.map((e, k) => Math.min(caps[k]!, Math.floor(e + 1e-9)));
  let left = target - take.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => k).sort((a, b) => exact[b]! - Math.floor(exact[b]! + 1e-9) - (exact[a]! - Math.floor(exact[a]! + 1e-9)) || a - b);
  for (const k of order) {
    if (left <= 0) break;
    if (take[k]! < caps[k]!) {
      take[k]!++;
      left--;
    }
  }
  return take;
}

export function splitIndices(n: number, options: SplitOptions): SplitIndices {
  const testFraction = options.test;
  const validationFraction = options.validation ?? 0;
  if (!(testFraction >= 0 && validationFraction >= 0 && testFraction + validationFraction < 1)) {
    throw new RangeError(`split: test (${testFraction}) and validation (${validationFraction}) fractions must be ≥ 0 and sum to less than 1`);
  }
  const { labels, groups, random } = options;
  if (labels && labels.length !== n) throw new RangeError(`split: ${labels.length} labels for ${n} rows`);
  if (groups && groups.length !== n) throw new RangeError(`split: ${groups.length} group ids for ${n} rows`);

  // Units: one per group (its first row stands for it), or one per row.
  const unitRows: number[] = [];
  let unitOf: Int32Array | undefined;
  if (groups) {
    unitOf = new Int32Array(n);
    const firstUnit = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let u = firstUnit.get(groups[i]!);
      if (u === undefined) {
        u = unitRows.length;
        firstUnit.set(groups[i]!, u);
        unitRows.push(i);
      }
      unitOf[i] = u;
    }
  } else {
    for (let i = 0; i < n; i++) unitRows.push(i);
  }
  const strata = new Map<number, number[]>();
  unitRows.forEach((row, u) => {
    const c = labels ? labels[row]! : 0;
    if (!strata.has(c)) strata.set(c, []);
    strata.get(c)!.push(u);
  });
  const classes = [...strata.keys()].sort((a, b) => a - b);
  const lists = classes.map((c) => strata.get(c)!);
  for (const list of lists) shuffleInPlace(list, random);
  const sizes = lists.map((l) => l.length);
  const testTake = allocate(sizes, sizes, unitRows.length, testFraction);
  const validationTake = allocate(sizes, sizes.map((s, k) => s - testTake[k]!), unitRows.length, validationFraction);

  const unitPart = new Uint8Array(unitRows.length); // 0 train, 1 validation, 2 test
  lists.forEach((list, k) => {
    list.forEach((u, j) => {
      unitPart[u] = j < testTake[k]! ? 2 : j < testTake[k]! + validationTake[k]! ? 1 : 0;
    });
  });
  const part = unitOf ? Uint8Array.from(unitOf, (u) => unitPart[u]!) : unitPart;
  const pick = (p: number): Int32Array => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (part[i] === p) out.push(i);
    return Int32Array.from(out);
  };
  return { train: pick(0), validation: pick(1), test: pick(2) };
}

/**
 * `perClass` random rows of every class present among `among` (default: all rows), ascending.
 * Throws when a class has fewer rows than asked for.
 */
export function balancedSample(labels: Int32Array, perClass: number, random: Random, among?: ArrayLike<number>): Int32Array {
  const rows = among ? Array.from(among) : Array.from(labels.keys());
  const byClass = new Map<number, number[]>();
  for (const r of rows) {
    const c = labels[r]!;
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(r);
  }
  const chosen: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(c)!;
    if (list.length < perClass) throw new RangeError(`balancedSample: class ${c} has ${list.length} rows, fewer than the ${perClass} asked for`);
    shuffleInPlace(list, random);
    chosen.push(...list.slice(0, perClass));
  }
  return Int32Array.from(chosen).sort();
}
