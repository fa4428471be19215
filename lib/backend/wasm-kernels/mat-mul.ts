/**
 * Transposed matrix products on XNNPACK. tfjs 4.22's wasm `BatchMatMul` and `_FusedMatMul` hand
 * a product to XNNPACK only when neither operand is transposed; with `transposeA` or
 * `transposeB` they fall back to a scalar blocked loop, 5–10× slower. Every dense layer's
 * gradient is such a product (dW = xᵀ·dy, dx = dy·Wᵀ), so that loop was most of an MLP's
 * training step. These wrappers transpose an operand explicitly (wasm's Transpose kernel) and
 * call the stock kernel untransposed, so the product runs on XNNPACK.
 *
 * For a plain product there are two ways to do it, and the cheaper is taken:
 *   direct:  op(A) · op(B), materialising whichever operand is transposed;
 *   swapped: (op(B)ᵀ · op(A)ᵀ)ᵀ, where a transposed operand is used as it is stored and only
 *            the product is transposed back: better when a large weight matrix would have to be
 *            transposed (dx = dy·Wᵀ with W 784×256 and a batch of 32).
 * XNNPACK packs its right operand on every call with a new tensor, so that operand's size
 * counts too. Each output element is the same sum over k in the same order either way; it
 * differs from the scalar loop only where that loop split k into blocks of 48 (k > 48).
 * Batched products (a leading dimension > 1, e.g. attention) stay on the stock kernel:
 * XNNPACK's path there does not take batches either.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { callWasmKernel, release, sizeOf } from "./wasm-calls.ts";

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Swaps the last two axes (the matrix axes) of a tensor of `rank`. */
const matrixTranspose = (rank: number): number[] => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];

/** Whether every leading (batch) dimension is 1: only then can XNNPACK take the product. */
const unbatched = (t: tf.TensorInfo): boolean => t.shape.length >= 2 && sizeOf(t.shape.slice(0, -2)) === 1;

/**
 * Whether the wrapper takes this product: float32, unbatched, some operand transposed, and
 * inner sizes that agree (a mismatch goes to the stock kernel, whose error names the caller's
 * shapes rather than our rearranged ones).
 */
function ours(a: tf.TensorInfo, b: tf.TensorInfo, { transposeA, transposeB }: MatMulAttrs): boolean {
  if ((!transposeA && !transposeB) || !unbatched(a) || !unbatched(b) || a.dtype !== "float32" || b.dtype !== "float32") return false;
  const innerA = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const innerB = transposeB ? b.shape[b.shape.length - 1] : b.shape[b.shape.length - 2];
  return innerA === innerB;
}

function transposed(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  return callWasmKernel(backend, "Transpose", { x }, { perm: matrixTranspose(x.shape.length) });
}

/** Elements copied or packed by each way of computing op(A)·op(B) (see the file comment). */
export function matMulPlan(a: readonly number[], b: readonly number[], transposeA: boolean, transposeB: boolean): "direct" | "swapped" {
  const sizeA = sizeOf(a);
  const sizeB = sizeOf(b);
  const m = transposeA ? a[a.length - 1]! : a[a.length - 2]!;
  const n = transposeB ? b[b.length - 2]! : b[b.length - 1]!;
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + sizeB;
  const swapped = (transposeB ? 0 : sizeB) + (transposeA ? 0 : sizeA) + sizeA + m * n;
  return swapped < direct ? "swapped" : "direct";
}

/** The stock kernel's config, captured before ours replaces it. */
function stockKernel(kernelName: string): tf.KernelConfig {
  const config = tf.getKernel(kernelName, "wasm");
  if (!config) throw new Error(`wasm kernels: the wasm backend has no '${kernelName}' kernel to build on; check the @tensorflow/tfjs-backend-wasm version`);
  return config;
}

function single(out: ReturnType<tf.KernelFunc>, kernelName: string): tf.TensorInfo {
  if (Array.isArray(out)) throw new Error(`wasm kernels: '${kernelName}' returned several tensors where one was expected`);
  return out;
}

/** BatchMatMul that routes transposed, unbatched products through XNNPACK. */
export function batchMatMulKernel(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as MatMulAttrs;
    if (!ours(a, b, { transposeA, transposeB })) return stock(args);
    const backend = args.backend as BackendWasm;
    const plain = { transposeA: false, transposeB: false };
    if (matMulPlan(a.shape, b.shape, transposeA, transposeB) === "direct") {
      const left = transposeA ? transposed(backend, a) : a;
      const right = transposeB ? transposed(backend, b) : b;
      const out = single(stock({ inputs: { a: left, b: right }, backend, attrs: plain }), "BatchMatMul");
      if (left !== a) release(backend, left);
      if (right !== b) release(backend, right);
      return out;
    }
    // (op(B)ᵀ · op(A)ᵀ)ᵀ: a transposed operand is already its own op(·)ᵀ.
    const left = transposeB ? b : transposed(backend, b);
    const right = transposeA ? a : transposed(backend, a);
    const product = single(stock({ inputs: { a: left, b: right }, backend, attrs: plain }), "BatchMatMul");
    if (left !== b) release(backend, left);
    if (right !== a) release(backend, right);
    const out = transposed(backend, product);
    release(backend, product);
    return out;
  };
}

/**
 * _FusedMatMul likewise, direct form only: the bias and activation apply to the product as it
 * is, so it cannot be computed transposed. (Layers call it untransposed; this covers the rest.)
 */
export function fusedMatMulKernel(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as unknown as MatMulAttrs & Record<string, unknown>;
    if (!ours(a, b, attrs)) return stock(args);
    const backend = args.backend as BackendWasm;
    const left = attrs.transposeA ? transposed(backend, a) : a;
    const right = attrs.transposeB ? transposed(backend, b) : b;
    const out = single(
      stock({ inputs: { ...args.inputs, a: left, b: right }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } as tf.NamedAttrMap }),
      "_FusedMatMul",
    );
    if (left !== a) release(backend, left);
    if (right !== b) release(backend, right);
    return out;
  };
}

/**
 * Replacement configs built on the stock kernels registered now (call after wasm is loaded).
 * They keep the stock setup: it binds the wasm functions the stock kernel calls, and runs when
 * the backend initialises, which may be after this replacement.
 */
export function matMulConfigs(): tf.KernelConfig[] {
  const batch = stockKernel("BatchMatMul");
  const fused = stockKernel("_FusedMatMul");
  return [
    { ...batch, kernelFunc: batchMatMulKernel(batch.kernelFunc) },
    { ...fused, kernelFunc: fusedMatMulKernel(fused.kernelFunc) },
  ];
}
