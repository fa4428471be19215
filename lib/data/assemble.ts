/**
 * Rows of a data set as parallel columns, and the steps that turn them into pool / test /
 * validation parts: a seeded split for sets without a predefined one, swapping pool and test,
 * and the `pool` / `test` row limits.
 */
import type { Matrix } from "../al/matrix.ts";
import { takeRows } from "../al/matrix.ts";
import { createRandom, permutation } from "../al/random.ts";
import type { Split } from "./dataset.ts";
import type { ResolvedOptions, SplitSettings } from "./options.ts";
import { splitIndices } from "./splits.ts";

/** A Split whose features may still be missing (text sets get theirs after the split). */
export type Columns = Omit<Split, "x"> & { x?: Matrix };

export interface Parts {
  pool: Columns;
  test: Columns;
  validation?: Columns;
}

export function rowCount(columns: Columns): number {
  return columns.y.length;
}

export function selectRows(columns: Columns, indices: ArrayLike<number>): Columns {
  const index = Array.from(indices);
  const out: Columns = { y: Int32Array.from(index, (i) => columns.y[i]!) };
  if (columns.x) out.x = takeRows(columns.x, index);
  if (columns.labelSets) out.labelSets = takeRows(columns.labelSets, index);
  if (columns.texts) out.texts = index.map((i) => columns.texts![i]!);
  if (columns.noisy) out.noisy = Uint8Array.from(index, (i) => columns.noisy![i]!);
  if (columns.annotators) out.annotators = Object.fromEntries(Object.entries(columns.annotators).map(([name, labels]) => [name, Int32Array.from(index, (i) => labels[i]!)]));
  if (columns.annotatorSets) out.annotatorSets = Object.fromEntries(Object.entries(columns.annotatorSets).map(([name, sets]) => [name, takeRows(sets, index)]));
  if (columns.costs) out.costs = Float64Array.from(index, (i) => columns.costs![i]!);
  out.rows = Int32Array.from(index, (i) => (columns.rows ? columns.rows[i]! : i));
  return out;
}

/**
 * Splits all rows (stratified by `y`; `groups` kept together) with the set's own seed, never a
 * run's. Rows within each part come in a seeded order, so `pool` / `test` limits take random
 * subsets even from files sorted by class.
 */
export function splitRows(all: Columns, settings: SplitSettings, name: string, groups?: Int32Array): Parts {
  const { testFraction, validationFraction, splitSeed } = settings;
  const parts = splitIndices(all.y.length, {
    test: testFraction,
    validation: validationFraction,
    random: createRandom(splitSeed, "split", name),
    labels: all.y,
    ...(groups ? { groups } : {}),
  });
  const ordered = (indices: Int32Array, part: string): Int32Array => {
    const order = permutation(indices.length, createRandom(splitSeed, "order", name, part));
    return Int32Array.from(order, (k) => indices[k]!);
  };
  return {
    pool: selectRows(all, ordered(parts.train, "pool")),
    test: selectRows(all, ordered(parts.test, "test")),
    ...(validationFraction > 0 ? { validation: selectRows(all, ordered(parts.validation, "validation")) } : {}),
  };
}

/** A validation part carved from a predefined pool (file order kept on both sides). */
export function carveValidation(pool: Columns, settings: SplitSettings, name: string): { pool: Columns; validation: Columns } {
  const parts = splitIndices(pool.y.length, {
    test: 0,
    validation: settings.validationFraction,
    random: createRandom(settings.splitSeed, "validation", name),
    labels: pool.y,
  });
  return { pool: selectRows(pool, parts.train), validation: selectRows(pool, parts.validation) };
}

/** Swap (if asked), then the row limits: the first `pool` / `test` rows. */
export function finishParts(parts: Parts, options: ResolvedOptions, name: string): Parts {
  const swapped = options.swap ? { ...parts, pool: parts.test, test: parts.pool } : parts;
  const limit = (columns: Columns, count: number | undefined, key: "pool" | "test"): Columns => {
    if (count === undefined) return columns;
    const n = rowCount(columns);
    if (count > n) throw new Error(`${name}: asked for ${count} ${key} rows but the ${key} part has ${n}; lower dataset.${key}`);
    return count === n ? columns : selectRows(columns, Array.from({ length: count }, (_, i) => i));
  };
  return { ...swapped, pool: limit(swapped.pool, options.pool, "pool"), test: limit(swapped.test, options.test, "test") };
}
