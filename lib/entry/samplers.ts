/**
 * `al-lab/samplers`: every query strategy as a pure function of precomputed arrays (probabilities,
 * MC samples, embeddings, the labelled mask). Pure core: imports neither tfjs nor DuckDB, so a
 * project can score its own model's outputs without loading either (test/package/pure.test.ts).
 */
export { samplerRegistry, samplerNames, getSampler, type SamplerName } from "../al/samplers/index.ts";
export type { Sampler, SamplerInputs, SamplerInput, SamplerContext, Samples, EpochPredictions, Task } from "../al/samplers/sampler.ts";
export { scoreSampler, type ScoreSamplerSpec } from "../al/samplers/score-sampler.ts";
export { topK, topKUnlabelled } from "../al/samplers/top-k.ts";
// Sampler-author helpers: the same validators the built-in samplers use.
export { checkK, requireProbs, parseNoOptions } from "../al/samplers/validate.ts";
// Arrays and randomness a caller needs to build inputs and a context.
export { matrix, takeRows, argmaxRows, type Matrix } from "../al/matrix.ts";
export { createRandom, deriveSeed, fromState, type Random } from "../al/random.ts";
// Samplers defined in code (an experiment's `samplers` may hold them); checked like the built-in ones.
export { defineSampler, checkSelection, type DefineSamplerSpec, type DefinedSampler, type SelectContext } from "../al/samplers/define-sampler.ts";

export { random } from "../al/samplers/random.ts";
export { leastConfidence, leastConfidenceScores } from "../al/samplers/least-confidence.ts";
export { margin, marginScores } from "../al/samplers/margin.ts";
export { entropy, entropyScores } from "../al/samplers/entropy.ts";
export { ratio, ratioScores } from "../al/samplers/ratio.ts";
export { bald, baldScores } from "../al/samplers/bald.ts";
export { variationRatios, variationRatioScores } from "../al/samplers/variation-ratios.ts";
export { labelDispersion, labelDispersionScores } from "../al/samplers/label-dispersion.ts";
export { ceal, cealOptionsSchema, type CealOptions } from "../al/samplers/ceal.ts";
export { pseudoLabels, pseudoLabelThreshold, pseudoLabelAccuracy, type PseudoLabels, type PseudoLabelOptions } from "../al/pseudo-labels.ts";
export { lossPrediction } from "../al/samplers/loss-prediction.ts";
export { meanStd, meanStdScores } from "../al/samplers/mean-std.ts";
export { qbcVoteEntropy, voteEntropyScores } from "../al/samplers/qbc-vote-entropy.ts";
export { qbcKl, klToConsensusScores } from "../al/samplers/qbc-kl.ts";
export { batchBaldSampler, batchBald, jointMutualInformation, type BatchBaldOptions } from "../al/samplers/batchbald.ts";
export { stochasticSampler, stochasticMethods, type StochasticOptions, type StochasticMethod } from "../al/samplers/stochastic.ts";
export { binaryMinimum, binaryMinimumScores } from "../al/samplers/binary-minimum.ts";
export { maxLoss, maxLossScores, type MaxLossOptions } from "../al/samplers/max-loss.ts";
export { cardinalityInconsistency, cardinalityInconsistencyScores } from "../al/samplers/cardinality-inconsistency.ts";
export { binaryEntropy, binaryEntropyScores } from "../al/samplers/binary-entropy.ts";
export { binaryBald, binaryBaldScores } from "../al/samplers/binary-bald.ts";
export { binaryBatchBaldSampler, binaryBatchBald, summedJointMutualInformation, type BinaryBatchBaldOptions } from "../al/samplers/binary-batchbald.ts";
export { kcenterGreedy } from "../al/samplers/kcenter-greedy.ts";
export { kmeans, type KMeansSamplerOptions } from "../al/samplers/kmeans.ts";
export { wkmeans, type WKMeansOptions } from "../al/samplers/wkmeans.ts";
export { iwkmeans } from "../al/samplers/iwkmeans.ts";
export { iconfidence, iconfidenceScores } from "../al/samplers/iconfidence.ts";
export { informationDensity, informationDensityScores, type InformationDensityOptions } from "../al/samplers/information-density.ts";
export { typicality, type TypicalityOptions } from "../al/samplers/typicality.ts";
export { badge } from "../al/samplers/badge.ts";
export { egl, eglScores } from "../al/samplers/egl.ts";
export { cal, calScores, type CalOptions } from "../al/samplers/cal.ts";
export {
  suggestiveAnnotation,
  ensembleVarianceScores,
  facilityLocationGreedy,
  type SuggestiveAnnotationOptions,
} from "../al/samplers/suggestive-annotation.ts";
// VAAL's selection over its discriminator's output; the β-VAE that makes it is in al-lab/learners (tfjs).
export { vaal, vaalScores, parseVaalOptions, vaalOptionsOf, requireLabelledness, type VaalOptions } from "../al/samplers/vaal.ts";
