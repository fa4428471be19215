/**
 * The training core every tfjs learner shares. A learner supplies only its network body
 * (inputs → penultimate features); this adds the head (softmax for multi-class, sigmoid for
 * multi-label), seeded initialisation, our own epoch loop (seeded shuffles: tfjs's fit()
 * shuffles with Math.random), class weights, early stopping on a seeded validation split with
 * the best weights restored, per-epoch predicted classes of given rows (label dispersion),
 * batched inference, MC-dropout samples, embeddings, loss prediction on the body's intermediate
 * features (loss-prediction.ts) and checkpoints. Every tensor it makes is disposed before a call returns.
 */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../../al/matrix.ts";
import { createRandom, permutation, type Random } from "../../al/random.ts";
import type { EpochPredictions, Samples } from "../../al/samplers/sampler.ts";
import { checkClassWeights, resolveClassWeights } from "../class-weights.ts";
import type { FitOptions, FitResult, Learner, LearnerShape, LearnerState, Targets } from "../learner.ts";
import type { DropoutSource } from "../seeded-dropout.ts";
import { checkFeatures, checkTargets, type TaskTargets } from "../targets.ts";
import { loadTfState, saveTfState } from "../tf-state.ts";
import { validationSplit } from "../validation-split.ts";
import { rowsTensor, sliceTensor, targetsTensor, weightsTensor } from "./batches.ts";
import { chooseTaps, lossModule } from "./loss-prediction.ts";
import { rankingLoss } from "./ranking-loss.ts";
import { glorot } from "./seeded.ts";
import type { DetachGate } from "./stop-gradient.ts";
import { makeOptimizer, type TrainingOptions } from "./training-options.ts";

/** What a network body gets to build itself. */
export interface NetworkContext {
  shape: LearnerShape;
  /** Draw one initializer seed per weight tensor, in build order. */
  init: Random;
  /** Pass to every SeededDropout layer. */
  dropout: DropoutSource;
  /**
   * Whether the core will read `taps` (loss prediction is on): a body that must build extra
   * outputs to expose them (a user's model) does so only then, so other runs stay as they were.
   */
  taps: boolean;
}

/** A body: flat input rows [batch, inputSize] → penultimate features [batch, d]. */
export interface Network {
  inputs: tf.SymbolicTensor;
  features: tf.SymbolicTensor;
  /**
   * Intermediate features, input side first: each hidden block's output (any rank; the loss
   * module pools maps and sequences). What loss prediction is built on.
   */
  taps?: tf.SymbolicTensor[];
}

export interface TfLearnerSpec {
  name: string;
  shape: LearnerShape;
  training: TrainingOptions;
  build(context: NetworkContext): Network;
  /** Whether the body has dropout; without it MC samples would all be equal, so none are offered. */
  stochastic: boolean;
  /** Rows per inference batch: bounds activation memory (attention and conv maps are large). */
  predictBatch?: number;
  /** Extra checks on input rows (e.g. token ids within the vocabulary). */
  checkInput?(x: Matrix): void;
}

const DEFAULT_PREDICT_BATCH = 2048;

/** Epoch-major columns (one Int32Array of N classes per epoch) → N×E, row-major by point. */
function byPoint(columns: readonly Int32Array[], n: number): EpochPredictions {
  const e = columns.length;
  const data = new Int32Array(n * e);
  columns.forEach((column, j) => {
    for (let i = 0; i < n; i++) data[i * e + j] = column[i]!;
  });
  return { data, n, e };
}

interface Built {
  model: tf.LayersModel;
  embedder: tf.LayersModel;
  optimizer: tf.Optimizer;
  /** With loss prediction: inputs → [logits, predicted loss], holding every weight. */
  trainer?: tf.LayersModel;
  /** The loss module's detach gates, one per feature map it reads. */
  gates: DetachGate[];
}

/** The model whose weights are all of the learner's: checkpoints and early stopping save these. */
const allWeights = (built: Built): tf.LayersModel => built.trainer ?? built.model;

export function createTfLearner(spec: TfLearnerSpec): Learner {
  const { name, shape, training } = spec;
  const classes = shape.classes;
  const multilabel = shape.task === "multilabel";
  checkClassWeights(name, training.classWeights, classes);
  const predictBatch = spec.predictBatch ?? DEFAULT_PREDICT_BATCH;
  const dropout: DropoutSource = {};
  let built: Built | undefined;

  const release = (): void => {
    // The embedder shares the model's layers, and the trainer holds them all: disposing the
    // widest model frees every weight once (a second dispose of a shared layer would throw).
    if (built) allWeights(built).dispose();
    built?.optimizer.dispose();
    built = undefined;
  };

  const need = (what: string): Built => {
    if (!built) throw new Error(`${name}: ${what}() before reset(seed)`);
    return built;
  };

  const checkInput = (x: Matrix): void => {
    checkFeatures(name, shape, x);
    spec.checkInput?.(x);
  };

  const activate = (logits: tf.Tensor): tf.Tensor => (multilabel ? tf.sigmoid(logits) : tf.softmax(logits));

  /** The training loss; `weights` from class weights; `reduction` for the validation sum. */
  const lossOf = (ys: tf.Tensor, logits: tf.Tensor, weights?: tf.Tensor, reduction?: tf.Reduction): tf.Tensor => {
    if (multilabel) return tf.losses.sigmoidCrossEntropy(ys, logits, weights, 0, reduction);
    // The unweighted call is kept exactly as before so seeded MLP results do not change.
    if (!weights && reduction === undefined) return tf.losses.softmaxCrossEntropy(ys, logits);
    return tf.losses.softmaxCrossEntropy(ys, logits, weights, 0, reduction);
  };

  /** Runs `net` over x in inference batches and returns the rows, N×width. */
  const batched = async (x: Matrix, width: number, run: (xs: tf.Tensor2D) => tf.Tensor): Promise<Matrix> => {
    const out = new Float32Array(x.n * width);
    for (let start = 0; start < x.n; start += predictBatch) {
      const end = Math.min(start + predictBatch, x.n);
      const result = tf.tidy(() => run(sliceTensor(x, start, end)));
      out.set((await result.data()) as Float32Array, start * width);
      result.dispose();
    }
    return { data: out, n: x.n, c: width };
  };

  /** The argmax class of each row of x (of the logits: the same order as the probabilities). */
  const predictedClasses = async (net: tf.LayersModel, x: Matrix): Promise<Int32Array> => {
    const out = new Int32Array(x.n);
    for (let start = 0; start < x.n; start += predictBatch) {
      const end = Math.min(start + predictBatch, x.n);
      const result = tf.tidy(() => tf.argMax(net.apply(sliceTensor(x, start, end), { training: false }) as tf.Tensor, 1));
      out.set((await result.data()) as Int32Array, start);
      result.dispose();
    }
    return out;
  };

  /** Mean validation loss (the training loss, class weights included) over `rows`. */
  const validationLoss = async (net: tf.LayersModel, x: Matrix, targets: TaskTargets, weights: Float32Array | undefined, rows: Int32Array): Promise<number> => {
    let total = 0;
    for (let start = 0; start < rows.length; start += predictBatch) {
      const end = Math.min(start + predictBatch, rows.length);
      const sum = tf.tidy(() => {
        const logits = net.apply(rowsTensor(x, rows, start, end), { training: false }) as tf.Tensor;
        const ys = targetsTensor(targets, classes, rows, start, end);
        const w = weights ? weightsTensor(targets, weights, rows, start, end) : undefined;
        return lossOf(ys, logits, w, tf.Reduction.SUM);
      });
      total += (await sum.data())[0]!;
      sum.dispose();
    }
    return total / (rows.length * (multilabel ? classes : 1));
  };

  const lossOptions = training.lossPrediction;
  /** Each row's own training loss (class weights included; multi-label: the mean over labels). */
  const sampleLosses = (ys: tf.Tensor, logits: tf.Tensor, weights?: tf.Tensor): tf.Tensor => {
    const each = lossOf(ys, logits, weights, tf.Reduction.NONE);
    return each.rank > 1 ? tf.mean(each, 1) : each;
  };

  const learner: Learner = {
    reset(seed: number): void {
      release();
      const init = createRandom(seed, `${name}-init`);
      const body = spec.build({ shape, init, dropout, taps: lossOptions !== undefined });
      if (body.features.shape.length !== 2) {
        throw new Error(`${name}: the network's features must be [batch, d], got [${body.features.shape.join(", ")}]`);
      }
      const logits = tf.layers.dense({ units: classes, kernelInitializer: glorot(init) }).apply(body.features) as tf.SymbolicTensor;
      built = {
        model: tf.model({ inputs: body.inputs, outputs: logits }),
        embedder: tf.model({ inputs: body.inputs, outputs: body.features }),
        optimizer: makeOptimizer(training),
        gates: [],
      };
      if (lossOptions) {
        try {
          // Its own init stream: the backbone and head start exactly as without the module.
          const module = lossModule(chooseTaps(name, body.taps ?? [], lossOptions.layers), lossOptions, createRandom(seed, `${name}-loss-init`));
          built.trainer = tf.model({ inputs: body.inputs, outputs: [logits, module.output] });
          built.gates = module.gates;
        } catch (error) {
          // No half-built learner: a fit after a failed reset must not train without the module.
          release();
          throw error;
        }
      }
    },

    async fit(x: Matrix, y: Targets, { epochs, random, recordPredictions }: FitOptions): Promise<FitResult | void> {
      const current = need("fit");
      const { model: net, optimizer, trainer, gates } = current;
      const saved = allWeights(current);
      const targets = checkTargets(name, shape, x, y);
      spec.checkInput?.(x);
      if (recordPredictions) {
        if (multilabel) throw new Error(`${name}: recordPredictions records one class per row, but this head is multi-label; use it on multi-class data`);
        checkInput(recordPredictions);
      }
      // One column per epoch trained, taken before early stopping restores its best weights:
      // the record is of the training path, not of the returned model.
      const recorded: Int32Array[] = [];
      const weights = resolveClassWeights(training.classWeights, targets, classes);
      const stopping = training.earlyStopping;
      dropout.random = random;
      let snapshot: tf.Tensor[] | undefined;
      try {
        let rows: Int32Array | undefined;
        let held: Int32Array | undefined;
        if (stopping) {
          const split = validationSplit(targets, stopping.validationFraction, random);
          if (split.validation.length > 0) {
            rows = split.train;
            held = split.validation;
          }
        }
        const count = rows ? rows.length : x.n;
        let best = Infinity;
        let stale = 0;
        for (let epoch = 0; epoch < epochs; epoch++) {
          const detached = lossOptions?.detachAfter !== undefined && epoch >= lossOptions.detachAfter;
          for (const gate of gates) gate.detached = detached;
          const order = permutation(count, random);
          if (rows) for (let i = 0; i < count; i++) order[i] = rows[order[i]!]!;
          for (let start = 0; start < count; start += training.batchSize) {
            const end = Math.min(start + training.batchSize, count);
            const xs = rowsTensor(x, order, start, end);
            const ys = targetsTensor(targets, classes, order, start, end);
            const w = weights ? weightsTensor(targets, weights, order, start, end) : undefined;
            const loss = trainer && lossOptions
              ? optimizer.minimize(() => {
                  // Target loss + λ · ranking loss of the predicted against the true per-row losses.
                  const [logits, predicted] = trainer.apply(xs, { training: true }) as tf.Tensor[];
                  const ranking = rankingLoss(tf.reshape(predicted!, [-1]), sampleLosses(ys, logits!, w), lossOptions.margin);
                  return tf.add(lossOf(ys, logits!, w), tf.mul(ranking, lossOptions.weight)) as tf.Scalar;
                }, true)
              : optimizer.minimize(() => lossOf(ys, net.apply(xs, { training: true }) as tf.Tensor, w) as tf.Scalar, true);
            loss?.dispose();
            xs.dispose();
            ys.dispose();
            w?.dispose();
          }
          if (recordPredictions) recorded.push(await predictedClasses(net, recordPredictions));
          if (held && stopping) {
            const value = await validationLoss(net, x, targets, weights, held);
            if (value < best - stopping.minDelta) {
              best = value;
              stale = 0;
              snapshot?.forEach((t) => t.dispose());
              snapshot = saved.getWeights().map((t) => tf.clone(t));
            } else if (++stale >= stopping.patience) break;
          }
        }
        if (snapshot) saved.setWeights(snapshot);
        if (recordPredictions) return { epochPredictions: byPoint(recorded, recordPredictions.n) };
      } finally {
        snapshot?.forEach((t) => t.dispose());
        dropout.random = undefined;
        for (const gate of gates) gate.detached = false;
      }
    },

    async predictProba(x: Matrix): Promise<Matrix> {
      const { model: net } = need("predictProba");
      checkInput(x);
      return batched(x, classes, (xs) => activate(net.apply(xs, { training: false }) as tf.Tensor));
    },

    async embed(x: Matrix): Promise<Matrix> {
      const { embedder } = need("embed");
      checkInput(x);
      const width = embedder.outputs[0]!.shape[1]!;
      return batched(x, width, (xs) => embedder.apply(xs, { training: false }) as tf.Tensor);
    },

    async getState(): Promise<LearnerState> {
      const current = need("getState");
      return saveTfState(name, allWeights(current), current.optimizer);
    },

    async setState(state: LearnerState): Promise<void> {
      const current = need("setState");
      // tfjs optimizers replace (without freeing) slot variables they already have; a fresh
      // one creates them from the state, so nothing leaks when a trained learner is restored.
      current.optimizer.dispose();
      current.optimizer = makeOptimizer(training);
      await loadTfState(state, name, allWeights(current), current.optimizer);
    },

    dispose: release,
  };

  if (lossOptions) {
    learner.predictLoss = async (x: Matrix): Promise<Float32Array> => {
      const { trainer } = need("predictLoss");
      checkInput(x);
      const out = await batched(x, 1, (xs) => (trainer!.apply(xs, { training: false }) as tf.Tensor[])[1]!);
      return out.data;
    };
  }

  if (spec.stochastic) {
    learner.predictSamples = async (x: Matrix, { samples, random }: { samples: number; random: Random }): Promise<Samples> => {
      const { model: net } = need("predictSamples");
      if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`${name}: samples must be an integer ≥ 1, got ${samples}`);
      checkInput(x);
      const out = new Float32Array(x.n * samples * classes);
      dropout.random = random;
      try {
        // Chunk by rows, then pass T times over the chunk: memory stays one chunk's activations.
        for (let start = 0; start < x.n; start += predictBatch) {
          const end = Math.min(start + predictBatch, x.n);
          const xs = sliceTensor(x, start, end);
          for (let t = 0; t < samples; t++) {
            const probs = tf.tidy(() => activate(net.apply(xs, { training: true }) as tf.Tensor));
            const data = (await probs.data()) as Float32Array;
            probs.dispose();
            for (let i = 0; i < end - start; i++) {
              out.set(data.subarray(i * classes, (i + 1) * classes), ((start + i) * samples + t) * classes);
            }
          }
          xs.dispose();
        }
      } finally {
        dropout.random = undefined;
      }
      return { data: out, n: x.n, t: samples, c: classes };
    };
  }
  return learner;
}
