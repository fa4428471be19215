/**
 * One active-learning run: fit on the labelled set, evaluate on the held-out test set, score
 * the pool, select a batch, repeat. Every random choice derives from (seed, purpose, round), so
 * a run can continue from a checkpoint (labelled order + learner state) bit-identically.
 */
import type { Dataset } from "../data/dataset.ts";
import type { RunConfig } from "../experiments/spec.ts";
import type { Learner, LearnerState } from "../learners/learner.ts";
import { argmaxRows, nonzeroColumns } from "./matrix.ts";
import { roundView, toView, viewSplit } from "./candidates.ts";
import { accuracy } from "./metrics/accuracy.ts";
import { affordablePrefix, costOf, pointCosts } from "./cost.ts";
import { poolAnswerSets, poolAnswers } from "./oracle.ts";
import { labelEntryNoise, labelNoise, labelSetNoise } from "./metrics/label-noise.ts";
import { createRoundMetrics } from "./round-metrics.ts";
import { kmeansInitialSet } from "./cold-start.ts";
import { initialSet } from "./initial-set.ts";
import { takeRows } from "./matrix.ts";
import { planRun } from "./plan.ts";
import { createRandom, deriveSeed, permutation } from "./random.ts";
import type { RoundLabelSets, RoundLabels, RoundRecord } from "./records.ts";
import { cachedReferenceScores, provideInputs } from "./providers.ts";
import { joinEpochs, recordOf } from "./epoch-predictions.ts";
import type { EpochPredictions, Sampler } from "./samplers/sampler.ts";
import { trainingTargets } from "./training-targets.ts";
import { pseudoLabelMetrics, withPseudoLabels, type PseudoLabels } from "./pseudo-labels.ts";

/** Where a run stands after a round: enough, with the config, to continue it. */
export interface LoopState {
  /** The last round completed. */
  round: number;
  /** Labelled pool indices in acquisition order (initial set first). */
  order: Int32Array;
  /** The learner's state when training continues across rounds (keep-train). */
  learner?: LearnerState;
  /** The round's test predictions, for the next round's contradiction ratio. */
  predictions?: Int32Array;
  /** Points the round selected (a cost budget may cut a batch below the plan's). */
  batch?: number;
  /** Pseudo-labels this round chose for the next fit only (CEAL): not recomputable without refitting. */
  pseudoLabels?: PseudoLabels;
}

export interface LoopOptions {
  runId: string;
  config: RunConfig;
  dataset: Dataset;
  learner: Learner;
  sampler: Sampler<object>;
  samplerOptions: object;
  onRound: (record: RoundRecord, state: LoopState) => void | Promise<void>;
  /** Continue after this state's round instead of starting afresh. */
  resume?: LoopState;
  /** Include the learner's state in each round's LoopState (for checkpoints; costs a weight copy). */
  keepState?: boolean;
  /** Builds another learner like the run's, or the named one (ensembles, reference classifier). */
  makeLearner?: (ref?: { name: string; options: Record<string, unknown> }) => Learner;
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

/** The validation set of an acquire-on-saturation run: a seeded draw from the whole pool. */
function validationSet(n: number, count: number, seed: number): Int32Array {
  return permutation(n, createRandom(seed, "validation")).slice(0, count).sort();
}

export async function runLoop(options: LoopOptions): Promise<void> {
  const { runId, config, dataset, learner, sampler, samplerOptions, onRound, resume, keepState } = options;
  const { pool, test } = dataset;
  const plan = planRun(config, pool.x.n, dataset.classes.length);
  const keepTrain = config.mode === "keep-train";
  // The annotator's answers for every pool point, fixed up front: each is a pure function of
  // (seed, point) or the point's cell of an annotator column, so resumes and worker counts
  // cannot change them. Learners and samplers see only these; test metrics use the true test
  // labels.
  // Multi-label: the oracle answers each label (oracle.ts), the given sets replace the true ones
  // wherever training sees them, and `answered` is each given set's primary label (-1: none).
  const answerSets = config.oracle && dataset.task === "multilabel" ? poolAnswerSets(config.oracle, config.seed, pool, dataset.name) : undefined;
  const answered = !config.oracle ? pool.y : answerSets ? answerSets.primary : poolAnswers(config.oracle, config.seed, pool, dataset.classes.length, dataset.name);
  const labelledPool = config.oracle ? { ...pool, y: answered, ...(answerSets ? { labelSets: answerSets.sets } : {}) } : pool;
  const labelledData = { ...dataset, pool: labelledPool };
  const costs = config.cost !== undefined ? pointCosts(config.cost, pool, dataset.name) : undefined;
  const budget = plan.costBudget;
  if (budget !== undefined && !costs) throw new Error(`${runId}: costBudget needs cost`);
  /**
   * The oracle's error over `indices`, stored as `<prefix>label_noise` (share of points whose
   * given label, or label set, is not the true one) and, multi-label, `<prefix>label_entry_noise`
   * (share of wrong per-label answers).
   */
  const noiseMetrics = (indices: Int32Array, prefix: string): Record<string, number> => {
    if (!answerSets) return { [`${prefix}label_noise`]: labelNoise(Int32Array.from(indices, (i) => answered[i]!), Int32Array.from(indices, (i) => pool.y[i]!)) };
    const given = takeRows(answerSets.sets, indices).data;
    const truth = takeRows(pool.labelSets!, indices).data;
    const c = answerSets.sets.c;
    return { [`${prefix}label_noise`]: labelSetNoise(given, truth, c), [`${prefix}label_entry_noise`]: labelEntryNoise(given, truth, c) };
  };
  const labelsOf = (indices: Int32Array): RoundLabels => ({ given: Int32Array.from(indices, (i) => answered[i]!), truth: Int32Array.from(indices, (i) => pool.y[i]!) });
  const labelSetsOf = (indices: Int32Array): RoundLabelSets => ({ given: nonzeroColumns(answerSets!.sets, indices), truth: nonzeroColumns(pool.labelSets!, indices) });
  const costsOf = (indices: Int32Array) => Float64Array.from(indices, (i) => costs![i]!);

  // `blocked` = not selectable: labelled points and the validation set.
  const blocked = new Uint8Array(pool.x.n);
  const validation = validationSet(pool.x.n, plan.validation, config.seed);
  for (const i of validation) blocked[i] = 1;
  const validationX = plan.validation > 0 ? takeRows(pool.x, validation) : undefined;
  const validationY = plan.validation > 0 ? Int32Array.from(validation, (i) => answered[i]!) : undefined;

  let initial: Int32Array | undefined;
  const order: number[] = [];
  if (resume) {
    order.push(...resume.order);
  } else {
    initial = config.initial.kmeans
      ? kmeansInitialSet(pool.x, plan.initial, { random: createRandom(config.seed, "initial"), exclude: blocked })
      : // Stratified by the labels the oracle gives (the true ones without an oracle): a study
        // balances its seed set by what its annotator says, never by the truth it lacks.
        initialSet(answered, plan.initial, {
          stratified: config.initial.stratified,
          random: createRandom(config.seed, "initial"),
          exclude: blocked,
        });
    order.push(...initial);
  }
  for (const i of order) blocked[i] = 1;

  const makeLearner = options.makeLearner ?? (() => {
    throw new Error(`${runId}: this run needs another learner (ensemble or reference) but none can be built here`);
  });
  const needs = sampler.needsFor?.(samplerOptions) ?? sampler.needs;
  // The reference classifier is trained once per run, and only when something uses it: the
  // sampler (IConfidence) or the easiness metric. An experiment skips it by leaving easiness
  // out of `metrics`. Its time is stored as round 0's reference_seconds.
  const wantsReference =
    config.reference !== undefined && (needs.includes("referenceProbs") || config.metrics === undefined || config.metrics.includes("easiness"));
  // Label dispersion: the pool's predicted class after every epoch of each round's own fit.
  const recordPool = needs.includes("epochPredictions") ? pool.x : undefined;
  let referenceCache: ReturnType<typeof cachedReferenceScores> | undefined;
  let referenceSeconds: number | undefined;
  // Shared with earlier runs of this process on the same data, seed and reference options
  // (cachedReferenceScores): then its time here is the wait, near 0, not a refit.
  const reference = (): Promise<Awaited<ReturnType<typeof cachedReferenceScores>> | undefined> => {
    if (!wantsReference) return Promise.resolve(undefined);
    return (referenceCache ??= (async () => {
      const t = performance.now();
      const scores = await cachedReferenceScores({ config, dataset, makeLearner });
      referenceSeconds = seconds(t);
      return scores;
    })());
  };

  const firstRound = resume ? resume.round + 1 : 0;
  // A cost budget ends the run early: after a batch it had to cut, one more fit (selecting
  // nothing); after a round that could afford no point, none.
  let lastRound = plan.batches.length;
  if (resume && budget !== undefined && resume.batch !== undefined) {
    const planned = plan.batches[resume.round] ?? 0;
    if (resume.batch === 0) lastRound = resume.round;
    else if (resume.batch < planned) lastRound = resume.round + 1;
  }
  const roundMetrics = createRoundMetrics(dataset, config.metrics);
  if (resume) {
    // The last round trained on the order minus the batch it selected.
    const trained = resume.order.length - (resume.batch ?? plan.batches[resume.round] ?? 0);
    roundMetrics.restore({ predictions: resume.predictions }, resume.order.slice(0, trained));
    if (keepTrain) {
      if (!resume.learner || !learner.setState) throw new Error(`${runId}: a keep-train checkpoint needs the learner's state`);
      learner.reset(deriveSeed(config.seed, "weights", 0));
      await learner.setState(resume.learner);
    }
  }

  // CEAL: pseudo-labels chosen after a round's selection, for the next round's fit only.
  let pseudo = resume?.pseudoLabels;
  for (let round = firstRound; round <= lastRound; round++) {
    let t = performance.now();
    // Keep-train initialises once; retrain draws fresh weights every round. Round 0 is the
    // same fit in both modes, so their curves start from the same point.
    const fresh = round === 0 || !keepTrain;
    if (fresh) learner.reset(deriveSeed(config.seed, "weights", keepTrain ? 0 : round));
    const indices = Int32Array.from(order);
    // Multi-class learners train on the labels the oracle gave, plus any pseudo-labels (after them).
    const fitPseudo = pseudo;
    pseudo = undefined;
    const fitSet = withPseudoLabels(indices, trainingTargets(labelledData, indices), fitPseudo);
    const y = fitSet.targets;
    const x = takeRows(pool.x, fitSet.rows);
    const fitRandom = createRandom(config.seed, "fit", round);
    const epochs = fresh ? config.epochs : (config.period ?? config.epochs);
    const extra: Record<string, number> = {};
    // acquisition.candidates: the sampler sees a seeded random subset of the unlabelled pool
    // (plus the blocked points); MC samples, embeddings and the epoch record cover that view
    // only. Drawn before the fit, for the record (blocked does not change until the selection).
    const selects = plan.batches[round] !== undefined;
    const view = selects ? roundView(blocked, config.acquisition.candidates, () => createRandom(config.seed, "candidates", round)) : undefined;
    const recorded: EpochPredictions[] = [];
    // Not in the last round: nothing is selected after it.
    const recordPredictions = selects && recordPool ? (view ? takeRows(recordPool, view.rows) : recordPool) : undefined;
    if (config.saturation && validationX && validationY) {
      // Acquire on saturation: one epoch at a time until validation accuracy stalls.
      let best = -Infinity;
      let stale = 0;
      let trained = 0;
      while (trained < config.saturation.maxEpochs && stale < config.saturation.patience) {
        const fitted = await learner.fit(x, y, { epochs: 1, random: fitRandom, recordPredictions });
        if (recordPredictions) recorded.push(recordOf(fitted, config.learner.name));
        trained++;
        const score = accuracy(argmaxRows(await learner.predictProba(validationX)), validationY);
        if (score > best) {
          best = score;
          stale = 0;
        } else stale++;
      }
      extra["epochs"] = trained;
      extra["validation_accuracy"] = best;
    } else {
      const fitted = await learner.fit(x, y, { epochs, random: fitRandom, recordPredictions });
      if (recordPredictions) recorded.push(recordOf(fitted, config.learner.name));
    }
    const epochPredictions = recordPredictions ? joinEpochs(recorded) : undefined;
    const train = seconds(t);

    t = performance.now();
    const metrics = { ...roundMetrics.afterFit(await learner.predictProba(test.x), indices), ...extra };
    if (costs) metrics["cost"] = costOf(costs, indices);
    if (config.oracle) Object.assign(metrics, noiseMetrics(indices, "train_"));
    if (sampler.pseudoLabel) Object.assign(metrics, pseudoLabelMetrics(fitPseudo, pool.y));
    const evaluateSeconds = seconds(t);

    let selected: Int32Array = new Int32Array(0);
    let score = 0;
    let select = 0;
    const k = round < lastRound ? plan.batches[round] : undefined;
    let histograms: RoundRecord["histograms"];
    let referenceTime: number | undefined;
    if (k !== undefined) {
      // Fitted outside the timed phases, so score_seconds stays the sampler's own cost.
      await reference();
      // Stored with round 0 only, so a resumed run (which fits it again) has the same rows.
      if (referenceSeconds !== undefined && round === 0) referenceTime = referenceSeconds;
      referenceSeconds = undefined;
      t = performance.now();
      // Pool probabilities are needed for the uncertainty summaries even when the sampler ignores them.
      const poolProbs = await learner.predictProba(pool.x);
      const inputs = await provideInputs(needs, {
        config,
        dataset: { ...dataset, pool: view ? viewSplit(labelledPool, view) : labelledPool },
        learner,
        round,
        blocked: view ? view.blocked : blocked,
        trainingSet: view ? toView(view, indices) : indices,
        poolProbs: view ? takeRows(poolProbs, view.rows) : poolProbs,
        epochPredictions,
        samplerOptions,
        makeLearner,
        referenceProbs: async () => {
          const all = (await reference())!.trueClass;
          return view ? Float32Array.from(view.rows, (i) => all[i]!) : all;
        },
      });
      score = seconds(t);
      t = performance.now();
      const labelledBefore = blocked.slice();
      const picked = sampler.select(inputs, k, samplerOptions, { random: createRandom(config.seed, "select", round) });
      selected = view ? Int32Array.from(picked, (j) => view.rows[j]!) : picked;
      select = seconds(t);
      if (budget !== undefined) {
        // The batch that would cross the budget keeps its best-ranked affordable prefix.
        const affordable = affordablePrefix(costs!, selected, budget - costOf(costs!, order));
        if (affordable.length < selected.length) lastRound = affordable.length === 0 ? round : round + 1;
        selected = affordable;
      }
      const batch = roundMetrics.afterSelect(poolProbs, selected, labelledBefore, indices, (await reference())?.predicted);
      Object.assign(metrics, batch.metrics);
      if (config.oracle && selected.length > 0) Object.assign(metrics, noiseMetrics(selected, ""));
      histograms = batch.histograms;
      for (const i of selected) {
        // The loop's own guard: a sampler bug must not silently relabel or skip points.
        if (blocked[i]) throw new Error(`${sampler.name}: selected pool point ${i}, which is already labelled or set aside`);
        blocked[i] = 1;
        order.push(i);
      }
      // Over the whole pool, after the picks are blocked: a picked point goes to the oracle instead.
      pseudo = sampler.pseudoLabel?.(poolProbs, blocked, round, samplerOptions);
    }
    const record: RoundRecord = {
      runId,
      round,
      labelled: indices.length,
      metrics,
      seconds: { train, score, select, evaluate: evaluateSeconds, ...(referenceTime === undefined ? {} : { reference: referenceTime }) },
      selected,
      ...(initial && round === 0 ? { initial } : {}),
      ...(histograms ? { histograms } : {}),
      ...(config.oracle && !answerSets ? { selectedLabels: labelsOf(selected), ...(initial && round === 0 ? { initialLabels: labelsOf(initial) } : {}) } : {}),
      ...(answerSets ? { selectedLabelSets: labelSetsOf(selected), ...(initial && round === 0 ? { initialLabelSets: labelSetsOf(initial) } : {}) } : {}),
      ...(costs ? { selectedCosts: costsOf(selected), ...(initial && round === 0 ? { initialCosts: costsOf(initial) } : {}) } : {}),
    };
    const state: LoopState = {
      round,
      order: Int32Array.from(order),
      ...(keepState && keepTrain && learner.getState ? { learner: await learner.getState() } : {}),
      ...roundMetrics.state(),
      batch: selected.length,
      ...(pseudo ? { pseudoLabels: pseudo } : {}),
    };
    await onRound(record, state);
  }
}
