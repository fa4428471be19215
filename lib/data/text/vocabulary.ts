/**
 * A vocabulary: token ↔ id, built from the pool's tokens. Id 0 is padding and id 1 stands for
 * any token outside the vocabulary; the others follow by count (most frequent first), ties in
 * code-point order of the token, so the same texts always give the same ids.
 */
export const PAD = "<pad>";
export const OOV = "<unk>";
export const PAD_ID = 0;
export const OOV_ID = 1;

export interface Vocabulary {
  /** id → token; tokens[0] = PAD, tokens[1] = OOV. */
  tokens: string[];
  /** token → id (PAD and OOV are not keys: the tokenizer never yields them). */
  index: Map<string, number>;
  /** Occurrences of each token in the texts it was built from (0 for PAD and OOV). */
  counts: Int32Array;
}

export interface VocabularyOptions {
  /** Keep tokens seen at least this many times (default 1). */
  minFrequency?: number;
  /** At most this many entries, PAD and OOV included (default: no limit). */
  maxSize?: number;
}

export function buildVocabulary(docs: ReadonlyArray<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
  const minFrequency = options.minFrequency ?? 1;
  const maxSize = options.maxSize ?? Infinity;
  if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new RangeError(`vocabulary: minFrequency must be an integer ≥ 1, got ${minFrequency}`);
  if (maxSize !== Infinity && (!Number.isInteger(maxSize) || maxSize < 3)) {
    throw new RangeError(`vocabulary: maxSize must be an integer ≥ 3 (padding, out-of-vocabulary and one token), got ${maxSize}`);
  }
  const counts = new Map<string, number>();
  for (const doc of docs) for (const token of doc) counts.set(token, (counts.get(token) ?? 0) + 1);
  const kept = [...counts].filter(([, c]) => c >= minFrequency);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const chosen = kept.slice(0, Math.max(0, maxSize - 2));
  const tokens = [PAD, OOV, ...chosen.map(([t]) => t)];
  return {
    tokens,
    index: new Map(chosen.map(([t], i) => [t, i + 2])),
    counts: Int32Array.from([0, 0, ...chosen.map(([, c]) => c)]),
  };
}

/** Token ids of one text's tokens (OOV_ID for unknown tokens). */
export function encodeTokens(vocabulary: Vocabulary, tokens: readonly string[]): Int32Array {
  return Int32Array.from(tokens, (t) => vocabulary.index.get(t) ?? OOV_ID);
}
