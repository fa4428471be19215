import type { SourceFile } from "../data/dataset.ts";
import type { RunConfig } from "../experiments/spec.ts";

/** Training modes between rounds. */
export type TrainingMode = "retrain" | "keep-train";

/** A fixed-range histogram of uncertainty scores (least confidence) over the pool or a batch. */
export interface Histogram {
  target: "pool" | "batch";
  lo: number;
  hi: number;
  /** counts per equal-width bin */
  counts: number[];
  below: number;
  above: number;
}

/** The oracle's answers for a list of points, beside their true labels (same order). */
export interface RoundLabels {
  given: Int32Array;
  truth: Int32Array;
}

/** Multi-label: each point's given and true label indices (ascending), same order as the points. */
export interface RoundLabelSets {
  given: Int32Array[];
  truth: Int32Array[];
}

/** Per-round measurements produced by the loop; the store is the only writer of these. */
export interface RoundRecord {
  runId: string;
  /** 0 = the initial labelled set; r ≥ 1 = after the r-th acquisition. */
  round: number;
  /** Labelled pool points the model was trained on this round. */
  labelled: number;
  /** Metric name → value on the held-out test set (e.g. accuracy, macro_f1). */
  metrics: Record<string, number>;
  /**
   * Phase timings. `reference`: fitting the reference classifier, on round 0 only (absent when
   * the run has none, or does not use it).
   */
  seconds: { train: number; score: number; select: number; evaluate: number; reference?: number };
  /**
   * Pool indices acquired at the end of this round (empty after the last round); the
   * initial set is recorded as round 0's `initial`.
   */
  selected: Int32Array;
  /** Only on round 0: the initial labelled pool indices. */
  initial?: Int32Array;
  /**
   * Where `selected` / `initial` came from: each point's row in the data set's source file
   * (dataset.pool.rows), so picks map back to the user's file. Absent when the data has none.
   */
  selectedRows?: Int32Array;
  initialRows?: Int32Array;
  /** Runs with an oracle on multi-class data: the labels given for `selected` / `initial` and the true ones. */
  selectedLabels?: RoundLabels;
  initialLabels?: RoundLabels;
  /** Runs with an oracle on multi-label data: the label sets given and the true ones. */
  selectedLabelSets?: RoundLabelSets;
  initialLabelSets?: RoundLabelSets;
  /** Runs with a cost: what labelling each of `selected` / `initial` cost. */
  selectedCosts?: Float64Array;
  initialCosts?: Float64Array;
  /** Uncertainty histograms of the unlabelled pool and of the selected batch (rounds that select). */
  histograms?: Histogram[];
}

export type RunStatus = "running" | "done" | "failed";

/** One run as stored: its config and where/how it ran. */
export interface RunRecord {
  runId: string;
  experiment: string;
  config: RunConfig;
  /** Pool and test sizes of the run's data, for the round-mask view (absent in older stores). */
  poolSize?: number;
  testSize?: number;
  /** The data it read: the checksum its id hashes and the files behind it (absent in older stores). */
  data?: { checksum: string; files: SourceFile[] };
  status: RunStatus;
  backend: string;
  versions: Record<string, string>;
  host: string;
  startedAt: Date;
  finishedAt?: Date;
  seconds?: number;
  error?: string;
}
