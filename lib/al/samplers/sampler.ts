import type { Matrix } from "../matrix.ts";
import type { PseudoLabels } from "../pseudo-labels.ts";
import type { Random } from "../random.ts";

/**
 * Inputs a sampler may declare in `needs`; the runner computes only what is declared (MC
 * dropout passes and embeddings cost real time).
 */
export type SamplerInput = "probs" | "mcSamples" | "embeddings" | "labels" | "referenceProbs" | "epochPredictions" | "labelledness" | "predictedLoss";

/** MC samples (MC-dropout passes or ensemble members): N×T×C, row-major (point, sample, class). */
export interface Samples {
  data: Float32Array;
  n: number;
  /** samples per point */
  t: number;
  /** classes (or labels, for multi-label) */
  c: number;
}

/**
 * The predicted class of every pool point after each epoch of the round's fit: N×E, row-major
 * (point, epoch). E is the epochs that fit really trained (fewer when early stopping ends it).
 */
export interface EpochPredictions {
  data: Int32Array;
  n: number;
  /** epochs recorded */
  e: number;
}

/** What a sampler sees: precomputed arrays over the whole pool, never a model. */
export interface SamplerInputs {
  /**
   * Pool probabilities, N×C: softmax rows for multi-class tasks, independent per-label
   * sigmoid outputs for multi-label tasks.
   */
  probs?: Matrix;
  /** Stochastic predictions over the pool, N×T×C. */
  mcSamples?: Samples;
  /** Penultimate-layer (or input-feature) embeddings of the pool, N×d. */
  embeddings?: Matrix;
  /**
   * Pool labels, valid only where labelled[i] = 1 (samplers must never read an unlabelled
   * point's label). Multi-class: class index. Multi-label tasks use `labelSets` instead.
   */
  labels?: Int32Array;
  /** Multi-label pool labels as an N×L 0/1 matrix, valid only on labelled rows. */
  labelSets?: Matrix;
  /**
   * Per pool point, a reference classifier's probability of that point's true label (trained
   * on an independent labelled set): the IConfidence cap. Length N.
   */
  referenceProbs?: Float32Array;
  /**
   * Per pool point, its predicted class after each epoch of this round's fit (label dispersion):
   * retrain rounds record all `epochs`, keep-train rounds after the first their `period`.
   */
  epochPredictions?: EpochPredictions;
  /**
   * Per pool point, how "labelled" it looks to VAAL's discriminator, D(μ(x)) ∈ [0, 1], trained
   * this round on a β-VAE's latent means of the labelled (1) and unlabelled (0) points. Length N.
   */
  labelledness?: Float32Array;
  /**
   * Per pool point, the training loss the learner's loss-prediction module expects for it
   * (Yoo & Kweon 2019; tfjs learners with `lossPrediction`). Length N; only its order matters.
   */
  predictedLoss?: Float32Array;
  /** labelled[i] = 1 when pool point i is already labelled (never selectable). */
  labelled: Uint8Array;
}

export interface SamplerContext {
  /** Seeded stream for this selection. */
  random: Random;
}

export type Task = "multiclass" | "multilabel";

export interface Sampler<Options extends object = Record<string, never>> {
  name: string;
  /** One line: what the sampler prefers. */
  description: string;
  needs: readonly SamplerInput[];
  /** What these options really read, when less than `needs` (e.g. a wrapper of another score). */
  needsFor?(options: Options): readonly SamplerInput[];
  /** Tasks the sampler is meant for; absent = multi-class only. */
  tasks?: readonly Task[];
  /** Validates and normalises user options; throws with the offending key named. */
  parseOptions(options: unknown, path: string): Options;
  /** k distinct unlabelled pool indices, most informative first. */
  select(inputs: SamplerInputs, k: number, options: Options, context: SamplerContext): Int32Array;
  /**
   * Per-point informativeness (higher = more informative), for uncertainty summaries;
   * absent for samplers with no pointwise score (random, diversity samplers).
   */
  score?(inputs: SamplerInputs, options: Options): Float64Array;
  /**
   * Pseudo-labels for the next round's fit only (CEAL), from round `round`'s probabilities over
   * the whole pool; blocked[i] = 1 for labelled, just picked and set-aside points. The loop adds
   * them to that one fit, never to the labelled set. Absent for samplers that only select.
   */
  pseudoLabel?(probs: Matrix, blocked: Uint8Array, round: number, options: Options): PseudoLabels;
}
