/**
 * One Adam step for one variable in a single pass over wasm memory: the new value and both new
 * moments, from the value, the moments, the gradient and the two running powers βᵗ. tfjs's
 * AdamOptimizer spends ~14 dispatched elementwise kernels per variable per step (each a new
 * heap buffer and a full pass), which was about a third of the quickstart MLP's training step.
 *
 * The arithmetic is tfjs-core 4.22's (optimizers/adam_optimizer.js), operation by operation in
 * float32, with the scalars tfjs would make (float32 β, 1 − β rounded from the JS difference,
 * float32 1 − βᵗ, −lr and ε). It runs in a small hand-written WebAssembly SIMD function that
 * works in place on the wasm backend's own memory (four floats per instruction, no copies);
 * IEEE float32 f32x4 ×, +, ÷ and √ are correctly rounded like the stock kernels' scalar or
 * XNNPACK ops, so the update equals the stock optimizer's bit for bit
 * (test/learners/fused-adam.test.ts trains both ways and compares the weights exactly). Where
 * that memory or SIMD is not available, a JavaScript loop rounding with Math.fround at each
 * step gives the same bits, more slowly (scalar float64 divisions: slower than the stock ops).
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { sizeOf } from "./wasm-calls.ts";
import {
  BLOCK, BR, BR_IF, END, F32_ADD, F32_LOAD, F32_STORE, F32X4_ADD, F32X4_MUL, F32X4_SPLAT, GET, I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_SHL,
  LOOP, name, section, SET, simd, TEE, uleb, V128_LOAD, V128_STORE, VOID,
} from "../../al/simd/assemble.ts";

export const adamUpdateName = "AlAdamUpdate";

/** The optimizer's constants, as tfjs's AdamOptimizer holds them (float64 JS numbers). */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** The float32 scalars of one step, in the SIMD function's parameter order. */
function stepScalars({ learningRate, beta1, beta2, epsilon }: AdamUpdateAttrs, accBeta1: number, accBeta2: number): number[] {
  const f = Math.fround;
  // mul(m, β₁) takes float32(β₁); mul(g, 1 − β₁) rounds the JS difference; sub(1, βᵗ) is a
  // float32 op on the float32 power; -lr and ε are float32 scalars.
  return [f(beta1), f(1 - beta1), f(beta2), f(1 - beta2), f(1 - accBeta1), f(1 - accBeta2), f(epsilon), f(-learningRate)];
}

/** Scalar reference and fallback: writes the new value and moments into `out*`. */
export function adamUpdate(
  arrays: {
    x: Float32Array;
    m: Float32Array;
    v: Float32Array;
    g: Float32Array;
    outX: Float32Array;
    outM: Float32Array;
    outV: Float32Array;
  },
  attrs: AdamUpdateAttrs,
  accBeta1: number,
  accBeta2: number,
): void {
  const f = Math.fround;
  const { x, m, v, g, outX, outM, outV } = arrays;
  const [b1, c1, b2, c2, d1, d2, eps, step] = stepScalars(attrs, accBeta1, accBeta2) as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < x.length; i++) {
    const gi = g[i]!;
    const mi = f(f(m[i]! * b1) + f(gi * c1));
    const vi = f(f(v[i]! * b2) + f(f(gi * gi) * c2));
    const mHat = f(mi / d1);
    const vHat = f(vi / d2);
    outX[i] = f(f(mHat / f(f(Math.sqrt(vHat)) + eps)) * step) + x[i]!;
    outM[i] = mi;
    outV[i] = vi;
  }
}

// --- The SIMD function: update(n, x, m, v, g, outX, outM, outV, b1, c1, b2, c2, d1, d2, eps, step),
// addresses in bytes into the imported memory (the wasm backend's), scalars as stepScalars orders them.
// Encoding and the opcodes shared with lib/al/simd; the few only this kernel uses, here.
const F32_SQRT = 0x91, F32_MUL = 0x94, F32_DIV = 0x95;
const F32X4_SQRT = simd(0xe3), F32X4_DIV = simd(0xe7);
const ALIGN4 = [2, 0];

// Params 0 n, 1–7 addresses, 8–15 scalars; locals 16 i (bytes), 17 end of the 4-wide part,
// 18 end, 19–26 the scalars splatted, 27 g, 28 new m, 29 new v (v128), 30–32 the same in f32.
const N = 0, X = 1, M = 2, V = 3, G = 4, OX = 5, OM = 6, OV = 7, S = 8;
const I = 16, END4 = 17, END_ = 18, SPLAT = 19, VG = 27, VM = 28, VV = 29, FG = 30, FM = 31, FV = 32;
const [B1, C1, B2, C2, D1, D2, EPS, STEP] = [0, 1, 2, 3, 4, 5, 6, 7];
const at = (base: number): number[] => [GET, base, GET, I, I32_ADD];

/** The element loop, 4-wide or scalar: m, v and x as tfjs orders the operations. */
function update(wide: boolean): number[] {
  const load = wide ? V128_LOAD : [F32_LOAD];
  const store = wide ? V128_STORE : [F32_STORE];
  const [add, mul, div, sqrt] = wide ? [F32X4_ADD, F32X4_MUL, F32X4_DIV, F32X4_SQRT] : [[F32_ADD], [F32_MUL], [F32_DIV], [F32_SQRT]];
  const k = (c: number): number[] => [GET, wide ? SPLAT + c : S + c];
  const [g, m, v] = wide ? [VG, VM, VV] : [FG, FM, FV];
  return [
    ...at(G), ...load, ...ALIGN4, SET, g,
    // m' = m·β₁ + g·(1 − β₁)
    ...at(OM), ...at(M), ...load, ...ALIGN4, ...k(B1), ...mul, GET, g, ...k(C1), ...mul, ...add, TEE, m, ...store, ...ALIGN4,
    // v' = v·β₂ + g²·(1 − β₂)
    ...at(OV), ...at(V), ...load, ...ALIGN4, ...k(B2), ...mul, GET, g, GET, g, ...mul, ...k(C2), ...mul, ...add, TEE, v, ...store, ...ALIGN4,
    // x' = (m'/(1 − β₁ᵗ)) / (√(v'/(1 − β₂ᵗ)) + ε) · (−lr) + x
    ...at(OX), GET, m, ...k(D1), ...div, GET, v, ...k(D2), ...div, ...sqrt, ...k(EPS), ...add, ...div, ...k(STEP), ...mul,
    ...at(X), ...load, ...ALIGN4, ...add, ...store, ...ALIGN4,
  ];
}

const loop = (end: number, width: number, body: number[]): number[] => [
  BLOCK, VOID, LOOP, VOID,
  GET, I, GET, end, I32_GE_U, BR_IF, 1,
  ...body,
  GET, I, I32_CONST, width, I32_ADD, SET, I,
  BR, 0, END, END,
];

const body: number[] = [
  3, 3, 0x7f, 11, 0x7b, 3, 0x7d, // locals, by type
  GET, N, I32_CONST, 2, I32_SHL, SET, END_,
  GET, N, I32_CONST, 0x7c, I32_AND, I32_CONST, 2, I32_SHL, SET, END4, // (n & ~3) · 4
  ...[B1, C1, B2, C2, D1, D2, EPS, STEP].flatMap((c) => [GET, S + c, ...F32X4_SPLAT, SET, SPLAT + c]),
  ...loop(END4, 16, update(true)),
  ...loop(END_, 4, update(false)),
  END,
];

const moduleBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 16, ...new Array<number>(8).fill(0x7f), ...new Array<number>(8).fill(0x7d), 0]),
  ...section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, 0]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name("update"), 0, 0]),
  ...section(10, [1, ...uleb(body.length), ...body]),
]);

/** WebAssembly members used here, declared locally (consumers may compile without DOM or Node types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
export type SimdUpdate = (n: number, ...addressesThenScalars: number[]) => void;

/** One instance per backend memory; null where SIMD or the memory is not available. */
const instances = new WeakMap<object, SimdUpdate | null>();

/** The SIMD function working on `backend`'s memory, or null (the kernel then runs `adamUpdate`). */
export function simdUpdate(backend: BackendWasm): SimdUpdate | null {
  // The non-threaded Emscripten build keeps its memory as the instance's `memory` export.
  const module = backend.wasm as unknown as { asm?: { memory?: { buffer: ArrayBufferLike } }; HEAPU8: Uint8Array };
  const memory = module.asm?.memory;
  if (!memory || memory.buffer !== module.HEAPU8.buffer) return null;
  let fn = instances.get(memory);
  if (fn === undefined) {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    fn = null;
    if (typeof wasm === "object" && wasm.validate(moduleBytes)) {
      try {
        fn = new wasm.Instance(new wasm.Module(moduleBytes), { env: { memory } }).exports.update as SimdUpdate;
      } catch {
        fn = null; // a shared (threaded) memory does not match the unshared import
      }
    }
    instances.set(memory, fn);
  }
  return fn;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

function checkInputs(inputs: Record<string, tf.TensorInfo>): void {
  const { x } = inputs as { x: tf.TensorInfo };
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== "float32") throw new Error(`${adamUpdateName} (wasm): ${name} has dtype ${t.dtype}; expected float32`);
    const scalar = name === "accBeta1" || name === "accBeta2";
    if (scalar ? sizeOf(t.shape) !== 1 : sizeOf(t.shape) !== sizeOf(x.shape)) {
      throw new Error(`${adamUpdateName} (wasm): ${name} has shape [${t.shape.join(", ")}]; expected ${scalar ? "a scalar" : `[${x.shape.join(", ")}]`}`);
    }
  }
}

function adamUpdateKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const inputs = args.inputs as Record<"x" | "m" | "v" | "g" | "accBeta1" | "accBeta2", tf.TensorInfo>;
  checkInputs(inputs);
  const attrs = args.attrs as unknown as AdamUpdateAttrs;
  // Allocate first: makeOutput may grow the wasm heap, which detaches earlier views.
  const outs = [backend.makeOutput(inputs.x.shape, "float32"), backend.makeOutput(inputs.x.shape, "float32"), backend.makeOutput(inputs.x.shape, "float32")] as const;
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const accBeta1 = view(inputs.accBeta1)[0]!;
  const accBeta2 = view(inputs.accBeta2)[0]!;
  const fast = simdUpdate(backend);
  if (fast) {
    const address = (t: tf.TensorInfo) => view(t).byteOffset;
    const { x, m, v, g } = inputs;
    fast(sizeOf(x.shape), ...[x, m, v, g, ...outs].map(address), ...stepScalars(attrs, accBeta1, accBeta2));
    return [...outs];
  }
  adamUpdate(
    { x: view(inputs.x), m: view(inputs.m), v: view(inputs.v), g: view(inputs.g), outX: view(outs[0]), outM: view(outs[1]), outV: view(outs[2]) },
    attrs,
    accBeta1,
    accBeta2,
  );
  return [...outs];
}

export const adamUpdateConfig: tf.KernelConfig = {
  kernelName: adamUpdateName,
  backendName: "wasm",
  kernelFunc: adamUpdateKernel,
};
