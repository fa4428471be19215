/**
 * Paper-topic classification on arXiv titles (the text study in the seed slides): multi-label
 * (84 categories), token ids into a BiLSTM or a 1D-CNN with one sigmoid per label; 20% of the
 * pool labelled at random to start, then 1% or 5% of the pool per acquisition; either refitted
 * from scratch for 20 epochs after every acquisition (retrain) or trained on for 5 or 10 epochs
 * between acquisitions (keep-train, the "acquisition period"); naive baselines trained once on
 * random 1, 5, 10, 20, 50 and 100% of the pool; macro AUROC over the labels on the test set.
 *
 * Samplers, as lib/al/samplers supports multi-label data: random, and binary-minimum (the
 * label closest to p = 0.5) in the place of least confidence and margin — for one sigmoid per
 * label both reduce to it (per label, 1 − max(p, 1 − p) = 0.5 − |p − 0.5| and the margin is
 * |2p − 1|), so they would select the same points. BALD is binary-bald (each label's mutual
 * information over sigmoid MC-dropout passes, summed) and BatchBALD is binary-batchbald (greedy
 * batches by each label's joint mutual information over the batch, summed), in the full, local-cnn
 * and ci profiles; the local profile leaves them out for time.
 *
 *   al run experiments/reproductions/arxiv-topics.ts                     # the protocol (GPU-sized)
 *   al run experiments/reproductions/arxiv-topics.ts --profile local-cnn # 1D-CNN, whole pool: 49 min on 2 loaded cores (wasm)
 *   al run experiments/reproductions/arxiv-topics.ts --profile local     # both models, 4,000 titles: 13 min on 2 quiet cores
 *   al run experiments/reproductions/arxiv-topics.ts --profile ci        # the pipeline, small
 */
import { defineExperiment } from "../../lib/experiments/define.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { defineReproduction, type ReproductionRun } from "../../lib/reproduce/define.ts";
import { finalMinusRandom, finalOf } from "../../lib/reproduce/versus-random.ts";

/** 41,000 titles, 20% held out for test (the default split): a pool of 32,800. */
const POOL = 32800;

export default defineExperiment({
  name: "arxiv-topics",
  description: "arXiv title topics (multi-label): BiLSTM and 1D-CNN, 20% initial + 1% or 5% per step, retrain vs keep-train, macro AUROC",
  dataset: "arxiv-titles",
  learner: [
    { name: "bilstm", options: {} },
    { name: "cnn1d", options: {} },
  ],
  samplers: ["random", "binary-minimum", "binary-bald", "binary-batchbald"],
  modes: ["retrain", "keep-train"],
  initial: { size: 0.2 },
  acquisition: [{ size: 0.01 }, { size: 0.05 }],
  // The slides give no stopping point: acquire up to half the pool (30 steps of 1%, 6 of 5%).
  budget: POOL / 2,
  epochs: 20,
  period: [5, 10],
  baselines: [1, 5, 10, 20, 50, 100],
  seeds: [1, 2, 3],
  profiles: {
    full: {},
    // Measured here: see the reproduction's deviations for what is smaller and why.
    local: {
      dataset: { name: "arxiv-titles", pool: 4000, test: 2000 },
      learner: [
        { name: "bilstm", options: { embeddingSize: 32, units: 32 } },
        { name: "cnn1d", options: { embeddingSize: 32, filters: 32 } },
      ],
      acquisition: { size: 0.05 },
      budget: 2000,
      epochs: 5,
      period: [2, 5],
      // The BiLSTM is ~15× slower than the 1D-CNN on wasm: the period question is asked of the CNN only.
      exclude: [{ learner: "bilstm", period: 5 }],
      baselines: [10, 50, 100],
      // binary-bald's (and binary-batchbald's) 20 MC-dropout passes over the pool every step cost
      // more than the step's training here; the shipped local results were run without them.
      samplers: ["random", "binary-minimum"],
      seeds: [1],
    },
    // The 1D-CNN alone on the whole pool, which it learns from (the local profile's 4,000-title
    // pool does not): see the reproduction's deviations for what is cut and why.
    "local-cnn": {
      learner: { name: "cnn1d", options: {} },
      period: [2],
      // Keep-train only where it costs no MC-dropout passes: random and least confidence.
      exclude: [
        { mode: "keep-train", sampler: "binary-bald" },
        { mode: "keep-train", sampler: "binary-batchbald" },
      ],
      acquisition: { size: 0.05 },
      // Two 5% steps: 20% → 30% of the pool.
      budget: POOL * 0.3,
      epochs: 5,
      baselines: [10, 50, 100],
      samplers: [
        "random",
        "binary-minimum",
        "binary-bald",
        // A 1,640-point batch costs picks × candidates × labels × configurations × passes: the
        // default (6,560 candidates, 1,000 configurations) is hours per step on 2 cores; these
        // took 6–17 min of wall time per step here.
        { name: "binary-batchbald", options: { candidates: 3280, draws: 100, maxConfigurations: 100 } },
      ],
      seeds: [1],
    },
    ci: {
      // Titles cut to 12 tokens: the BiLSTM's cost grows with the steps it unrolls.
      dataset: { name: "arxiv-titles", pool: 400, test: 300, maxLength: 12 },
      learner: [
        { name: "bilstm", options: { embeddingSize: 8, units: 4 } },
        { name: "cnn1d", options: { embeddingSize: 8, filters: 4, kernelSizes: [3] } },
      ],
      acquisition: { size: 0.05 },
      budget: 120,
      epochs: 1,
      period: [1],
      exclude: [{ learner: "bilstm", mode: "keep-train" }],
      baselines: [10, 100],
      seeds: [1],
    },
  },
});

/** The slides' names: binary-minimum stands in for least confidence (see the header). */
const PAPER_NAMES: Record<string, string> = {
  random: "random",
  "binary-minimum": "least confidence",
  "binary-bald": "BALD",
  "binary-batchbald": "BatchBALD",
};

/** Why a BiLSTM row is empty on the local-cnn page (the BiLSTM ran in the local profile). */
const BILSTM_NOT_RUN = "the local-cnn profile runs the 1D-CNN only; the BiLSTM's local-profile numbers are in results/published/arxiv-topics/local";

export const reproduction = defineReproduction({
  study: "arxiv-topics",
  title: "Paper-topic classification on arXiv titles: active learning vs random and naive training (macro AUROC)",
  citation: "The text study in this project's seed slides (arXiv titles, BiLSTM and 1D-CNN, naive baselines and AL samplers)",
  setting: (config: RunConfig) => config.learner.name,
  sampler: (config: RunConfig) => (config.baseline ? `naive ${config.baseline.percent}%` : (PAPER_NAMES[config.sampler.name] ?? config.sampler.name)),
  // The slides' claims are about AL in general, so every cell of the grid (mode, period, step) is a
  // repetition of a sampler's measure; the per-experiment report keeps the cells apart.
  repetition: (config: RunConfig) =>
    config.baseline
      ? `seed ${config.seed}`
      : `${config.mode}${config.mode === "keep-train" && config.period !== undefined ? ` every ${config.period} epochs` : ""} · step ${config.acquisition.size} · seed ${config.seed}`,
  measures: {
    naive_auroc: {
      label: "macro AUROC (test) of a naive baseline: one fit on random p% of the pool",
      better: "higher",
      digits: 3,
      of: (run) => (run.config.baseline ? finalOf(run, "auroc_multilabel") : undefined),
    },
    final_auroc: {
      label: "macro AUROC (test) of an AL run's final model",
      better: "higher",
      digits: 3,
      of: (run) => (run.config.baseline ? undefined : finalOf(run, "auroc_multilabel")),
    },
    al_minus_random: {
      label: "final macro AUROC minus random sampling's (same learner, mode, period, step size and seed)",
      better: "higher",
      digits: 3,
      // Needs the study's other runs: undefined when called with the run alone.
      of: (run: ReproductionRun, runs?: readonly ReproductionRun[]) => finalMinusRandom(run, runs, "auroc_multilabel"),
    },
  },
  paper: [
    { setting: "bilstm", sampler: "naive 100%", measure: "naive_auroc", value: 0.847, notRun: BILSTM_NOT_RUN },
    { setting: "cnn1d", sampler: "naive 100%", measure: "naive_auroc", value: 0.849 },
    // "LC, BALD did not surpass random" (BiLSTM): a bound, not a measured number — the claim holds
    // where our difference is ≤ 0 (or inside the seed spread of 0).
    { setting: "bilstm", sampler: "least confidence", measure: "al_minus_random", value: 0, notRun: BILSTM_NOT_RUN },
    {
      setting: "bilstm",
      sampler: "BALD",
      measure: "al_minus_random",
      value: 0,
      notRun: "binary-bald, the multi-label BALD, is in the full profile; the local profile leaves it out for time, and local-cnn runs the 1D-CNN only",
    },
  ],
  // The page leads with local-cnn, the reduced run whose model learns (see the discussion).
  profiles: ["local-cnn", "local"],
  headline: { measure: "naive_auroc", sampler: "naive 100%", setting: "cnn1d" },
  curve: { metric: "auroc_multilabel", label: "macro AUROC over labels (test)" },
  discussion: [
    "Partly reproduced, for the 1D-CNN only. The page shows the local-cnn profile: the whole 32,800-title pool and 8,200 test titles, the full profile's model, 5 epochs per fit, 20% → 30% of the pool in two 5% steps, one seed; 9 runs, 49 min of wall time (91 min of compute) on 2 cores shared with other jobs. Here the 1D-CNN learns: naive training on 100% of the pool gives macro AUROC 0.810 against the slides' 0.849 (−0.039), on 50% 0.761 and on 10% 0.619.",
    "What we believe causes the remaining −0.039 (not tuned): 5 epochs per fit instead of 20. Trained one epoch at a time on the whole pool (a one-off check, same model and split), the test AUROC after epochs 1–4 was 0.710, 0.766, 0.790 and 0.795, still rising by a few thousandths per epoch; 10 and 20 epochs (about 55 s of CPU each here) did not fit in the time. The slides' architecture, split and training details are not given, so part of the gap may be theirs.",
    "Does AL beat random? Not measurably at this budget. Final macro AUROC after two steps (9,840 labels), retrained: random 0.7435, least confidence 0.7442 (+0.0007), BALD 0.7463 (+0.0028), BatchBALD 0.7499 (+0.0063); trained on every 2 epochs (keep-train): random 0.7377, least confidence 0.7429 (+0.0053). All differences are positive but under 0.007, from one seed (no spread), so none is shown to exceed seed noise; the slides' \"LC, BALD did not surpass random\" (said of the BiLSTM) fits what the 1D-CNN does here. Every AL run at 30% of the pool stays below naive training on 50% (0.761).",
    "The local profile (a 4,000-title pool, 2,000 test titles, 5 epochs, both models; 16 runs, 13 min of wall time and 24 min of compute on 2 quiet cores, rerun on 2026-12-06 with the BiLSTM's and 1D-CNN's revision 2) is still published: there the models barely learned (naive 100%: BiLSTM 0.528, near chance; 1D-CNN 0.631), the same architectures in PyTorch reached 0.504 and 0.580 after 5 epochs on the same tokens, and a TF-IDF logistic regression 0.745. It is the only BiLSTM result; its least-confidence-minus-random differences (+0.0068 retrain, +0.0045 keep-train every 2 epochs; +0.0014 and +0.0030 with revision 1, whose naive and random runs agree with revision 2's to 1e-6) say nothing at near-chance AUROC.",
    "BALD is binary-bald (per-label mutual information over 20 MC-dropout passes, summed), BatchBALD binary-batchbald with a cheaper configuration than its defaults (see the deviations); least confidence is binary-minimum. The published protocol (the default spec, both models, 3 seeds, to 50% of the pool) is the same code path for a machine with the hours.",
  ],
  deviations: [
    "Samplers: lib/al/samplers has no multi-label least confidence or margin (those are softmax-only); binary-minimum stands in for both (they coincide for one sigmoid per label). BALD is binary-bald and BatchBALD is binary-batchbald, each with the labels' mutual information summed rather than the joint over all label vectors (out of reach for 84 labels; given the weights the labels are independent, so the sum bounds the joint from above). binary-batchbald scores only the top max(4k, 100) points by binary-bald each step (160 for 40 picks, 1% of a 4,000-title pool; 1,312 for the protocol's 1% step of 32,800) to stay tractable.",
    "The slides give no stopping point, test split or seeds: we acquire up to 50% of the pool, hold out 20% of the titles for test, and run 3 seeds; macro AUROC is over the labels present in the test set (84 categories, rare ones skipped where absent), on test only (no validation curve is stored).",
    "Models: the project's BiLSTM (embedding 64, 64 units per direction) and 1D-CNN (embedding 64, kernels 3/4/5 × 64 filters) on titles as token ids (length 24); the slides' exact architectures are not given.",
    "Profile local-cnn (the one this page shows): the 1D-CNN only, with the protocol's model on the whole pool and test set; 5 epochs per fit (not 20); 5% steps only, from 20% to 30% of the pool (two acquisitions, 9,840 labels, not 50%); keep-train every 2 epochs (not 5 or 10) for random and least confidence only, since BALD and BatchBALD pay 20 MC-dropout passes over the ~26,000 unlabelled titles per step; naive baselines at 10, 50 and 100% only; 1 seed. binary-batchbald scores 3,280 candidates (2 per pick, not 4) with 100 exact configurations or 100 draws per label (not 1,000): each 1,640-title pick still took 17 and 6 min of wall time (the load varied); the defaults would be hours per step on this CPU.",
    "Profile local (what runs here on 2 cores with the wasm backend): pool 4,000 titles and test 2,000 (the first of the seeded 80/20 split), smaller models (embedding 32; 32 units / 32 filters), acquisition 5% only, up to 2,000 labels (50% of that pool), 5 epochs per fresh fit, keep-train periods 2 and 5 epochs for the 1D-CNN but 2 only for the BiLSTM, naive baselines at 10, 50 and 100% only, 1 seed.",
  ],
});
