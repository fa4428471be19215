/**
 * Project kernels for tfjs's wasm backend: the gradients its stock kernel set lacks but our
 * learners need (found by training every learner type on wasm; see docs/backends.md), a fused
 * Adam step (adam-update.ts, used by lib/learners/tf/fused-adam.ts), and wrappers that put its
 * transposed matrix products on XNNPACK (mat-mul.ts).
 * Importing this module loads @tensorflow/tfjs-backend-wasm, so that "lacks" is judged against
 * the complete stock set.
 */
import "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs";
import { adamUpdateConfig } from "./adam-update.ts";
import { conv2dBackpropFilterConfig } from "./conv2d-backprop-filter.ts";
import { matMulConfigs } from "./mat-mul.ts";
import { unsortedSegmentSumConfig } from "./unsorted-segment-sum.ts";

/** Every kernel we can add, in registration order. */
export const wasmKernelConfigs: readonly tf.KernelConfig[] = [conv2dBackpropFilterConfig, unsortedSegmentSumConfig, adamUpdateConfig];

const ours = new Set<string>();

/** Stock kernels we wrap rather than add: each delegates to the stock one it replaces. */
export const wrappedWasmKernels: readonly string[] = ["BatchMatMul", "_FusedMatMul"];

/**
 * Registers each project kernel that the wasm backend does not have natively (a newer tfjs may
 * ship its own, which then wins), then wraps the stock matrix products (once). Idempotent:
 * returns the names of the project kernels in effect on wasm, added ones first, whether this
 * call or an earlier one registered them — [] means stock wasm.
 */
export function registerWasmKernels(): string[] {
  for (const config of wasmKernelConfigs) {
    if (ours.has(config.kernelName) || tf.getKernel(config.kernelName, "wasm") !== undefined) continue;
    tf.registerKernel(config);
    ours.add(config.kernelName);
  }
  if (!wrappedWasmKernels.some((name) => ours.has(name))) {
    // Built before unregistering: each wrapper holds the stock function it delegates to.
    for (const config of matMulConfigs()) {
      tf.unregisterKernel(config.kernelName, "wasm");
      tf.registerKernel(config);
      ours.add(config.kernelName);
    }
  }
  return [...wasmKernelConfigs.map((c) => c.kernelName), ...wrappedWasmKernels].filter((name) => ours.has(name));
}
