/**
 * A data-set reference's options, checked against the set and filled with defaults. An option
 * that does not apply to the set is an error rather than silently ignored: it would change the
 * run ids without changing the data. Catalogue sets: `resolveOptions`; a user's own file:
 * `resolveFileOptions`.
 */
import type { DatasetOptions, FileDatasetConfig, FileFormat } from "../experiments/spec.ts";
import type { CatalogEntry } from "./catalog.ts";
import { defaultBlobsOptions, type BlobsOptions } from "./synthetic/blobs.ts";
import type { TextFeatureOptions } from "./text/features.ts";

export interface SplitSettings {
  testFraction: number;
  validationFraction: number;
  splitSeed: number;
}

export interface ResolvedOptions {
  pool?: number;
  test?: number;
  swap: boolean;
  /** Present when we split the set ourselves (no predefined test file) or carve a validation part. */
  split?: SplitSettings;
  text?: TextFeatureOptions;
  blobs?: BlobsOptions;
}

const TEXT_KEYS = ["features", "maxLength", "vocabSize", "minFrequency"] as const;
const BLOB_KEYS = ["blobs", "perBlob", "dimension", "centreRange", "spread", "classes", "noisyPairs", "dataSeed"] as const;

export const DEFAULT_TEST_FRACTION = 0.2;
export const DEFAULT_TOKENS_VOCABULARY = 20_000;
export const DEFAULT_TFIDF_FEATURES = 2_000;

export function resolveOptions(entry: CatalogEntry, ref: DatasetOptions): ResolvedOptions {
  const given = (key: keyof DatasetOptions): boolean => ref[key] !== undefined;
  const reject = (key: string, why: string): never => {
    throw new Error(`"${key}" ${why}; remove it`);
  };
  const synthetic = entry.format === "synthetic";
  if (entry.kind !== "text") for (const key of TEXT_KEYS) if (given(key)) reject(key, `applies only to text data sets ("${entry.name}" is ${entry.kind})`);
  if (!synthetic) for (const key of BLOB_KEYS) if (given(key)) reject(key, `applies only to noisy-blobs`);
  if (synthetic && given("dir")) reject("dir", "does not apply to a generated data set");

  const splitsItself = synthetic || entry.files.some((f) => f.split === "all");
  const hasValidationFile = entry.files.some((f) => f.split === "validation");
  if (!splitsItself && given("testFraction")) reject("testFraction", `does not apply: "${entry.name}" has a predefined test split`);
  if (hasValidationFile && given("validationFraction")) reject("validationFraction", `does not apply: "${entry.name}" ships a validation split`);
  const testFraction = splitsItself ? (ref.testFraction ?? (synthetic ? 0.5 : DEFAULT_TEST_FRACTION)) : 0;
  const validationFraction = ref.validationFraction ?? 0;
  const split = splitsItself || validationFraction > 0;
  if (!split && given("splitSeed")) reject("splitSeed", `has nothing to split: "${entry.name}" has predefined splits`);
  if (testFraction + validationFraction >= 1) {
    throw new Error(`testFraction (${testFraction}) + validationFraction (${validationFraction}) must be below 1`);
  }

  const resolved: ResolvedOptions = { swap: ref.swap ?? false };
  if (ref.pool !== undefined) resolved.pool = ref.pool;
  if (ref.test !== undefined) resolved.test = ref.test;
  if (split) resolved.split = { testFraction, validationFraction, splitSeed: ref.splitSeed ?? 0 };
  if (entry.kind === "text") {
    const features = ref.features ?? "tokens";
    resolved.text = {
      features,
      maxLength: ref.maxLength ?? (entry.format === "csv" ? entry.maxLength : undefined) ?? 64,
      vocabSize: ref.vocabSize ?? (features === "tfidf" ? DEFAULT_TFIDF_FEATURES : DEFAULT_TOKENS_VOCABULARY),
      minFrequency: ref.minFrequency ?? 1,
    };
    if (features === "tfidf" && given("maxLength")) reject("maxLength", 'applies only to features: "tokens"');
  }
  if (synthetic) {
    resolved.blobs = {
      blobs: ref.blobs ?? defaultBlobsOptions.blobs,
      perBlob: ref.perBlob ?? defaultBlobsOptions.perBlob,
      dimension: ref.dimension ?? defaultBlobsOptions.dimension,
      centreRange: ref.centreRange ?? defaultBlobsOptions.centreRange,
      spread: ref.spread ?? defaultBlobsOptions.spread,
      classes: ref.classes ?? defaultBlobsOptions.classes,
      noisyPairs: ref.noisyPairs ?? defaultBlobsOptions.noisyPairs,
      seed: ref.dataSeed ?? defaultBlobsOptions.seed,
    };
  }
  return resolved;
}

/** A user's own file's table settings: the TableSpec that lib/data/table.ts reads. */
export interface FileTableSpec {
  label?: string;
  /** A multi-label column, or several 0/1 columns (one per label). */
  labels?: string | string[];
  separator?: string;
  text?: string;
  features?: string[];
  categorical?: string[];
  /** The 0/1 noise-flag column; absent = the column called "noisy", when a file has one. */
  noisy?: string;
  /** Annotators' label columns (`oracle: { column }`), never features. */
  annotators?: string[];
  /** The per-point cost column (`cost: { column }`), never a feature. */
  cost?: string;
  /** "ignore" when the user chose the columns (`features` or `text`): the rest are left out. */
  otherColumns?: "ignore";
}

export interface ResolvedFileOptions extends ResolvedOptions {
  /** Format of `file` (and, for arrays, of every other file). */
  format: FileFormat;
  /** Format of `testFile`, when there is one. */
  testFormat?: FileFormat;
  table?: FileTableSpec;
  /** .npz: the arrays read; `noisy` absent = an array called "noisy", when there is one. */
  arrays?: { x: string; y: string; noisy?: string };
  standardize: boolean;
}

const EXTENSIONS: Record<string, FileFormat> = { csv: "csv", tsv: "tsv", jsonl: "jsonl", ndjson: "jsonl", parquet: "parquet", npy: "npy", npz: "npz" };
const TABLE_FORMATS: readonly FileFormat[] = ["csv", "tsv", "jsonl", "parquet"];
const TABLE_ONLY = ["label", "labels", "separator", "features", "categorical", "text", "textFeatures", "maxLength", "vocabSize", "minFrequency"] as const;
const TEXT_ONLY = ["textFeatures", "maxLength", "vocabSize", "minFrequency"] as const;

/** The file's format: `format` when given, else its extension. */
export function fileFormat(path: string, given: FileFormat | undefined, key: string): FileFormat {
  if (given) return given;
  const dot = path.lastIndexOf(".");
  const extension = dot > path.lastIndexOf("/") ? path.slice(dot + 1).toLowerCase() : "";
  const format = EXTENSIONS[extension];
  if (!format) {
    const known = Object.keys(EXTENSIONS).map((e) => `.${e}`).join(", ");
    throw new Error(`${path}: unknown file type ${extension ? `".${extension}"` : "(no extension)"} in dataset.${key}; use one of ${known}, or set dataset.format`);
  }
  return format;
}

export function isTableFormat(format: FileFormat): boolean {
  return TABLE_FORMATS.includes(format);
}

/**
 * A user's file reference's options, checked against its format and filled with defaults. As for
 * the catalogue, an option that does not apply is an error, never silently ignored.
 */
export function resolveFileOptions(ref: FileDatasetConfig): ResolvedFileOptions {
  const given = (key: keyof FileDatasetConfig): boolean => ref[key] !== undefined;
  const reject = (key: string, why: string): never => {
    throw new Error(`"${key}" ${why}; remove it`);
  };
  const format = fileFormat(ref.file, ref.format, "file");
  const table = isTableFormat(format);
  const testFormat = ref.testFile !== undefined ? fileFormat(ref.testFile, ref.format, "testFile") : undefined;
  if (testFormat !== undefined && (isTableFormat(testFormat) !== table || (!table && testFormat !== format))) {
    throw new Error(`dataset.testFile is ${testFormat} but dataset.file is ${format}; give the test part in the same layout as the pool`);
  }

  const annotations = ref.annotations;
  if (!table && annotations) {
    const [field, instead] = annotations.oracle ? ["oracle.column", "{ noise } or { confusion }"] : ["cost.column", "a constant cost"];
    throw new Error(`${field} applies only to table files (csv, tsv, jsonl, parquet), not ${format}; convert the data to a table, or use ${instead}`);
  }
  if (!table) for (const key of TABLE_ONLY) if (given(key)) reject(key, `applies only to table files (csv, tsv, jsonl, parquet), not ${format}`);
  if (format !== "npy") for (const key of ["labelsFile", "testLabelsFile"] as const) if (given(key)) reject(key, `applies only to .npy files (${format} files hold their labels)`);
  if (format !== "npz") for (const key of ["xKey", "yKey"] as const) if (given(key)) reject(key, "applies only to .npz archives");
  if (format === "npy" && given("noisy")) reject("noisy", "applies to tables and .npz archives (a .npy file holds one array)");
  if (!given("testFile") && given("testLabelsFile")) reject("testLabelsFile", "needs testFile (the test features)");

  const resolved: ResolvedFileOptions = { format, swap: ref.swap ?? false, standardize: ref.standardize ?? false };
  if (testFormat) resolved.testFormat = testFormat;
  if (ref.pool !== undefined) resolved.pool = ref.pool;
  if (ref.test !== undefined) resolved.test = ref.test;

  // Splits: one file is split (testFraction); with a testFile only a validation part may be carved.
  const hasTest = ref.testFile !== undefined;
  if (hasTest && given("testFraction")) reject("testFraction", "does not apply: the test part is dataset.testFile");
  const testFraction = hasTest ? 0 : (ref.testFraction ?? DEFAULT_TEST_FRACTION);
  const validationFraction = ref.validationFraction ?? 0;
  if (hasTest && validationFraction === 0 && given("splitSeed")) reject("splitSeed", "has nothing to split: the test part is dataset.testFile (add validationFraction to carve a validation part)");
  if (testFraction + validationFraction >= 1) throw new Error(`testFraction (${testFraction}) + validationFraction (${validationFraction}) must be below 1`);
  if (!hasTest || validationFraction > 0) resolved.split = { testFraction, validationFraction, splitSeed: ref.splitSeed ?? 0 };

  if (table) {
    if (given("label") === given("labels")) {
      throw new Error(given("label") ? 'give "label" (one class per row) or "labels" (multi-label), not both' : 'a table file needs "label" (the class column) or "labels" (multi-label columns); add one');
    }
    if (given("separator") && typeof ref.labels !== "string") reject("separator", 'applies only to a "labels" column of joined labels');
    if (ref.text !== undefined) {
      if (given("features")) reject("features", 'does not apply with "text" (a text set\'s features are its tokens or TF-IDF; see textFeatures)');
      if (given("categorical")) reject("categorical", 'does not apply with "text"');
      if (ref.standardize) reject("standardize", 'does not apply with "text" (token ids and TF-IDF are not z-scored)');
      const features = ref.textFeatures ?? "tokens";
      if (features === "tfidf" && given("maxLength")) reject("maxLength", 'applies only to textFeatures: "tokens"');
      resolved.text = {
        features,
        maxLength: ref.maxLength ?? 64,
        vocabSize: ref.vocabSize ?? (features === "tfidf" ? DEFAULT_TFIDF_FEATURES : DEFAULT_TOKENS_VOCABULARY),
        minFrequency: ref.minFrequency ?? 1,
      };
    } else {
      for (const key of TEXT_ONLY) if (given(key)) reject(key, 'applies only with a "text" column');
    }
    const spec: FileTableSpec = {};
    for (const key of ["label", "labels", "separator", "text", "features", "categorical", "noisy"] as const) {
      if (ref[key] !== undefined) (spec as Record<string, unknown>)[key] = ref[key];
    }
    if (annotations?.oracle) spec.annotators = [...annotations.oracle];
    if (annotations?.cost !== undefined) spec.cost = annotations.cost;
    if (ref.features !== undefined || ref.text !== undefined) spec.otherColumns = "ignore";
    resolved.table = spec;
  } else {
    if (format === "npy" && !given("labelsFile")) throw new Error('a .npy file holds the features only; add "labelsFile" (a .npy of the labels, one per row)');
    if (format === "npy" && hasTest && !given("testLabelsFile")) throw new Error('"testFile" is a .npy of features; add "testLabelsFile" (its labels)');
    if (format === "npz") resolved.arrays = { x: ref.xKey ?? "x", y: ref.yKey ?? "y", ...(ref.noisy !== undefined ? { noisy: ref.noisy } : {}) };
  }
  return resolved;
}
