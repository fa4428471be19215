/**
 * Options every tfjs learner shares (optimizer, batch size, early stopping, class weights, loss
 * prediction): spread into each learner's zod schema so the names and defaults are the same
 * everywhere.
 * Epochs are not here: they come from the experiment (`epochs`, per fit call).
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { classWeightsSchema } from "../class-weights.ts";
import { fusedAdam } from "./fused-adam.ts";
import { lossPredictionSchema } from "./loss-prediction.ts";

export const earlyStoppingSchema = z.strictObject({
  /** Epochs without a validation-loss improvement before training stops. */
  patience: z.int().min(1).default(3),
  /** Share of the fit's rows held out (seeded, stratified for multi-class). */
  validationFraction: z.number().gt(0).lt(1).default(0.1),
  /** A smaller decrease of the validation loss does not count as an improvement. */
  minDelta: z.number().min(0).default(0),
});

export const trainingFields = {
  optimizer: z.enum(["adam", "sgd", "rmsprop"]).default("adam"),
  learningRate: z.number().gt(0).default(1e-3),
  batchSize: z.int().min(1).default(32),
  /** Stop on a held-out split and restore the best weights; absent = train every epoch. */
  earlyStopping: earlyStoppingSchema.optional(),
  classWeights: classWeightsSchema.optional(),
  /** A loss-prediction module trained beside the classifier (Yoo & Kweon 2019); absent = none. */
  lossPrediction: lossPredictionSchema.optional(),
};

const trainingSchema = z.strictObject(trainingFields);
export type TrainingOptions = z.output<typeof trainingSchema>;

export function makeOptimizer(options: Pick<TrainingOptions, "optimizer" | "learningRate">): tf.Optimizer {
  switch (options.optimizer) {
    case "adam":
      // tf.train.adam's numbers, one kernel per variable on wasm (fused-adam.ts).
      return fusedAdam(options.learningRate);
    case "sgd":
      return tf.train.sgd(options.learningRate);
    case "rmsprop":
      return tf.train.rmsprop(options.learningRate);
  }
}
