/**
 * A learner defined in code: the user's own tfjs network, trained by the shared core
 * (lib/learners/tf/train.ts) like every built-in tfjs learner, so it gets seeded training,
 * early stopping, class weights, MC dropout, embeddings, loss prediction and checkpoints.
 *
 * `build(inputShape, classes, info)` returns the network's BODY: an uncompiled tf.LayersModel
 * (tf.sequential or tf.model) whose output is the penultimate features [batch, d]. The core adds
 * the classification head itself (one dense layer to `classes` logits; softmax for multi-class,
 * sigmoid for multi-label), so the same body serves both tasks and its output is the embedding.
 * A body that already ends in a softmax/sigmoid head is refused with a one-line message. With
 * `lossPrediction`, the module reads the output of each of the body's top-level layers that
 * has weights (dense, conv, recurrent, a nested model), input side first.
 *
 * Reproducibility: `build` runs once per learner to give a template; every reset(seed) rebuilds
 * the network from the template's config with each random initializer's seed drawn from the
 * run's init stream, and every tf.layers.dropout replaced by our seeded dropout (fresh masks from
 * the run's stream, also for MC-dropout passes). Layers whose randomness we cannot seed
 * (SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout) are refused.
 *
 * Use the `tf` exported here (`import { tf, tfjsLearner } from …`): a second copy of tfjs would
 * build models this one cannot read.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseWith } from "../al/errors.ts";
import type { LearnerCapabilities, LearnerFactory, LearnerShape } from "./learner.ts";
import { SeededDropout, type DropoutSource } from "./seeded-dropout.ts";
import type { lossPredictionSchema } from "./tf/loss-prediction.ts";
import { createTfLearner, type Network, type NetworkContext } from "./tf/train.ts";
import { trainingFields, type TrainingOptions } from "./tf/training-options.ts";

export { tf };

/** What `build` gets besides the input shape and the class count. */
export interface BuildInfo {
  task: "multiclass" | "multilabel";
  /** Text data as token ids: ids lie in [0, vocabSize). */
  vocabSize?: number;
}

/** Builds the network body: input `inputShape` → penultimate features [batch, d], no head. */
export type BuildModel = (inputShape: number[], classes: number, info: BuildInfo) => tf.LayersModel;

export interface TfjsLearnerSpec {
  /** Stored name of the learner (default "tfjs"); must differ from the built-in learners. */
  name?: string;
  description?: string;
  build: BuildModel;
  optimizer?: "adam" | "sgd" | "rmsprop";
  learningRate?: number;
  batchSize?: number;
  earlyStopping?: { patience?: number; validationFraction?: number; minDelta?: number };
  classWeights?: z.input<typeof trainingFields.classWeights>;
  lossPrediction?: z.input<typeof lossPredictionSchema>;
}

/** A code-defined learner: a LearnerFactory plus what the runner needs to identify and check it. */
export interface DefinedLearner extends LearnerFactory<TrainingOptions> {
  readonly defined: {
    /** The training options, parsed (defaults filled): they go into the RunConfig. */
    options: TrainingOptions;
    /** Source text of the user's functions, hashed into the run id (lib/experiments/plugins.ts). */
    sources: Record<string, string>;
  };
  /** What it can give samplers, from the body `build` makes for this data's shape. */
  capabilities(shape: LearnerShape): LearnerCapabilities;
  /** How the stored experiment spec shows it (functions as their source text). */
  toJSON(): { name: string; options: TrainingOptions; kind: "tfjs-learner"; sources: Record<string, string> };
}

const optionsSchema = z.strictObject(trainingFields);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Config = tf.serialization.ConfigDict;
type Json = tf.serialization.ConfigDictValue;

/** Layers that draw random numbers during training in a way we cannot seed. */
const unseedable = new Set(["SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout"]);

/** The class name our seeded dropout is serialised under in rebuilt configs. */
const DROPOUT_CLASS = "AlSeededDropout";

/** Set while a network is rebuilt: the source every seeded dropout of that network draws from. */
let rebuilding: DropoutSource | undefined;

/** SeededDropout as a config class: a rebuild turns every tf.layers.dropout into one of these. */
class RebuiltDropout extends SeededDropout {
  static override className = DROPOUT_CLASS;
  constructor(args: { rate: number }) {
    super({ rate: args.rate, source: rebuilding ?? {} });
  }
}
tf.serialization.registerClass(RebuiltDropout);

const isConfig = (value: unknown): value is Config => typeof value === "object" && value !== null && !Array.isArray(value);

/** Every layer config in a model config, nested models included, in config order. */
function layerConfigs(config: Config): Config[] {
  const out: Config[] = [];
  const layers = config["layers"];
  if (!Array.isArray(layers)) return out;
  for (const layer of layers) {
    if (!isConfig(layer)) continue;
    out.push(layer);
    const inner = layer["config"];
    if (isConfig(inner) && Array.isArray(inner["layers"])) out.push(...layerConfigs(inner));
  }
  return out;
}

/**
 * Checks the template's layers and rewrites its dropout layers to our seeded ones, in place;
 * returns whether any dropout is left (then MC dropout is offered).
 */
function seedDropout(config: Config, name: string): boolean {
  let stochastic = false;
  for (const layer of layerConfigs(config)) {
    const className = String(layer["className"]);
    const inner = isConfig(layer["config"]) ? layer["config"] : {};
    if (unseedable.has(className)) {
      throw new Error(`${name}: the model uses a ${className} layer, whose randomness cannot be seeded; use tf.layers.dropout (al-lab seeds it)`);
    }
    if (className !== "Dropout" && className !== DROPOUT_CLASS) continue;
    if (inner["noiseShape"] != null) {
      throw new Error(`${name}: a dropout layer with noiseShape cannot be seeded; drop the noiseShape option`);
    }
    const rate = Number(inner["rate"]);
    layer["className"] = DROPOUT_CLASS;
    layer["config"] = { ...inner, rate };
    if (rate > 0) stochastic = true;
  }
  return stochastic;
}

/** Sets every random initializer's seed (any {className, config: {seed}}) from `init`, in config order. */
function seedInitializers(value: Json, init: NetworkContext["init"]): void {
  if (Array.isArray(value)) {
    for (const v of value) seedInitializers(v as Json, init);
    return;
  }
  if (!isConfig(value)) return;
  const inner = value["config"];
  if (typeof value["className"] === "string" && isConfig(inner) && Object.hasOwn(inner, "seed") && !Array.isArray(inner["layers"])) {
    inner["seed"] = init.uint32();
  }
  for (const key of Object.keys(value)) seedInitializers(value[key] as Json, init);
}

/** The last layer of a config (the model's output layer for functional models). */
function outputLayer(config: Config): Config | undefined {
  const layers = config["layers"];
  if (!Array.isArray(layers) || layers.length === 0) return undefined;
  const outputs = config["outputLayers"];
  const outName = Array.isArray(outputs) && Array.isArray(outputs[0]) ? outputs[0][0] : undefined;
  const found = outName === undefined ? undefined : layers.find((l) => isConfig(l) && l["name"] === outName);
  const last = found ?? layers[layers.length - 1];
  return isConfig(last) ? last : undefined;
}

function isLayersModel(value: unknown): value is tf.LayersModel {
  const m = value as Partial<tf.LayersModel> | null;
  return typeof m === "object" && m !== null && typeof m.getConfig === "function" && typeof m.getClassName === "function" && typeof m.dispose === "function";
}

interface Template {
  className: string;
  config: Config;
  /** The body's input shape without the batch dimension. */
  inputShape: number[];
  width: number;
  stochastic: boolean;
  /** Layers whose outputs a loss-prediction module reads (see withTaps). */
  featureMaps: number;
}

/** Calls the user's build once and checks what it returned; the model itself is disposed. */
function makeTemplate(name: string, build: BuildModel, shape: LearnerShape): Template {
  const inputShape = shape.inputShape ?? [shape.inputSize];
  const info: BuildInfo = { task: shape.task ?? "multiclass", ...(shape.vocabSize !== undefined ? { vocabSize: shape.vocabSize } : {}) };
  let model: unknown;
  try {
    model = build([...inputShape], shape.classes, info);
  } catch (error) {
    throw new Error(`${name}: build(${JSON.stringify(inputShape)}, ${shape.classes}) failed: ${(error as Error).message}`);
  }
  // By shape, not instanceof: a model from another copy of tfjs still rebuilds from its config.
  if (!isLayersModel(model)) {
    throw new Error(
      `${name}: build must return a tf.LayersModel (tf.sequential or tf.model; use the tf that al-lab exports), got ${model === null ? "null" : typeof model === "object" ? "another object" : typeof model}`,
    );
  }
  try {
    if (!Array.isArray(model.inputs) || model.inputs.length !== 1 || !Array.isArray(model.outputs)) {
      throw new Error(`${name}: the model needs exactly one input with a shape; give its first layer inputShape (build's first argument)`);
    }
    if (model.outputs.length !== 1) throw new Error(`${name}: the model must have one output (the features), got ${model.outputs.length}`);
    const input = model.inputs[0]!.shape.slice(1) as number[];
    const size = input.reduce((a, b) => a * b, 1);
    if (input.some((d) => d === null) || size !== shape.inputSize) {
      throw new Error(`${name}: the model's input shape [${input.map(String).join(", ")}] does not hold the data's ${shape.inputSize} values per row; use build's inputShape ${JSON.stringify(inputShape)}`);
    }
    const out = model.outputs[0]!.shape;
    if (out.length !== 2 || out[1] === null) {
      throw new Error(`${name}: the model must output features [batch, d], got [${out.map(String).join(", ")}]; end the body with tf.layers.flatten() or a dense layer`);
    }
    const config = model.getConfig() as Config;
    const last = outputLayer(config);
    const activation = isConfig(last?.["config"]) ? last["config"]["activation"] : undefined;
    if (last && (activation === "softmax" || activation === "sigmoid" || last["className"] === "Softmax")) {
      throw new Error(
        `${name}: build returns a model ending in a ${String(activation ?? "softmax")} head; return the body without it (al-lab adds the dense classification head)`,
      );
    }
    const stochastic = seedDropout(config, name);
    const featureMaps = model.layers.filter(hasTap).length;
    return { className: model.getClassName(), config, inputShape: input, width: out[1]!, stochastic, featureMaps };
  } finally {
    model.dispose();
  }
}

/** The template rebuilt with seeded initializers and dropout layers drawing from `dropout`. */
function rebuild(template: Template, context: NetworkContext): tf.LayersModel {
  const config = structuredClone(template.config);
  seedInitializers(config, context.init);
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[template.className] ?? [];
  if (!cls || !fromConfig) throw new Error(`cannot rebuild a ${template.className} model`);
  rebuilding = context.dropout;
  try {
    return fromConfig(cls, config) as tf.LayersModel;
  } finally {
    rebuilding = undefined;
  }
}

/** Whether a body's top-level layer is one of its feature maps: it has weights and one output. */
const hasTap = (layer: tf.layers.Layer): boolean => layer.weights.length > 0 && layer.inboundNodes.length === 1;

/**
 * The body applied to `input` with its intermediate features exposed: the outputs of its
 * top-level layers that have weights, in layer order. A layer applied more than once has no
 * single output and is skipped; a tap that is the body's output is the features themselves.
 */
function withTaps(body: tf.LayersModel, input: tf.SymbolicTensor): Pick<Network, "features" | "taps"> {
  const out = body.outputs[0]!;
  const inner = body.layers.filter(hasTap).map((layer) => layer.output as tf.SymbolicTensor);
  const extra = inner.filter((t) => t !== out);
  const applied = tf.model({ inputs: body.inputs, outputs: [out, ...extra] }).apply(input) as tf.SymbolicTensor[];
  const features = applied[0]!;
  let k = 1;
  return { features, taps: inner.map((t) => (t === out ? features : applied[k++]!)) };
}

/** A learner whose network body is the user's tfjs model; see the file comment. */
export function tfjsLearner(spec: TfjsLearnerSpec): DefinedLearner {
  const name = spec.name ?? "tfjs";
  const where = `tfjsLearner(${JSON.stringify(name)})`;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new Error(`tfjsLearner: name ${JSON.stringify(name)}: expected letters, digits, '.', '_' or '-'`);
  }
  if (typeof spec.build !== "function") throw new Error(`${where}: build: expected a function (inputShape, classes) => tf.LayersModel`);
  const { name: _name, description, build, ...rest } = spec as TfjsLearnerSpec & Record<string, unknown>;
  if ("epochs" in rest) {
    throw new Error(`${where}: epochs: set the experiment's \`epochs\` instead (a grid axis shared by every learner; keep-train uses \`period\`)`);
  }
  const options = parseWith(optionsSchema, rest, `${where}: `);
  const templates = new Map<string, Template>();
  const templateFor = (shape: LearnerShape): Template => {
    const key = JSON.stringify([shape.inputSize, shape.inputShape, shape.classes, shape.task, shape.vocabSize]);
    let template = templates.get(key);
    if (!template) templates.set(key, (template = makeTemplate(name, build, shape)));
    return template;
  };

  return {
    name,
    description: description ?? "a tfjs model defined in the experiment file",
    defined: { options, sources: { build: build.toString() } },
    parseOptions: (value, path) => parseWith(optionsSchema, value ?? {}, path),
    capabilities: (shape) => {
      const template = templateFor(shape);
      return { mcSamples: template.stochastic, embeddings: true, epochPredictions: true, predictedLoss: options.lossPrediction !== undefined, featureMaps: template.featureMaps };
    },
    create: (training, shape) => {
      const template = templateFor(shape);
      const flat = template.inputShape.length === 1;
      return createTfLearner({
        name,
        shape,
        training,
        stochastic: template.stochastic,
        build: (context) => {
          // Rows arrive flat; the body is applied as one layer to them, reshaped to its input.
          const inputs = tf.input({ shape: [shape.inputSize] });
          const shaped = flat ? inputs : (tf.layers.reshape({ targetShape: template.inputShape }).apply(inputs) as tf.SymbolicTensor);
          const body = rebuild(template, context);
          if (context.taps) return { inputs, ...withTaps(body, shaped) };
          return { inputs, features: body.apply(shaped) as tf.SymbolicTensor };
        },
      });
    },
    toJSON: () => ({ name, options, kind: "tfjs-learner", sources: { build: build.toString() } }),
  };
}
