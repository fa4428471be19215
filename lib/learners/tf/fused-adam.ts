/**
 * tfjs's Adam with each variable's update as one kernel (AlAdamUpdate, registered on wasm by
 * lib/backend/wasm-kernels) instead of ~14 dispatched elementwise ops. Same numbers bit for bit,
 * same slots, names, step counter and running powers, so getWeights/setWeights and our
 * checkpoints (tf-state.ts) see a stock AdamOptimizer. On a backend without the kernel it is the
 * stock optimizer.
 */
import * as tf from "@tensorflow/tfjs";
import { adamUpdateName, type AdamUpdateAttrs } from "../../backend/wasm-kernels/adam-update.ts";

type Gradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** AdamOptimizer's private state, as tfjs-core 4.22 names it. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    if (tf.getKernel(adamUpdateName, tf.getBackend()) === undefined) return super.applyGradients(variableGradients);
    const state = this as unknown as AdamState;
    if (!Array.isArray(state.accumulatedFirstMoment) || !(state.accBeta1 instanceof tf.Variable)) {
      throw new Error("fusedAdam: tfjs's AdamOptimizer no longer has the private state it was written against (tfjs-core 4.22); use tf.train.adam");
    }
    const list = Array.isArray(variableGradients) ? variableGradients : undefined;
    const names = list ? list.map((v) => v.name) : Object.keys(variableGradients);
    const attrs: AdamUpdateAttrs = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        // Slots by position, created even for a missing gradient: as the stock optimizer does.
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = list ? list[i]!.tensor : (variableGradients as tf.NamedTensorMap)[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i]!.variable;
        const v = state.accumulatedSecondMoment[i]!.variable;
        const inputs = { x: value, m, v, g: gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 };
        const [x1, m1, v1] = tf.engine().runKernel(adamUpdateName, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m1!);
        v.assign(v1!);
        value.assign(x1!);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** tf.train.adam's signature and defaults (β₁ 0.9, β₂ 0.999, ε the backend's). */
export function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
