/** Text learners read token ids from a float matrix (N × maxLength, 0 = padding). */
import type { Matrix } from "../../al/matrix.ts";
import type { LearnerShape } from "../learner.ts";

/** The vocabulary size a text learner needs, or a one-line error saying how to give it. */
export function requireVocabSize(learner: string, shape: LearnerShape): number {
  const v = shape.vocabSize;
  if (v === undefined || !Number.isInteger(v) || v < 2) {
    throw new RangeError(`${learner}: needs the vocabulary size (vocabSize ≥ 2, padding id 0 included) in the learner shape; got ${v ?? "none"}; use a tokenised text data set`);
  }
  return v;
}

/** Throws on the first value that is not an integer id in [0, vocabSize). */
export function checkTokenIds(learner: string, x: Matrix, vocabSize: number): void {
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0 && v < vocabSize) || v !== Math.floor(v)) {
      throw new RangeError(`${learner}: row ${Math.floor(i / x.c)}, position ${i % x.c} holds ${v}, not a token id in 0..${vocabSize - 1}`);
    }
  }
}
