/**
 * BatchBALD's inner product, two float64 lanes per instruction: for configurations' posteriors
 * π_m(t) (M × T) and one candidate's predictions p_t(l) (T × C), the mixtures
 *   mix[m][l] = Σ_t π_m(t) · p_t(l),
 * each summed over t in index order with a separate multiply and add, exactly as the scalar
 * loop in joint-state.ts does, so results are bit-identical to it. Register tiles of 4
 * configurations × 4 classes (8 accumulators, 2 loaded vectors, 1 splat) keep loads to 6 per 16
 * multiply-adds; the posteriors are laid out per tile as [t][4] so one pointer walks them.
 *
 * The screen is two more functions: `mix32`, the same product in float32 (four lanes, from the
 * posteriors rounded to float32), and `screen`, which sums w_m · q·log2 q over those mixtures
 * with a polynomial log2, giving a cheap estimate of Σ_m w_m H(mix_m) with a rigorous bound on
 * its distance from the exact value (the one joint-state.ts computes from the float64 mixtures
 * with Math.log): BatchBALD's candidate scans rule candidates out on it and compute the exact
 * value only for those that can still win (see screenBound).
 *
 * Memory: [posteriors, tiled: M·T][candidate: T·C′][mixtures: M·C′][weights: M][screen: 4]
 * float64, C′ = C rounded up to even (the padding column is zero and its mixtures unused), then
 * [posteriors, tiled: M·T][candidate: T·C4][mixtures: M·C4] float32, C4 = C rounded up to 4.
 */
import { MIXTURE_LOG2_POLY, MIXTURE_POLY_ERROR } from "./log2-poly.ts";
import {
  BLOCK, BR, BR_IF, compileKernel, END, ensureBytes, F32_ADD, F32X4_ADD, F32X4_CONVERT_I32X4_S, F32X4_LANE,
  F32X4_MUL, F32X4_PMAX, F32X4_SUB, f32x4Const, F64, F64_ADD, F64_LOAD, F64_MUL, F64_PROMOTE_F32, F64_STORE, F64X2_ADD, F64X2_MUL, GET,
  I32, I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_GT_U, I32_LT_U, I32_MUL, I32_SHL, I32X4_SHR_U, I32X4_SUB, i32x4Const, IF, type Kernel,
  LOOP, mem, moduleOf, SET, TEE, V128, V128_AND, V128_LOAD, V128_LOAD32_SPLAT, V128_LOAD64_SPLAT, V128_OR, V128_STORE, V128_ZERO, VOID,
} from "./assemble.ts";

// mix(count, t, cp, pxAt, outAt): params 0–4; i32 locals 5 m, 6 l, 7 tile (byte offset of the
// configuration tile), 8 pp, 9 pxp, 10 pxEnd, 11 o, 12 cp·8; v128 locals 13–20 accumulators,
// 21–22 candidate vectors, 23 splat.
const COUNT = 0, T = 1, CP = 2, PX_AT = 3, OUT_AT = 4;
const M = 5, L = 6, TILE = 7, PP = 8, PXP = 9, PX_END = 10, O = 11, CP8 = 12, ACC = 13, X = 21, S = 23;

/** What one product function's tiles need: its element width and ops, and the locals they use. */
interface Product {
  /** Bytes per element: 8 (float64, two lanes) or 4 (float32, four lanes). */
  bytes: 8 | 4;
  splat: number[];
  mul: number[];
  add: number[];
  t: number;
  /** The padded column count, and the same in bytes. */
  cols: number;
  rowBytes: number;
  pxAt: number;
  outAt: number;
  m: number;
  l: number;
  tile: number;
  pp: number;
  pxp: number;
  pxEnd: number;
  o: number;
  acc: number;
  x: number;
  s: number;
}

/** One R configurations × V vectors of classes tile at (m, l): the t loop, then the stores. */
function tile(p: Product, R: number, V: number): number[] {
  const shift = p.bytes === 8 ? 3 : 2;
  const out: number[] = [];
  for (let a = 0; a < R * V; a++) out.push(...V128_ZERO, SET, p.acc + a);
  out.push(GET, p.tile, SET, p.pp);
  out.push(GET, p.l, I32_CONST, shift, I32_SHL, GET, p.pxAt, I32_ADD, SET, p.pxp);
  out.push(GET, p.pxp, GET, p.t, GET, p.rowBytes, I32_MUL, I32_ADD, SET, p.pxEnd);
  out.push(BLOCK, VOID, LOOP, VOID, GET, p.pxp, GET, p.pxEnd, I32_GE_U, BR_IF, 1);
  for (let v = 0; v < V; v++) out.push(GET, p.pxp, ...V128_LOAD, ...mem(shift, 16 * v), SET, p.x + v);
  for (let r = 0; r < R; r++) {
    out.push(GET, p.pp, ...p.splat, ...mem(shift, p.bytes * r), SET, p.s);
    for (let v = 0; v < V; v++) out.push(GET, p.acc + r * V + v, GET, p.s, GET, p.x + v, ...p.mul, ...p.add, SET, p.acc + r * V + v);
  }
  out.push(GET, p.pp, I32_CONST, p.bytes * R, I32_ADD, SET, p.pp);
  out.push(GET, p.pxp, GET, p.rowBytes, I32_ADD, SET, p.pxp);
  out.push(BR, 0, END, END);
  out.push(GET, p.m, GET, p.cols, I32_MUL, GET, p.l, I32_ADD, I32_CONST, shift, I32_SHL, GET, p.outAt, I32_ADD, SET, p.o);
  for (let r = 0; r < R; r++) {
    for (let v = 0; v < V; v++) out.push(GET, p.o, GET, p.acc + r * V + v, ...V128_STORE, ...mem(shift, 16 * v));
    if (r + 1 < R) out.push(GET, p.o, GET, p.rowBytes, I32_ADD, SET, p.o);
  }
  return out;
}

/** All class tiles of the R configurations at m: two vectors of classes at a time, then one. */
function classTiles(p: Product, R: number): number[] {
  const step = 2 * (16 / p.bytes);
  return [
    I32_CONST, 0, SET, p.l,
    BLOCK, VOID, LOOP, VOID,
    GET, p.l, I32_CONST, step, I32_ADD, GET, p.cols, I32_GT_U, BR_IF, 1,
    ...tile(p, R, 2),
    GET, p.l, I32_CONST, step, I32_ADD, SET, p.l,
    BR, 0, END, END,
    GET, p.l, GET, p.cols, I32_LT_U, IF, VOID, ...tile(p, R, 1), END,
  ];
}

const F64_PRODUCT: Product = {
  bytes: 8, splat: V128_LOAD64_SPLAT, mul: F64X2_MUL, add: F64X2_ADD, t: T, cols: CP, rowBytes: CP8, pxAt: PX_AT, outAt: OUT_AT,
  m: M, l: L, tile: TILE, pp: PP, pxp: PXP, pxEnd: PX_END, o: O, acc: ACC, x: X, s: S,
};

/**
 * A product function's body: configurations 4 at a time, then one at a time, each configuration
 * tile's posteriors laid out [t][4] (or [t] for the last ones) from `start` on.
 */
function productBody(p: Product, count: number, start: number[]): number[] {
  const shift = p.bytes === 8 ? 3 : 2;
  return [
    GET, p.cols, I32_CONST, shift, I32_SHL, SET, p.rowBytes,
    ...start,
    BLOCK, VOID, LOOP, VOID, // configurations 4 at a time
    GET, p.m, I32_CONST, 4, I32_ADD, GET, count, I32_GT_U, BR_IF, 1,
    ...classTiles(p, 4),
    GET, p.tile, GET, p.t, I32_CONST, shift + 2, I32_SHL, I32_ADD, SET, p.tile,
    GET, p.m, I32_CONST, 4, I32_ADD, SET, p.m,
    BR, 0, END, END,
    BLOCK, VOID, LOOP, VOID, // then one at a time
    GET, p.m, GET, count, I32_GE_U, BR_IF, 1,
    ...classTiles(p, 1),
    GET, p.tile, GET, p.t, I32_CONST, shift, I32_SHL, I32_ADD, SET, p.tile,
    GET, p.m, I32_CONST, 1, I32_ADD, SET, p.m,
    BR, 0, END, END,
    END,
  ];
}

// The float64 posteriors start at byte 0 (the tile local starts there).
const body = productBody(F64_PRODUCT, COUNT, []);

/**
 * The screen's own mixtures, four float32 lanes per instruction: the same products from float32
 * posteriors, in tiles of 4 configurations × 8 classes over C4 = C rounded up to a multiple of 4.
 * mix32(count, t, c4, pxAt, outAt, postAt): params 0–5; i32 locals 6 m, 7 l, 8 tile, 9 pp,
 * 10 pxp, 11 pxEnd, 12 o, 13 c4·4; v128 locals 14–21 accumulators, 22–23 candidate vectors, 24 splat.
 */
const F_COUNT = 0, F_T = 1, F_C4 = 2, F_PX = 3, F_OUT = 4, F_POST = 5;
const FM = 6, FL = 7, F_TILE = 8, FPP = 9, FPXP = 10, F_PXEND = 11, FO = 12, F_C4B = 13, F_ACC = 14, FX = 22, FS = 24;

const F32_PRODUCT: Product = {
  bytes: 4, splat: V128_LOAD32_SPLAT, mul: F32X4_MUL, add: F32X4_ADD, t: F_T, cols: F_C4, rowBytes: F_C4B, pxAt: F_PX, outAt: F_OUT,
  m: FM, l: FL, tile: F_TILE, pp: FPP, pxp: FPXP, pxEnd: F_PXEND, o: FO, acc: F_ACC, x: FX, s: FS,
};

const mix32Body = productBody(F32_PRODUCT, F_COUNT, [GET, F_POST, SET, F_TILE]);

// screen(count, c4, outAt, wAt, resAt) on mix32's output: params 0–4; i32 locals 5 m, 6 p, 7 the
// row's end; v128 locals 8 Σ t, 9 Σ |t|, 10 Σ q, 11 q, 12 x, 13 t; f64 locals 14–16 the weighted
// sums, 17 w.
const S_COUNT = 0, S_C4 = 1, S_OUT = 2, S_W = 3, S_RES = 4;
const SM = 5, SP = 6, S_REND = 7, ACC_T = 8, ACC_ABS = 9, ACC_Q = 10, Q = 11, XM = 12, TT = 13, W_T = 14, W_ABS = 15, W_Q = 16, WM = 17;
const [A1, A2, A3, A4, A5] = MIXTURE_LOG2_POLY;

/**
 * Four mixtures q (negatives and NaN to 0, as entropyOf skips them) into the three lane sums:
 * t = q·log2 q with log2 q = e + P(m − 1) for q = 2^e·m, P = MIXTURE_LOG2_POLY in the operation
 * order whose error MIXTURE_POLY_ERROR is checked over every mantissa; |t|; q.
 */
const screenStep: number[] = [
  ...V128_ZERO, GET, Q, ...F32X4_PMAX, SET, Q, // pmax(0, q) = 0 < q ? q : 0
  GET, Q, ...i32x4Const(0x7fffff), ...V128_AND, ...i32x4Const(0x3f800000), ...V128_OR, ...f32x4Const(1), ...F32X4_SUB, TEE, XM,
  ...f32x4Const(A5), ...F32X4_MUL, ...f32x4Const(A4), ...F32X4_ADD,
  GET, XM, ...F32X4_MUL, ...f32x4Const(A3), ...F32X4_ADD,
  GET, XM, ...F32X4_MUL, ...f32x4Const(A2), ...F32X4_ADD,
  GET, XM, ...F32X4_MUL, ...f32x4Const(A1), ...F32X4_ADD,
  GET, XM, ...F32X4_MUL,
  GET, Q, I32_CONST, 23, ...I32X4_SHR_U, ...i32x4Const(127), ...I32X4_SUB, ...F32X4_CONVERT_I32X4_S, ...F32X4_ADD,
  GET, Q, ...F32X4_MUL, TEE, TT,
  GET, ACC_T, ...F32X4_ADD, SET, ACC_T,
  GET, TT, ...i32x4Const(0x7fffffff), ...V128_AND, GET, ACC_ABS, ...F32X4_ADD, SET, ACC_ABS,
  GET, Q, GET, ACC_Q, ...F32X4_ADD, SET, ACC_Q,
];
/** Lane sum ((a0 + a1) + a2) + a3 in float32, promoted, times w, added to the float64 local `to`. */
const weighted = (from: number, to: number): number[] => [
  GET, to,
  GET, from, ...F32X4_LANE, 0, GET, from, ...F32X4_LANE, 1, F32_ADD, GET, from, ...F32X4_LANE, 2, F32_ADD, GET, from, ...F32X4_LANE, 3, F32_ADD,
  F64_PROMOTE_F32, GET, WM, F64_MUL, F64_ADD, SET, to,
];
const screenBody = [
  GET, S_OUT, SET, SP,
  BLOCK, VOID, LOOP, VOID, // for each configuration
  GET, SM, GET, S_COUNT, I32_GE_U, BR_IF, 1,
  GET, SP, GET, S_C4, I32_CONST, 2, I32_SHL, I32_ADD, SET, S_REND,
  ...V128_ZERO, SET, ACC_T, ...V128_ZERO, SET, ACC_ABS, ...V128_ZERO, SET, ACC_Q,
  BLOCK, VOID, LOOP, VOID, // four mixtures at a time
  GET, SP, GET, S_REND, I32_GE_U, BR_IF, 1,
  GET, SP, ...V128_LOAD, ...mem(2, 0), SET, Q,
  ...screenStep,
  GET, SP, I32_CONST, 16, I32_ADD, SET, SP,
  BR, 0, END, END,
  GET, S_W, GET, SM, I32_CONST, 3, I32_SHL, I32_ADD, F64_LOAD, ...mem(3, 0), SET, WM,
  ...weighted(ACC_T, W_T), ...weighted(ACC_ABS, W_ABS), ...weighted(ACC_Q, W_Q),
  GET, SM, I32_CONST, 1, I32_ADD, SET, SM,
  BR, 0, END, END,
  GET, S_RES, GET, W_T, F64_STORE, ...mem(3, 0),
  GET, S_RES, GET, W_ABS, F64_STORE, ...mem(3, 8),
  GET, S_RES, GET, W_Q, F64_STORE, ...mem(3, 16),
  END,
];

type MixFn = (count: number, t: number, cp: number, pxAt: number, outAt: number) => void;
type Mix32Fn = (count: number, t: number, c4: number, pxAt: number, outAt: number, postAt: number) => void;
type ScreenFn = (count: number, c4: number, outAt: number, wAt: number, resAt: number) => void;
const make = compileKernel(
  moduleOf(
    [
      { name: "mix", params: 5, locals: [[8, I32], [11, V128]], body },
      { name: "mix32", params: 6, locals: [[8, I32], [11, V128]], body: mix32Body },
      { name: "screen", params: 5, locals: [[3, I32], [6, V128], [4, F64]], body: screenBody },
    ],
    1,
  ),
);

/** What `screen` gives: an estimate of Σ_m w_m H(mix_m) in nats and a bound on its error. */
export interface EntropyScreen {
  approx: number;
  /** |approx − the exact value| ≤ bound (NaN or ∞ where the mixtures are not finite). */
  bound: number;
}

const U32 = 2 ** -24;

/**
 * The bound on |approx − exact|, nats, from the screen's weighted sums (bits): T = Σ_m w_m Σ_l t,
 * A = Σ_m w_m Σ_l |t|, Q = Σ_m w_m Σ_l q, and W = Σ_m w_m, for t samples and C4 = C rounded up to
 * a multiple of 4. Exact is what conditionalEntropyOf computes: Σ_m w_m · (−Σ_l p ln p) in
 * float64 from the float64 mixtures p = Σ_t π(t)·p_t(l). The screen's mixture q is the same sum
 * in float32 from fl32(π): for posteriors and candidate values in [0, 2] (which `screen` checks),
 * each of the t products and adds errs by at most u = 2⁻²⁴ of its result or 2⁻¹⁵⁰ where it is
 * subnormal, and the float64 sum by 2⁻⁵³ each, so |q − p| ≤ ε·q + η with
 * ε = 1.02·(t + 3)·u + (t + 1)·2⁻⁵² and η = (t + 1)·2⁻¹⁴⁷. Per mixture q ≥ 2⁻¹⁰⁰ (δ = MIXTURE_POLY_ERROR):
 * L = fl(e + P(x)) is within δ + u·|e + P| of log2 q and t = fl(q·L), so |t − q·log2 q| ≤
 * q·δ(1 + 2u) + 2.01u·q·(|log2 q| + δ); |q·log2 q − p·log2 p| ≤ |q − p|·(|log2 q| + 1.45 + 3ε);
 * and q·|log2 q| ≤ (1 + 5u)(|t| + q·δ), which together give
 * |t − p·log2 p| ≤ (1.001δ + 8u + 2.02ε)·q + (8u + 2.02ε)·|t| + 2⁻¹²⁰ (η's share). Below 2⁻¹⁰⁰
 * both sides are under 2⁻⁹², so C4·2⁻⁹⁰ per unit weight covers both. A configuration's lane
 * sums are chains of d = C4/4 + 3 float32 adds: the Σ t is within γ_d·Σ|t| of exact, and the
 * computed Σ|t| and Σ q are at least (1 − γ_d) of theirs. No assumption on Σ q: the kernel
 * measures it (float32 rows may sum to a little over 1, and sampled weights to 1 only within
 * rounding). The float64 side — Math.log (< 1 ulp), C + M chained adds, the weighting, ×ln 2 —
 * errs by at most (C4 + 2M + 16)·2⁻⁵² of the absolute sums; the caller's float64 subtraction is
 * its own.
 */
export function screenBound(
  sumT: number,
  sumAbs: number,
  sumQ: number,
  weights: number,
  t: number,
  c4: number,
  count: number,
): EntropyScreen {
  const d = c4 / 4 + 3;
  const gamma = (d * U32) / (1 - d * U32);
  const abs = sumAbs / (1 - gamma);
  const mass = sumQ / (1 - gamma);
  const eps = 1.02 * (t + 3) * U32 + (t + 1) * 2 ** -52;
  const rounding = 8 * U32 + 2.02 * eps;
  const bits = (1.001 * MIXTURE_POLY_ERROR + rounding) * mass + (rounding + gamma) * abs + c4 * 2 ** -90 * weights;
  const float64 = (c4 + 2 * count + 16) * 2 ** -52 * (abs + bits + Math.abs(sumT));
  return { approx: -sumT * Math.LN2, bound: (bits + float64) * Math.LN2 * (1 + 2 ** -40) };
}

/** The screen's mixtures stay accurate to ε (screenBound) only while (t + 3)·u is small. */
const MAX_SCREEN_T = 100_000;

/** One joint state's kernel: the posteriors it was last given and the scratch behind them. */
export interface MixtureKernel {
  /**
   * Copies the configurations' posteriors (count × t, row-major) in, and their weights where
   * given (which `screen` needs), for the calls that follow; false where memory would not grow.
   */
  load(posterior: Float64Array, count: number, weight?: Float64Array): boolean;
  /**
   * The mixtures of the loaded configurations with the candidate block data[offset … offset + t·c)
   * (t × c float32): entry m·stride + l is mix[m][l]. A view into the kernel's memory,
   * overwritten by the next call.
   */
  mixtures(data: Float32Array, offset: number): Float64Array;
  /**
   * Σ_m w_m H(mix_m) for the candidate block data[offset … offset + t·c), estimated from float32
   * mixtures with its error bound (screenBound); undefined where the bound's premises fail (a
   * posterior or candidate value outside [0, 2], or NaN; a negative weight; t past 100,000).
   * Leaves `mixtures`' view alone. Throws where `load` was given no weights.
   */
  screen(data: Float32Array, offset: number): EntropyScreen | undefined;
  /** Row stride of the mixtures: c rounded up to even. */
  readonly stride: number;
}

/** A kernel for t × c candidates, or undefined without WebAssembly SIMD. */
export function createMixtureKernel(t: number, c: number): MixtureKernel | undefined {
  if (make === undefined) return undefined;
  const kernel: Kernel = make();
  const run = kernel.exports.mix as MixFn;
  const run32 = kernel.exports.mix32 as Mix32Fn;
  const screen = kernel.exports.screen as ScreenFn;
  const cp = c + (c & 1);
  const c4 = (c + 3) & ~3;
  let count = 0;
  let pxAt = 0;
  let outAt = 0;
  let wAt = 0;
  let resAt = 0;
  let post32At = 0;
  let px32At = 0;
  let out32At = 0;
  let weights = 0; // Σ w
  let hasWeights = false; // whether load was given weights
  let screenable = false; // every posterior in [0, 2] and every weight ≥ 0 (screenBound's premises)
  let px = new Float64Array(0);
  let out = new Float64Array(0);
  let px32 = new Float32Array(0);
  let res = new Float64Array(0);
  return {
    stride: cp,
    load(posterior, n, weight) {
      count = n;
      pxAt = n * t * 8;
      outAt = pxAt + t * cp * 8;
      wAt = outAt + n * cp * 8;
      resAt = wAt + n * 8;
      post32At = resAt + 4 * 8;
      px32At = post32At + n * t * 4;
      out32At = px32At + t * c4 * 4;
      if (!ensureBytes(kernel.memory, out32At + n * c4 * 4)) return false;
      const buffer = kernel.memory.buffer;
      hasWeights = weight !== undefined;
      weights = 0;
      let signed = true;
      if (weight !== undefined) {
        new Float64Array(buffer, wAt, n).set(weight.subarray(0, n));
        for (let m = 0; m < n; m++) {
          weights += weight[m]!;
          signed &&= weight[m]! >= 0;
        }
      }
      res = new Float64Array(buffer, resAt, 3);
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
      new Float32Array(buffer, post32At, n * t).set(tiled); // the same tiling, rounded to float32
      screenable = t <= MAX_SCREEN_T && signed;
      for (let j = 0; j < n * t && screenable; j++) screenable = tiled[j]! >= 0 && tiled[j]! <= 2;
      px = new Float64Array(buffer, pxAt, t * cp);
      if (cp !== c) px.fill(0); // the padding column (only real columns are written below)
      out = new Float64Array(buffer, outAt, n * cp);
      px32 = new Float32Array(buffer, px32At, t * c4);
      if (c4 !== c) px32.fill(0); // likewise
      return true;
    },
    mixtures(data, offset) {
      if (cp === c) px.set(data.subarray(offset, offset + t * c));
      else for (let u = 0; u < t; u++) for (let l = 0; l < c; l++) px[u * cp + l] = data[offset + u * c + l]!;
      run(count, t, cp, pxAt, outAt);
      return out;
    },
    screen(data, offset) {
      if (!hasWeights) throw new Error("mixtures: screen needs the configurations' weights (load was given none)");
      if (!screenable) return undefined;
      for (let u = 0; u < t; u++) {
        for (let l = 0, o = offset + u * c; l < c; l++, o++) {
          const v = data[o]!;
          if (!(v >= 0 && v <= 2)) return undefined;
          px32[u * c4 + l] = v;
        }
      }
      run32(count, t, c4, px32At, out32At, post32At);
      screen(count, c4, out32At, wAt, resAt);
      return screenBound(res[0]!, res[1]!, res[2]!, weights, t, c4, count);
    },
  };
}
