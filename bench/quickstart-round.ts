/**
 * The round the per-strategy cost cases time (label dispersion, loss prediction, VAAL): the
 * quickstart's MLP (784-128-10, 10 epochs, batch 32) on fashion-mnist-small with its first 250
 * pool points labelled, and how a case reports one strategy's round against a plain one.
 */
import { takeRows, type Matrix } from "../lib/al/matrix.ts";
import { selectBackend } from "../lib/backend/select.ts";
import type { Dataset } from "../lib/data/dataset.ts";
import { loadDataset } from "../lib/data/registry.ts";
import type { BenchValue } from "./harness.ts";
import type { Interleaved } from "./interleave.ts";

export const LABELLED = 250;
export const EPOCHS = 10;

export interface QuickstartRound {
  backend: string;
  ds: Dataset;
  /** The labelled pool rows (0 … LABELLED − 1), their features and labels, and the pool's mask. */
  rows: Int32Array;
  x: Matrix;
  y: Int32Array;
  labelled: Uint8Array;
}

export async function quickstartRound(): Promise<QuickstartRound> {
  const backend = await selectBackend({ warn: () => {} });
  const ds = await loadDataset({ name: "fashion-mnist-small" }, { download: false, progress: false });
  const rows = Int32Array.from({ length: LABELLED }, (_, i) => i);
  const labelled = new Uint8Array(ds.pool.x.n);
  labelled.fill(1, 0, LABELLED);
  return { backend: backend.tfName, ds, rows, x: takeRows(ds.pool.x, rows), y: ds.pool.y.slice(0, LABELLED), labelled };
}

/** A case's JSON: the backend, both sides' timings under their names, the ratios and the load. */
export function roundValue(backend: string, result: Interleaved, names: { ours: string; reference: string }): Record<string, BenchValue> {
  const value = { backend, [names.ours]: result.ours, [names.reference]: result.reference, cpuRatio: result.cpuRatio, wallRatio: result.wallRatio, load: result.load };
  return JSON.parse(JSON.stringify(value)) as Record<string, BenchValue>;
}
