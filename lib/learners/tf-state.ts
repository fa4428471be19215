/**
 * Checkpointing a tfjs model + optimizer as plain arrays, so a keep-train run resumed after a
 * crash continues bit-identically: weights, optimizer slots and step counters are restored
 * exactly, never recomputed.
 */
import * as tf from "@tensorflow/tfjs";
import type { LearnerState } from "./learner.ts";

type Tensors = LearnerState["tensors"];

async function toArrays(prefix: string, named: Array<{ name: string; tensor: tf.Tensor }>): Promise<Tensors> {
  const out: Tensors = [];
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype === "int32" ? "int32" : "float32";
    const data = (await tensor.data()) as Float32Array | Int32Array;
    out.push({ name: `${prefix}${name}`, shape: tensor.shape.slice(), dtype, data: dtype === "int32" ? Int32Array.from(data) : Float32Array.from(data) });
  }
  return out;
}

/** Private scalars of tfjs optimizers that setWeights() recomputes with pow() (not bit-exact). */
const powerSlots = ["accBeta1", "accBeta2"] as const;
type WithPowers = { [K in (typeof powerSlots)[number]]?: tf.Variable };

export async function saveTfState(learner: string, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<LearnerState> {
  const weights = model.getWeights().map((tensor, i) => ({ name: String(i), tensor }));
  const slots = await optimizer.getWeights();
  const tensors = [...(await toArrays("model/", weights)), ...(await toArrays("optimizer/", slots))];
  // getWeights() makes a fresh step-counter tensor next to its variables: free it.
  for (const { tensor } of slots) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  for (const slot of powerSlots) {
    const v = (optimizer as unknown as WithPowers)[slot];
    if (v) tensors.push(...(await toArrays("power/", [{ name: slot, tensor: v }])));
  }
  return { learner, tensors };
}

export async function loadTfState(state: LearnerState, learner: string, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<void> {
  if (state.learner !== learner) throw new Error(`checkpoint holds a "${state.learner}" learner, not "${learner}"`);
  const of = (prefix: string) => state.tensors.filter((t) => t.name.startsWith(prefix));
  const weights = of("model/");
  const current = model.getWeights();
  if (weights.length !== current.length) throw new Error(`checkpoint has ${weights.length} weight tensors, the model ${current.length}`);
  const restored = weights.map((w) => tf.tensor(w.data, w.shape, w.dtype));
  model.setWeights(restored);
  restored.forEach((t) => t.dispose());
  const slots = of("optimizer/").map((t) => ({ name: t.name.slice("optimizer/".length), tensor: tf.tensor(t.data, t.shape, t.dtype) }));
  // setWeights() replaces the optimizer's slot variables without freeing the old ones.
  const previous = await optimizer.getWeights();
  await optimizer.setWeights(slots);
  previous.forEach((w) => w.tensor.dispose());
  // setWeights() wraps each tensor in a variable sharing its data; drop our handle.
  slots.forEach((s) => s.tensor.dispose());
  for (const p of of("power/")) {
    const v = (optimizer as unknown as WithPowers)[p.name.slice("power/".length) as (typeof powerSlots)[number]];
    if (v) tf.tidy(() => v.assign(tf.tensor(p.data, p.shape, p.dtype)));
  }
}
