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
 *   al run experiments/reproductions/batchbald-mnist.ts --profile local  # the same on MNIST-10k, three seeds, about 1.5 h on two cores
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
    // MNIST-10k (8,000 pool / 2,000 test, split by us), three seeds sized to finish in about an hour and a half on two
    // wasm cores: see `deviations` for what is reduced and why.
    local: {
      dataset: "mnist",
      acquisition: { size: 10, candidates: 500 },
      rounds: 18,
      epochs: 30,
      learner: { name: "cnn", options: { ...batchBaldCnn, batchSize: 32 } },
      seeds: [1, 2, 3],
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
    "Three seeds of the reduced local profile (MNIST-10k, an 8,000-image pool and 2,000 test images, labels up to 200, 30 epochs per fit, 500 scored candidates per round): 9 runs, 89 min of wall time on 2 cores (BatchBALD and BALD 22–24 min per run, random about 10; the test suite shared the machine for part of it, so these times are upper bounds). Labels to 90% test accuracy, over the seeds that reach it within 200 labels: BatchBALD 167 ± 23 (180, 180, 140; paper about 105), BALD 155 (140 and 170, seed 2 never reaches 90%; paper about 155), random 185 (200 and 170, seed 3 never reaches it). Accuracy at 100 labels: BatchBALD 74.3 ± 7.2% (69.1–82.5) and BALD 80.3 ± 4.2% (75.4–83.4), against the paper's 89.2% and 85.7%; random 82.1 ± 4.7%. Final accuracy at 200 labels: BatchBALD 91.9 ± 1.4%, BALD 90.6 ± 2.8%, random 90.4 ± 0.9%.",
    "So the paper's result does not reproduce here. BALD's labels to 90% equals the paper's 155, but BatchBALD needs more labels than BALD, not fewer, and at 100 labels it is the lowest of the three, 14.9 points below the paper (BALD 5.4 below, random above both): the order of BatchBALD and BALD is reversed on both measures (τ = −1). The seeds spread widely — BatchBALD's accuracy at 100 labels runs from 69.1% to 82.5% — and single curves swing by several points from one round to the next, so the 6 points between BatchBALD and BALD at 100 labels are within about one standard deviation of either. By 150 labels the three are level (BatchBALD 88.4%, BALD 87.3%, random 86.3%; at 200 labels 91.9, 90.6 and 90.4%): BatchBALD's early deficit does not last, but nor does it turn into the paper's lead.",
    "What we believe causes the gap (not tuned): every fit starts from scratch and trains for a fixed 30 epochs with Adam on 20–200 images, where the paper stops early on a validation set; that is what makes consecutive rounds so uneven, and an unstable model gives BALD and BatchBALD poor uncertainty to rank by. Scoring a random 500 of the pool each round (to fit the time) breaks up the near-duplicate batches BatchBALD exists to avoid, so BALD loses less by picking its top 10. Dropout here is element-wise after pooling, not channel-wise, so the MC samples vary differently. The single seed shipped before (2026-12-03) was computed by the CNN's revision 1; revision 2 runs the matrix products on XNNPACK, which rounds differently, so seed 1 now reads otherwise (BatchBALD 69.1% at 100 labels and 90.4% at 200, was 74.2% and 86.0%): its first five rounds agree to the digit and the curves part after that, a different rounding fed back through the selections. The published protocol (full MNIST, 3 seeds, 300 labels, the whole pool scored) is the default spec, the same code path, for a machine that has the hours.",
  ],
  deviations: [
    "Data: run here on MNIST-10k — MNIST's 10,000 test images, split by us into an 8,000-image pool and a 2,000-image test set (profile local); the paper uses the 60,000 training images (less a validation set) as the pool and the 10,000 test images (the default spec, for a machine that downloads full MNIST).",
    "Backend: TensorFlow.js on its wasm backend (CPU, one thread per worker), not the paper's PyTorch on a GPU.",
    "Training: a fixed number of epochs per fit with Adam (learning rate 10⁻³); the paper trains with early stopping on a validation set. Dropout after each convolution block is element-wise after pooling, not channel-wise.",
    "Reduced to fit about an hour and a half of CPU here (profile local, three seeds): labels up to 200 (18 rounds) instead of 300, 30 epochs per fit at batch 32 instead of the default spec's 50 at 64, and each round scores a random 500 of the pool with the 100 MC samples instead of the whole pool. A random candidate subset also breaks up the near-duplicates that make top-10 BALD batches redundant, so it may narrow BatchBALD's lead over BALD.",
  ],
});
