/**
 * The experiment-spec type: what `experiments/*.ts` export (via defineExperiment), and the
 * RunConfig each grid cell expands to. One shape flows CLI → runner → store → loader → page.
 */
import { z } from "zod";
import type { DefinedSampler } from "../al/samplers/define-sampler.ts";
import type { DefinedLearner } from "../learners/tfjs-learner.ts";
import type { CostConfig } from "../al/cost.ts";
import { ROW_SUM_TOLERANCE, type OracleConfig } from "../al/oracle.ts";

/** A count (integer ≥ 1) or a fraction of the pool (0 < x < 1). */
export const sizeSchema = z.union([
  z.int().min(1, "expected an integer ≥ 1 or a fraction in (0, 1)"),
  z.number().gt(0).lt(1, "expected an integer ≥ 1 or a fraction in (0, 1)"),
]);

const size = sizeSchema;

const named = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }),
]);

/**
 * Code-defined components (lib/learners/tfjs-learner.ts, lib/al/samplers/define-sampler.ts):
 * kept as the objects themselves; grid expansion turns each into `{ name, options, code }`
 * (lib/experiments/plugins.ts). Checked by shape here so this file loads no tfjs.
 */
const definedLearner = z.custom<DefinedLearner>(
  (v) => typeof v === "object" && v !== null && "defined" in v && typeof (v as DefinedLearner).create === "function",
  "expected a learner name, { name, options }, or tfjsLearner({ … })",
);
const definedSampler = z.custom<DefinedSampler>(
  (v) => typeof v === "object" && v !== null && "defined" in v && typeof (v as DefinedSampler).select === "function",
  "expected a sampler name, { name, options }, or defineSampler({ … })",
);
const learnerRef = z.union([named, definedLearner]);
const samplerRef = z.union([named, definedSampler]);

const fraction = z.number().gt(0).lt(1, "expected a fraction in (0, 1)");

/** Row limits and the split: the same options for catalogue sets, files and image folders. */
const splitFields = {
  /** Use only the first `pool` pool rows / `test` test rows (split sets: in a seeded order). */
  pool: z.int().min(1).optional(),
  test: z.int().min(1).optional(),
  /** Sets without a predefined test split: held-out fraction (default 0.2; noisy-blobs 0.5). */
  testFraction: fraction.optional(),
  /** A validation part split off as well (default none). */
  validationFraction: fraction.optional(),
  /** Seed of the split (default 0), independent of the runs' seeds. */
  splitSeed: z.int().min(0).optional(),
};

/**
 * A data set: its registered name, or the name with options. Which options apply depends on the
 * set (lib/data/options.ts checks them): splits for sets without a predefined test split, text
 * features for text sets, generator parameters for noisy-blobs. Split options never depend on a
 * run's seed, so every run of an experiment shares one test set.
 */
const datasetObject = z.strictObject({
  name: z.string().min(1),
  /** Directory holding the set's files instead of its default location. */
  dir: z.string().min(1).optional(),
  ...splitFields,
  /** Exchange the pool and test parts (the noisy-blobs protocol's second split). */
  swap: z.boolean().optional(),
  /** Text sets: token ids padded to `maxLength` (default) or TF-IDF rows. */
  features: z.enum(["tokens", "tfidf"]).optional(),
  maxLength: z.int().min(1).optional(),
  /** Tokens: vocabulary entries incl. padding and out-of-vocabulary (default 20000); tfidf: columns (default 2000). */
  vocabSize: z.int().min(3).optional(),
  /** Keep tokens seen at least this often in the pool (default 1). */
  minFrequency: z.int().min(1).optional(),
  /** noisy-blobs generator (lib/data/synthetic/blobs.ts). */
  blobs: z.int().min(0).optional(),
  perBlob: z.int().min(1).optional(),
  dimension: z.int().min(1).optional(),
  centreRange: z.number().gt(0).optional(),
  spread: z.number().gt(0).optional(),
  classes: z.int().min(2).optional(),
  noisyPairs: z.int().min(0).optional(),
  dataSeed: z.int().min(0).optional(),
});

/** The default name of an image folder: its base name, lower-cased, fit to the name pattern. */
export function imageFolderName(folder: string): string {
  const base = folder.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? "";
  const name = base.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").slice(0, 80);
  return name === "" ? "images" : name;
}

/**
 * An image folder (lib/data/loaders/images.ts): `<images>/<class>/<file>` ("class-folders",
 * split by us) or `<images>/{train,test}/<class>/<file>` ("split-folders"); PNG or JPEG,
 * resized to `size` ([height, width], or one number for squares), grey (1) or RGB (3). The
 * normalised form always has `name` and `size` as [height, width].
 */
export const imageFolderSchema = z
  .strictObject({
    images: z.string().min(1),
    layout: z.enum(["class-folders", "split-folders"]).default("class-folders"),
    size: z.union([z.int().min(1).max(4096), z.tuple([z.int().min(1).max(4096), z.int().min(1).max(4096)])]),
    channels: z.literal([1, 3]).default(3),
    name: z.string().max(80).regex(/^[a-z0-9][a-z0-9._-]*$/, "expected lower-case letters, digits, '.', '_' or '-'").optional(),
    ...splitFields,
  })
  .transform(({ name, size, ...rest }) => ({ ...rest, name: name ?? imageFolderName(rest.images), size: (typeof size === "number" ? [size, size] : size) as [number, number] }));

export type ImageFolderInput = z.input<typeof imageFolderSchema>;

/** `dir` never applies (the folder is `images`); declared so code that drops a catalogue set's `dir` reads either form. */
export type ImageFolderOptions = z.output<typeof imageFolderSchema> & { dir?: undefined };

/**
 * `schema` for objects that have `key`; any other value fails at the root as the wrong type, so
 * a union's error names the alternative the value's keys choose (lib/al/errors.ts passes over
 * root type mismatches), not the first alternative that failed.
 */
function keyed<T extends z.ZodType>(key: string, schema: T): z.ZodType<z.output<T>, z.input<T>> {
  const claims = z.unknown().check((ctx) => {
    if (typeof ctx.value !== "object" || ctx.value === null || !(key in ctx.value)) ctx.issues.push({ code: "invalid_type", expected: "object", input: ctx.value });
  });
  return claims.pipe(schema) as unknown as z.ZodType<z.output<T>, z.input<T>>;
}

/** The formats a user's own data file may have (default: from the file's extension). */
export const fileFormats = ["csv", "tsv", "jsonl", "parquet", "npy", "npz"] as const;
export type FileFormat = (typeof fileFormats)[number];

/** What stores and pages call a data set: the experiment-name style. */
export const datasetNamePattern = /^[a-z0-9][a-z0-9._-]*$/;

const column = z.string().min(1);
const filePath = z.string().min(1);

/**
 * The user's own data file (lib/data/loaders/file.ts; which options apply to which format is
 * checked in lib/data/options.ts). Relative paths are resolved against the experiment file's
 * folder and stored absolute; the run id depends on the files' bytes, not on where they lie.
 */
const fileDatasetObject = z.strictObject({
  /** Features (and labels, for tables and .npz): .csv, .tsv, .jsonl/.ndjson, .parquet, .npy or .npz. */
  file: filePath,
  /** Shown as the data set in stores and pages; default the file's base name, lower-cased. */
  name: z.string().max(80).regex(datasetNamePattern, "expected lower-case letters, digits, '.', '_' or '-'").optional(),
  format: z.enum(fileFormats).optional(),
  /** Tables: the class column (multi-class). */
  label: column.optional(),
  /** Tables, multi-label: a column of `separator`-joined labels (or lists), or several 0/1 columns. */
  labels: z.union([column, z.array(column).min(2, "expected at least two 0/1 label columns")]).optional(),
  separator: z.string().min(1).optional(),
  /** Tables: feature columns (default every column but label, labels, text and noisy). */
  features: z.array(column).min(1).optional(),
  /** Tables: columns to one-hot encode even when their values are numbers. */
  categorical: z.array(column).min(1).optional(),
  /** Tables: a text column, turned into token ids or TF-IDF rows (`textFeatures`). */
  text: column.optional(),
  textFeatures: z.enum(["tokens", "tfidf"]).optional(),
  maxLength: z.int().min(1).optional(),
  vocabSize: z.int().min(3).optional(),
  minFrequency: z.int().min(1).optional(),
  /** A 0/1 noise-flag column (tables) or array (.npz); default the one called "noisy", if any. */
  noisy: column.optional(),
  /** .npy: the labels array (the features are `file`). */
  labelsFile: filePath.optional(),
  /** .npz: the names of the features and labels arrays (default "x" and "y"). */
  xKey: column.optional(),
  yKey: column.optional(),
  /** A second file holding the test part (same layout as `file`); otherwise `testFraction` is split off. */
  testFile: filePath.optional(),
  /** .npy with `testFile`: the test labels array. */
  testLabelsFile: filePath.optional(),
  ...splitFields,
  swap: z.boolean().optional(),
  /** z-score every numeric feature with the pool's mean and standard deviation (constant columns → 0). */
  standardize: z.boolean().optional(),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Routes an object to one form by whether it has `file`, so an error names the form the user
 * meant (a failed guard reads as a type mismatch, which the union's error report passes over).
 */
function objectWith(hasFile: boolean) {
  return z.unknown().check((ctx) => {
    if (!isObject(ctx.value) || ("file" in ctx.value) !== hasFile || "images" in ctx.value) ctx.issues.push({ code: "invalid_type", expected: "object", input: ctx.value });
  });
}

export const datasetSchema = z.union([
  z.string().min(1),
  keyed("images", imageFolderSchema),
  objectWith(true).pipe(fileDatasetObject),
  objectWith(false).pipe(datasetObject),
]);

/** The object form of a catalogue data-set reference. */
export type DatasetOptions = z.output<typeof datasetObject>;

/** A user's own file as the experiment gives it. */
export type FileDatasetOptions = z.output<typeof fileDatasetObject>;

/**
 * A user's own file in a RunConfig: `name` filled in, every path absolute. `annotations` is set
 * by the grid (never written by the user): the columns that `oracle: { column }` and
 * `cost: { column }` name anywhere in the experiment, read beside the labels and kept out of the
 * features in every run of it, so runs with and without them train on the same features.
 */
export type FileDatasetConfig = FileDatasetOptions & { name: string; annotations?: { oracle?: string[]; cost?: string } };

/** What a RunConfig carries: a catalogue reference, a user's own file or an image folder. */
export type DatasetConfig = DatasetOptions | FileDatasetConfig | ImageFolderOptions;

export function isFileDataset(ref: DatasetConfig): ref is FileDatasetConfig {
  return "file" in ref && typeof ref.file === "string";
}

export const trainingModeSchema = z.enum(["retrain", "keep-train"]);

/**
 * A list whose values must differ: a repeated seed, mode or axis value would give the same runs
 * twice, which the grid silently collapses, so the user almost certainly meant another value.
 */
function distinct<T extends z.ZodType>(list: z.ZodArray<T>) {
  return list.check((ctx) => {
    const first = new Map<string, number>();
    ctx.value.forEach((value, i) => {
      const key = JSON.stringify(value);
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, i);
      else {
        const shown = typeof value === "object" && value !== null ? "this value" : JSON.stringify(value);
        ctx.issues.push({ code: "custom", path: [i], message: `${shown} is listed twice (also at [${earlier}]); remove the repeat or change it`, input: ctx.value });
      }
    });
  });
}

/** A field that may be one value or a list of (distinct) values: a list becomes a grid axis. */
function axis<T extends z.ZodType>(schema: T) {
  return z.union([schema, distinct(z.array(schema).min(1, "expected at least one value"))]);
}

/**
 * The initial labelled set: random (default), stratified by class, or a k-means cold start
 * (the point nearest each of `size` centres of the pool's features; uses no labels).
 */
const initialSchema = z
  .strictObject({ size, stratified: z.boolean().default(false), kmeans: z.boolean().optional() })
  .check((ctx) => {
    if (ctx.value.stratified && ctx.value.kmeans) {
      ctx.issues.push({ code: "custom", path: ["kmeans"], message: "choose stratified or kmeans, not both", input: ctx.value });
    }
  });
/**
 * Points acquired per round; `candidates`: score only this many unlabelled points each round,
 * drawn at random from the run's seeded stream (Gal et al. 2017 score a random 2,000 of the
 * MNIST pool). Absent = the whole pool, and the run's id is what it was before the option.
 */
const acquisitionSchema = z.strictObject({ size, candidates: z.int().min(1).optional() });

/**
 * A grid rule: axis name → value (or list of values, any of which matches). Samplers, learners
 * and data sets match by name; sizes by their `size`.
 */
const ruleValue = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).min(1)]);
export const ruleKeys = ["dataset", "learner", "sampler", "mode", "seed", "initial", "acquisition", "rounds", "budget", "epochs", "period"] as const;
const ruleSchema = z.strictObject(Object.fromEntries(ruleKeys.map((k) => [k, ruleValue.optional()])) as Record<(typeof ruleKeys)[number], z.ZodOptional<typeof ruleValue>>);

/**
 * The annotator (lib/al/oracle.ts): `{ noise }` flips that share of labels to another class,
 * `{ confusion }` draws each given label from the true class's row, `{ column }` reads an
 * annotator's labels from a column of the user's table. Whether the matrix has one row per
 * class, and the column is there, is checked against the data set (lib/runner/preflight.ts).
 */
const annotationColumn = z.string().min(1, "expected a column name");
const oracleForms = z.union([
  keyed("noise", z.strictObject({ noise: z.number().min(0, "expected a share in [0, 1)").lt(1, "expected a share in [0, 1)") })),
  keyed(
    "confusion",
    z.strictObject({
      confusion: z
        .array(z.array(z.number().min(0, "expected a probability in [0, 1]").max(1, "expected a probability in [0, 1]")).min(2, "expected a row of at least 2 probabilities"))
        .min(2, "expected one row per class (at least 2)"),
    }).check((ctx) => {
      const m = ctx.value.confusion;
      m.forEach((row, t) => {
        if (row.length !== m.length) {
          ctx.issues.push({ code: "custom", path: ["confusion", t], message: `expected ${m.length} entries (a square matrix: ${m.length} rows), got ${row.length}`, input: ctx.value });
          return;
        }
        const sum = row.reduce((a, b) => a + b, 0);
        if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) ctx.issues.push({ code: "custom", path: ["confusion", t], message: `the row sums to ${+sum.toFixed(9)}, expected 1 (a distribution over given labels)`, input: ctx.value });
      });
    }),
  ),
  keyed("column", z.strictObject({ column: annotationColumn })),
]);

/** Objects only (so a list reads as the axis form), and naming the two forms when neither key is there. */
const oracleSchema = z
  .unknown()
  .check((ctx) => {
    const v = ctx.value;
    if (typeof v !== "object" || v === null || Array.isArray(v)) ctx.issues.push({ code: "invalid_type", expected: "object", input: v });
    else if (!("noise" in v) && !("confusion" in v) && !("column" in v)) {
      ctx.issues.push({ code: "custom", message: "expected { noise: share }, { confusion: [[…], …] } or { column: name }", input: v });
    }
  })
  .pipe(oracleForms);

/** Cost per labelled point (lib/al/cost.ts): a constant, linear in the point's text length, or a column of the user's table. */
const costSchema = z.union([
  z.number().gt(0, "expected a cost > 0"),
  keyed("perCharacter", z.strictObject({ perCharacter: z.number().gt(0, "expected a cost > 0"), base: z.number().min(0, "expected a cost ≥ 0").optional() })),
  keyed("column", z.strictObject({ column: annotationColumn })),
]);

/** Schemas of the numeric axes, shared with include rules (lib/experiments/grid.ts). */
export const seedSchema = z.int().min(0);
export const countSchema = z.int().min(1);

const experimentFields = {
  name: z.string().max(80, "at most 80 characters (it names folders of partitioned exports)").regex(/^[a-z0-9][a-z0-9._-]*$/, "expected lower-case letters, digits, '.', '_' or '-'"),
  description: z.string().optional(),
  dataset: axis(datasetSchema),
  learner: axis(learnerRef),
  samplers: z.array(samplerRef).min(1, "expected at least one sampler"),
  modes: distinct(z.array(trainingModeSchema).min(1, "expected at least one of \"retrain\", \"keep-train\"")).default(["retrain"]),
  initial: axis(initialSchema),
  acquisition: axis(acquisitionSchema),
  /** Acquisition rounds after the initial fit (the run has rounds + 1 fits). */
  rounds: axis(countSchema).optional(),
  /** Alternative to rounds: stop once this many points are labelled. */
  budget: axis(countSchema).optional(),
  /**
   * Alternative to rounds and budget: a budget in `cost` units. The batch that would cross it
   * keeps its highest-ranked points that still fit; the run ends with the fit on those.
   */
  costBudget: axis(z.number().gt(0, "expected a cost budget > 0")).optional(),
  /** Who labels: absent = a perfect oracle (the true labels). A list is a grid axis. */
  oracle: axis(oracleSchema).optional(),
  /** What each label costs (absent: nothing is counted). Enables the `cost` metric and `costBudget`. */
  cost: costSchema.optional(),
  /** Training epochs of every fit from fresh weights (round 0, and every retrain round). */
  epochs: axis(countSchema).default(10),
  /** Keep-train only: epochs trained between two acquisitions (default: `epochs`). */
  period: axis(countSchema).optional(),
  /**
   * Acquire on saturation: train epoch by epoch and acquire once accuracy on a validation set
   * (drawn from the pool, labelled, never trained on or selected) stops improving.
   */
  saturation: axis(
    z.strictObject({
      validation: size,
      patience: z.int().min(1).default(2),
      maxEpochs: z.int().min(1).default(50),
    }),
  ).optional(),
  /** Naive baselines: also train on random p% of the pool for each p (per data set, learner, seed). */
  baselines: z.array(z.number().gt(0).max(100, "expected a percentage in (0, 100]")).min(1).optional(),
  /**
   * Where MC samples (N×T×C) come from for samplers that need them (BALD, BatchBALD, QBC, …):
   * T MC-dropout passes of the learner, or an ensemble of T independently seeded members
   * trained afresh each round (on the training set, or with "bootstrap" each on its own
   * resample of it with replacement).
   */
  mcSamples: axis(
    z.strictObject({ method: z.enum(["mc-dropout", "ensemble", "bootstrap"]).default("mc-dropout"), samples: z.int().min(2).default(20) }),
  ).optional(),
  /**
   * A reference classifier trained on the test split (an independent labelled set): gives
   * IConfidence its cap c_ref(x) and the `easiness` metric. Default learner: the run's.
   */
  reference: z.strictObject({ learner: learnerRef.optional(), epochs: z.int().min(1).optional() }).optional(),
  /** Test-set metrics to store each round (default: all per-round metrics for the task but the opt-in ones, e.g. weighted_f1). */
  metrics: z.array(z.string().min(1)).min(1).optional(),
  seeds: distinct(z.array(seedSchema).min(1, "expected at least one seed")),
  /** Grid cells to drop: every cell matching any rule. */
  exclude: z.array(ruleSchema).optional(),
  /** Extra cells: each rule fixes some axes (values may lie outside the grid); the others range over the grid. */
  include: z.array(ruleSchema).optional(),
};

/** Cross-field rules, checked on the experiment and on each profile applied to it. */
function checkStop(ctx: { value: { rounds?: unknown; budget?: unknown; costBudget?: unknown; cost?: unknown }; issues: Array<unknown> }): void {
  const v = ctx.value;
  const given = (["rounds", "budget", "costBudget"] as const).filter((k) => v[k] !== undefined);
  if (given.length === 0) {
    ctx.issues.push({ code: "custom", path: ["rounds"], message: "expected `rounds`, `budget` or `costBudget`", input: v });
  }
  if (given.length > 1) {
    ctx.issues.push({ code: "custom", path: [given[1]!], message: `give one of \`rounds\`, \`budget\`, \`costBudget\`, not ${given.map((k) => `\`${k}\``).join(" and ")}`, input: v });
  }
  if (v.costBudget !== undefined && v.cost === undefined) {
    ctx.issues.push({ code: "custom", path: ["costBudget"], message: "a budget in cost units needs `cost` (what each label costs)", input: v });
  }
}

/** An experiment without profiles: what a profile's overrides are merged into and checked as. */
export const baseExperimentSchema = z.strictObject(experimentFields).check(checkStop);

/**
 * Named field overrides applied by `--profile name` (e.g. a small `ci` grid). Kept raw here:
 * each is validated merged into the experiment, so defaults never leak into overrides.
 */
const profilesSchema = z.record(z.string().regex(/^[a-z0-9_-]+$/), z.record(z.string(), z.unknown()));

export const experimentSchema = z.strictObject({ ...experimentFields, profiles: profilesSchema.optional() }).check(checkStop);

export type ExperimentInput = z.input<typeof experimentSchema>;
export type ExperimentSpec = z.output<typeof experimentSchema>;
export type DatasetRef = z.output<typeof datasetSchema>;
export type NamedRef = z.output<typeof named>;
export type LearnerRef = z.output<typeof learnerRef>;
export type SamplerRef = z.output<typeof samplerRef>;

/**
 * A learner or sampler as a RunConfig holds it. `code` is set for code-defined components only:
 * the sha256 of their functions' source and options (lib/experiments/plugins.ts).
 */
export interface ComponentRef {
  name: string;
  options: Record<string, unknown>;
  code?: string;
}

/** One cell of the grid: everything a single run needs, normalised. */
export interface RunConfig {
  experiment: string;
  dataset: DatasetConfig;
  learner: ComponentRef;
  sampler: ComponentRef;
  mode: "retrain" | "keep-train";
  initial: { size: number; stratified: boolean; kmeans?: boolean };
  /** `candidates` only when set (a random subset of the pool is scored each round). */
  acquisition: { size: number; candidates?: number };
  rounds?: number;
  budget?: number;
  /** Budget in cost units (needs `cost`); absent in runs without one, so their ids stay as they were. */
  costBudget?: number;
  /** Absent = a perfect oracle; `{ noise: 0 }` is normalised away, so it is the same run. */
  oracle?: OracleConfig;
  cost?: CostConfig;
  epochs: number;
  /** Keep-train epochs between acquisitions; absent = epochs. */
  period?: number;
  saturation?: { validation: number; patience: number; maxEpochs: number };
  /** Naive baseline: one fit on random `percent`% of the pool, no acquisition. */
  baseline?: { percent: number };
  /** Metrics stored each round; absent = the default set. */
  metrics?: string[];
  mcSamples?: { method: "mc-dropout" | "ensemble" | "bootstrap"; samples: number };
  reference?: { learner: ComponentRef; epochs: number };
  seed: number;
}
