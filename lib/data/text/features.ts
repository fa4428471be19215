/**
 * Text → features for a whole data set: tokenize every split, build the vocabulary on the pool
 * only (the test set must not shape the features), then either token-id sequences padded or
 * truncated to `maxLength` (for the embedding learners) or TF-IDF rows (for the classical ones).
 */
import type { Matrix } from "../../al/matrix.ts";
import { padSequences } from "./sequences.ts";
import { fitTfidf, transformTfidf } from "./tfidf.ts";
import { tokenize } from "./tokenize.ts";
import { buildVocabulary, encodeTokens } from "./vocabulary.ts";

export interface TextFeatureOptions {
  features: "tokens" | "tfidf";
  /** tokens: sequence length. */
  maxLength: number;
  /** tokens: vocabulary entries incl. padding and OOV; tfidf: feature columns. */
  vocabSize: number;
  minFrequency: number;
  /** Tokenizer (default `tokenize`; a memoized one avoids tokenizing texts twice). */
  tokenize?: (text: string) => string[];
}

export interface TextFeatures {
  /** id → token (0 = padding, 1 = out-of-vocabulary). */
  vocabulary: string[];
  pool: Matrix;
  /** The other splits, in the order given. */
  others: Matrix[];
  /** One example's shape: [maxLength] or [columns]. */
  shape: number[];
  /** TF-IDF column names. */
  featureNames?: string[];
}

export function textFeatures(pool: readonly string[], others: ReadonlyArray<readonly string[]>, options: TextFeatureOptions): TextFeatures {
  const split = options.tokenize ?? tokenize;
  const poolTokens = pool.map(split);
  const tfidf = options.features === "tfidf";
  const vocabulary = buildVocabulary(poolTokens, {
    minFrequency: options.minFrequency,
    maxSize: tfidf ? options.vocabSize + 2 : options.vocabSize,
  });
  const ids = (texts: readonly string[], tokens?: string[][]): Int32Array[] =>
    (tokens ?? texts.map(split)).map((t) => encodeTokens(vocabulary, t));
  const poolIds = ids(pool, poolTokens);
  const otherIds = others.map((texts) => ids(texts));
  if (!tfidf) {
    return {
      vocabulary: vocabulary.tokens,
      pool: padSequences(poolIds, options.maxLength),
      others: otherIds.map((s) => padSequences(s, options.maxLength)),
      shape: [options.maxLength],
    };
  }
  const model = fitTfidf(poolIds, { vocabularySize: vocabulary.tokens.length });
  return {
    vocabulary: vocabulary.tokens,
    pool: transformTfidf(model, poolIds),
    others: otherIds.map((s) => transformTfidf(model, s)),
    shape: [model.idf.length],
    featureNames: vocabulary.tokens.slice(2),
  };
}
