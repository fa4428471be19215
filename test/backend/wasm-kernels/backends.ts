/**
 * Test helpers: run one kernel, or one computation, on a named backend in this process and read
 * the result back as plain arrays, so wasm (with our kernels) can be compared with cpu.
 */
import * as tf from "@tensorflow/tfjs";
import { registerWasmKernels } from "../../../lib/backend/wasm-kernels/index.ts";

export type BackendName = "wasm" | "cpu";

export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: "float32" | "int32";
}

/** Registers our wasm kernels and makes sure both backends initialise (tfjs would silently fall back). */
export async function prepareBackends(): Promise<void> {
  registerWasmKernels();
  for (const name of ["cpu", "wasm"] as const) {
    if (!(await tf.setBackend(name))) throw new Error(`test setup: the ${name} backend did not initialise`);
  }
}

/** Runs `kernelName` on `backend` with fresh tensors made from `inputs`; returns its output. */
export async function runKernelOn(
  backend: BackendName,
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown>,
): Promise<HostTensor> {
  await tf.setBackend(backend);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) tensors[name] = tf.tensor(t.values, t.shape, t.dtype);
  try {
    const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    const host: HostTensor = { values: out.dataSync() as Float32Array | Int32Array, shape: out.shape, dtype: out.dtype as "float32" | "int32" };
    out.dispose();
    return host;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Largest |a[i] − b[i]| / (scale[i] + floor): 0 when equal, ≤ 1 when within the stated tolerance. */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: (i: number) => number): number {
  if (a.length !== b.length) throw new Error(`worstRatio: lengths differ (${a.length} vs ${b.length})`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(diff)) return Infinity;
    worst = Math.max(worst, diff / tolerance(i));
  }
  return worst;
}
