/**
 * Seeded initialisers: every weight tensor draws its own seed from the learner's init stream
 * (createRandom(seed, "<learner>-init")) in build order, so the same seed builds the same
 * network and a new seed a different one, independently of tfjs's global random state.
 */
import * as tf from "@tensorflow/tfjs";
import type { Random } from "../../al/random.ts";

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** Glorot-uniform (Keras's default for dense, conv and recurrent kernels). */
export const glorot = (init: Random): Initializer => tf.initializers.glorotUniform({ seed: init.uint32() });

/** Small uniform values for embedding tables (Keras's default range). */
export const embeddingInit = (init: Random): Initializer =>
  tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: init.uint32() });
