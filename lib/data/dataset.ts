import type { Matrix } from "../al/matrix.ts";

export type Task = "multiclass" | "multilabel";
export type DataKind = "image" | "text" | "tabular" | "synthetic";

/**
 * A split: features as an N×D matrix (images flattened, text as token ids or TF-IDF) and one
 * integer label per row. Multi-label sets add `labelSets`; `y` then holds each row's *first
 * listed* label (arXiv: the primary category), so stratified draws and single-label metrics
 * still have a class per row.
 */
export interface Split {
  x: Matrix;
  y: Int32Array;
  /** Multi-label only: N×L 0/1 matrix, column j = classes[j]. */
  labelSets?: Matrix;
  /** Synthetic noisy blobs: 1 where the point belongs to a noisy pair (same centre, other label). */
  noisy?: Uint8Array;
  /** Text sets: the raw text of each row. */
  texts?: string[];
  /** Sets we split ourselves: the 0-based data row of each point in the source file(s). */
  rows?: Int32Array;
}

/** A loaded classification data set: an AL pool and a held-out test set. */
export interface Dataset {
  name: string;
  task: Task;
  kind: DataKind;
  /** Class names (multi-class) or label names (multi-label), in column order. */
  classes: string[];
  /** Shape of one example before flattening, e.g. [28, 28]; [maxLength] for token ids. */
  shape: number[];
  pool: Split;
  test: Split;
  /** A separate validation split, when the set ships one (sst2's dev file) or one was asked for. */
  validation?: Split;
  /** Text sets: id → token; id 0 = padding, id 1 = out-of-vocabulary. TF-IDF column j = vocabulary[j + 2]. */
  vocabulary?: string[];
  /** Column names of `x` for tabular and TF-IDF sets (one-hot columns as `column=value`). */
  features?: string[];
  /** sha256 over the files read (and the options that shape the data): part of every run id. */
  checksum: string;
}
