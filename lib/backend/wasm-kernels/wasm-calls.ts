/**
 * Helpers for project kernels on the wasm backend: call one of wasm's own kernels directly
 * (backend-level, so nothing is recorded on the gradient tape or counted as a user tensor) and
 * release the intermediates it returned.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** Runs the wasm backend's own `kernelName` on backend-level tensors; the caller releases the result. */
export function callWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const config = tf.getKernel(kernelName, "wasm");
  if (!config) throw new Error(`wasm kernels: the wasm backend has no '${kernelName}' kernel to build on; check the @tensorflow/tfjs-backend-wasm version`);
  const out = config.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend });
  if (Array.isArray(out)) throw new Error(`wasm kernels: '${kernelName}' returned several tensors where one was expected`);
  return out;
}

/** Frees intermediate tensors made by `callWasmKernel`. */
export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}
