/**
 * Scoring a random subset of the pool each round (`acquisition.candidates`), as Gal, Islam &
 * Ghahramani (2017) do on MNIST: `count` unlabelled points are drawn from the round's own
 * seeded stream, and the sampler sees a smaller pool made of them plus every blocked point
 * (labelled or set aside), so samplers that read the labelled set (KCenter, IWKMeans, the
 * labels) keep it. MC samples and embeddings are then computed for that view only, which is
 * what makes a large pool affordable.
 */
import type { Split } from "../data/dataset.ts";
import { takeRows } from "./matrix.ts";
import { permutation, type Random } from "./random.ts";

/** `count` unblocked pool indices drawn uniformly (all of them when fewer), ascending. */
export function drawCandidates(blocked: Uint8Array, count: number, random: Random): Int32Array {
  const open: number[] = [];
  for (let i = 0; i < blocked.length; i++) if (blocked[i] === 0) open.push(i);
  if (count >= open.length) return Int32Array.from(open);
  const order = permutation(open.length, random);
  const picked = new Int32Array(count);
  for (let j = 0; j < count; j++) picked[j] = open[order[j]!]!;
  return picked.sort();
}

/** The pool as one round's sampler sees it: `rows` of the full pool, in ascending order. */
export interface PoolView {
  /** Full-pool index of each view row (ascending, so ties still go to the lowest index). */
  rows: Int32Array;
  /** The view's own blocked mask. */
  blocked: Uint8Array;
  /** Full-pool index → view row (−1 outside the view). */
  local: Int32Array;
}

/** The view of the candidates plus every blocked point. */
export function poolView(blocked: Uint8Array, candidates: Int32Array): PoolView {
  const inView = blocked.slice();
  for (const i of candidates) inView[i] = 1;
  const rows: number[] = [];
  for (let i = 0; i < inView.length; i++) if (inView[i] === 1) rows.push(i);
  const local = new Int32Array(blocked.length).fill(-1);
  const viewBlocked = new Uint8Array(rows.length);
  rows.forEach((g, j) => {
    local[g] = j;
    viewBlocked[j] = blocked[g]!;
  });
  return { rows: Int32Array.from(rows), blocked: viewBlocked, local };
}

/**
 * The round's view for `acquisition.candidates` = count (drawn from `random()`), or undefined
 * without candidates or when the view would be the whole pool.
 */
export function roundView(blocked: Uint8Array, count: number | undefined, random: () => Random): PoolView | undefined {
  if (count === undefined) return undefined;
  const view = poolView(blocked, drawCandidates(blocked, count, random()));
  return view.rows.length < blocked.length ? view : undefined;
}

/** A split restricted to the view's rows (the parts samplers' inputs read). */
export function viewSplit(split: Split, view: PoolView): Split {
  return {
    x: takeRows(split.x, view.rows),
    y: Int32Array.from(view.rows, (i) => split.y[i]!),
    ...(split.labelSets ? { labelSets: takeRows(split.labelSets, view.rows) } : {}),
    ...(split.noisy ? { noisy: Uint8Array.from(view.rows, (i) => split.noisy![i]!) } : {}),
  };
}

/** Full-pool indices → view rows; throws when one lies outside the view (a loop bug). */
export function toView(view: PoolView, indices: Int32Array): Int32Array {
  return Int32Array.from(indices, (i) => {
    const j = view.local[i]!;
    if (j < 0) throw new Error(`candidates: pool point ${i} is not in this round's view`);
    return j;
  });
}
