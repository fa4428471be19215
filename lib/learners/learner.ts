import type { Matrix } from "../al/matrix.ts";
import type { Random } from "../al/random.ts";
import type { EpochPredictions, Samples } from "../al/samplers/sampler.ts";

/** What a learner knows about the data before it is built. */
export interface LearnerShape {
  /** Features per example after flattening (tabular/image) or the sequence length (text). */
  inputSize: number;
  /** Example shape before flattening, e.g. [28, 28] or [28, 28, 1]; [inputSize] when flat. */
  inputShape?: number[];
  /** Classes (multi-class) or labels (multi-label). */
  classes: number;
  /** multi-label heads use sigmoid + binary cross-entropy. Default multiclass. */
  task?: "multiclass" | "multilabel";
  /** Vocabulary size for text learners (token ids are in [0, vocabSize)). */
  vocabSize?: number;
}

/** A learner's trainable state as plain arrays: enough to continue training bit-identically. */
export interface LearnerState {
  /** Which learner wrote it (checked on load). */
  learner: string;
  tensors: Array<{ name: string; shape: number[]; dtype: "float32" | "int32"; data: Float32Array | Int32Array }>;
  /** Small extra values (e.g. optimizer step counters). */
  meta?: Record<string, number | string | boolean>;
}

/** Labels: class indices (multi-class) or an N×L 0/1 matrix (multi-label). */
export type Targets = Int32Array | Matrix;

export interface FitOptions {
  epochs: number;
  random: Random;
  /**
   * Rows whose predicted class (argmax) to record after every epoch; fit then resolves to the
   * record. Learners that do not train in epochs ignore it (capability `epochPredictions`).
   */
  recordPredictions?: Matrix;
}

/** What a fit hands back beyond the weights it changed. */
export interface FitResult {
  /** `recordPredictions`' rows' classes after each epoch trained, N×E. */
  epochPredictions?: EpochPredictions;
}

/** A trainable classifier with probability output. Implementations own their tensors. */
export interface Learner {
  /** Fresh weights from a seed (retrain mode calls this every round). */
  reset(seed: number): void;
  /** Trains for `epochs` on (x, y), continuing from the current weights. */
  fit(x: Matrix, y: Targets, options: FitOptions): Promise<FitResult | void>;
  /** Class probabilities (softmax) or label probabilities (sigmoid), N×C, in batches. */
  predictProba(x: Matrix): Promise<Matrix>;
  /**
   * T stochastic passes (MC dropout) in pool chunks so memory stays bounded: N×T×C. Absent for
   * learners without dropout.
   */
  predictSamples?(x: Matrix, options: { samples: number; random: Random }): Promise<Samples>;
  /** Penultimate-layer activations, N×d. Classical learners return their input features. */
  embed?(x: Matrix): Promise<Matrix>;
  /**
   * The loss-prediction module's predicted training loss per row (higher = the model expects
   * to be more wrong), length N. Only for tfjs learners built with `lossPrediction`.
   */
  predictLoss?(x: Matrix): Promise<Float32Array>;
  /** Weights and optimizer state after the last fit (for checkpoints); after reset() + fit() only. */
  getState?(): Promise<LearnerState>;
  /** Restores getState()'s output into a learner built with the same options and shape. */
  setState?(state: LearnerState): Promise<void>;
  dispose(): void;
}

/**
 * What a learner built with given options can hand a sampler, known before anything is built or
 * trained (so a sampler the learner cannot serve fails before the store is opened).
 */
export interface LearnerCapabilities {
  /** `predictSamples`: MC-dropout passes, or the members of an ensemble model. */
  mcSamples: boolean;
  /** At most this many samples per point (a forest's trees), when limited. */
  maxSamples?: number;
  /** `embed`: penultimate activations, or the input features for classical learners. */
  embeddings: boolean;
  /** Fit records `recordPredictions` per epoch (the tfjs learners: they train in epochs). */
  epochPredictions: boolean;
  /** `predictLoss`: a loss-prediction module (tfjs learners with the `lossPrediction` option). */
  predictedLoss: boolean;
  /** Intermediate feature maps a loss-prediction module can read (`lossPrediction.layers` indexes them); tfjs learners only. */
  featureMaps?: number;
}

export interface LearnerFactory<Options extends object = object> {
  name: string;
  description: string;
  /** Validates user options (throws one line naming `path`) and fills defaults. */
  parseOptions(options: unknown, path: string): Options;
  create(options: Options, shape: LearnerShape): Learner;
}
