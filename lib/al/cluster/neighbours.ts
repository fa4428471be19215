/**
 * Exact K-nearest-neighbour search by blocked brute force: distances from a block of queries to
 * a block of reference rows are computed together (‖q‖² + ‖r‖² − 2q·r, see distances.ts),
 * then merged into each query's sorted list of the K best. Memory is O(queries·K + block²),
 * never queries × reference.
 */
import type { Matrix } from "../matrix.ts";
import { dotAt, rowBlock, squaredNorms } from "./distances.ts";

export interface Neighbours {
  /** K per query. */
  k: number;
  /** Row q·k + j: the j-th nearest reference row of query q, or −1 when fewer than k exist. */
  indices: Int32Array;
  /** Matching squared distances, ascending (Infinity where indices is −1). */
  distances: Float64Array;
}

export interface NeighbourOptions {
  /**
   * Ids of the query and reference rows: a pair with equal ids is the same point and is never
   * its own neighbour. Give both or neither.
   */
  queryIds?: Int32Array;
  referenceIds?: Int32Array;
  queryNorms?: Float64Array;
  referenceNorms?: Float64Array;
}

const REFERENCE_BLOCK = 64;

/** The k nearest reference rows of every query row (ties: lower reference index first). */
export function nearestNeighbours(queries: Matrix, reference: Matrix, k: number, options: NeighbourOptions = {}): Neighbours {
  const d = queries.c;
  if (reference.n > 0 && reference.c !== d) {
    throw new RangeError(`nearestNeighbours: queries have ${d} columns but the reference has ${reference.c}; pass both in the same space`);
  }
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`nearestNeighbours: k = ${k} must be a whole number ≥ 1`);
  const { queryIds, referenceIds } = options;
  if ((queryIds === undefined) !== (referenceIds === undefined)) {
    throw new TypeError("nearestNeighbours: pass both queryIds and referenceIds, or neither");
  }
  const nq = queries.n;
  const nr = reference.n;
  const indices = new Int32Array(nq * k).fill(-1);
  const distances = new Float64Array(nq * k).fill(Infinity);
  if (nr === 0 || nq === 0) return { k, indices, distances };
  const qNorms = options.queryNorms ?? squaredNorms(queries);
  const rNorms = options.referenceNorms ?? squaredNorms(reference);
  const q = queries.data;
  const r = reference.data;
  const qStep = rowBlock(d);

  for (let q0 = 0; q0 < nq; q0 += qStep) {
    const q1 = Math.min(nq, q0 + qStep);
    for (let r0 = 0; r0 < nr; r0 += REFERENCE_BLOCK) {
      const r1 = Math.min(nr, r0 + REFERENCE_BLOCK);
      for (let i = q0; i < q1; i++) {
        const qi = queryIds === undefined ? -1 : queryIds[i]!;
        const base = i * k;
        for (let j = r0; j < r1; j++) {
          if (referenceIds !== undefined && referenceIds[j] === qi) continue;
          let v = qNorms[i]! + rNorms[j]! - 2 * dotAt(q, i * d, r, j * d, d);
          if (v < 0) v = 0;
          // Insert after equal distances, so lower reference rows (seen first) stay ahead.
          if (!(v < distances[base + k - 1]!)) continue;
          let p = base + k - 1;
          while (p > base && distances[p - 1]! > v) {
            distances[p] = distances[p - 1]!;
            indices[p] = indices[p - 1]!;
            p--;
          }
          distances[p] = v;
          indices[p] = j;
        }
      }
    }
  }
  return { k, indices, distances };
}
