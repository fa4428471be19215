import type { Matrix } from "../al/matrix.ts";

/** A split: features as an N×D matrix (images flattened) and integer labels. */
export interface Split {
  x: Matrix;
  y: Int32Array;
}

/** A loaded classification data set: an AL pool and a held-out test set. */
export interface Dataset {
  name: string;
  task: "multiclass";
  classes: string[];
  /** Shape of one example before flattening, e.g. [28, 28]. */
  shape: number[];
  pool: Split;
  test: Split;
  /** sha256 over the files read (and the subset taken): part of every run id. */
  checksum: string;
}
