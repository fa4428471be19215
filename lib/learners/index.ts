import type { LearnerFactory } from "./learner.ts";
import { mlp } from "./mlp.ts";

/** Learners selectable by name from an experiment file. */
export const learnerRegistry: Record<string, LearnerFactory> = { mlp };

export function getLearner(name: string, path: string): LearnerFactory {
  const factory = learnerRegistry[name];
  if (!factory || !Object.hasOwn(learnerRegistry, name)) {
    throw new Error(`${path}: unknown learner "${name}"; expected one of ${Object.keys(learnerRegistry).join(", ")}`);
  }
  return factory;
}
