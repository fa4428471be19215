/**
 * `al replay`: recomputes, from stored selections and the data alone (no retraining), the
 * metrics that need nothing else — exploration gain (input space) and the noisy-sample ratio —
 * and stores them again. Use it after a metric's definition changes, or to check a store.
 * It resolves no learner or sampler, so runs of code-defined ones (lib/experiments/plugins.ts)
 * replay without their experiment file.
 */
import { takeRows } from "../al/matrix.ts";
import { explorationGainOfBatch, nearestNeighbours, noisyRatio } from "../al/metrics/index.ts";
import type { RunConfig } from "../experiments/spec.ts";
import type { Store } from "../store/duckdb.ts";
import { cachedDataset } from "./execute-run.ts";

/** Metrics `al replay` can recompute without a model. */
export const replayableMetrics = ["exploration_gain", "noisy_ratio"] as const;

export interface ReplayResult {
  runs: number;
  values: number;
  /** Values that differ from what was stored (beyond 1e-9 relative). */
  changed: Array<{ runId: string; round: number; metric: string; stored: number | null; replayed: number }>;
}

export async function replay(store: Store, options: { experiment?: string; write: boolean }): Promise<ReplayResult> {
  const runs = (await store.runs(options.experiment === undefined ? {} : { experiment: options.experiment })).filter((r) => r.status === "done");
  const unique = [...new Map(runs.map((r) => [r.runId, r])).values()];
  const result: ReplayResult = { runs: unique.length, values: 0, changed: [] };
  const updates: Array<{ runId: string; round: number; metric: string; value: number }> = [];
  for (const run of unique) {
    const config = run.config as RunConfig;
    if (config.metrics && !config.metrics.some((m) => (replayableMetrics as readonly string[]).includes(m))) continue;
    const dataset = await cachedDataset(config.dataset);
    const rows = await store.query("SELECT round, pool_index FROM selections WHERE run_id = ? ORDER BY round, rank", [run.runId]);
    const stored = await store.query(
      "SELECT round, metric, value FROM metrics WHERE run_id = ? AND metric IN ('exploration_gain', 'noisy_ratio')",
      [run.runId],
    );
    const storedValue = (round: number, metric: string): number | null => {
      const hit = stored.find((s) => Number(s.round) === round && s.metric === metric);
      return hit ? Number(hit.value) : null;
    };
    const byRound = new Map<number, number[]>();
    for (const r of rows) byRound.set(Number(r.round), [...(byRound.get(Number(r.round)) ?? []), Number(r.pool_index)]);
    const rounds = (await store.storedRounds(run.runId)).sort((a, b) => a - b);
    const wants = (metric: string) => !config.metrics || config.metrics.includes(metric);
    const found = (runId: string, round: number, metric: string, value: number) => {
      result.values++;
      const old = storedValue(round, metric);
      if (old === null || Math.abs(old - value) > 1e-9 * Math.max(1, Math.abs(value))) result.changed.push({ runId, round, metric, stored: old, replayed: value });
      updates.push({ runId, round, metric, value });
    };
    // Selections at round r + 1 are the batch chosen after fit r.
    let distances: Float64Array | undefined;
    for (const round of rounds) {
      const added = byRound.get(round) ?? [];
      if (round === 0) distances = nearestNeighbours(dataset.test.x, takeRows(dataset.pool.x, added), "exploration_gain").distance;
      else if (distances && wants("exploration_gain")) {
        found(run.runId, round, "exploration_gain", explorationGainOfBatch(dataset.test.x, takeRows(dataset.pool.x, added), distances));
      }
      const batch = byRound.get(round + 1);
      if (batch && dataset.pool.noisy && wants("noisy_ratio")) found(run.runId, round, "noisy_ratio", noisyRatio(batch, dataset.pool.noisy));
    }
  }
  if (options.write && updates.length > 0) await store.upsertMetrics(updates);
  return result;
}
