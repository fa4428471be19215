/**
 * For data loaders: make sure an experiment's runs are in the store, running only the missing
 * ones (so a site build after `al run` costs a store read). Throws if any run failed.
 */
import { runExperiment, type RunExperimentOptions, type RunSummary } from "./run-experiment.ts";

export async function ensureExperiment(options: RunExperimentOptions): Promise<RunSummary> {
  const summary = await runExperiment(options);
  if (summary.failed > 0) {
    const first = summary.failures[0]!;
    throw new Error(`${summary.failed} of ${summary.total} runs failed; first: ${first.sampler} ${first.mode} seed ${first.seed}: ${first.error}`);
  }
  return summary;
}
