/**
 * A data-set reference's options, checked against the set and filled with defaults. An option
 * that does not apply to the set is an error rather than silently ignored: it would change the
 * run ids without changing the data.
 */
import type { DatasetOptions } from "../experiments/spec.ts";
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
