import { bilstm } from "./bilstm.ts";
import { cnn } from "./cnn.ts";
import { cnn1d } from "./cnn1d.ts";
import { knn } from "./knn.ts";
import type { LearnerCapabilities, LearnerFactory } from "./learner.ts";
import { logistic } from "./logistic.ts";
import { mlp } from "./mlp.ts";
import { randomForest } from "./random-forest.ts";
import { transformer } from "./transformer.ts";

/** Learners selectable by name from an experiment file. */
export const learnerRegistry: Record<string, LearnerFactory> = {
  mlp,
  cnn,
  cnn1d,
  bilstm,
  transformer,
  "random-forest": randomForest,
  logistic,
  knn,
};

export function getLearner(name: string, path: string): LearnerFactory {
  const factory = learnerRegistry[name];
  if (!factory || !Object.hasOwn(learnerRegistry, name)) {
    throw new Error(`${path}: unknown learner "${name}"; expected one of ${Object.keys(learnerRegistry).join(", ")}`);
  }
  return factory;
}

type Options = Record<string, unknown>;
const hidden = (o: Options): number => (Array.isArray(o.hidden) ? o.hidden.length : 0);
const positive = (value: unknown): boolean => typeof value === "number" && value > 0;
const count = (value: unknown): number => (Array.isArray(value) ? value.length : typeof value === "number" ? value : 0);
const tf = (mcSamples: boolean, o: Options, featureMaps: number): LearnerCapabilities => ({
  mcSamples,
  embeddings: true,
  epochPredictions: true,
  predictedLoss: o.lossPrediction !== undefined,
  featureMaps,
});

/**
 * Capabilities by learner, from its parsed options: mirrors when each learner's `create` gives
 * `predictSamples` / `embed` / per-epoch records / `predictLoss` (tfjs learners: MC dropout only with a dropout layer, see their
 * `stochastic` flag; the forest: one sample per tree). test/reliability/spec.test.ts checks the
 * two agree for every registered learner.
 */
export const learnerCapabilities: Record<string, (options: Options) => LearnerCapabilities> = {
  // Feature maps as each body exposes them (its `taps`): hidden layers, conv blocks, the pooled
  // text branches, recurrent layers, transformer blocks.
  mlp: (o) => tf(positive(o.dropout) && hidden(o) > 0, o, hidden(o)),
  cnn: (o) => tf(positive(o.convDropout) || (positive(o.dropout) && hidden(o) > 0), o, count(o.filters) + hidden(o)),
  cnn1d: (o) => tf(positive(o.dropout), o, 1 + hidden(o)),
  bilstm: (o) => tf(positive(o.dropout), o, count(o.layers) + hidden(o)),
  transformer: (o) => tf(positive(o.dropout), o, count(o.layers)),
  "random-forest": (o) => ({ mcSamples: true, maxSamples: typeof o.trees === "number" ? o.trees : 100, embeddings: true, epochPredictions: false, predictedLoss: false }),
  logistic: () => ({ mcSamples: false, embeddings: true, epochPredictions: false, predictedLoss: false }),
  knn: () => ({ mcSamples: false, embeddings: true, epochPredictions: false, predictedLoss: false }),
};

/** What the named learner with these (parsed) options can provide. */
export function capabilitiesOf(name: string, options: Options): LearnerCapabilities {
  const of = learnerCapabilities[name];
  if (!of || !Object.hasOwn(learnerCapabilities, name)) throw new Error(`learner "${name}" has no registered capabilities`);
  return of(options);
}
