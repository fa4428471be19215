/**
 * Loss prediction (Yoo & Kweon 2019, "Learning loss for active learning"): the points whose
 * training loss the learner's own loss-prediction module expects to be highest. The module is
 * trained with the classifier (the `lossPrediction` option of the tfjs learners, see
 * lib/learners/tf/loss-prediction.ts); this sampler only ranks what it predicts, so it stays a
 * pure function of one number per point. Ties go to the lowest index.
 */
import { requirePredictedLoss } from "./require-inputs.ts";
import type { Sampler } from "./sampler.ts";
import { scoreSampler } from "./score-sampler.ts";

export const lossPrediction: Sampler = scoreSampler({
  name: "loss-prediction",
  description: "Points with the highest loss predicted by the learner's loss-prediction module (needs lossPrediction on a tfjs learner).",
  needs: ["predictedLoss"],
  tasks: ["multiclass", "multilabel"],
  scores: (inputs) => Float64Array.from(requirePredictedLoss("loss-prediction", inputs)),
});
