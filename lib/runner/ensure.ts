/**
 * For data loaders: make sure an experiment's runs are in the store, running only the missing
 * ones (so a site build after `al run` costs a store read). Throws if any run failed.
 *
 * A build never waits on a running grid: when another process holds the store, nothing is run
 * here and the loader reads the store's snapshot (openStore's snapshotFallback) instead.
 */
import { StoreLockedError } from "../store/duckdb.ts";
import { defaultDb, runExperiment, type RunExperimentOptions, type RunSummary } from "./run-experiment.ts";

/** The summary of what ran, or undefined when the store was busy and nothing ran. */
export async function ensureExperiment(options: RunExperimentOptions): Promise<RunSummary | undefined> {
  let summary: RunSummary;
  try {
    summary = await runExperiment(options);
  } catch (error) {
    if (!(error instanceof StoreLockedError)) throw error;
    const who = error.pid === undefined ? "another process" : `pid ${error.pid}`;
    options.log?.(`${options.db ?? defaultDb} is being written by ${who}; running nothing, reading what it has stored so far`);
    return undefined;
  }
  if (summary.failed > 0) {
    const first = summary.failures[0]!;
    throw new Error(`${summary.failed} of ${summary.total} runs failed; first: ${first.sampler} ${first.mode} seed ${first.seed}: ${first.error}`);
  }
  return summary;
}
