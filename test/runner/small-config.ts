/** A small run config the runner's unit tests share (logistic on noisy blobs, 2 rounds). */
import type { RunConfig } from "../../lib/experiments/spec.ts";

export function smallConfig(experiment: string): RunConfig {
  return {
    experiment,
    dataset: { name: "noisy-blobs" },
    learner: { name: "logistic", options: {} },
    sampler: { name: "margin", options: {} },
    mode: "retrain",
    initial: { size: 3, stratified: false },
    acquisition: { size: 2 },
    rounds: 2,
    epochs: 1,
    seed: 1,
  };
}
