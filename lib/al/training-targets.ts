import type { Dataset } from "../data/dataset.ts";
import type { Targets } from "../learners/learner.ts";
import { takeRows } from "./matrix.ts";

/**
 * What a learner trains on for these pool rows: the 0/1 label sets (multi-label) or class
 * indices — `labels` (the oracle's answers, one per pool point) or else the pool's own.
 */
export function trainingTargets(dataset: Dataset, rows: Int32Array, labels: Int32Array = dataset.pool.y): Targets {
  const { pool } = dataset;
  return pool.labelSets && dataset.task === "multilabel" ? takeRows(pool.labelSets, rows) : Int32Array.from(rows, (p) => labels[p]!);
}
