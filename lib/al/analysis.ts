/**
 * After-the-fact analysis of an experiment's stored rounds: per run, where each stopping rule
 * would have stopped (and what it would have cost), the advisor's per-round advice (comparing
 * the run with the random / k-means run of the same grid cell), and curve summaries (area under
 * the learning curve, final value, labels to reach 95% of the full-data baseline, gap to it).
 * Pure: the runner reads the rows and stores the results.
 */
import { normalisedArea } from "./curves/area-under-curve.ts";
import { finalValue } from "./curves/final-value.ts";
import { gapToBaseline } from "./curves/gap-to-baseline.ts";
import { labelsToReach } from "./curves/labels-to-reach.ts";
import { advise } from "./stopping/advisor.ts";
import { contradictionStop } from "./stopping/contradiction-ratio.ts";
import { maxUncertaintyStop } from "./stopping/max-uncertainty.ts";
import { overallUncertaintyStop } from "./stopping/overall-uncertainty.ts";
import { selectedAccuracyStop } from "./stopping/selected-accuracy.ts";
import type { Series, StopResult } from "./stopping/stop-result.ts";
import { thresholdStop } from "./stopping/threshold-rule.ts";
import { uncertaintyVarianceStop } from "./stopping/uncertainty-variance.ts";

export interface RunSeries {
  runId: string;
  sampler: string;
  /** Runs with the same cell key differ only in their sampler (same data, learner, mode, sizes, seed). */
  cell: string;
  /** Runs with the same baseline key share data set, learner, epochs and seed. */
  baselineKey: string;
  baselinePercent: number | null;
  rounds: Array<{ round: number; labelled: number; metrics: Record<string, number> }>;
}

export interface StopRow {
  runId: string;
  rule: string;
  stopRound: number | null;
  stopLabelled: number | null;
  /** Accuracy at the end minus at the stop round (fraction; ×100 = percentage points). */
  lostAccuracy: number | null;
}

export interface AdviceRow {
  runId: string;
  round: number;
  action: string;
  use: string | null;
  reason: string;
}

export interface SummaryRow {
  runId: string;
  name: string;
  value: number | null;
}

/**
 * Our default thresholds (uncertainty is least confidence, 1 − max p, in [0, 1)); documented in
 * docs/metrics.md. They are starting points, not tuned values.
 */
export const stoppingRules: Record<string, (series: (name: string) => Series, quality: number[]) => StopResult> = {
  stabilising_predictions: (s, q) => thresholdStop("stabilising_predictions", "stability_kappa", s("stability_kappa"), q, 0.99, 3, "above"),
  max_uncertainty: (s, q) => maxUncertaintyStop(s("batch_uncertainty_max"), q, { threshold: 0.5 }),
  overall_uncertainty: (s, q) => overallUncertaintyStop(s("pool_uncertainty_mean"), q, { threshold: 0.1 }),
  uncertainty_variance: (s, q) => uncertaintyVarianceStop(s("batch_uncertainty_variance"), q),
  contradiction: (s, q) => contradictionStop(s("contradiction_ratio"), q),
  selected_accuracy: (s, q) => selectedAccuracyStop(s("batch_accuracy"), q),
};

/**
 * The metric a run's (or an experiment's) curves are judged by, given which metrics are stored:
 * accuracy, except where only the macro AUROC over labels is (multi-label runs have no accuracy).
 */
export function qualityMetric(stored: (name: string) => boolean): "accuracy" | "auroc_multilabel" {
  return stored("accuracy") || !stored("auroc_multilabel") ? "accuracy" : "auroc_multilabel";
}

export function analyse(runs: readonly RunSeries[]): { stopping: StopRow[]; advice: AdviceRow[]; summaries: SummaryRow[] } {
  const stopping: StopRow[] = [];
  const advice: AdviceRow[] = [];
  const summaries: SummaryRow[] = [];
  const seriesOf = (run: RunSeries) => (name: string): Series => run.rounds.map((r) => r.metrics[name] ?? null);
  const byCell = new Map<string, RunSeries[]>();
  for (const run of runs) if (run.baselinePercent === null) byCell.set(run.cell, [...(byCell.get(run.cell) ?? []), run]);
  const fullBaseline = new Map<string, number>();
  for (const run of runs) {
    const accuracy = run.rounds.at(-1)?.metrics.accuracy;
    if (run.baselinePercent === 100 && accuracy !== undefined) fullBaseline.set(run.baselineKey, accuracy);
  }

  for (const run of runs) {
    const qualityName = qualityMetric((name) => run.rounds.some((r) => r.metrics[name] !== undefined));
    const quality = run.rounds.map((r) => r.metrics[qualityName] ?? NaN);
    const judged = run.rounds.length > 0 && quality.every((q) => Number.isFinite(q)); // else: nothing to judge by
    // Every run gets a final value (null when there is none), so an analysed run is visible as
    // such and the runner can find runs whose analysis was lost (lib/runner/run-experiment.ts).
    summaries.push({ runId: run.runId, name: "final_accuracy", value: judged ? finalValue(quality) : null });
    if (run.baselinePercent !== null || !judged) continue;
    const series = seriesOf(run);
    const labelled = run.rounds.map((r) => r.labelled);
    for (const [rule, fn] of Object.entries(stoppingRules)) {
      const result = fn(series, quality);
      stopping.push({
        runId: run.runId,
        rule,
        stopRound: result.stopRound,
        stopLabelled: result.stopRound === null ? null : labelled[result.stopRound]!,
        lostAccuracy: result.lostPoints,
      });
    }

    const peers = byCell.get(run.cell) ?? [];
    const random = peers.find((p) => p.sampler === "random");
    const kMeans = peers.find((p) => p.sampler === "kmeans");
    const aligned = (peer: RunSeries | undefined, name: string): Series | undefined =>
      peer ? run.rounds.map((r) => peer.rounds.find((p) => p.round === r.round)?.metrics[name] ?? null) : undefined;
    const randomAgreement = aligned(random, "agreement");
    const advised = advise({
      explorationGain: series("exploration_gain"),
      reference: { random: aligned(random, "exploration_gain"), kMeans: aligned(kMeans, "exploration_gain") },
      contradiction: series("contradiction_ratio"),
      agreement: series("agreement"),
      randomAgreement: randomAgreement ?? run.rounds.map(() => null),
    });
    advised.forEach((a, i) =>
      advice.push({ runId: run.runId, round: run.rounds[i]!.round, action: a.action, use: "use" in a ? a.use : null, reason: a.reason }),
    );

    summaries.push({ runId: run.runId, name: "aulc_accuracy", value: labelled.length > 1 ? normalisedArea(labelled, quality) : null });
    // Runs with a label cost: the same area over what the labels cost (rounds all carry `cost`).
    const spent = run.rounds.map((r) => r.metrics.cost);
    if (spent.every((c) => c !== undefined && Number.isFinite(c))) {
      const costs = spent as number[];
      const rising = costs.length > 1 && costs.every((c, i) => i === 0 || c > costs[i - 1]!);
      summaries.push({ runId: run.runId, name: "aulc_cost_accuracy", value: rising ? normalisedArea(costs, quality) : null });
    }
    const baseline = fullBaseline.get(run.baselineKey);
    if (baseline !== undefined) {
      summaries.push({ runId: run.runId, name: "baseline_accuracy", value: baseline });
      summaries.push({ runId: run.runId, name: "gap_to_baseline", value: gapToBaseline(quality, baseline) });
      summaries.push({ runId: run.runId, name: "labels_to_95pct_baseline", value: labelsToReach(labelled, quality, 0.95 * baseline) });
    }
  }
  return { stopping, advice, summaries };
}
