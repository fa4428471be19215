/** Executes one run in this process: builds its learner and sampler and drives the loop. */
import { runLoop } from "../al/loop.ts";
import type { RoundRecord } from "../al/records.ts";
import type { Dataset } from "../data/dataset.ts";
import { loadDataset } from "../data/registry.ts";
import { resolveLearner, resolveSampler } from "../experiments/plugins.ts";
import type { ComponentRef } from "../experiments/spec.ts";
import type { LearnerShape } from "../learners/learner.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
import type { RunJob } from "./job.ts";
import { ensurePlugins } from "./load-plugins.ts";
import { testHook } from "./test-hooks.ts";

/** Data sets already read in this process, keyed by their reference. */
const cache = new Map<string, Promise<Dataset>>();

export function cachedDataset(ref: RunJob["config"]["dataset"]): Promise<Dataset> {
  const key = JSON.stringify(ref);
  let hit = cache.get(key);
  if (!hit) {
    hit = loadDataset(ref);
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}

/** What a learner knows of a data set before it is built. */
export function learnerShape(dataset: Dataset): LearnerShape {
  return {
    inputSize: dataset.pool.x.c,
    inputShape: dataset.shape,
    classes: dataset.classes.length,
    task: dataset.task,
    ...(dataset.vocabulary && dataset.features === undefined ? { vocabSize: dataset.vocabulary.length } : {}),
  };
}

/**
 * Runs (or resumes) a job. With a checkpoint directory, the checkpoint is written before a
 * round is reported, so whatever the store has is always covered by the checkpoint.
 */
export async function executeRun(
  job: RunJob,
  onRound: (record: RoundRecord) => void | Promise<void>,
  options: { signal?: AbortSignal } = {},
): Promise<number> {
  const started = performance.now();
  const { config, checkpointDir } = job;
  // Code-defined learners and samplers come from the experiment file, loaded here if need be.
  await ensurePlugins(job);
  const dataset = await cachedDataset(config.dataset);
  const sampler = resolveSampler(config.sampler, "sampler");
  const checkpoint =
    job.resume && checkpointDir ? await readCheckpoint(checkpointDir, job.runId, undefined, { config, backend: job.backend }) : undefined;
  if (job.resume && !checkpoint) throw new Error(`run ${job.runId}: asked to resume but its checkpoint is missing`);
  const records = checkpoint ? [...checkpoint.records] : [];
  const shape = learnerShape(dataset);
  const makeLearner = (ref: ComponentRef = config.learner) => {
    const f = resolveLearner(ref, "learner");
    return f.create(f.parseOptions(ref.options, "learner.options"), shape);
  };
  const learner = makeLearner();
  try {
    await runLoop({
      runId: job.runId,
      config,
      dataset,
      learner,
      sampler,
      samplerOptions: sampler.parseOptions(config.sampler.options, "sampler.options"),
      ...(checkpoint ? { resume: checkpoint.state } : {}),
      keepState: checkpointDir !== undefined,
      makeLearner,
      onRound: async (record, state) => {
        if (testHook("run-fails")) throw new Error("AL_TEST_HOOK run-fails: this run fails at its first round");
        const rows = dataset.pool.rows;
        if (rows) {
          record.selectedRows = record.selected.map((i) => rows[i]!);
          if (record.initial) record.initialRows = record.initial.map((i) => rows[i]!);
        }
        if (checkpointDir) {
          records.push(record);
          await writeCheckpoint(checkpointDir, { format: 1, runId: job.runId, config, backend: job.backend, state, records });
        }
        // Stopped (Ctrl-C): the checkpoint covers this round, so the store may miss it.
        options.signal?.throwIfAborted();
        await onRound(record);
      },
    });
  } finally {
    learner.dispose();
  }
  return (performance.now() - started) / 1000;
}
