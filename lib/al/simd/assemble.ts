/**
 * Helpers for the hand-assembled WebAssembly SIMD kernels (simd-row-stats, mixtures, dots):
 * binary encoding, the opcodes they use, and instantiation. Kernels are bytes built in
 * TypeScript so the package needs no toolchain; V8 does not vectorise JavaScript, and fixed-width
 * SIMD is the only way to two or four lanes per instruction here.
 */

export const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
};
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const name = (s: string): number[] => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
/** A memory argument: log2 alignment and a constant byte offset. */
export const mem = (align: number, offset: number): number[] => [align, ...uleb(offset)];

// Core opcodes.
export const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
export const GET = 0x20, SET = 0x21, TEE = 0x22;
export const I32_CONST = 0x41, I32_GE_U = 0x4f, I32_GT_U = 0x4b, I32_LT_U = 0x49;
export const I32_ADD = 0x6a, I32_SUB = 0x6b, I32_MUL = 0x6c, I32_AND = 0x71, I32_OR = 0x72, I32_SHL = 0x74;
export const I32_LOAD = 0x28, F32_LOAD = 0x2a, F64_LOAD = 0x2b, I32_STORE = 0x36, F32_STORE = 0x38, F64_STORE = 0x39;
export const F32_ADD = 0x92, F32_MAX = 0x97, F64_ADD = 0xa0, F64_SUB = 0xa1, F64_MUL = 0xa2, F64_PROMOTE_F32 = 0xbb, F64_CONST = 0x44, SELECT = 0x1b;
export const I32 = 0x7f, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;

// Fixed-width SIMD opcodes (0xfd prefix, LEB128 sub-opcode).
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];
export const V128_LOAD = simd(0x00), V128_LOAD32_SPLAT = simd(0x09), V128_LOAD64_SPLAT = simd(0x0a), V128_STORE = simd(0x0b), V128_CONST = simd(0x0c);
export const V128_LOAD32_ZERO = simd(0x5c), V128_LOAD64_ZERO = simd(0x5d);
export const SHUFFLE = simd(0x0d), F32X4_SPLAT = simd(0x13), I32X4_LANE = simd(0x1b), F32X4_LANE = simd(0x1f), F64X2_LANE = simd(0x21);
export const V128_AND = simd(0x4e), V128_OR = simd(0x50), I32X4_SHR_U = simd(0xad), I32X4_SUB = simd(0xb1);
export const F32X4_ADD = simd(0xe4), F32X4_SUB = simd(0xe5), F32X4_MUL = simd(0xe6), F32X4_PMIN = simd(0xea), F32X4_PMAX = simd(0xeb), F32X4_CONVERT_I32X4_S = simd(0xfa);
export const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f), F64X2_ADD = simd(0xf0), F64X2_MUL = simd(0xf2);
export const V128_ZERO = [...V128_CONST, ...new Array<number>(16).fill(0)];
export const F32_CONST = 0x43;
/** A float32's four little-endian bytes (an f32.const immediate). */
export const f32Bytes = (x: number): number[] => Array.from(new Uint8Array(Float32Array.of(x).buffer));
/** v128.const of four equal i32 / f32 lanes. */
export const i32x4Const = (v: number): number[] => [...V128_CONST, ...Array.from(new Uint8Array(Int32Array.of(v, v, v, v).buffer))];
export const f32x4Const = (v: number): number[] => [...V128_CONST, ...Array.from(new Uint8Array(Float32Array.of(v, v, v, v).buffer))];

/** One exported function of a kernel module: i32 parameters, no result. */
export interface KernelFunction {
  name: string;
  params: number;
  /** [count, type] runs of locals after the parameters. */
  locals: Array<[number, number]>;
  /** The code, ending with END. */
  body: number[];
}

/** A module of the given exported functions and an exported, growable memory of `pages` 64 KB pages. */
export function moduleOf(functions: KernelFunction[], pages: number): Uint8Array {
  const types = functions.flatMap((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 0]);
  const codes = functions.flatMap((f) => {
    const code = [...uleb(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb(count), type]), ...f.body];
    return [...uleb(code.length), ...code];
  });
  const exports = functions.flatMap((f, i) => [...name(f.name), 0, ...uleb(i)]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(3, [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))]),
    ...section(5, [1, 0, ...uleb(pages)]),
    ...section(7, [...uleb(functions.length + 1), ...exports, ...name("memory"), 2, 0]),
    ...section(10, [...uleb(functions.length), ...codes]),
  ]);
}

/**
 * The WebAssembly members used here, declared locally: the package's declarations are compiled
 * by consumers with neither DOM nor Node types, where the global `WebAssembly` is not declared.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** A kernel's memory as the exports give it. */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** An instance of a compiled kernel: its exported functions and its memory. */
export interface Kernel {
  exports: Record<string, unknown>;
  memory: KernelMemory;
}

/**
 * Compiles `bytes` once; the answer makes a fresh instance (own memory) per call. Undefined
 * where WebAssembly or its SIMD is missing: callers keep their JavaScript loop.
 */
export function compileKernel(bytes: Uint8Array): (() => Kernel) | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (typeof wasm !== "object" || !wasm.validate(bytes)) return undefined;
  const module = new wasm.Module(bytes);
  return () => {
    const { exports } = new wasm.Instance(module);
    return { exports, memory: exports.memory as KernelMemory };
  };
}

/** Grows `memory` so it holds at least `bytes`; false where it cannot grow that far (past 4 GiB, or out of memory). */
export function ensureBytes(memory: KernelMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  if (bytes > 2 ** 32) return false;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}
