/** Recomputes an experiment's derived analysis from its stored rounds and saves it. */
import { analyse, type RunSeries } from "../al/analysis.ts";
import { canonicalJson } from "../experiments/id.ts";
import type { Store } from "../store/duckdb.ts";

const NOT_METRICS = new Set([
  "experiment", "run_id", "dataset", "learner", "sampler", "mode", "seed", "round", "labelled",
  "train_seconds", "score_seconds", "select_seconds", "evaluate_seconds", "reference_seconds", "backend", "kind", "baseline_percent",
]);

export async function analyseExperiment(store: Store, experiment: string): Promise<ReturnType<typeof analyse>> {
  const runs = (await store.runs({ experiment })).filter((r) => r.status === "done");
  const rows = await store.roundsTable({ experiment });
  const series: RunSeries[] = runs.map((run) => {
    const { experiment: _e, sampler: _s, mcSamples: _m, seed, dataset, learner, epochs, baseline, ...rest } = run.config;
    const mine = rows.filter((r) => r.run_id === run.runId).sort((a, b) => a.round - b.round);
    return {
      runId: run.runId,
      sampler: run.config.sampler.name,
      // Same cell = same everything but the sampler (and what only some samplers use).
      cell: canonicalJson({ ...rest, seed, dataset, learner, epochs }),
      baselineKey: canonicalJson({ dataset, learner, epochs, seed }),
      baselinePercent: baseline?.percent ?? null,
      rounds: mine.map((r) => {
        const metrics: Record<string, number> = {};
        for (const [k, v] of Object.entries(r)) if (!NOT_METRICS.has(k) && typeof v === "number") metrics[k] = v;
        return { round: r.round, labelled: r.labelled, metrics };
      }),
    };
  });
  const result = analyse(series);
  // Nothing done (every run failed): nothing to replace, and an empty id list is no SQL list.
  if (runs.length > 0) await store.saveAnalysis(runs.map((r) => r.runId), result);
  return result;
}
