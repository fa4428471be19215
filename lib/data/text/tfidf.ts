/**
 * TF-IDF features for the classical learners, over token ids from a vocabulary. Fit on the pool
 * (document frequencies), apply to any split. Weight of term t in document d:
 *   tf(t, d) · idf(t),  tf = count of t in d,  idf = ln((1 + N) / (1 + df(t))) + 1
 * (N = pool documents, df = pool documents containing t; the +1s keep unseen terms finite), then
 * each row is scaled to unit L2 norm (an empty row stays zero). Columns are the vocabulary ids
 * from 2 on (padding and out-of-vocabulary are not features), at most `maxFeatures` of them —
 * the most frequent, as the vocabulary is ordered by count. Documents are sparse (id → count)
 * while weighting; the output is a dense matrix.
 */
import type { Matrix } from "../../al/matrix.ts";
import { OOV_ID, PAD_ID } from "./vocabulary.ts";

export interface TfidfModel {
  /** idf per column. */
  idf: Float64Array;
  /** Column of each vocabulary id, -1 when the id is not a feature. */
  column: Int32Array;
}

export function fitTfidf(docs: ReadonlyArray<ArrayLike<number>>, options: { vocabularySize: number; maxFeatures?: number }): TfidfModel {
  const { vocabularySize } = options;
  const columns = Math.max(0, Math.min(vocabularySize - 2, options.maxFeatures ?? Infinity));
  if (columns < 1) throw new RangeError(`tfidf: no feature columns (vocabulary of ${vocabularySize} entries, maxFeatures ${options.maxFeatures})`);
  const column = new Int32Array(vocabularySize).fill(-1);
  for (let id = 2; id < 2 + columns; id++) column[id] = id - 2;
  const df = new Float64Array(columns);
  const seen = new Int32Array(columns).fill(-1);
  docs.forEach((doc, d) => {
    for (let k = 0; k < doc.length; k++) {
      const id = doc[k]!;
      if (id === PAD_ID || id === OOV_ID) continue;
      const c = column[id] ?? -1;
      if (c >= 0 && seen[c] !== d) {
        seen[c] = d;
        df[c]!++;
      }
    }
  });
  const n = docs.length;
  const idf = Float64Array.from(df, (f) => Math.log((1 + n) / (1 + f)) + 1);
  return { idf, column };
}

export function transformTfidf(model: TfidfModel, docs: ReadonlyArray<ArrayLike<number>>): Matrix {
  const c = model.idf.length;
  const n = docs.length;
  const data = new Float32Array(n * c);
  const counts = new Map<number, number>();
  for (let d = 0; d < n; d++) {
    const doc = docs[d]!;
    counts.clear();
    for (let k = 0; k < doc.length; k++) {
      const col = model.column[doc[k]!] ?? -1;
      if (col >= 0) counts.set(col, (counts.get(col) ?? 0) + 1);
    }
    let norm = 0;
    for (const [col, tf] of counts) {
      const w = tf * model.idf[col]!;
      counts.set(col, w);
      norm += w * w;
    }
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    for (const [col, w] of counts) data[d * c + col] = w * scale;
  }
  return { data, n, c };
}
