/**
 * `al-lab/learners`: the registered learners (factories: options → Learner), the registry, and
 * the Learner interface a project implements to bring its own model to `runLoop`. Loads tfjs.
 */
export { learnerRegistry, getLearner, learnerCapabilities, capabilitiesOf } from "../learners/index.ts";
export type { Learner, LearnerFactory, LearnerShape, LearnerState, LearnerCapabilities, Targets } from "../learners/learner.ts";
export { mlp, type MlpOptions } from "../learners/mlp.ts";
export { cnn, type CnnOptions } from "../learners/cnn.ts";
export { cnn1d, type Cnn1dOptions } from "../learners/cnn1d.ts";
export { bilstm, type BilstmOptions } from "../learners/bilstm.ts";
export { transformer, type TransformerOptions } from "../learners/transformer.ts";
export { randomForest, type RandomForestOptions } from "../learners/random-forest.ts";
export { logistic, type LogisticOptions } from "../learners/logistic.ts";
export { knn, type KnnOptions } from "../learners/knn.ts";
// Not a learner: VAAL's β-VAE + discriminator, D(μ(x)) per row (the `labelledness` sampler input).
export { vaalLabelledness, type LabellednessInput } from "../learners/vaal/labelledness.ts";
export { fitScaler, applyScaler, type Scaler } from "../learners/standardize.ts";
// Your own tfjs model as a learner; `tf` is the tfjs instance the learners use (build with it).
export { tfjsLearner, tf, type TfjsLearnerSpec, type BuildModel, type BuildInfo, type DefinedLearner } from "../learners/tfjs-learner.ts";
// Loss prediction (the `lossPrediction` option of every tfjs learner) and its ranking loss.
export { lossPredictionSchema, type LossPredictionOptions } from "../learners/tf/loss-prediction.ts";
export { rankingLoss } from "../learners/tf/ranking-loss.ts";
