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
  /**
   * 1 where the point is known to be mislabelled: noisy blobs' noisy pairs (same centre, other
   * label), or a table's 0/1 `noisy` column (read as this flag, never as a feature).
   */
  noisy?: Uint8Array;
  /** Text sets: the raw text of each row. */
  texts?: string[];
  /**
   * A user's table with `oracle: { column }`: each annotator column's label per row (an index
   * into `classes`, like `y`), by column name. Never part of `x`.
   */
  annotators?: Record<string, Int32Array>;
  /**
   * Multi-label sets with `oracle: { column }`: each annotator column's 0/1 label sets (N×L,
   * like `labelSets`), by column name; `annotators` then holds the first label listed per row.
   */
  annotatorSets?: Record<string, Matrix>;
  /** A user's table with `cost: { column }`: what labelling each row costs (> 0). Never part of `x`. */
  costs?: Float64Array;
  /**
   * Where each point came from: its 0-based data row in the set's source file (the first row
   * after a CSV header is 0; IDX: the image index). For sets we split ourselves that is the one
   * file (generated sets: the generator's row); for predefined parts, that part's own file
   * (pool rows in the train file, test rows in the test file, also after `swap`). Always set by
   * `loadDataset` (optional only so hand-built splits in tests need not invent it), so a
   * selected pool point i can be traced to `rows[i]` of the user's file.
   */
  rows?: Int32Array;
}

/**
 * One file a data set was read from, as stored with each run (`runs.data_files`). An image
 * folder is one entry for the whole folder: `sha256` over its files' hashes (and relative paths,
 * in listing order), `bytes` their total size, `fileCount` how many there are.
 */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** sha256 (hex) of the bytes read. */
  sha256: string;
  bytes: number;
  /** Folders only: the number of files the folder's hash covers. */
  fileCount?: number;
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
  /** The files the set was read from (each hashed once, by its loader); [] for generated sets. */
  readFrom?: SourceFile[];
}
