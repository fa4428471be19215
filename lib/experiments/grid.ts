/**
 * Expands an experiment into its runs: the product of every list-valued field (data sets ×
 * learners × samplers × modes × initial sets × acquisition sizes × rounds/budgets × epochs ×
 * periods × seeds), minus `exclude` rules, plus `include` rules, plus naive-baseline runs.
 * Every name and options object is validated here, so a bad spec fails before anything is
 * trained or stored.
 */
import { basename, dirname, extname, isAbsolute, resolve } from "node:path";
import { checkMetricName } from "../al/round-metrics.ts";
import { checkDatasetName, checkDatasetRef } from "../data/registry.ts";
import type { z } from "zod";
import { SpecError, parseWith } from "./errors.ts";
import { isDefinedLearner, isDefinedSampler, registerLearner, registerSampler, resolveLearner, resolveSampler } from "./plugins.ts";
import {
  countSchema,
  ruleKeys,
  seedSchema,
  sizeSchema,
  isFileDataset,
  type ComponentRef,
  type DatasetConfig,
  type DatasetRef,
  type ExperimentSpec,
  type FileDatasetConfig,
  type NamedRef,
  type RunConfig,
} from "./spec.ts";

/** A learner or sampler normalised: code-defined ones carry their code hash (lib/experiments/plugins.ts). */
type Named = ComponentRef;
type RuleKey = (typeof ruleKeys)[number];
export type GridRule = Partial<Record<RuleKey, string | number | Array<string | number>>>;

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function named(ref: NamedRef): Named {
  return typeof ref === "string" ? { name: ref, options: {} } : { name: ref.name, options: ref.options ?? {} };
}

/**
 * Code-defined components share a stored name only when they are the same code: two different
 * `build` / `score` / `select` functions under one name would be one name in every report.
 */
function checkOneCodePerName(kind: string, refs: Array<{ ref: Named; path: string }>, source: string): void {
  const first = new Map<string, { code: string | undefined; sources: string; path: string }>();
  for (const { ref, path } of refs) {
    const sources = ref.code === undefined ? "" : codeSources(kind, ref);
    const seen = first.get(ref.name);
    if (!seen) first.set(ref.name, { code: ref.code, sources, path });
    else if ((seen.code === undefined) !== (ref.code === undefined) || seen.sources !== sources) {
      throw new SpecError(`${source}: ${path}: ${kind} name "${ref.name}" is also used by ${seen.path} with other code; give each its own name`);
    }
  }
}

/** The source text of a registered component (options may differ under one name, code may not). */
function codeSources(kind: string, ref: Named): string {
  const component = kind === "learner" ? resolveLearner(ref, kind) : resolveSampler(ref, kind);
  return JSON.stringify((component as unknown as { defined: { sources: unknown } }).defined.sources);
}

/** Wraps a registry/option error with the experiment file as its location. */
function at<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SpecError && error.message.startsWith(source)) throw error;
    throw new SpecError(`${source}: ${(error as Error).message}`);
  }
}

/** What rules and `--only` match against: names for named things, sizes for sizes. */
export function cellKeys(config: RunConfig): Record<RuleKey, string | number | undefined> {
  return {
    dataset: config.dataset.name,
    learner: config.learner.name,
    sampler: config.baseline ? "baseline" : config.sampler.name,
    mode: config.mode,
    seed: config.seed,
    initial: config.initial.size,
    acquisition: config.acquisition.size,
    rounds: config.rounds,
    budget: config.budget,
    epochs: config.epochs,
    period: config.period,
  };
}

export function matchesRule(config: RunConfig, rule: GridRule): boolean {
  const keys = cellKeys(config);
  return (Object.keys(rule) as RuleKey[]).every((key) => {
    const wanted = rule[key];
    if (wanted === undefined) return true;
    const actual = keys[key];
    // Compare as strings so `--only seed=1` (a string) matches the number 1.
    return list(wanted).some((w) => String(w) === String(actual));
  });
}

/** Parses `--only key=value[,value…]` flags into one rule (all must match). */
export function parseOnly(flags: readonly string[]): GridRule {
  const rule: GridRule = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const key = flag.slice(0, eq) as RuleKey;
    if (eq < 1 || !ruleKeys.includes(key)) {
      throw new SpecError(`--only ${flag}: expected key=value with key one of ${ruleKeys.join(", ")}`);
    }
    const values = flag.slice(eq + 1).split(",").filter(Boolean);
    if (values.length === 0) throw new SpecError(`--only ${flag}: no value after "="`);
    rule[key] = values;
  }
  return rule;
}

interface Axes {
  dataset: RunConfig["dataset"][];
  learner: Named[];
  sampler: Named[];
  mode: RunConfig["mode"][];
  initial: RunConfig["initial"][];
  acquisition: RunConfig["acquisition"][];
  stop: Array<{ rounds: number } | { budget: number } | { costBudget: number }>;
  epochs: number[];
  period: Array<number | undefined>;
  saturation: Array<RunConfig["saturation"]>;
  mcSamples: Array<NonNullable<RunConfig["mcSamples"]>>;
  oracle: Array<RunConfig["oracle"]>;
  seed: number[];
}

type Cell = { [K in keyof Axes]: Axes[K][number] };

interface Common {
  experiment: string;
  metrics: RunConfig["metrics"];
  cost: RunConfig["cost"];
  /** Reference learner (default: the run's) and epochs (default: the run's). */
  reference?: { learner?: Named; epochs?: number };
}

/** What a sampler with these options reads (a wrapper may read less than it declares). */
function needsOf(sampler: Named): readonly string[] {
  const s = resolveSampler(sampler, "sampler");
  return s.needsFor?.(sampler.options) ?? s.needs;
}

/** Every combination of one value per axis, the first axis varying slowest. */
function cells(axes: Axes): Cell[] {
  let out: Array<Partial<Cell>> = [{}];
  for (const key of Object.keys(axes) as Array<keyof Axes>) {
    out = out.flatMap((partial) => (axes[key] as unknown[]).map((value) => ({ ...partial, [key]: value })));
  }
  return out as Cell[];
}

function toConfig(cell: Cell, common: Common): RunConfig {
  const { dataset, learner, sampler, mode, initial, acquisition, stop, epochs, period, saturation, mcSamples, oracle, seed } = cell;
  return {
    experiment: common.experiment,
    dataset,
    learner,
    sampler,
    mode,
    initial,
    acquisition,
    ...stop,
    epochs,
    // A period only means something when training continues between rounds.
    ...(period !== undefined && mode === "keep-train" ? { period } : {}),
    ...(saturation ? { saturation } : {}),
    ...(common.metrics ? { metrics: common.metrics } : {}),
    // Only runs that use MC samples carry their settings (and so their id); the others of a
    // mcSamples axis collapse into one run when duplicates are dropped.
    ...(needsOf(sampler).includes("mcSamples") ? { mcSamples } : {}),
    ...(common.reference ? { reference: { learner: common.reference.learner ?? learner, epochs: common.reference.epochs ?? epochs } } : {}),
    // Absent when perfect or unpriced: the runs of experiments without them keep their ids.
    ...(oracle ? { oracle } : {}),
    ...(common.cost !== undefined ? { cost: common.cost } : {}),
    seed,
  };
}

/**
 * `{ noise: 0 }` is no oracle: the same run as without one. A confusion matrix is kept even when
 * it is the identity, so preflight still checks that it has one row per class of the data.
 */
function normaliseOracle(oracle: NonNullable<ExperimentSpec["oracle"]> extends infer O ? (O extends Array<infer E> ? E : O) : never): RunConfig["oracle"] {
  if ("noise" in oracle) return oracle.noise === 0 ? undefined : { noise: oracle.noise };
  if ("column" in oracle) return { column: oracle.column };
  return { confusion: oracle.confusion.map((row) => [...row]) };
}

function product(axes: Axes, common: Common): RunConfig[] {
  return cells(axes).map((cell) => toConfig(cell, common));
}

/** Axis values an include rule fixes; names outside the grid become plain references. */
function fixAxis<T>(
  grid: T[],
  wanted: GridRule[RuleKey],
  make: (value: string | number, path: string) => T,
  key: (t: T) => string | number | undefined,
  path: string,
): T[] {
  if (wanted === undefined) return grid;
  const values = list(wanted);
  return values.map((w, i) => grid.find((g) => String(key(g)) === String(w)) ?? make(w, Array.isArray(wanted) ? `${path}[${i}]` : path));
}

/** An include rule's value for a numeric axis, checked as the grid's own field is. */
function ruleNumber<S extends z.ZodType<number>>(schema: S, source: string): (value: string | number, path: string) => number {
  return (value, path) => parseWith(schema, value, `${source}: ${path}`);
}

type LearnerEntry = ExperimentSpec["learner"] extends infer L ? (L extends Array<infer E> ? E : L) : never;
type SamplerEntry = ExperimentSpec["samplers"][number];

/** A user's file's default data-set name: its base name, lower-cased, in the experiment-name style. */
export function defaultDatasetName(file: string): string {
  // Accents dropped (Ü → u), anything else outside the style becomes "-", trimmed at both ends.
  const stem = basename(file, extname(file)).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const name = stem.replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").slice(0, 80).replace(/[-._]+$/, "");
  return name === "" ? "data" : name;
}

const PATH_KEYS = ["file", "labelsFile", "testFile", "testLabelsFile"] as const;

/**
 * A data-set reference as a RunConfig carries it: catalogue names as `{ name }`; a user's file
 * with its name filled in and its paths made absolute against `baseDir` (the experiment file's
 * folder), so a run reads the same file from whatever directory `al` is started in.
 */
export function normaliseDataset(ref: DatasetRef, baseDir: string): DatasetConfig {
  if (typeof ref === "string") return { name: ref };
  if ("images" in ref) return { ...ref, images: isAbsolute(ref.images) ? ref.images : resolve(baseDir, ref.images) };
  if (!("file" in ref)) return { ...ref };
  const out: FileDatasetConfig = { ...ref, name: ref.name ?? defaultDatasetName(ref.file) };
  for (const key of PATH_KEYS) {
    const path = out[key];
    if (path !== undefined) out[key] = isAbsolute(path) ? path : resolve(baseDir, path);
  }
  return out;
}

/** The table columns `oracle: { column }` (any axis value) and `cost: { column }` name. */
function annotationColumns(spec: ExperimentSpec): FileDatasetConfig["annotations"] {
  const oracle = [...new Set((spec.oracle === undefined ? [] : list(spec.oracle)).flatMap((o) => ("column" in o ? [o.column] : [])))];
  const cost = typeof spec.cost === "object" && "column" in spec.cost ? spec.cost.column : undefined;
  if (oracle.length === 0 && cost === undefined) return undefined;
  return { ...(oracle.length > 0 ? { oracle } : {}), ...(cost !== undefined ? { cost } : {}) };
}

/** The first `oracle.column` / `cost.column` field of a run, for errors. */
function annotationField(run: Pick<RunConfig, "oracle" | "cost">): string | undefined {
  if (run.oracle && "column" in run.oracle) return "oracle.column";
  if (typeof run.cost === "object" && "column" in run.cost) return "cost.column";
  return undefined;
}

/** `source` is the experiment file as named (errors start with it); a user's data paths are read from its folder. */
export function expandExperiment(spec: ExperimentSpec, source: string): RunConfig[] {
  const baseDir = dirname(resolve(source));
  // Every file set of the experiment reads the named columns (and keeps them out of its
  // features), also in its runs with a simulated or perfect oracle: all train on the same features.
  const annotations = annotationColumns(spec);
  const datasets = list(spec.dataset).map((d) => {
    const ref = normaliseDataset(d, baseDir);
    return annotations && isFileDataset(ref) ? { ...ref, annotations } : ref;
  });
  const pathOf = (i: number): string => (Array.isArray(spec.dataset) ? `dataset[${i}]` : "dataset");
  // Two different files under one name would read as one data set in the store and pages.
  const files = new Map<string, { file: string; index: number }>();
  datasets.forEach((d, i) => {
    if ("images" in d) return;
    if (!isFileDataset(d)) return void at(source, () => checkDatasetName(d.name, pathOf(i)));
    at(source, () => checkDatasetRef(d, pathOf(i)));
    const earlier = files.get(d.name);
    if (earlier && earlier.file !== d.file) {
      throw new SpecError(`${source}: ${pathOf(i)}: data set name "${d.name}" is also used by ${pathOf(earlier.index)} for another file; give one of them its own \`name\``);
    }
    files.set(d.name, { file: d.file, index: i });
  });

  const checkLearner = (ref: Named, path: string): Named => {
    const factory = at(source, () => resolveLearner(ref, path));
    const options = at(source, () => factory.parseOptions(ref.options, `${path}.options`)) as Record<string, unknown>;
    return { name: ref.name, options, ...(ref.code !== undefined ? { code: ref.code } : {}) };
  };
  const checkSampler = (ref: Named, path: string): Named => {
    const sampler = at(source, () => resolveSampler(ref, path));
    const options = at(source, () => sampler.parseOptions(ref.options, `${path}.options`)) as Record<string, unknown>;
    return { name: ref.name, options, ...(ref.code !== undefined ? { code: ref.code } : {}) };
  };
  // Code-defined components are registered (name + code hash) and enter the configs as JSON.
  const learnerRef = (ref: LearnerEntry, path: string): Named =>
    isDefinedLearner(ref) ? at(source, () => registerLearner(ref, path)) : named(ref as NamedRef);
  const samplerRef = (ref: SamplerEntry, path: string): Named =>
    isDefinedSampler(ref) ? at(source, () => registerSampler(ref, path)) : named(ref as NamedRef);
  const learnerPaths = list(spec.learner).map((l, i) => {
    const path = Array.isArray(spec.learner) ? `learner[${i}]` : "learner";
    return { ref: learnerRef(l, path), path };
  });
  const referencePath = spec.reference?.learner ? { ref: learnerRef(spec.reference.learner, "reference.learner"), path: "reference.learner" } : undefined;
  checkOneCodePerName("learner", referencePath ? [...learnerPaths, referencePath] : learnerPaths, source);
  const samplerPaths = spec.samplers.map((s, i) => ({ ref: samplerRef(s, `samplers[${i}]`), path: `samplers[${i}]` }));
  checkOneCodePerName("sampler", samplerPaths, source);
  const learners = learnerPaths.map(({ ref, path }) => checkLearner(ref, path));
  const samplers = samplerPaths.map(({ ref, path }) => checkSampler(ref, path));
  const seen = new Set<string>();
  samplers.forEach((s, i) => {
    const key = JSON.stringify(s);
    if (seen.has(key)) throw new SpecError(`${source}: samplers[${i}]: "${s.name}" is listed twice with the same options`);
    seen.add(key);
  });
  if (spec.metrics) at(source, () => spec.metrics!.forEach((m, i) => checkMetricName(m, `metrics[${i}]`)));

  const axes: Axes = {
    dataset: datasets,
    learner: learners,
    sampler: samplers,
    mode: spec.modes,
    initial: list(spec.initial),
    acquisition: list(spec.acquisition),
    stop:
      spec.rounds !== undefined
        ? list(spec.rounds).map((rounds) => ({ rounds }))
        : spec.budget !== undefined
          ? list(spec.budget).map((budget) => ({ budget }))
          : list(spec.costBudget!).map((costBudget) => ({ costBudget })),
    epochs: list(spec.epochs),
    period: spec.period === undefined ? [undefined] : list(spec.period),
    saturation: spec.saturation === undefined ? [undefined] : list(spec.saturation),
    mcSamples: spec.mcSamples === undefined ? [{ method: "mc-dropout", samples: 20 }] : list(spec.mcSamples),
    oracle: spec.oracle === undefined ? [undefined] : list(spec.oracle).map(normaliseOracle),
    seed: spec.seeds,
  };
  const common: Common = {
    experiment: spec.name,
    metrics: spec.metrics,
    cost: spec.cost,
    ...(spec.reference
      ? {
          reference: {
            ...(referencePath ? { learner: checkLearner(referencePath.ref, referencePath.path) } : {}),
            ...(spec.reference.epochs ? { epochs: spec.reference.epochs } : {}),
          },
        }
      : {}),
  };
  let runs = product(axes, common).filter((run) => !(spec.exclude ?? []).some((rule) => matchesRule(run, rule)));

  (spec.include ?? []).forEach((rule, r) => {
    const path = `include[${r}]`;
    const size = ruleNumber(sizeSchema, source);
    const count = ruleNumber(countSchema, source);
    const fixed: Axes = {
      ...axes,
      dataset: fixAxis(axes.dataset, rule.dataset, (name, p) => (at(source, () => checkDatasetName(String(name), p)), { name: String(name) }), (d) => d.name, `${path}.dataset`),
      learner: fixAxis(axes.learner, rule.learner, (name, p) => checkLearner({ name: String(name), options: {} }, p), (l) => l.name, `${path}.learner`),
      sampler: fixAxis(axes.sampler, rule.sampler, (name, p) => checkSampler({ name: String(name), options: {} }, p), (s) => s.name, `${path}.sampler`),
      mode: fixAxis(axes.mode, rule.mode, (m, p) => {
        if (m !== "retrain" && m !== "keep-train") throw new SpecError(`${source}: ${p}: expected "retrain" or "keep-train", got ${JSON.stringify(m)}`);
        return m;
      }, (m) => m, `${path}.mode`),
      initial: fixAxis(axes.initial, rule.initial, (value, p) => ({ size: size(value, p), stratified: axes.initial[0]!.stratified }), (i) => i.size, `${path}.initial`),
      acquisition: fixAxis(axes.acquisition, rule.acquisition, (value, p) => ({ size: size(value, p) }), (a) => a.size, `${path}.acquisition`),
      epochs: fixAxis(axes.epochs, rule.epochs, count, (e) => e, `${path}.epochs`),
      period: fixAxis(axes.period, rule.period, count, (p) => p, `${path}.period`),
      seed: fixAxis(axes.seed, rule.seed, ruleNumber(seedSchema, source), (s) => s, `${path}.seed`),
    };
    const stops = (key: "rounds" | "budget"): number[] => list(rule[key]!).map((n, i) => count(n, Array.isArray(rule[key]) ? `${path}.${key}[${i}]` : `${path}.${key}`));
    if (rule.rounds !== undefined && rule.budget !== undefined) throw new SpecError(`${source}: ${path}.budget: give rounds or budget, not both`);
    if (rule.rounds !== undefined) fixed.stop = stops("rounds").map((rounds) => ({ rounds }));
    if (rule.budget !== undefined) fixed.stop = stops("budget").map((budget) => ({ budget }));
    runs.push(...product(fixed, common));
  });

  for (const percent of spec.baselines ?? []) {
    for (const dataset of datasets)
      for (const learner of learners)
        for (const epochs of axes.epochs)
          for (const seed of spec.seeds) {
            runs.push({
              experiment: spec.name,
              dataset,
              learner,
              sampler: { name: "random", options: {} },
              mode: "retrain",
              initial: { size: 1, stratified: false },
              acquisition: { size: 1 },
              rounds: 0,
              epochs,
              baseline: { percent },
              ...(spec.metrics ? { metrics: spec.metrics } : {}),
              seed,
            });
          }
  }

  // Include rules may repeat grid cells: keep the first of each.
  const unique = new Map<string, RunConfig>();
  for (const run of runs) {
    const key = JSON.stringify(run);
    if (!unique.has(key)) unique.set(key, run);
  }
  runs = [...unique.values()];
  for (const run of runs) {
    const field = annotationField(run);
    if (field !== undefined && !isFileDataset(run.dataset)) {
      throw new SpecError(`${source}: ${field}: data set "${run.dataset.name}" is not a user's table file; a column of annotations needs dataset: { file: "….csv", label: "…" } (or use ${field === "oracle.column" ? "{ noise } or { confusion }" : "a constant cost"})`);
    }
  }
  if (runs.length === 0) throw new SpecError(`${source}: exclude: the rules remove every run of the grid`);
  return runs;
}
