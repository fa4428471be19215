/**
 * Dot products of float32 rows with float64 centres, two float64 lanes per instruction, in
 * the canonical order of cluster/distances.ts: lane 0 sums the even coordinates, lane 1 the
 * odd ones, an odd last coordinate goes to the even sum last, and the dot is even + odd. Each
 * product is a float32 promoted to float64 times a float64, as in JavaScript, so every dot is
 * bit-identical to dotAt's. Float64 keeps the precision that decides KCenterGreedy's picks.
 *
 * The rows are copied into the kernel's memory once (the kernel is made per point matrix);
 * each call takes a list of row numbers and 1 or up to 4 centres, and either returns the dots
 * (`dots`) or makes lowerDistances' comparison on a row state kept in the kernel's memory
 * (`lower`, farthest-first), so no dot goes back to JavaScript. Tiles: 2 rows × 4 centres
 * (8 accumulators, 6 loads per 8 vector multiply-adds), or 4 rows × 1 centre. A memory beyond
 * 1 GiB of rows is not made (callers keep their JavaScript loop).
 *
 * Where d is a multiple of 4, `lower` first screens each row–centre pair on a float32 dot (four
 * lanes, half the instructions of the float64 one) and computes the float64 dot only for the
 * pairs whose screened distance, less a bound on its error, could still beat the row's current
 * one (screenedFunction); every distance and owner written is still the float64 one. Those
 * functions read the centres as plain rows (float64 in the centres area, float32 after the
 * norms), so a call copies them in with two typed-array copies instead of interleaving them.
 * Released instances are reused (`release`), saving a fresh memory's page faults per call.
 *
 * Memory: [rows: n·d float32][list: maxRows int32][centres: ⌈d/2⌉ · 4 · 2 float64, or 4 rows
 * of d float64][dots: maxRows · 4 float64][centre norms: 4 float64, the screen's E and A]
 * [float32 centres: 4 rows of d, where d is a multiple of 4][row state: norms, distances n
 * float64, owners n int32].
 */
import {
  BLOCK, BR, BR_IF, compileKernel, END, ensureBytes, F64, F64_ADD, F64_CONST, F64_LOAD, F64_MUL, F64_STORE, F64_SUB, F64X2_ADD, F64X2_LANE,
  F32X4_ADD, F32X4_MUL, F64X2_MUL, F64X2_PROMOTE_LOW_F32X4, GET, I32, I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_GT_U, I32_LOAD, I32_MUL, I32_OR,
  I32_SHL, I32_STORE, IF, type Kernel, type KernelFunction, LOOP, mem, moduleOf, SELECT, SET, SHUFFLE, TEE, V128, V128_LOAD, V128_LOAD32_ZERO, V128_LOAD64_ZERO,
  V128_ZERO, VOID,
} from "./assemble.ts";

// Every function takes (rows, listAt, cAt, d, outAt or cnAt, normsAt, distAt, ownerAt, ownerBase):
// dotsG uses the first five, lowerG all. Locals: i32 9 q, 10 cp, 11 cEnd, 12–15 row pointers;
// v128 16–23 accumulators, 24–27 row vectors, 28 centre vector; f64 29 xn, 30 best, 31 v; i32
// 32 i, 33 who, 34 the comparison.
const ROWS = 0, LIST_AT = 1, C_AT = 2, D = 3, OUT_AT = 4, CN_AT = 4, NORMS_AT = 5, DIST_AT = 6, OWNER_AT = 7, OWNER_BASE = 8;
const Q = 9, CP = 10, C_END = 11, XP = 12, ACC = 16, XV = 24, CV = 28, XN = 29, BEST = 30, V = 31, IR = 32, WHO = 33, LESS = 34;
const LOCALS: Array<[number, number]> = [[7, I32], [13, V128], [3, F64], [3, I32]];
const F64_LT = 0x63, F64_GT = 0x64, I32_GE_S = 0x4e;
const f64 = (v: number): number[] => [F64_CONST, ...new Uint8Array(Float64Array.of(v).buffer)];

/** The row number list[q + r] (on the stack). */
const listed = (r: number): number[] => [GET, Q, I32_CONST, r, I32_ADD, I32_CONST, 2, I32_SHL, GET, LIST_AT, I32_ADD, I32_LOAD, ...mem(2, 0)];

/** Row IR's norm into XN, its distance into BEST, no centre yet in WHO. */
const ROW_OPEN: readonly number[] = [
  GET, IR, I32_CONST, 3, I32_SHL, GET, NORMS_AT, I32_ADD, F64_LOAD, ...mem(3, 0), SET, XN,
  GET, IR, I32_CONST, 3, I32_SHL, GET, DIST_AT, I32_ADD, F64_LOAD, ...mem(3, 0), SET, BEST,
  I32_CONST, 0x7f /* −1 */, SET, WHO,
];

/** V = (value on the stack, ‖x‖² + ‖c‖²) − 2·(lane 0 + lane 1 of `acc`). */
const minusTwiceDot = (acc: number): number[] => [...f64(2), GET, acc, ...F64X2_LANE, 0, GET, acc, ...F64X2_LANE, 1, F64_ADD, F64_MUL, F64_SUB, SET, V];

/** V clamped at 0, kept in BEST (and centre g in WHO) when strictly smaller. */
const keepCloser = (g: number): number[] => [
  ...f64(0), GET, V, GET, V, ...f64(0), F64_LT, SELECT, SET, V,
  GET, V, GET, BEST, GET, V, GET, BEST, F64_LT, TEE, LESS, SELECT, SET, BEST,
  I32_CONST, g, GET, WHO, GET, LESS, SELECT, SET, WHO,
];

/** Where a centre won: row IR's distance and owner (ownerBase + WHO) stored. */
const ROW_CLOSE: readonly number[] = [
  GET, WHO, I32_CONST, 0, I32_GE_S, IF, VOID,
  GET, IR, I32_CONST, 3, I32_SHL, GET, DIST_AT, I32_ADD, GET, BEST, F64_STORE, ...mem(3, 0),
  GET, IR, I32_CONST, 2, I32_SHL, GET, OWNER_AT, I32_ADD, GET, OWNER_BASE, GET, WHO, I32_ADD, I32_STORE, ...mem(2, 0),
  END,
];

/**
 * lowerDistances' comparison for row r of a tile (local IR its number): v = (‖x‖² + ‖c‖²) − 2·dot
 * per centre, clamped at 0, the strictly smaller one kept, earlier centres winning ties; the
 * same operations in the same order, so the same distances and owners.
 */
function lowerRow(r: number, G: number): number[] {
  const out: number[] = [...ROW_OPEN];
  for (let g = 0; g < G; g++) {
    out.push(GET, XN, GET, CN_AT, F64_LOAD, ...mem(3, 8 * g), F64_ADD, ...minusTwiceDot(ACC + r * G + g));
    out.push(...keepCloser(g));
  }
  out.push(...ROW_CLOSE);
  return out;
}

/**
 * R listed rows from q against G centres: the pairs loop, an odd last coordinate, then the
 * dots stored (or, with `lower`, lowerDistances' comparison made).
 */
function tile(R: number, G: number, lower: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < R; r++) {
    // xp_r = list[q + r] · d · 4
    out.push(...listed(r));
    out.push(GET, D, I32_MUL, I32_CONST, 2, I32_SHL, SET, XP + r);
  }
  for (let a = 0; a < R * G; a++) out.push(...V128_ZERO, SET, ACC + a);
  const step = (last: boolean): number[] => {
    const s: number[] = [];
    // Two coordinates (or the last one and a zero) as float64 lanes.
    const load = [...(last ? V128_LOAD32_ZERO : V128_LOAD64_ZERO), ...mem(2, 0), ...F64X2_PROMOTE_LOW_F32X4];
    for (let r = 0; r < R; r++) s.push(GET, XP + r, ...load, SET, XV + r);
    for (let g = 0; g < G; g++) {
      s.push(GET, CP, ...V128_LOAD, ...mem(3, 16 * g), SET, CV);
      for (let r = 0; r < R; r++) s.push(GET, ACC + r * G + g, GET, XV + r, GET, CV, ...F64X2_MUL, ...F64X2_ADD, SET, ACC + r * G + g);
    }
    return s;
  };
  out.push(GET, C_AT, SET, CP);
  out.push(BLOCK, VOID, LOOP, VOID, GET, CP, GET, C_END, I32_GE_U, BR_IF, 1);
  out.push(...step(false));
  for (let r = 0; r < R; r++) out.push(GET, XP + r, I32_CONST, 8, I32_ADD, SET, XP + r);
  out.push(GET, CP, I32_CONST, ...sleb(16 * G), I32_ADD, SET, CP);
  out.push(BR, 0, END, END);
  // An odd d: the last coordinate in lane 0, zero in lane 1 (the centres' lane 1 is zero too).
  out.push(GET, D, I32_CONST, 1, I32_AND, IF, VOID, ...step(true), END);
  if (lower) {
    for (let r = 0; r < R; r++) {
      out.push(...listed(r), SET, IR);
      out.push(...lowerRow(r, G));
    }
    return out;
  }
  for (let r = 0; r < R; r++) {
    for (let g = 0; g < G; g++) {
      // out[(q + r)·4 + g] = lane 0 + lane 1
      out.push(GET, Q, I32_CONST, r, I32_ADD, I32_CONST, 5, I32_SHL, GET, OUT_AT, I32_ADD);
      out.push(GET, ACC + r * G + g, ...F64X2_LANE, 0, GET, ACC + r * G + g, ...F64X2_LANE, 1, F64_ADD, F64_STORE, ...mem(3, 8 * g));
    }
  }
  return out;
}

/** Signed LEB128 of a small non-negative constant (i32.const takes signed immediates). */
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if (v === 0 && (byte & 0x40) === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** The listed rows in tiles of R (tileOf(R)), then the rest one at a time (tileOf(1)). */
function rowsLoops(R: number, tileOf: (rows: number) => number[]): number[] {
  const loop = (r: number): number[] => [
    BLOCK, VOID, LOOP, VOID,
    GET, Q, I32_CONST, r, I32_ADD, GET, ROWS, I32_GT_U, BR_IF, 1,
    ...tileOf(r),
    GET, Q, I32_CONST, r, I32_ADD, SET, Q,
    BR, 0, END, END,
  ];
  return [...loop(R), ...(R > 1 ? loop(1) : [])];
}

/** dotsG (or lowerG): rows R at a time, then one at a time. */
function dotsFunction(G: number, R: number, lower = false): KernelFunction {
  const body = [
    // cEnd = cAt + ⌊d/2⌋ · 16 · G
    GET, D, I32_CONST, 1, 0x76 /* i32.shr_u */, I32_CONST, ...sleb(16 * G), I32_MUL, GET, C_AT, I32_ADD, SET, C_END,
    ...rowsLoops(R, (r) => tile(r, G, lower)),
    END,
  ];
  return { name: `${lower ? "lower" : "dots"}${G}`, params: 9, locals: LOCALS, body };
}

// The screened lower's extra locals: f64 35 s = ‖x‖² + ‖c‖², v128 36 the exact accumulator, i32
// 37–39 its row pointer, centre pointer and row end, i32 40–42 centre g's offset g·4d in the
// float32 centres (g = 1, 2, 3).
const S = 35, EX = 36, EP = 37, EC = 38, E_END = 39;
/** The local holding centre g's offset g·4d (g = 1, 2, 3: locals 40–42). */
const off = (g: number): number => 39 + g;
const SCREEN_LOCALS: Array<[number, number]> = [...LOCALS, [1, F64], [1, V128], [6, I32]];
/** Adds centre g's byte offset in the float32 centres (nothing for g = 0). */
const offset = (g: number): number[] => (g === 0 ? [] : [GET, off(g), I32_ADD]);
/** Where the float32 centres start after the centre norms (4 norms, E, A). */
const C32_OFFSET = 48;
/** Rows whose squared norm exceeds this skip the screen (their float32 products could overflow). */
const SCREEN_NORM_LIMIT = 1e30;

/**
 * lowerRow with a float32 screen, for row r of a tile whose accumulators hold float32 lanes:
 * s = ‖x‖² + ‖c‖², est = s − 2·dot32 (lanes summed in float64), and the float64 dot (the
 * canonical order of the unscreened kernel, pair by pair) is computed only where
 * est − (E·s + A) < best, or the row's norm is past SCREEN_NORM_LIMIT. Elsewhere the exact
 * distance cannot be strictly smaller than best (the bound, createDotKernel), so the row would
 * not have changed. A missing centre (norm +∞) makes the test NaN: skipped, as its +∞ distance
 * would be.
 */
function screenedRow(r: number, G: number): number[] {
  const out: number[] = [...ROW_OPEN];
  const high = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
  for (let g = 0; g < G; g++) {
    const acc = ACC + r * G + g;
    out.push(GET, XN, GET, CN_AT, F64_LOAD, ...mem(3, 8 * g), F64_ADD, SET, S);
    // est = s − 2·((l0 + l2) + (l1 + l3)), the float32 lanes promoted.
    out.push(GET, acc, ...F64X2_PROMOTE_LOW_F32X4, GET, acc, GET, acc, ...SHUFFLE, ...high, ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_ADD, SET, EX);
    out.push(GET, S, ...minusTwiceDot(EX));
    // (est − (E·s + A) < best) | (‖x‖² > limit)
    out.push(GET, V, GET, S, GET, CN_AT, F64_LOAD, ...mem(3, 32), F64_MUL, GET, CN_AT, F64_LOAD, ...mem(3, 40), F64_ADD, F64_SUB, GET, BEST, F64_LT);
    out.push(GET, XN, ...f64(SCREEN_NORM_LIMIT), F64_GT, I32_OR, IF, VOID);
    // The float64 dot: pairs of coordinates; centre g's row at C_AT + g·8d (twice its float32 offset).
    out.push(...V128_ZERO, SET, EX);
    out.push(GET, IR, GET, D, I32_MUL, I32_CONST, 2, I32_SHL, TEE, EP, GET, D, I32_CONST, 2, I32_SHL, I32_ADD, SET, E_END);
    out.push(GET, C_AT, ...(g > 0 ? [GET, off(g), I32_CONST, 1, I32_SHL, I32_ADD] : []), SET, EC);
    out.push(BLOCK, VOID, LOOP, VOID, GET, EP, GET, E_END, I32_GE_U, BR_IF, 1);
    out.push(GET, EX, GET, EP, ...V128_LOAD64_ZERO, ...mem(2, 0), ...F64X2_PROMOTE_LOW_F32X4, GET, EC, ...V128_LOAD, ...mem(3, 0), ...F64X2_MUL, ...F64X2_ADD, SET, EX);
    out.push(GET, EP, I32_CONST, 8, I32_ADD, SET, EP, GET, EC, I32_CONST, 16, I32_ADD, SET, EC);
    out.push(BR, 0, END, END);
    // lowerRow's steps on it.
    out.push(GET, S, ...minusTwiceDot(EX), ...keepCloser(g), END);
  }
  out.push(...ROW_CLOSE);
  return out;
}

/**
 * R listed rows from q against G centres in float32 (four coordinates a step; d a multiple of 4),
 * then screenedRow per row. The centres are rows: float32 at cnAt + 48, float64 at C_AT, as
 * written by one typed-array copy each (no interleaving to lay out per call).
 */
function screenedTile(R: number, G: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < R; r++) {
    out.push(...listed(r));
    out.push(GET, D, I32_MUL, I32_CONST, 2, I32_SHL, SET, XP + r);
  }
  for (let a = 0; a < R * G; a++) out.push(...V128_ZERO, SET, ACC + a);
  out.push(GET, CN_AT, I32_CONST, C32_OFFSET, I32_ADD, SET, CP);
  out.push(BLOCK, VOID, LOOP, VOID, GET, CP, GET, C_END, I32_GE_U, BR_IF, 1);
  for (let r = 0; r < R; r++) out.push(GET, XP + r, ...V128_LOAD, ...mem(2, 0), SET, XV + r);
  for (let g = 0; g < G; g++) {
    out.push(GET, CP, ...offset(g), ...V128_LOAD, ...mem(2, 0), SET, CV);
    for (let r = 0; r < R; r++) out.push(GET, ACC + r * G + g, GET, XV + r, GET, CV, ...F32X4_MUL, ...F32X4_ADD, SET, ACC + r * G + g);
  }
  for (let r = 0; r < R; r++) out.push(GET, XP + r, I32_CONST, 16, I32_ADD, SET, XP + r);
  out.push(GET, CP, I32_CONST, 16, I32_ADD, SET, CP);
  out.push(BR, 0, END, END);
  for (let r = 0; r < R; r++) {
    out.push(...listed(r), SET, IR);
    out.push(...screenedRow(r, G));
  }
  return out;
}

/** screenedG: rows R at a time, then one at a time (dotsFunction's loops). */
function screenedFunction(G: number, R: number): KernelFunction {
  const body = [
    // cEnd = cnAt + 48 + 4d (the end of centre 0's float32 row); centre g at + g·4d.
    GET, D, I32_CONST, 2, I32_SHL, TEE, off(1), GET, CN_AT, I32_ADD, I32_CONST, C32_OFFSET, I32_ADD, SET, C_END,
    GET, off(1), I32_CONST, 1, I32_SHL, SET, off(2),
    GET, off(1), GET, off(2), I32_ADD, SET, off(3),
    ...rowsLoops(R, (r) => screenedTile(r, G)),
    END,
  ];
  return { name: `screened${G}`, params: 9, locals: SCREEN_LOCALS, body };
}

type DotsFn = (rows: number, listAt: number, cAt: number, d: number, outAt: number) => void;
type LowerFn = (rows: number, listAt: number, cAt: number, d: number, cnAt: number, normsAt: number, distAt: number, ownerAt: number, ownerBase: number) => void;
const make = compileKernel(
  moduleOf([dotsFunction(4, 2), dotsFunction(1, 4), dotsFunction(4, 2, true), dotsFunction(1, 4, true), screenedFunction(4, 2), screenedFunction(1, 4)], 1),
);

/** Dot products of listed rows of one point matrix with up to 4 centres at a time. */
export interface DotKernel {
  /** Where callers write the row numbers of a call (at most maxRows of them). */
  readonly list: Int32Array;
  /** The n rows (d wide) in the kernel's memory: a caller may write other rows there between calls. */
  readonly rows: Float32Array;
  /**
   * Dots of the first `rows` listed rows with centres j0 … j0+g−1 (g ≤ 4) of `centres`
   * (float64, d wide): entry q·4 + j is row list[q] with centre j0 + j. A view into the
   * kernel's memory, overwritten by the next call.
   */
  dots(centres: Float64Array, j0: number, g: number, rows: number): Float64Array;
  /**
   * Nearest-centre state of the n rows, in the kernel's memory (with `withState` only): what
   * `lower` reads and updates.
   */
  readonly state: { norms: Float64Array; distance: Float64Array; owner: Int32Array } | undefined;
  /**
   * lowerDistances for the listed rows and centres j0 … j0+g−1 (g ≤ 4), on `state`: a row's
   * distance drops to a centre's when strictly smaller, owner ownerBase + j; earlier centres
   * win ties; the same values as lowerDistances.
   */
  lower(centres: Float64Array, centreNorms: Float64Array, j0: number, g: number, rows: number, ownerBase: number): void;
  /** Hands the instance back for the next createDotKernel (its views must not be used after). */
  release(): void;
}

/**
 * Released instances, reused by createDotKernel: a fresh instance costs its memory's page faults
 * and set-up again, which on a small pool (KCenterGreedy at N = 1,000) is a tenth of the call.
 * Only a few, and only small memories, are kept.
 */
const idle: Kernel[] = [];
const MAX_IDLE = 4;
const MAX_IDLE_BYTES = 64 * 2 ** 20;

/** Largest row matrix (bytes of float32) copied into a kernel's memory; callers keep their JavaScript loop beyond it. */
const MAX_ROWS_BYTES = 2 ** 30;

/** The kernel for the n rows (d wide) of `x`, or undefined without WebAssembly SIMD or past 1 GiB of rows. */
export function createDotKernel(x: Float32Array, n: number, d: number, maxRows: number, withState = false): DotKernel | undefined {
  if (make === undefined || d === 0 || n * d * 4 > MAX_ROWS_BYTES) return undefined;
  const kernel = idle.pop() ?? make();
  const dots4 = kernel.exports.dots4 as DotsFn;
  const dots1 = kernel.exports.dots1 as DotsFn;
  const align = (v: number): number => Math.ceil(v / 16) * 16;
  const listAt = align(n * d * 4);
  const cAt = align(listAt + maxRows * 4);
  const pairs = (d + 1) >> 1;
  const outAt = cAt + pairs * 64;
  const cnAt = outAt + maxRows * 32;
  // The screen needs whole float32 vectors: d a multiple of 4 (elsewhere lower is unscreened).
  const screen = d % 4 === 0;
  const c32Length = screen ? (d >> 2) * 16 : 0;
  const normsAt = cnAt + C32_OFFSET + c32Length * 4;
  const distAt = normsAt + (withState ? n * 8 : 0);
  const ownerAt = distAt + (withState ? n * 8 : 0);
  if (!ensureBytes(kernel.memory, ownerAt + (withState ? n * 4 : 0))) return undefined;
  const buffer = kernel.memory.buffer;
  const rows = new Float32Array(buffer, 0, n * d);
  rows.set(x.subarray(0, n * d));
  const list = new Int32Array(buffer, listAt, maxRows);
  const layout = new Float64Array(buffer, cAt, pairs * 8);
  const out = new Float64Array(buffer, outAt, maxRows * 4);
  const cn = new Float64Array(buffer, cnAt, 6);
  const c32 = new Float32Array(buffer, cnAt + C32_OFFSET, c32Length);
  // The screen's bound: |est − exact| ≤ E·s + A for s = ‖x‖² + ‖c‖² (see screenedRow). The float32
  // dot of d/4 products per lane errs by at most γ(d/4)·Σ|x_j c_j| (γ(m) = m·u/(1 − m·u), u = 2⁻²⁴),
  // and rounding a float64 centre to float32 adds u·Σ|x_j c_j|; the float64 dot errs by
  // γ₆₄(d/2 + 2)·Σ|x_j c_j|; est and the exact distance each round once more in s − 2·dot, at
  // most 2ε·s (|2·dot| ≤ s), ε = 2⁻⁵³. With 2·Σ|x_j c_j| ≤ 2‖x‖‖c‖ ≤ s, the error of s − 2·dot is
  // at most (γ(d/4 + 2) + γ₆₄(d/2 + 2) + 4ε)·s. Float32 products below the normal range lose up to
  // 2⁻¹⁵⁰ each: A covers d of them, doubled. Both are taken twice over.
  const gamma = (m: number, u: number): number => (m * u) / (1 - m * u);
  cn[4] = 2 * (gamma((d >> 2) + 2, 2 ** -24) + gamma((d >> 1) + 2, 2 ** -53) + 4 * 2 ** -53);
  cn[5] = 2 * d * 2 ** -148;
  const state = withState
    ? { norms: new Float64Array(buffer, normsAt, n), distance: new Float64Array(buffer, distAt, n), owner: new Int32Array(buffer, ownerAt, n) }
    : undefined;
  const lower4 = kernel.exports.lower4 as LowerFn;
  const lower1 = kernel.exports.lower1 as LowerFn;
  const screened4 = kernel.exports.screened4 as LowerFn;
  const screened1 = kernel.exports.screened1 as LowerFn;
  /**
   * The screened functions read the centres as rows, float64 at cAt and float32 after the norms:
   * two copies. Rows of missing centres keep what an earlier call left (norm +∞ rules them out).
   */
  const rows64 = new Float64Array(buffer, cAt, 4 * d);
  const placeRows = (centres: Float64Array, j0: number, g: number): void => {
    const from = centres.subarray(j0 * d, (j0 + g) * d);
    rows64.set(from);
    c32.set(from);
  };
  /** The centres' layout for the kernel: false when it is the one-centre layout. */
  const place = (centres: Float64Array, j0: number, g: number): boolean => {
    if (g === 1) {
      // [c[2p], c[2p+1]] per pair; an odd last coordinate with a zero beside it.
      const o = j0 * d;
      layout.set(centres.subarray(o, o + d));
      if (d & 1) layout[d] = 0;
      return false;
    }
    // Per pair, centre j's two coordinates at 2j (missing centres zero).
    layout.fill(0);
    for (let j = 0; j < g; j++) {
      const o = (j0 + j) * d;
      for (let p = 0, e = 0; e < d; p += 8, e += 2) {
        layout[p + 2 * j] = centres[o + e]!;
        if (e + 1 < d) layout[p + 2 * j + 1] = centres[o + e + 1]!;
      }
    }
    return true;
  };
  return {
    list,
    rows,
    state,
    lower(centres, centreNorms, j0, g, rows, ownerBase) {
      // A missing centre's norm is +∞: its distance is +∞, never strictly smaller.
      for (let j = 0; j < 4; j++) cn[j] = j < g ? centreNorms[j0 + j]! : Infinity;
      // Centres past the limit go unscreened (their float32 products could overflow); rows past it the kernel sends to the exact dot.
      let small = screen;
      for (let j = 0; j < g && small; j++) small = cn[j]! <= SCREEN_NORM_LIMIT;
      if (small) placeRows(centres, j0, g);
      const lowerG = small ? (g > 1 ? screened4 : screened1) : place(centres, j0, g) ? lower4 : lower1;
      lowerG(rows, listAt, cAt, d, cnAt, normsAt, distAt, ownerAt, ownerBase);
    },
    dots(centres, j0, g, rows) {
      (place(centres, j0, g) ? dots4 : dots1)(rows, listAt, cAt, d, outAt);
      return out;
    },
    release() {
      if (idle.length < MAX_IDLE && kernel.memory.buffer.byteLength <= MAX_IDLE_BYTES && !idle.includes(kernel)) idle.push(kernel);
    },
  };
}
