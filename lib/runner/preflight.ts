/**
 * Everything about a grid that can be known before training, checked before the store is
 * opened: each data set is read once and checked for sanity (two classes, usable features), and
 * every run's plan, sampler task and sampler ↔ learner fit are checked against it. A failure is a
 * one-line SpecError naming the experiment file; doubtful-but-runnable data gives warnings.
 */
import { pointCosts } from "../al/cost.ts";
import { oracleProblem } from "../al/oracle.ts";
import { planRun } from "../al/plan.ts";
import type { Dataset, SourceFile, Split } from "../data/dataset.ts";
import { MAX_FEATURE_MAGNITUDE } from "../data/table.ts";
import { SpecError } from "../experiments/errors.ts";
import type { RunConfig } from "../experiments/spec.ts";
import { learnerCapabilities, resolveSampler } from "../experiments/plugins.ts";
import type { LearnerCapabilities, LearnerShape } from "../learners/learner.ts";
import { cachedDataset, learnerShape } from "./execute-run.ts";

export interface DatasetSize {
  pool: number;
  test: number;
  classes: number;
  task: "multiclass" | "multilabel";
}

export interface Preflight {
  /** Data checksum by data-set reference (JSON of `config.dataset`). */
  checksums: Map<string, string>;
  /** The files each data set was read from (Dataset.readFrom), by the same key: stored with its runs. */
  readFrom: Map<string, SourceFile[]>;
  /** Sizes by data-set reference (JSON of `config.dataset`). */
  datasetSizes: Map<string, DatasetSize>;
  /** Doubtful but runnable inputs, one line each (without a "warning:" prefix). */
  warnings: string[];
}

/** Classes (multi-class) or labels (multi-label) that occur at least once in a split. */
function presentClasses(split: Split, dataset: Dataset): Set<number> {
  const present = new Set<number>();
  const sets = split.labelSets;
  if (dataset.task === "multilabel" && sets) {
    for (let i = 0; i < sets.n; i++) for (let j = 0; j < sets.c; j++) if (sets.data[i * sets.c + j] === 1) present.add(j);
  } else {
    for (const c of split.y) present.add(c);
  }
  return present;
}

/** The first feature that is not finite or too large for float32 arithmetic, as an error. */
function checkFeatures(split: Split, part: string, dataset: Dataset, where: string): void {
  const { data, n, c } = split.x;
  for (let k = 0; k < n * c; k++) {
    const v = data[k]!;
    if (Number.isFinite(v) && Math.abs(v) <= MAX_FEATURE_MAGNITUDE) continue;
    const i = Math.floor(k / c);
    const j = k % c;
    const column = dataset.features?.[j] !== undefined ? `"${dataset.features[j]}"` : String(j + 1);
    const row = split.rows ? ` (row ${split.rows[i]! + 1} of its file)` : "";
    const what = Number.isFinite(v) ? `${v} is too large for the float32 learners (|x| ≤ 1e30); rescale the column` : `${v} is not a finite number`;
    throw new SpecError(`${where}: ${part} point ${i}${row}, feature ${column}: ${what}`);
  }
}

/** Sanity of one loaded data set; returns warnings, throws for data no run could use. */
function checkData(dataset: Dataset, where: string): string[] {
  const noun = dataset.task === "multilabel" ? "label" : "class";
  if (dataset.pool.y.length === 0) throw new SpecError(`${where}: the pool is empty`);
  if (dataset.test.y.length === 0) throw new SpecError(`${where}: the test split is empty; add rows or raise testFraction`);
  const pool = presentClasses(dataset.pool, dataset);
  if (pool.size < 2) {
    const only = [...pool].map((c) => `"${dataset.classes[c]}"`).join("");
    throw new SpecError(`${where}: the pool holds only ${noun} ${only || "(none)"}; a classifier needs at least 2 ${noun === "class" ? "classes" : "labels"}, so check the label column`);
  }
  for (const [part, split] of [["pool", dataset.pool], ["test", dataset.test], ["validation", dataset.validation]] as const) {
    if (split) checkFeatures(split, part, dataset, where);
  }
  const warnings: string[] = [];
  const testOnly = [...presentClasses(dataset.test, dataset)].filter((c) => !pool.has(c)).sort((a, b) => a - b);
  if (testOnly.length > 0) {
    const names = testOnly.map((c) => `"${dataset.classes[c]}"`).join(", ");
    warnings.push(
      `${where}: ${noun}${testOnly.length > 1 ? (noun === "class" ? "es" : "s") : ""} ${names} occur${testOnly.length > 1 ? "" : "s"} only in the test split; no run can learn ${testOnly.length > 1 ? "them" : "it"}, so test scores are capped`,
    );
  }
  return warnings;
}

/** What a sampler with these options reads (a wrapper may read less than it declares). */
function needsOf(config: RunConfig): readonly string[] {
  const sampler = resolveSampler(config.sampler, "sampler");
  return sampler.needsFor?.(config.sampler.options) ?? sampler.needs;
}

/** Whether the run's learner (and settings) can give the run's sampler what it reads. */
function checkSamplerFit(config: RunConfig, shape: LearnerShape, file: string): void {
  const sampler = `sampler "${config.sampler.name}"`;
  const learner = `learner "${config.learner.name}"`;
  const needs = needsOf(config);
  let can: LearnerCapabilities;
  try {
    // A code-defined learner builds its model on this data's shape here: a broken build fails now.
    can = learnerCapabilities(config.learner, shape);
  } catch (error) {
    throw new SpecError(`${file}: ${(error as Error).message}`);
  }
  if (needs.includes("mcSamples")) {
    const { method, samples } = config.mcSamples ?? { method: "mc-dropout", samples: 20 };
    if (method === "mc-dropout" && !can.mcSamples) {
      throw new SpecError(
        `${file}: ${sampler} needs MC samples, but ${learner} has no MC dropout; set mcSamples: { method: "ensemble" }, or use a learner with dropout (mlp, cnn, …)`,
      );
    }
    if (method === "mc-dropout" && can.maxSamples !== undefined && samples > can.maxSamples) {
      throw new SpecError(`${file}: mcSamples.samples: ${samples} samples, but ${learner} gives at most ${can.maxSamples} (one per tree); lower it or raise the trees`);
    }
  }
  if (needs.includes("embeddings") && !can.embeddings) {
    throw new SpecError(`${file}: ${sampler} needs embeddings, but ${learner} has none; pick another sampler or learner`);
  }
  if (needs.includes("referenceProbs") && !config.reference) {
    throw new SpecError(`${file}: ${sampler} needs a reference classifier; add reference: {} to the experiment (trained on the test split)`);
  }
  // VAAL's VAE reconstructs feature vectors; token ids are labels of words, not coordinates.
  if (needs.includes("labelledness") && shape.vocabSize !== undefined) {
    throw new SpecError(`${file}: ${sampler} trains a VAE on feature vectors, but data set "${config.dataset.name}" gives token ids; set features: "tfidf" in its dataset options`);
  }
  if (needs.includes("predictedLoss") && !can.predictedLoss) {
    const fix = can.epochPredictions
      ? `add lossPrediction: {} to its options`
      : `use a tfjs learner (mlp, cnn, cnn1d, bilstm, transformer or a tfjsLearner) with lossPrediction: {} in its options`;
    throw new SpecError(`${file}: ${sampler} needs the loss a loss-prediction module predicts, but ${learner} has none; ${fix}`);
  }
  if (needs.includes("epochPredictions")) {
    if (!can.epochPredictions) {
      throw new SpecError(`${file}: ${sampler} needs the pool's predictions after every training epoch, but ${learner} does not train in epochs; use a tfjs learner (mlp, cnn, cnn1d, bilstm, transformer)`);
    }
    // One epoch gives every point dispersion 0, and the selection would be the lowest indices.
    const fewest = fewestEpochs(config);
    if (fewest.epochs < 2) {
      throw new SpecError(`${file}: ${sampler} measures how predictions change across a fit's epochs, but ${fewest.what} is ${fewest.epochs}; raise it to at least 2`);
    }
  }
}

/**
 * A loss-prediction module the run's network cannot carry (no feature maps, or `layers` naming
 * one it lacks) fails here, not in every worker's first reset.
 */
function checkLossPrediction(config: RunConfig, shape: LearnerShape, file: string): void {
  const options = config.learner.options["lossPrediction"] as { layers?: number[] } | undefined;
  if (options === undefined) return;
  let maps: number | undefined;
  try {
    maps = learnerCapabilities(config.learner, shape).featureMaps;
  } catch (error) {
    throw new SpecError(`${file}: ${(error as Error).message}`);
  }
  if (maps === undefined) return;
  const where = `${file}: learner "${config.learner.name}": lossPrediction`;
  if (maps === 0) throw new SpecError(`${where} needs intermediate features, but the network exposes none; give it a hidden layer`);
  const bad = options.layers?.find((i) => i >= maps);
  if (bad !== undefined) {
    throw new SpecError(`${where}.layers: ${bad} is out of range; the network has ${maps > 1 ? `${maps} feature maps (0–${maps - 1})` : "1 feature map (0)"}`);
  }
}

/** The fewest epochs one fit of the run can train, and the setting that fixes it. */
function fewestEpochs(config: RunConfig): { epochs: number; what: string } {
  // Acquire on saturation stops after 1 + patience epochs at the earliest (the first always improves).
  if (config.saturation) return { epochs: Math.min(config.saturation.maxEpochs, 1 + config.saturation.patience), what: "saturation.maxEpochs" };
  if (config.mode === "keep-train" && config.period !== undefined && config.period < config.epochs) return { epochs: config.period, what: "period" };
  return { epochs: config.epochs, what: "epochs" };
}

/**
 * Reads each data set of the grid once, checks it and every run against it, and returns the
 * checksums and sizes the runner needs; nothing is written.
 */
export async function preflight(configs: readonly RunConfig[], file: string): Promise<Preflight> {
  const checksums = new Map<string, string>();
  const readFrom = new Map<string, SourceFile[]>();
  const datasetSizes = new Map<string, DatasetSize>();
  const shapes = new Map<string, LearnerShape>();
  const minCosts = new Map<string, number>();
  const warnings: string[] = [];
  for (const config of configs) {
    const key = JSON.stringify(config.dataset);
    if (!checksums.has(key)) {
      let dataset: Dataset;
      try {
        dataset = await cachedDataset(config.dataset);
      } catch (error) {
        throw new SpecError(`${file}: dataset: ${(error as Error).message}`);
      }
      warnings.push(...checkData(dataset, `${file}: dataset "${config.dataset.name}"`));
      checksums.set(key, dataset.checksum);
      readFrom.set(key, dataset.readFrom ?? []);
      datasetSizes.set(key, { pool: dataset.pool.x.n, test: dataset.test.x.n, classes: dataset.classes.length, task: dataset.task });
      shapes.set(key, learnerShape(dataset));
    }
    // Every cell, not one per data set: sizes and rounds are grid axes too.
    const size = datasetSizes.get(key)!;
    const tasks = resolveSampler(config.sampler, "sampler").tasks ?? ["multiclass"];
    if (!config.baseline && !tasks.includes(size.task)) {
      throw new SpecError(
        `${file}: sampler "${config.sampler.name}" is for ${tasks.join("/")} data, but data set "${config.dataset.name}" is ${size.task}; pick a ${size.task} sampler`,
      );
    }
    if (!config.baseline) checkSamplerFit(config, shapes.get(key)!, file);
    checkLossPrediction(config, shapes.get(key)!, file);
    if (config.oracle) {
      const problem = oracleProblem(config.oracle, size.classes, size.task);
      if (problem) throw new SpecError(`${file}: ${problem} (data set "${config.dataset.name}")`);
    }
    if (config.cost !== undefined && !minCosts.has(key)) {
      try {
        minCosts.set(key, pointCosts(config.cost, (await cachedDataset(config.dataset)).pool, config.dataset.name).reduce((a, b) => Math.min(a, b), Infinity));
      } catch (error) {
        throw new SpecError(`${file}: ${(error as Error).message}`);
      }
    }
    try {
      planRun(config, size.pool, size.classes, minCosts.has(key) ? { minCost: minCosts.get(key)! } : {});
    } catch (error) {
      throw new SpecError(`${file}: ${(error as Error).message}`);
    }
  }
  return { checksums, readFrom, datasetSizes, warnings };
}
