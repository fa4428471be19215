/**
 * Expands an experiment into its runs: the product of samplers × modes × seeds (data set and
 * learner are single here), with every name and options object validated up front so a bad
 * spec fails before anything is trained or stored.
 */
import { getSampler } from "../al/samplers/index.ts";
import { checkDatasetName } from "../data/registry.ts";
import { getLearner } from "../learners/index.ts";
import { SpecError } from "./errors.ts";
import type { ExperimentSpec, NamedRef, RunConfig } from "./spec.ts";

function named(ref: NamedRef): { name: string; options: Record<string, unknown> } {
  return typeof ref === "string" ? { name: ref, options: {} } : { name: ref.name, options: ref.options ?? {} };
}

/** Wraps a registry/option error with the experiment file as its location. */
function at<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SpecError && error.message.startsWith(source)) throw error;
    throw new SpecError(`${source}: ${(error as Error).message}`);
  }
}

export function expandExperiment(spec: ExperimentSpec, source: string): RunConfig[] {
  const dataset = typeof spec.dataset === "string" ? { name: spec.dataset } : { ...spec.dataset };
  at(source, () => checkDatasetName(dataset.name, "dataset"));
  const learnerRef = named(spec.learner);
  const learner = at(source, () => getLearner(learnerRef.name, "learner"));
  const learnerOptions = at(source, () => learner.parseOptions(learnerRef.options, "learner.options")) as Record<string, unknown>;
  const samplers = spec.samplers.map((ref, i) => {
    const { name, options } = named(ref);
    const sampler = at(source, () => getSampler(name, `samplers[${i}]`));
    return { name, options: at(source, () => sampler.parseOptions(options, `samplers[${i}].options`)) as Record<string, unknown> };
  });
  const seen = new Set<string>();
  samplers.forEach((s, i) => {
    const key = JSON.stringify(s);
    if (seen.has(key)) throw new SpecError(`${source}: samplers[${i}]: "${s.name}" is listed twice with the same options`);
    seen.add(key);
  });
  const runs: RunConfig[] = [];
  for (const sampler of samplers) {
    for (const mode of spec.modes) {
      for (const seed of spec.seeds) {
        runs.push({
          experiment: spec.name,
          dataset,
          learner: { name: learnerRef.name, options: learnerOptions },
          sampler,
          mode,
          initial: spec.initial,
          acquisition: spec.acquisition,
          ...(spec.rounds !== undefined ? { rounds: spec.rounds } : {}),
          ...(spec.budget !== undefined ? { budget: spec.budget } : {}),
          epochs: spec.epochs,
          seed,
        });
      }
    }
  }
  return runs;
}
