/**
 * Kirsch, van Amersfoort & Gal (2019), "BatchBALD: Efficient and Diverse Batch Acquisition for
 * Deep Bayesian Active Learning": acquiring a batch of 10 by the joint mutual information of its
 * labels (BatchBALD) against the top 10 by BALD and against random acquisition, on MNIST. The
 * protocol:
 *
 * - 20 initial labels, balanced (2 per class), + 10 per round for 28 rounds = 300 labels;
 * - an MC-dropout CNN, retrained every round; 100 MC-dropout samples per scored point;
 * - BatchBALD, BALD, random;
 * - accuracy against labels, the labels needed to reach 90% accuracy and the accuracy at 100
 *   labels.
 *
 * The CNN is the one the authors released with the paper (BatchBALD's MNIST model, checked
 * against their code): two blocks of a valid 5×5 convolution (32, then 64 filters), dropout 0.5,
 * max-pool 2, then dense 128 with dropout 0.5 and the softmax head. One difference: their code drops
 * whole channels (2-D dropout) of the convolution output before pooling; our cnn drops single
 * units after pooling, so its MC samples vary differently (the reproduction's deviations say so).
 *
 *   al run experiments/reproductions/batchbald-mnist.ts                  # published protocol, full MNIST (downloaded)
 *   al run experiments/reproductions/batchbald-mnist.ts --profile local  # the same on MNIST-10k, sized for a CPU hour
 *   al run experiments/reproductions/batchbald-mnist.ts --profile ci     # the pipeline, small
 */
import { defineExperiment } from "../../lib/experiments/define.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { defineReproduction, labelsToReach } from "../../lib/reproduce/define.ts";
import { finalValue, valueAt } from "../../lib/reproduce/value-at.ts";

/** Adam at 1e-3, batch 64 and 50 epochs per fit are our choices (the paper stops early on a validation set). */
const batchBaldCnn = { filters: [32, 64], kernelSize: 5, padding: "valid", poolSize: 2, convDropout: 0.5, hidden: [128], dropout: 0.5, batchSize: 64 } as const;

export default defineExperiment({
  name: "batchbald-mnist",
  description: "Kirsch, van Amersfoort & Gal 2019: BatchBALD vs BALD vs random on MNIST, batches of 10 (MC-dropout CNN, 100 samples)",
  dataset: "mnist-full",
  learner: { name: "cnn", options: batchBaldCnn },
  samplers: ["batchbald", "bald", "random"],
  initial: { size: 20, stratified: true },
  acquisition: { size: 10 },
  rounds: 28,
  epochs: 50,
  mcSamples: { method: "mc-dropout", samples: 100 },
  seeds: [1, 2, 3],
  profiles: {
    full: {},
    // MNIST-10k (8,000 pool / 2,000 test, split by us), sized to finish in about an hour on two
    // wasm cores: see `deviations` for what is reduced and why.
    local: {
      dataset: "mnist",
      acquisition: { size: 10, candidates: 500 },
      rounds: 18,
      epochs: 30,
      learner: { name: "cnn", options: { ...batchBaldCnn, batchSize: 32 } },
      seeds: [1],
    },
    // The same net with fewer units and samples (the pipeline, not the numbers).
    ci: {
      dataset: { name: "mnist", pool: 300, test: 200 },
      learner: { name: "cnn", options: { ...batchBaldCnn, filters: [8, 16], hidden: [32] } },
      acquisition: { size: 10, candidates: 50 },
      rounds: 2,
      epochs: 2,
      mcSamples: { method: "mc-dropout", samples: 10 },
      seeds: [1],
    },
  },
});

const paperNames: Record<string, string> = { batchbald: "BatchBALD", bald: "BALD", random: "Random" };

export const reproduction = defineReproduction({
  study: "batchbald-mnist",
  title: "BatchBALD on MNIST",
  citation: "A. Kirsch, J. van Amersfoort, Y. Gal. BatchBALD: Efficient and Diverse Batch Acquisition for Deep Bayesian Active Learning. NeurIPS 2019.",
  url: "https://arxiv.org/abs/1906.08158",
  sampler: (config: RunConfig) => paperNames[config.sampler.name] ?? config.sampler.name,
  measures: {
    "labels-90": {
      label: "labels to reach 90% test accuracy",
      better: "lower",
      digits: 0,
      of: (run) => labelsToReach(run, "accuracy", 0.9),
    },
    "accuracy-100": {
      label: "test accuracy at 100 labels, %",
      better: "higher",
      digits: 1,
      of: (run) => {
        const accuracy = valueAt(run, "accuracy", 100);
        return accuracy === undefined ? undefined : accuracy * 100;
      },
    },
    "final-accuracy": {
      label: "test accuracy after the last acquisition, % (300 labels in the published protocol)",
      better: "higher",
      digits: 1,
      of: (run) => {
        const accuracy = finalValue(run, "accuracy");
        return accuracy === undefined ? undefined : accuracy * 100;
      },
    },
  },
  // As the issue quotes the paper: 90% at ~105 labels (BatchBALD) vs ~155 (BALD); 89.2% vs 85.7% at 100 labels.
  paper: [
    { sampler: "BatchBALD", measure: "labels-90", value: 105 },
    { sampler: "BALD", measure: "labels-90", value: 155 },
    { sampler: "BatchBALD", measure: "accuracy-100", value: 89.2 },
    { sampler: "BALD", measure: "accuracy-100", value: 85.7 },
  ],
  headline: { measure: "accuracy-100", sampler: "BatchBALD" },
  curve: { metric: "accuracy", label: "test accuracy, %", scale: 100 },
  discussion: [
    "One seed of the reduced local profile (MNIST-10k, an 8,000-image pool and 2,000 test images, labels up to 200, 30 epochs per fit, 500 scored candidates per round): 3 runs, 20 min of wall time on 2 cores (BALD and BatchBALD about 15 min each, random 4). Labels to 90% test accuracy: BatchBALD 160 and BALD 160 (paper about 105 and 155), random 200. Accuracy at 100 labels: BatchBALD 74.2%, BALD 73.4% (paper 89.2% and 85.7%), random 84.4%. Final accuracy at 200 labels: BALD 91.4%, random 90.6%, BatchBALD 86.0%.",
    "So the paper's result does not reproduce here. Both Bayesian methods reach 90% before random (160 labels against 200), but BatchBALD does not get there sooner than BALD, and at 100 labels both are 10 points below random and 12–15 below the paper. Our curves swing by up to 10 points from one round to the next (BatchBALD 84.5% at 110 labels, 79.6% at 130, 81.5% at 190), so a single point such as accuracy at 100 labels is mostly one fit's luck, and the 0.8 points between BatchBALD and BALD there say nothing about their order.",
    "What we believe causes the gap (not tuned): every fit starts from scratch and trains for a fixed 30 epochs with Adam on 20–200 images, where the paper stops early on a validation set; that is what makes consecutive rounds so uneven, and an unstable model gives BALD and BatchBALD poor uncertainty to rank by. Scoring a random 500 of the pool each round (to fit the hour) breaks up the near-duplicate batches BatchBALD exists to avoid, so BALD loses less by picking its top 10. Dropout here is element-wise after pooling, not channel-wise, so the MC samples vary differently. And one seed gives no spread, where the paper averages several. The published protocol (full MNIST, 3 seeds, 300 labels, the whole pool scored) is the default spec, the same code path, for a machine that has the hours.",
  ],
  deviations: [
    "Data: run here on MNIST-10k — MNIST's 10,000 test images, split by us into an 8,000-image pool and a 2,000-image test set (profile local); the paper uses the 60,000 training images (less a validation set) as the pool and the 10,000 test images (the default spec, for a machine that downloads full MNIST).",
    "Backend: TensorFlow.js on its wasm backend (CPU, one thread per worker), not the paper's PyTorch on a GPU.",
    "Training: a fixed number of epochs per fit with Adam (learning rate 10⁻³); the paper trains with early stopping on a validation set. Dropout after each convolution block is element-wise after pooling, not channel-wise.",
    "Reduced to fit about an hour of CPU here (profile local): labels up to 200 (18 rounds) instead of 300, 30 epochs per fit at batch 32 instead of the default spec's 50 at 64, one seed instead of three (so no seed spread), and each round scores a random 500 of the pool with the 100 MC samples instead of the whole pool. A random candidate subset also breaks up the near-duplicates that make top-10 BALD batches redundant, so it may narrow BatchBALD's lead over BALD.",
  ],
});
