import { bilstm } from "./bilstm.ts";
import { cnn } from "./cnn.ts";
import { cnn1d } from "./cnn1d.ts";
import { knn } from "./knn.ts";
import type { LearnerFactory } from "./learner.ts";
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
