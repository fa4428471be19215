/**
 * What labelling a pool point costs: the same for every point, a function of its text's length
 * (`base + perCharacter × characters`), for annotators paid by the time they read, or the
 * point's own value in a column of the user's table (e.g. measured seconds per label). Costs
 * depend on the point only, never on the round or the sampler.
 */

/** A constant cost per point, one linear in the length of the point's raw text, or a column's values. */
export type CostConfig = number | { perCharacter: number; base?: number } | { column: string };

/** Each pool point's cost; throws a `cost…: what` line when the data cannot give one. */
/** `pool`: a data set split (its labels give the count; text sets keep their raw `texts`). */
/** `costs`: a table's cost column (lib/data/table.ts checked each value is a finite number > 0). */
export function pointCosts(cost: CostConfig, pool: { y: ArrayLike<number>; texts?: readonly string[]; costs?: Float64Array }, dataset: string): Float64Array {
  const n = pool.y.length;
  if (typeof cost === "number") {
    if (!(cost > 0 && Number.isFinite(cost))) throw new Error(`cost: expected a number > 0, got ${cost}`);
    return new Float64Array(n).fill(cost);
  }
  if ("column" in cost) {
    if (!pool.costs) throw new Error(`cost.column: data set "${dataset}" was read without column "${cost.column}"; name a column of a user's table file (dataset: { file, … })`);
    return pool.costs;
  }
  const texts = pool.texts;
  if (!texts) throw new Error(`cost.perCharacter: data set "${dataset}" keeps no raw text; give a constant cost (cost: 1) or use a text set`);
  const base = cost.base ?? 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = base + cost.perCharacter * texts[i]!.length;
    if (!(out[i]! > 0)) throw new Error(`cost: pool point ${i} of "${dataset}" has an empty text and costs 0; give cost.base > 0`);
  }
  return out;
}

/** The summed cost of `indices`. */
export function costOf(costs: Float64Array, indices: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < indices.length; i++) sum += costs[indices[i]!]!;
  return sum;
}

/**
 * The longest prefix of `batch` (in the sampler's rank order) whose cost fits in `left`: the
 * batch that would cross a cost budget keeps its highest-ranked points that are still affordable.
 */
export function affordablePrefix(costs: Float64Array, batch: Int32Array, left: number): Int32Array {
  let spent = 0;
  let k = 0;
  // A relative slack so a budget of exactly 10 × 0.1 is not missed by float rounding.
  const slack = 1e-9 * Math.max(1, Math.abs(left));
  while (k < batch.length && spent + costs[batch[k]!]! <= left + slack) spent += costs[batch[k++]!]!;
  return batch.slice(0, k);
}
