import type { Matrix } from "../al/matrix.ts";
import type { Random } from "../al/random.ts";

/** What a learner knows about the data before it is built. */
export interface LearnerShape {
  inputSize: number;
  classes: number;
}

/** A trainable classifier with probability output. Implementations own their tensors. */
export interface Learner {
  /** Fresh weights from a seed (retrain mode calls this every round). */
  reset(seed: number): void;
  /** Trains for `epochs` on (x, y), continuing from the current weights. */
  fit(x: Matrix, y: Int32Array, options: { epochs: number; random: Random }): Promise<void>;
  /** Class probabilities, N×C, computed in batches. */
  predictProba(x: Matrix): Promise<Matrix>;
  dispose(): void;
}

export interface LearnerFactory<Options extends object = object> {
  name: string;
  description: string;
  /** Validates user options (throws one line naming `path`) and fills defaults. */
  parseOptions(options: unknown, path: string): Options;
  create(options: Options, shape: LearnerShape): Learner;
}
