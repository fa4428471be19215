/**
 * `al-lab`: what a project needs to define and run active-learning experiments in code. Define
 * an experiment (the same object `al run` reads from a file), expand it into runs, run a grid
 * into a store, or drive one run yourself with `runLoop` and your own Learner.
 *
 * This entry loads tfjs and DuckDB; the pure pieces have their own entries that load neither:
 * `al-lab/samplers`, `al-lab/metrics`, `al-lab/stats`. See also `al-lab/learners`, `al-lab/store`.
 */
export { version } from "./version.ts";

// Experiments: define, validate, expand into runs.
export { defineExperiment, parseExperiment, resolveProfile, loadExperiment } from "./experiments/define.ts";
export { experimentSchema } from "./experiments/spec.ts";
export type { ExperimentInput, ExperimentSpec, RunConfig, DatasetRef, DatasetOptions, NamedRef } from "./experiments/spec.ts";
export { expandExperiment, matchesRule, parseOnly, type GridRule } from "./experiments/grid.ts";
export { runId, canonicalJson, type RunIdentity } from "./experiments/id.ts";
export { SpecError } from "./experiments/errors.ts";

// Running: a whole grid into a store (what `al run` does), or one loop in your own code.
export { runExperiment, defaultDb, RunInterrupted, type RunExperimentOptions, type RunSummary } from "./runner/run-experiment.ts";
export { plainProgress, type ProgressSink } from "./runner/progress.ts";
export { runLoop, type LoopOptions, type LoopState } from "./al/loop.ts";
export { selectBackend, parseBackendChoice, backendChoices, type BackendChoice, type SelectedBackend } from "./backend/select.ts";

// Data sets.
export { loadDataset, datasetNames, datasetRegistry, type LoadOptions, type CatalogEntry } from "./data/registry.ts";
export type { Dataset, Split, Task, DataKind } from "./data/dataset.ts";

// What runs produce, and the shapes learners and samplers exchange.
export type { RoundRecord, RunRecord, RunStatus, Histogram, TrainingMode } from "./al/records.ts";
export { matrix, takeRows, argmaxRows, type Matrix } from "./al/matrix.ts";
export { createRandom, deriveSeed, type Random } from "./al/random.ts";
export type { Learner, LearnerFactory, LearnerShape, LearnerState, LearnerCapabilities, Targets } from "./learners/learner.ts";
export { getLearner, learnerRegistry } from "./learners/index.ts";
export { getSampler, samplerRegistry, samplerNames, type SamplerName } from "./al/samplers/index.ts";
export { topKUnlabelled, topK } from "./al/samplers/top-k.ts";
export { countUnlabelled } from "./al/samplers/validate.ts";
export type { Sampler, SamplerInputs, SamplerInput, SamplerContext, Samples, EpochPredictions } from "./al/samplers/sampler.ts";
export type { PseudoLabels } from "./al/pseudo-labels.ts";

// Code-defined learners and samplers: an experiment's `learner` / `samplers` may hold these.
export { tfjsLearner, tf, type TfjsLearnerSpec, type BuildModel, type BuildInfo, type DefinedLearner } from "./learners/tfjs-learner.ts";
export { defineSampler, type DefineSamplerSpec, type DefinedSampler, type SelectContext } from "./al/samplers/define-sampler.ts";
