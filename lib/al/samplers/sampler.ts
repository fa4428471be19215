import type { Matrix } from "../matrix.ts";
import type { Random } from "../random.ts";

/** Inputs a sampler may declare; the runner computes only what the sampler's `needs` lists. */
export type SamplerInput = "probs";

/** What a sampler sees: precomputed arrays over the whole pool, never a model. */
export interface SamplerInputs {
  /** Pool class probabilities, N×C. */
  probs?: Matrix;
  /** labelled[i] = 1 when pool point i is already labelled (never selectable). */
  labelled: Uint8Array;
}

export interface SamplerContext {
  /** Seeded stream for this selection. */
  random: Random;
}

export interface Sampler<Options extends object = Record<string, never>> {
  name: string;
  /** One line: what the sampler prefers. */
  description: string;
  needs: readonly SamplerInput[];
  /** Validates and normalises user options; throws with the offending key named. */
  parseOptions(options: unknown, path: string): Options;
  /** k distinct unlabelled pool indices, most informative first. */
  select(inputs: SamplerInputs, k: number, options: Options, context: SamplerContext): Int32Array;
  /**
   * Per-point informativeness (higher = more informative), for uncertainty summaries;
   * absent for samplers with no pointwise score (random).
   */
  score?(inputs: SamplerInputs, options: Options): Float64Array;
}
