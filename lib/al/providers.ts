/**
 * Computes what a sampler declares it needs — and only that: pool probabilities, MC samples
 * (MC dropout, a fresh ensemble or a bootstrap ensemble), embeddings, the labelled points' labels, reference
 * probabilities, the per-epoch predictions the loop recorded during the round's fit, VAAL's
 * labelledness (a β-VAE and discriminator trained for the round), the learner's predicted losses.
 * Samplers stay pure functions of these arrays.
 */
import type { Dataset } from "../data/dataset.ts";
import type { RunConfig } from "../experiments/spec.ts";
import type { Learner } from "../learners/learner.ts";
import { takeRows, type Matrix } from "./matrix.ts";
import { createRandom, deriveSeed } from "./random.ts";
import { vaalOptionsOf } from "./samplers/vaal.ts";
import type { EpochPredictions, SamplerInput, SamplerInputs, Samples } from "./samplers/sampler.ts";
import { trainingTargets } from "./training-targets.ts";

export interface ProviderContext {
  config: RunConfig;
  dataset: Dataset;
  learner: Learner;
  round: number;
  /** 1 = labelled or set aside (never selectable). */
  blocked: Uint8Array;
  /** The pool points trained on this round. */
  trainingSet: Int32Array;
  /** Already computed for this round. */
  poolProbs: Matrix;
  /** The pool's predicted classes per epoch of this round's fit, when the sampler needs them. */
  epochPredictions?: EpochPredictions | undefined;
  /** Builds a learner like the run's (for ensemble members), or the named one. */
  makeLearner(ref?: { name: string; options: Record<string, unknown> }): Learner;
  /** The reference classifier's probability of each pool point's true label (cached per run). */
  referenceProbs(): Promise<Float32Array>;
  /** The sampler's parsed options: inputs trained for the sampler (labelledness) read their settings there. */
  samplerOptions?: object;
}

/**
 * VAAL's D(μ(x)) per pool point: the β-VAE and discriminator are trained from scratch on the
 * round's labelled and unlabelled points from the stream (seed, "vaal", round), so any round
 * replays without saved state. Imported on demand: only VAAL runs pay for loading it.
 */
async function labelledness(ctx: ProviderContext): Promise<Float32Array> {
  const { vaalLabelledness } = await import("../learners/vaal/labelledness.ts");
  // Set-aside points (acquire-on-saturation's validation set) are blocked but not trained on:
  // neither side of the game; they are still scored.
  const unlabelled: number[] = [];
  for (let i = 0; i < ctx.blocked.length; i++) if (ctx.blocked[i] === 0) unlabelled.push(i);
  const input = { x: ctx.dataset.pool.x, labelled: ctx.trainingSet, unlabelled };
  return vaalLabelledness(input, vaalOptionsOf(ctx.samplerOptions ?? {}), createRandom(ctx.config.seed, "vaal", ctx.round));
}

/**
 * T members of the run's learner, each trained afresh on the round's training set ("ensemble")
 * or on a seeded bootstrap resample of it ("bootstrap": as many draws with replacement as there
 * are labelled points, so members also differ in what they saw), and their pool probabilities.
 */
async function ensembleSamples(ctx: ProviderContext, members: number, bootstrap: boolean): Promise<Samples> {
  const { config, dataset, trainingSet } = ctx;
  const { pool } = dataset;
  const c = dataset.classes.length;
  const data = new Float32Array(pool.x.n * members * c);
  for (let m = 0; m < members; m++) {
    const rows = bootstrap ? bootstrapResample(trainingSet, createRandom(config.seed, "bootstrap", m, ctx.round)) : trainingSet;
    const x = takeRows(pool.x, rows);
    const y = trainingTargets(dataset, Int32Array.from(rows));
    // Members are independently seeded and trained afresh each round (also in keep-train runs).
    const member = ctx.makeLearner();
    try {
      member.reset(deriveSeed(config.seed, "member", m, ctx.round));
      await member.fit(x, y, { epochs: config.epochs, random: createRandom(config.seed, "member-fit", m, ctx.round) });
      const probs = await member.predictProba(pool.x);
      for (let i = 0; i < pool.x.n; i++) data.set(probs.data.subarray(i * c, (i + 1) * c), (i * members + m) * c);
    } finally {
      member.dispose();
    }
  }
  return { data, n: pool.x.n, t: members, c };
}

/** `rows.length` draws from `rows` with replacement. */
export function bootstrapResample(rows: ArrayLike<number>, random: ReturnType<typeof createRandom>): Int32Array {
  return Int32Array.from({ length: rows.length }, () => rows[random.int(rows.length)]!);
}

export async function provideInputs(needs: readonly SamplerInput[], ctx: ProviderContext): Promise<SamplerInputs> {
  const { config, dataset, learner, blocked } = ctx;
  const { pool } = dataset;
  const inputs: SamplerInputs = { labelled: blocked };
  if (needs.includes("probs")) inputs.probs = ctx.poolProbs;
  if (needs.includes("mcSamples")) {
    const { method, samples } = config.mcSamples ?? { method: "mc-dropout", samples: 20 };
    if (method !== "mc-dropout") inputs.mcSamples = await ensembleSamples(ctx, samples, method === "bootstrap");
    else {
      if (!learner.predictSamples) {
        throw new Error(
          `${config.sampler.name} needs MC samples but learner "${config.learner.name}" has no MC dropout; set mcSamples: { method: "ensemble" } in the experiment`,
        );
      }
      inputs.mcSamples = await learner.predictSamples(pool.x, { samples, random: createRandom(config.seed, "mc-dropout", ctx.round) });
    }
  }
  // Learners without a penultimate layer (classical ones) are embedded by their input features.
  if (needs.includes("embeddings")) inputs.embeddings = learner.embed ? await learner.embed(pool.x) : pool.x;
  if (needs.includes("labels")) {
    // Only labelled points' labels exist for a sampler: the rest are hidden as −1.
    const labels = new Int32Array(pool.x.n).fill(-1);
    for (const i of ctx.trainingSet) labels[i] = pool.y[i]!;
    inputs.labels = labels;
    if (pool.labelSets) {
      const sets = new Float32Array(pool.labelSets.data.length);
      const c = pool.labelSets.c;
      for (const i of ctx.trainingSet) sets.set(pool.labelSets.data.subarray(i * c, (i + 1) * c), i * c);
      inputs.labelSets = { data: sets, n: pool.x.n, c };
    }
  }
  if (needs.includes("referenceProbs")) {
    if (!config.reference) {
      throw new Error(`${config.sampler.name} needs reference probabilities; add reference: {} to the experiment (a classifier trained on the test split)`);
    }
    inputs.referenceProbs = await ctx.referenceProbs();
  }
  if (needs.includes("predictedLoss")) {
    if (!learner.predictLoss) {
      throw new Error(`${config.sampler.name} needs predicted losses but learner "${config.learner.name}" has no loss-prediction module; add lossPrediction: {} to its options`);
    }
    inputs.predictedLoss = await learner.predictLoss(pool.x);
  }
  // Recorded by the loop during the fit (the only time the epochs exist), so only passed on here.
  if (needs.includes("epochPredictions")) inputs.epochPredictions = ctx.epochPredictions;
  if (needs.includes("labelledness")) inputs.labelledness = await labelledness(ctx);
  return inputs;
}

/** Trains the reference classifier on the test split and scores the pool with it. */
export interface ReferenceScores {
  trueClass: Float32Array;
  predicted: Int32Array;
}

/**
 * Reference scores already computed in this process, per data set object (the runner reads each
 * data set once per process) and (seed, reference options): the fit is seeded by exactly these,
 * so every sampler of a grid cell shares one fit instead of refitting it per run (issue 15
 * measured it at 11% of a run). Failed fits are not kept.
 */
const referenceCache = new WeakMap<Dataset, Map<string, Promise<ReferenceScores>>>();

/** referenceScores, computed once per (data set, seed, reference options) in this process; callers must not modify the arrays. */
export function cachedReferenceScores(ctx: Pick<ProviderContext, "config" | "dataset" | "makeLearner">): Promise<ReferenceScores> {
  let byKey = referenceCache.get(ctx.dataset);
  if (!byKey) referenceCache.set(ctx.dataset, (byKey = new Map()));
  const key = JSON.stringify([ctx.config.seed, ctx.config.reference]);
  let hit = byKey.get(key);
  if (!hit) {
    hit = referenceScores(ctx);
    const map = byKey;
    hit.catch(() => map.delete(key));
    map.set(key, hit);
  }
  return hit;
}

export async function referenceScores(ctx: Pick<ProviderContext, "config" | "dataset" | "makeLearner">): Promise<ReferenceScores> {
  const { config, dataset } = ctx;
  const ref = config.reference!;
  const learner = ctx.makeLearner(ref.learner);
  try {
    learner.reset(deriveSeed(config.seed, "reference"));
    await learner.fit(dataset.test.x, dataset.test.y, { epochs: ref.epochs, random: createRandom(config.seed, "reference-fit") });
    const probs = await learner.predictProba(dataset.pool.x);
    const c = probs.c;
    const trueClass = new Float32Array(probs.n);
    const predicted = new Int32Array(probs.n);
    for (let i = 0; i < probs.n; i++) {
      trueClass[i] = probs.data[i * c + dataset.pool.y[i]!]!;
      let best = 0;
      for (let j = 1; j < c; j++) if (probs.data[i * c + j]! > probs.data[i * c + best]!) best = j;
      predicted[i] = best;
    }
    return { trueClass, predicted };
  } finally {
    learner.dispose();
  }
}
