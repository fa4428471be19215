/**
 * The 1,000 + 5,000 image study (the CIFAR-10 seed note): 1,000 random initial labels, then
 * 5,000 more chosen by random, least-confidence, margin or entropy (5 rounds of 1,000); a CNN
 * refitted from scratch each round; weighted F1 on the test set of the final model (6,000
 * labels) against the 1,000-only model (each run's round 0) and a model trained on the whole
 * training set (the 100% naive baseline). The note ran CIFAR-10; here the default grid runs
 * Fashion-MNIST (60,000 + 10,000 images) and `--profile cifar10` runs the same protocol on
 * CIFAR-10 (50,000 + 10,000; downloaded on first use).
 *
 *   al run experiments/reproductions/fashion-1k5k.ts                    # the protocol, Fashion-MNIST
 *   al run experiments/reproductions/fashion-1k5k.ts --profile cifar10  # the same on CIFAR-10
 *   al run experiments/reproductions/fashion-1k5k.ts --profile local    # ~20 min on 2 cores (wasm)
 *   al run experiments/reproductions/fashion-1k5k.ts --profile ci       # the pipeline, small
 */
import { defineExperiment } from "../../lib/experiments/define.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { defineReproduction, type ReproductionRun } from "../../lib/reproduce/define.ts";
import { finalMinusRandom, finalOf } from "../../lib/reproduce/versus-random.ts";

/** weighted_f1 is opt-in (lib/al/metrics/index.ts): it must be named to be stored. */
const metrics = ["accuracy", "macro_f1", "weighted_f1", "log_loss"];

export default defineExperiment({
  name: "fashion-1k5k",
  description: "1,000 random + 5,000 actively chosen labels, CNN, weighted F1 vs the 1,000-only and full-data models (Fashion-MNIST)",
  dataset: "fashion-mnist",
  // The lib's default image CNN: conv 32 → pool → conv 64 → pool (dropout 0.25), dense 128 (dropout 0.5).
  learner: { name: "cnn", options: {} },
  samplers: ["random", "least-confidence", "margin", "entropy"],
  modes: ["retrain"],
  initial: { size: 1000 },
  acquisition: { size: 1000 },
  rounds: 5,
  epochs: 10,
  // The full training set: one fit on 100% of the pool per seed.
  baselines: [100],
  metrics,
  seeds: [1, 2, 3],
  profiles: {
    full: {},
    cifar10: { dataset: "cifar10" },
    // Measured here: see the reproduction's deviations for what is smaller and why.
    local: {
      dataset: { name: "fashion-mnist", pool: 12000, test: 2000 },
      learner: { name: "cnn", options: { filters: [8, 16], hidden: [32] } },
      epochs: 5,
      seeds: [1, 2, 3],
    },
    ci: {
      dataset: { name: "fashion-mnist", pool: 400, test: 200 },
      learner: { name: "cnn", options: { filters: [4], hidden: [8], batchSize: 64 } },
      initial: { size: 100 },
      acquisition: { size: 50 },
      rounds: 2,
      epochs: 1,
      seeds: [1],
    },
  },
});

const PAPER_NAMES: Record<string, string> = { random: "random", "least-confidence": "least confidence", margin: "margin", entropy: "entropy" };

/** weighted F1 × 100 of round 0: the model trained on the 1,000 random initial labels only. */
function initialF1(run: ReproductionRun): number | undefined {
  if (run.config.baseline) return undefined;
  const v = run.rounds.find((r) => r.round === 0)?.metrics.weighted_f1;
  return v === undefined ? undefined : v * 100;
}

export const reproduction = defineReproduction({
  study: "fashion-1k5k",
  title: "1,000 + 5,000 labels: uncertainty sampling vs random with a CNN (weighted F1)",
  citation: "The CIFAR-10 seed note of this project's brief (1,000 random + 5,000 selected labels; weighted F1); reproduced on Fashion-MNIST",
  sampler: (config: RunConfig) => (config.baseline ? (config.baseline.percent === 100 ? "full training set" : `naive ${config.baseline.percent}%`) : (PAPER_NAMES[config.sampler.name] ?? config.sampler.name)),
  measures: {
    final_f1: {
      label: "weighted F1 × 100 of the final model (6,000 labels; the full training set for the baseline)",
      better: "higher",
      of: (run) => {
        const v = finalOf(run, "weighted_f1");
        return v === undefined ? undefined : v * 100;
      },
    },
    initial_f1: {
      label: "weighted F1 × 100 of the 1,000-only model (round 0)",
      better: "higher",
      of: initialF1,
    },
    gain_over_initial: {
      label: "weighted-F1 gain of the final model over the 1,000-only model, points × 100",
      better: "higher",
      of: (run) => {
        const start = initialF1(run);
        const end = finalOf(run, "weighted_f1");
        return start === undefined || end === undefined ? undefined : end * 100 - start;
      },
    },
    minus_random: {
      label: "final weighted F1 minus random sampling's (same seed and cell), points × 100",
      better: "higher",
      digits: 2,
      // Needs the study's other runs: undefined when called with the run alone.
      of: (run: ReproductionRun, runs?: readonly ReproductionRun[]) => finalMinusRandom(run, runs, "weighted_f1", 100),
    },
  },
  // The note: "~12% F1 gain over 1,000-only for every method, 0.4–1% between methods and random".
  // Read as percentage points of weighted F1; the 0.4–1 range is entered as its midpoint 0.7.
  paper: [
    ...["random", "least confidence", "margin", "entropy"].map((sampler) => ({ sampler, measure: "gain_over_initial", value: 12 })),
    ...["least confidence", "margin", "entropy"].map((sampler) => ({ sampler, measure: "minus_random", value: 0.7 })),
  ],
  headline: { measure: "gain_over_initial", sampler: "least confidence" },
  curve: { metric: "weighted_f1", label: "weighted F1 (test)", scale: 100 },
  discussion: [
    "Three seeds of the reduced local profile (a 12,000-image Fashion-MNIST pool, a 2,000-image test set, a small CNN, 5 epochs per fit): 15 runs, 19 min of wall time on 2 cores beside other jobs. From 1,000 random labels (weighted F1 61.7 on average; 54.6, 65.2 and 65.2 for the three seeds), 5,000 more gave: margin 81.3, least confidence 80.8, entropy 78.4, random 77.3 (means over seeds); the model trained on the whole 12,000-image pool reached 79.1. Seed 1 repeats the single-seed run shipped before to the digit (initial 65.2, margin 81.3).",
    "The note's first claim holds for random: its gain over the 1,000-only model (15.6 on average, range 11.9–22.2) has the note's ~12 points inside its range. The uncertainty samplers gain more (entropy 16.7, least confidence 19.1, margin 19.7), and only entropy's range (12.3–23.2) reaches 12. The gains' spread is the initial model's: one seed's 1,000-label model is 11 points worse than the other two, and every sampler of that seed gains that much more.",
    "The note's second claim does not hold here: paired by seed, margin beats random by 4.1 points (3.3–4.8) and least confidence by 3.5 (3.3–3.8) on every seed, far above the note's 0.4–1; entropy's 1.1 (0.4–1.9) is inside it. These differences are tight because they compare runs that share their initial set and seed.",
    "What we believe causes the gap (not tuned): Fashion-MNIST's classes are far easier to separate than CIFAR-10's, and a small CNN with 5 epochs per fit stays undertrained enough that well-chosen points help a lot (margin and least confidence end above the model trained on all 12,000 images with the same 5 epochs); on CIFAR-10 a model of this size learns less from each extra image, which shrinks every difference. `--profile cifar10` runs the note's data set for a machine that has it.",
  ],
  deviations: [
    "Data: Fashion-MNIST (60,000 pool, 10,000 test) instead of CIFAR-10; `--profile cifar10` runs the note's data set.",
    "The note does not give its CNN or its training schedule: we use the project's image CNN (conv 32, conv 64, dense 128) with 10 epochs per fit from scratch and 3 seeds.",
    "Profile local (what runs here on 2 cores with the wasm backend): pool 12,000 and test 2,000 (the first images of each file; Fashion-MNIST ships shuffled), a smaller CNN (conv 8, conv 16, dense 32), 5 epochs per fit, 3 seeds; the 1,000 + 5 × 1,000 protocol is kept.",
  ],
});
