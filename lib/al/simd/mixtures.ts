/**
 * BatchBALD's inner product, two float64 lanes per instruction: for configurations' posteriors
 * π_m(t) (M × T) and one candidate's predictions p_t(l) (T × C), the mixtures
 *   mix[m][l] = Σ_t π_m(t) · p_t(l),
 * each summed over t in index order with a separate multiply and add, exactly as the scalar
 * loop in joint-state.ts does, so results are bit-identical to it. Register tiles of 4
 * configurations × 4 classes (8 accumulators, 2 loaded vectors, 1 splat) keep loads to 6 per 16
 * multiply-adds; the posteriors are laid out per tile as [t][4] so one pointer walks them.
 *
 * Memory: [posteriors, tiled: M·T][candidate: T·C′][mixtures: M·C′] float64, C′ = C rounded up
 * to even (the padding column is zero and its mixtures unused).
 */
import {
  BLOCK, BR, BR_IF, compileKernel, END, ensureBytes, F64X2_ADD, F64X2_MUL, GET, I32, I32_ADD, I32_CONST, I32_GE_U, I32_GT_U,
  I32_LT_U, I32_MUL, I32_SHL, IF, type Kernel, LOOP, mem, moduleOf, SET, V128, V128_LOAD, V128_LOAD64_SPLAT, V128_STORE, V128_ZERO, VOID,
} from "./assemble.ts";

// mix(count, t, cp, pxAt, outAt): params 0–4; i32 locals 5 m, 6 l, 7 tile (byte offset of the
// configuration tile), 8 pp, 9 pxp, 10 pxEnd, 11 o, 12 cp·8; v128 locals 13–20 accumulators,
// 21–22 candidate vectors, 23 splat.
const COUNT = 0, T = 1, CP = 2, PX_AT = 3, OUT_AT = 4;
const M = 5, L = 6, TILE = 7, PP = 8, PXP = 9, PX_END = 10, O = 11, CP8 = 12, ACC = 13, X = 21, S = 23;

/** One R configurations × 2V classes tile at (m, l): the t loop, then the stores. */
function tile(R: number, V: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < R * V; a++) out.push(...V128_ZERO, SET, ACC + a);
  out.push(GET, TILE, SET, PP);
  out.push(GET, L, I32_CONST, 3, I32_SHL, GET, PX_AT, I32_ADD, SET, PXP);
  out.push(GET, PXP, GET, T, GET, CP8, I32_MUL, I32_ADD, SET, PX_END);
  out.push(BLOCK, VOID, LOOP, VOID, GET, PXP, GET, PX_END, I32_GE_U, BR_IF, 1);
  for (let v = 0; v < V; v++) out.push(GET, PXP, ...V128_LOAD, ...mem(3, 16 * v), SET, X + v);
  for (let r = 0; r < R; r++) {
    out.push(GET, PP, ...V128_LOAD64_SPLAT, ...mem(3, 8 * r), SET, S);
    for (let v = 0; v < V; v++) out.push(GET, ACC + r * V + v, GET, S, GET, X + v, ...F64X2_MUL, ...F64X2_ADD, SET, ACC + r * V + v);
  }
  out.push(GET, PP, I32_CONST, 8 * R, I32_ADD, SET, PP);
  out.push(GET, PXP, GET, CP8, I32_ADD, SET, PXP);
  out.push(BR, 0, END, END);
  out.push(GET, M, GET, CP, I32_MUL, GET, L, I32_ADD, I32_CONST, 3, I32_SHL, GET, OUT_AT, I32_ADD, SET, O);
  for (let r = 0; r < R; r++) {
    for (let v = 0; v < V; v++) out.push(GET, O, GET, ACC + r * V + v, ...V128_STORE, ...mem(3, 16 * v));
    if (r + 1 < R) out.push(GET, O, GET, CP8, I32_ADD, SET, O);
  }
  return out;
}

/** All class tiles of the R configurations at m: 4 classes at a time, then the last 2. */
function classTiles(R: number): number[] {
  return [
    I32_CONST, 0, SET, L,
    BLOCK, VOID, LOOP, VOID,
    GET, L, I32_CONST, 4, I32_ADD, GET, CP, I32_GT_U, BR_IF, 1,
    ...tile(R, 2),
    GET, L, I32_CONST, 4, I32_ADD, SET, L,
    BR, 0, END, END,
    GET, L, GET, CP, I32_LT_U, IF, VOID, ...tile(R, 1), END,
  ];
}

const body = [
  GET, CP, I32_CONST, 3, I32_SHL, SET, CP8,
  BLOCK, VOID, LOOP, VOID, // configurations 4 at a time
  GET, M, I32_CONST, 4, I32_ADD, GET, COUNT, I32_GT_U, BR_IF, 1,
  ...classTiles(4),
  GET, TILE, GET, T, I32_CONST, 5, I32_SHL, I32_ADD, SET, TILE,
  GET, M, I32_CONST, 4, I32_ADD, SET, M,
  BR, 0, END, END,
  BLOCK, VOID, LOOP, VOID, // then one at a time
  GET, M, GET, COUNT, I32_GE_U, BR_IF, 1,
  ...classTiles(1),
  GET, TILE, GET, T, I32_CONST, 3, I32_SHL, I32_ADD, SET, TILE,
  GET, M, I32_CONST, 1, I32_ADD, SET, M,
  BR, 0, END, END,
  END,
];

type MixFn = (count: number, t: number, cp: number, pxAt: number, outAt: number) => void;
const make = compileKernel(moduleOf([{ name: "mix", params: 5, locals: [[8, I32], [11, V128]], body }], 1));

/** One joint state's kernel: the posteriors it was last given and the scratch behind them. */
export interface MixtureKernel {
  /** Copies the configurations' posteriors (count × t, row-major) in, for the calls that follow; false where memory would not grow. */
  load(posterior: Float64Array, count: number): boolean;
  /**
   * The mixtures of the loaded configurations with the candidate block data[offset … offset + t·c)
   * (t × c float32): entry m·stride + l is mix[m][l]. A view into the kernel's memory,
   * overwritten by the next call.
   */
  mixtures(data: Float32Array, offset: number): Float64Array;
  /** Row stride of the mixtures: c rounded up to even. */
  readonly stride: number;
}

/** A kernel for t × c candidates, or undefined without WebAssembly SIMD. */
export function createMixtureKernel(t: number, c: number): MixtureKernel | undefined {
  if (make === undefined) return undefined;
  const kernel: Kernel = make();
  const run = kernel.exports.mix as MixFn;
  const cp = c + (c & 1);
  let count = 0;
  let pxAt = 0;
  let outAt = 0;
  let px = new Float64Array(0);
  let out = new Float64Array(0);
  return {
    stride: cp,
    load(posterior, n) {
      count = n;
      pxAt = n * t * 8;
      outAt = pxAt + t * cp * 8;
      if (!ensureBytes(kernel.memory, outAt + n * cp * 8)) return false;
      const buffer = kernel.memory.buffer;
      const tiled = new Float64Array(buffer, 0, n * t);
      const full = n - (n & 3);
      for (let m = 0; m < full; m += 4) {
        const base = m * t;
        for (let u = 0; u < t; u++) {
          const at = base + 4 * u;
          tiled[at] = posterior[base + u]!;
          tiled[at + 1] = posterior[base + t + u]!;
          tiled[at + 2] = posterior[base + 2 * t + u]!;
          tiled[at + 3] = posterior[base + 3 * t + u]!;
        }
      }
      tiled.set(posterior.subarray(full * t, n * t), full * t);
      px = new Float64Array(buffer, pxAt, t * cp);
      if (cp !== c) px.fill(0); // the padding column (only real columns are written below)
      out = new Float64Array(buffer, outAt, n * cp);
      return true;
    },
    mixtures(data, offset) {
      if (cp === c) px.set(data.subarray(offset, offset + t * c));
      else for (let u = 0; u < t; u++) for (let l = 0; l < c; l++) px[u * cp + l] = data[offset + u * c + l]!;
      run(count, t, cp, pxAt, outAt);
      return out;
    },
  };
}
