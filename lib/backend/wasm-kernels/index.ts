/**
 * Project kernels for tfjs's wasm backend: the gradients its stock kernel set lacks but our
 * learners need (found by training every learner type on wasm; see docs/backends.md).
 * Importing this module loads @tensorflow/tfjs-backend-wasm, so that "lacks" is judged against
 * the complete stock set.
 */
import "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs";
import { conv2dBackpropFilterConfig } from "./conv2d-backprop-filter.ts";
import { unsortedSegmentSumConfig } from "./unsorted-segment-sum.ts";

/** Every kernel we can add, in registration order. */
export const wasmKernelConfigs: readonly tf.KernelConfig[] = [conv2dBackpropFilterConfig, unsortedSegmentSumConfig];

const ours = new Set<string>();

/**
 * Registers each project kernel that the wasm backend does not have natively (a newer tfjs may
 * ship its own, which then wins). Idempotent: returns the names of the project kernels in
 * effect on wasm, whether this call or an earlier one registered them — [] means stock wasm.
 */
export function registerWasmKernels(): string[] {
  for (const config of wasmKernelConfigs) {
    if (ours.has(config.kernelName) || tf.getKernel(config.kernelName, "wasm") !== undefined) continue;
    tf.registerKernel(config);
    ours.add(config.kernelName);
  }
  return wasmKernelConfigs.map((c) => c.kernelName).filter((name) => ours.has(name));
}
