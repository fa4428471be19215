/**
 * Gal, Islam & Ghahramani (2017), "Deep Bayesian Active Learning with Image Data": an MC-dropout
 * CNN on MNIST, Bayesian acquisition functions against random acquisition. The protocol:
 *
 * - CNN: conv 32 4×4, conv 32 4×4 (valid), max-pool 2, dropout 0.25, dense 128, dropout 0.5,
 *   softmax; retrained from fresh weights every round;
 * - 20 initial labels, balanced (2 per class), + 10 per round for 98 rounds = 1,000 labels;
 * - each round scores a random 2,000 of the pool, with T = 20 MC-dropout passes;
 * - random, BALD, variation ratios, max entropy, mean STD; 3 repetitions;
 * - test error against labels, and the labels each function needs to reach 10% and 5% error.
 *
 *   al run experiments/reproductions/bayesian-mnist.ts                  # published protocol, full MNIST (downloaded)
 *   al run experiments/reproductions/bayesian-mnist.ts --profile local  # the same on MNIST-10k, reduced: ~1.5 h on 2 cores
 *   al run experiments/reproductions/bayesian-mnist.ts --profile ci     # the pipeline, small
 */
import { defineExperiment } from "../../lib/experiments/define.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { defineReproduction, labelsToReach } from "../../lib/reproduce/define.ts";
import { finalValue } from "../../lib/reproduce/value-at.ts";

/** The paper's CNN (Adam at 1e-3 and batch 128 are our choices: the paper names neither here). */
const galCnn = { filters: [32], convsPerBlock: 2, kernelSize: 4, padding: "valid", poolSize: 2, convDropout: 0.25, hidden: [128], dropout: 0.5, batchSize: 128 } as const;

export default defineExperiment({
  name: "bayesian-mnist",
  description: "Gal, Islam & Ghahramani 2017: deep Bayesian active learning on MNIST (MC-dropout CNN; BALD, variation ratios, max entropy, mean STD vs random)",
  dataset: "mnist-full",
  learner: { name: "cnn", options: galCnn },
  samplers: ["random", "bald", "variation-ratios", "entropy", "mean-std"],
  initial: { size: 20, stratified: true },
  acquisition: { size: 10, candidates: 2000 },
  rounds: 98,
  epochs: 50,
  mcSamples: { method: "mc-dropout", samples: 20 },
  seeds: [1, 2, 3],
  profiles: {
    full: {},
    // MNIST-10k (split by us into 8,000 pool / 2,000 test; the first 4,000 pool images used), the
    // paper's 3 seeds, sized to finish in about 1.5 hours on two wasm cores: see `deviations` for
    // what is reduced and why.
    local: {
      dataset: { name: "mnist", pool: 4000 },
      samplers: ["random", "bald", "variation-ratios", "entropy"],
      acquisition: { size: 10, candidates: 500 },
      rounds: 24,
      epochs: 15,
      learner: { name: "cnn", options: { ...galCnn, batchSize: 32 } },
    },
    // The same net with fewer units (the pipeline, not the numbers), so the suite runs it in seconds.
    ci: {
      dataset: { name: "mnist", pool: 300, test: 200 },
      learner: { name: "cnn", options: { ...galCnn, filters: [8], hidden: [32] } },
      acquisition: { size: 10, candidates: 50 },
      rounds: 2,
      epochs: 2,
      seeds: [1],
    },
  },
});

const paperNames: Record<string, string> = { random: "Random", bald: "BALD", "variation-ratios": "Var Ratios", entropy: "Max Entropy", "mean-std": "Mean STD" };

export const reproduction = defineReproduction({
  study: "bayesian-mnist",
  title: "Deep Bayesian active learning on MNIST",
  citation: "Y. Gal, R. Islam, Z. Ghahramani. Deep Bayesian Active Learning with Image Data. ICML 2017.",
  url: "https://arxiv.org/abs/1703.02910",
  sampler: (config: RunConfig) => paperNames[config.sampler.name] ?? config.sampler.name,
  measures: {
    "labels-10": {
      label: "labels to reach 10% test error (accuracy ≥ 0.90)",
      better: "lower",
      digits: 0,
      of: (run) => labelsToReach(run, "accuracy", 0.9),
    },
    "labels-5": {
      label: "labels to reach 5% test error (accuracy ≥ 0.95)",
      better: "lower",
      digits: 0,
      of: (run) => labelsToReach(run, "accuracy", 0.95),
    },
    "final-error": {
      label: "test error after the last acquisition, % (1,000 labels in the published protocol)",
      better: "lower",
      digits: 1,
      of: (run) => {
        const accuracy = finalValue(run, "accuracy");
        return accuracy === undefined ? undefined : (1 - accuracy) * 100;
      },
    },
  },
  // Table 1 of the paper, as the issue quotes it (labels to reach 10% error).
  paper: [
    { sampler: "Random", measure: "labels-10", value: 255 },
    { sampler: "BALD", measure: "labels-10", value: 145 },
    { sampler: "Var Ratios", measure: "labels-10", value: 120 },
    { sampler: "Max Entropy", measure: "labels-10", value: 165 },
  ],
  headline: { measure: "labels-10", sampler: "BALD" },
  curve: { metric: "accuracy", label: "test accuracy, % (test error = 100 − accuracy)", scale: 100 },
  discussion: [
    "Three seeds of the reduced local profile (a 4,000-image MNIST-10k pool, labels up to 260, 15 epochs per fit, 500 scored candidates per round), run on 2026-12-06 with the CNN's revision 2: 12 runs, 72 min of wall time (143 min of compute) on 2 idle cores. Labels to reach 10% test error, mean ± sd (range): variation ratios 180 ± 17 (160–190), BALD 193 ± 29 (160–210), max entropy 217 ± 12 (210–230), against the paper's 120, 145 and 165; random reached it on one seed of three, at 250 labels (paper 255), and was at 10.5% and 13.2% error at 260 on the other two. Seed 1 repeats the single-seed run shipped before to the label and the digit (160, 160, 210; final errors 6.7, 6.2, 8.55, 10.5%), on another host with the same backend.",
    "So the paper's finding holds in direction and in order: every acquisition function reaches 10% error before random on every seed, variation ratios is the best and max entropy the slowest of the three, as published (Kendall τ 1.00 over the four samplers). The levels are 48–60 labels later than published, and none of the paper's three values lies inside our three seeds' range. Final error at 260 labels, mean of the seeds: variation ratios 6.3%, BALD 7.5%, max entropy 7.8%, random 11.5%.",
    "What we believe causes the gap (not tuned): each fit here gets 15 epochs at batch 32 on a few hundred images, with Adam and no weight decay (the paper tunes weight decay and trains longer), so the model at a given label count is weaker; the acquisition functions score 500 random candidates per round (the paper 2,000); and the pool is 4,000 MNIST-10k images rather than 60,000 training images. The published protocol (the default spec: full MNIST, up to 1,000 labels) is the same code path for a machine that has the hours.",
  ],
  deviations: [
    "Data: run here on MNIST-10k — MNIST's 10,000 test images, split by us into an 8,000-image pool (of which the local profile uses 4,000, in the split's seeded order) and a 2,000-image test set; the paper uses the 60,000 training images as the pool and the 10,000 test images (the default spec, for a machine that downloads full MNIST).",
    "Backend: TensorFlow.js on its wasm backend (CPU, one thread per worker), not the paper's Keras on a GPU.",
    "Training: Adam (learning rate 10⁻³) without weight decay; the paper tunes weight decay on a 100-image validation set, which we do not hold out.",
    "Reduced to fit about an hour and a half on 2 cores here (profile local): labels up to 260 (24 rounds) instead of 1,000 — just past random acquisition's published 255 to 10% error —, 15 epochs per fit at batch 32 instead of the default spec's 50 at 128 (more updates per epoch for the first, smallest training sets), a 4,000-image pool (every round also predicts the whole pool for the uncertainty summaries), 500 scored candidates per round instead of 2,000, and no mean STD runs (the issue quotes no published value for it).",
    "Labels to 5% error are not reached within 260 labels here, so that column is empty for the local runs.",
  ],
});
