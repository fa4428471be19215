/**
 * Cold start by k-means: before any label exists, an initial set that covers the pool. Cluster
 * the pool's features into `count` groups (best of 10 k-means++ starts, from `random`) and take the point
 * nearest each centre, so the first model sees every region of the input space instead of a
 * random draw that may miss small ones. The alternative to lib/al/initial-set.ts's random and
 * stratified sets when labels are unknown.
 */
import { clusterRepresentatives, kmeans } from "./cluster/kmeans.ts";
import { type Matrix, takeRows } from "./matrix.ts";
import type { Random } from "./random.ts";

export interface KMeansInitialSetOptions {
  random: Random;
  /** Upper bound on Lloyd iterations (default 100). */
  maxIterations?: number;
  /** Convergence tolerance relative to the data's variance (default 1e-4). */
  tolerance?: number;
  /** k-means++ starts, the lowest inertia kept (default 10, as for the k-means samplers). */
  restarts?: number;
  /** Points set aside (exclude[i] = 1, e.g. a validation set): never clustered, never chosen. */
  exclude?: Uint8Array;
}

/** `count` distinct pool indices (sorted ascending, like initialSet): the point nearest each k-means centre. */
export function kmeansInitialSet(features: Matrix, count: number, options: KMeansInitialSetOptions): Int32Array {
  const { exclude, ...fit } = options;
  if (exclude !== undefined && exclude.length !== features.n) {
    throw new RangeError(`kmeansInitialSet: exclude has ${exclude.length} flags for ${features.n} pool points; pass one per point`);
  }
  const rows: number[] = [];
  for (let i = 0; i < features.n; i++) if (exclude === undefined || exclude[i] === 0) rows.push(i);
  if (!Number.isInteger(count) || count < 1 || count > rows.length) {
    throw new RangeError(
      `kmeansInitialSet: count = ${count} must be a whole number between 1 and the ${rows.length} pool points available; lower the initial size`,
    );
  }
  const candidates = exclude === undefined ? features : takeRows(features, rows);
  const result = kmeans(candidates, count, fit);
  return clusterRepresentatives(candidates, result)
    .map((i) => rows[i]!)
    .sort();
}
