/**
 * Per-row statistics of float32 probability rows, computed by a tiny hand-written WebAssembly
 * SIMD module (four values per instruction). V8 does not vectorise JavaScript, and a validated
 * single-pass sampler needs only a few reductions per row: in scalar JavaScript they ran at a
 * quarter to a half of numpy's speed (README, "Selection speed"). Three row kernels share the
 * module; each reads a row once for the checks every sampler needs (max, sum, sign bits) plus
 * its own score's ingredients:
 * - `rowStats`: just those (least-confidence, and every probability check in validate.ts);
 * - `rowTop2`: also the second largest value (margin);
 * - `rowEntropy`: also Σ p·log2 p in float32 with a polynomial log2 (entropy's screen; the
 *   error bound is at ROW_POLY_ERROR and xlog2xSlack);
 * `sampleSums` adds up each point's MC samples per class on the chunk rowEntropy copied in; and
 * `sampleBlockStats` is BALD's single read of its N×T×C samples: per point block, each sample
 * row's checks as rowStats gives them, the point's flag, its Σ p·log2 p (ROW_LOG2_POLY,
 * blockXlog2xSlack) and its per-class sums, in one pass. Rows are copied into the module's
 * memory a chunk at a time (a memcpy, cheaper than the reductions it feeds); where WebAssembly
 * SIMD is missing all of them are undefined and callers keep their JavaScript scans.
 */

import {
  BLOCK, BR, BR_IF, compileKernel, END, f32Bytes, F32_CONST, F32_LOAD, F32_STORE, F64_CONST, F64_LOAD, F64_PROMOTE_F32, F64_SUB, I32_OR, F32X4_ADD, F32X4_CONVERT_I32X4_S, F32X4_LANE, F32X4_MUL, F32X4_PMAX,
  F32X4_PMIN, F32X4_SPLAT, F32X4_SUB, f32x4Const, GET, I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_SHL, I32_STORE, I32X4_LANE, I32X4_SHR_U,
  I32X4_SUB, i32x4Const, LOOP, mem, name, section, SET, SHUFFLE, TEE, uleb, V128_AND, V128_CONST, V128_LOAD, V128_OR, V128_STORE, V128_ZERO, VOID,
} from "../simd/assemble.ts";
import { ROW_LOG2_POLY, ROW_POLY_ERROR } from "../simd/log2-poly.ts";
// Re-exported: tested with these kernels.
export { ROW_LOG2_POLY, ROW_POLY_ERROR } from "../simd/log2-poly.ts";

/** Floats per chunk: 256 KB of rows, which stays in L2 between the copy and the scan. */
const CHUNK_FLOATS = 1 << 16;
/** The widest T×C block sampleBlockStats reads (one chunk's floats). */
export const SAMPLE_CHUNK_FLOATS = CHUNK_FLOATS;
const INPUT_BYTES = CHUNK_FLOATS * 4;
/** Byte offsets of the per-row outputs (at most CHUNK_FLOATS rows each) after the input. */
const MAX_AT = INPUT_BYTES;
const SUM_AT = 2 * INPUT_BYTES;
const SIGN_AT = 3 * INPUT_BYTES;
const SECOND_AT = 4 * INPUT_BYTES;
const XLOG2X_AT = 5 * INPUT_BYTES;
/** Per-class sums over each point's T sample rows (sampleSums); the last may run 12 bytes past. */
const COLSUM_AT = 6 * INPUT_BYTES;
/** Four lane masks: mask r keeps lanes 0 … r − 1, for a row's last width mod 4 values. */
const MASKS_AT = 7 * INPUT_BYTES + 64;
/** sampleBlockStats' row bounds: the largest value (f32), then how far a sum may be from 1 (f64). */
const BOUNDS_AT = MASKS_AT + 64;
/** Its per-point flags, where rowTop2's seconds go (no call writes both). */
const FLAG_AT = SECOND_AT;
const PAGES = (7 * INPUT_BYTES) / 65536 + 1;

const F32_NEG_INF = f32Bytes(-Infinity);
const ZERO = V128_ZERO;


/**
 * Locals. Params 0 rows, 1 width; i32 2 r, 3 p (byte address), 4 vectors' end, 5 row's end,
 * 6 o (sign OR), 7 the end of the eight-at-a-time part; f32 8 m (max), 9 s (sum), 10 a (the
 * kernel's own scalar); v128 from 11, in two sets so that two vectors per step do not wait on
 * each other, and the tail's lane mask.
 */
const R = 2, P = 3, VEND = 4, REND = 5, O = 6, VEND8 = 7, M = 8, S = 9, A = 10;
const VMAX = 11, VSUM = 12, VOR = 13, V = 14, VA = 15, T = 16;
const VMAX2 = 17, VSUM2 = 18, VOR2 = 19, W = 20, VA2 = 21, T2 = 22, MASK = 23;
const LOCALS = [3, 6, 0x7f, 3, 0x7d, 13, 0x7b];
const SETS = [
  { vmax: VMAX, vsum: VSUM, vor: VOR, v: V, va: VA, t: T },
  { vmax: VMAX2, vsum: VSUM2, vor: VOR2, v: W, va: VA2, t: T2 },
] as const;
type LaneSet = (typeof SETS)[number];

/** What a kernel adds to the shared max/sum/sign scan: its own accumulator VA, reduced to A and stored. */
interface Kernel {
  /** VA's start (one v128 on the stack). */
  init: number[];
  /** Vector `s.v`, before s.vmax takes it in (top-2 needs the old max). */
  step: (s: LaneSet) => number[];
  /** Set 2's VA2 into VA (before the maxima are merged). */
  combine: number[];
  /** VA's lanes to A; may use V, W, T as scratch. */
  reduce: number[];
  /** Where A goes for row R; none for the plain statistics. */
  at: number | undefined;
}

/** Swap lanes (2, 3, 0, 1), then (1, 0, 3, 2): i8x16.shuffle masks, as byte indices. */
const HALVES = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
const PAIRS = [4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11];
/** The second of two top-2s into `sec`: max(min(max₁, max₂), max(second₁, second₂)). */
const merge = (max: number, max2: number, sec: number, sec2: number): number[] => [
  GET, max, GET, max2, ...F32X4_PMIN, GET, sec, GET, sec2, ...F32X4_PMAX, ...F32X4_PMAX, SET, sec,
];
const shuffled = (from: number, to: number, mask: number[]): number[] => [GET, from, GET, from, ...SHUFFLE, ...mask, SET, to];
/**
 * A vector's four lanes folded with `op` (left on the stack, lane 0 holding the answer) by two
 * shuffles: vector instructions, where scalar f32.max is a NaN- and −0-aware branchy sequence.
 */
const fold = (local: number, op: number[]): number[] => [
  GET, local, GET, local, GET, local, ...SHUFFLE, ...HALVES, ...op, TEE, local, GET, local, GET, local, ...SHUFFLE, ...PAIRS, ...op,
];

/**
 * A kernel's function. A row's last width mod 4 values are read as one more vector with the
 * lanes past the row zeroed (the load may run up to 12 bytes past the chunk, still in memory):
 * a zero adds nothing to the sum, the sign bits or Σ p·log2 p, and changes neither the maximum
 * nor the top two of a row of non-negative values, the only rows whose answers are used as such.
 */
function kernelBody(k: Kernel): number[] {
  const step = (s: LaneSet, at: number, masked = false): number[] => [
    GET, P, ...V128_LOAD, ...mem(2, at), ...(masked ? [GET, MASK, ...V128_AND] : []), SET, s.v,
    ...k.step(s),
    // pmax is one instruction (maxps); it may drop a NaN, but a NaN makes the sum NaN, which flags the row.
    GET, s.vmax, GET, s.v, ...F32X4_PMAX, SET, s.vmax,
    GET, s.vsum, GET, s.v, ...F32X4_ADD, SET, s.vsum,
    GET, s.vor, GET, s.v, ...V128_OR, SET, s.vor,
  ];
  const store = (at: number, local: number, op: number): number[] => [GET, R, I32_CONST, 2, I32_SHL, GET, local, op, ...mem(2, at)];
  return [
    ...LOCALS,
    GET, 1, I32_CONST, 3, I32_AND, I32_CONST, 4, I32_SHL, ...V128_LOAD, ...mem(2, MASKS_AT), SET, MASK,
    BLOCK, VOID, LOOP, VOID, // for each row
    GET, R, GET, 0, I32_GE_U, BR_IF, 1,
    GET, P, GET, 1, I32_CONST, 2, I32_SHL, I32_ADD, SET, REND,
    GET, P, GET, 1, I32_CONST, 0x7c, I32_AND, I32_CONST, 2, I32_SHL, I32_ADD, SET, VEND, // width & ~3
    GET, P, GET, 1, I32_CONST, 0x78, I32_AND, I32_CONST, 2, I32_SHL, I32_ADD, SET, VEND8, // width & ~7
    F32_CONST, ...F32_NEG_INF, ...F32X4_SPLAT, TEE, VMAX, SET, VMAX2,
    ...ZERO, TEE, VSUM, SET, VSUM2,
    ...ZERO, TEE, VOR, SET, VOR2,
    ...k.init, TEE, VA, SET, VA2,
    BLOCK, VOID, LOOP, VOID,
    GET, P, GET, VEND8, I32_GE_U, BR_IF, 1, // eight values at a time
    ...step(SETS[0], 0),
    ...step(SETS[1], 16),
    GET, P, I32_CONST, 32, I32_ADD, SET, P,
    BR, 0, END, END,
    BLOCK, VOID,
    GET, P, GET, VEND, I32_GE_U, BR_IF, 0, // then four
    ...step(SETS[1], 0),
    GET, P, I32_CONST, 16, I32_ADD, SET, P,
    END,
    BLOCK, VOID,
    GET, P, GET, REND, I32_GE_U, BR_IF, 0, // then the last width mod 4, masked
    ...step(SETS[0], 0, true),
    END,
    GET, REND, SET, P,
    ...k.combine,
    GET, VMAX, GET, VMAX2, ...F32X4_PMAX, SET, VMAX,
    GET, VSUM, GET, VSUM2, ...F32X4_ADD, SET, VSUM,
    GET, VOR, GET, VOR2, ...V128_OR, SET, VOR,
    ...k.reduce,
    ...fold(VMAX, F32X4_PMAX), ...F32X4_LANE, 0, SET, M,
    ...fold(VSUM, F32X4_ADD), ...F32X4_LANE, 0, SET, S,
    ...fold(VOR, V128_OR), ...I32X4_LANE, 0, SET, O,
    // the row's outputs to their arrays
    ...store(MAX_AT, M, F32_STORE),
    ...store(SUM_AT, S, F32_STORE),
    ...store(SIGN_AT, O, I32_STORE),
    ...(k.at === undefined ? [] : store(k.at, A, F32_STORE)),
    GET, R, I32_CONST, 1, I32_ADD, SET, R,
    BR, 0, END, END,
    END,
  ];
}

const plainKernel: Kernel = { init: ZERO, step: () => [], combine: [], reduce: [], at: undefined };

/**
 * Top two per lane: second = max(second, min(max, v)) before max = max(max, v), so a maximum
 * seen twice is also the second. The second starts at 0, not −∞: margin takes p2 = 0 for one
 * class, and on the non-negative rows the answer is used for, max(0, ·) changes nothing.
 */
const top2Kernel: Kernel = {
  init: ZERO,
  step: (s) => [GET, s.va, GET, s.vmax, GET, s.v, ...F32X4_PMIN, ...F32X4_PMAX, SET, s.va],
  combine: merge(VMAX, VMAX2, VA, VA2),
  // On a copy of the maxima (T), whose own lanes are reduced after, for M.
  reduce: [
    GET, VMAX, SET, T,
    ...shuffled(T, V, HALVES), ...shuffled(VA, W, HALVES), ...merge(T, V, VA, W), GET, T, GET, V, ...F32X4_PMAX, SET, T,
    ...shuffled(T, V, PAIRS), ...shuffled(VA, W, PAIRS), ...merge(T, V, VA, W),
    GET, VA, ...F32X4_LANE, 0, SET, A,
  ],
  at: SECOND_AT,
};

/**
 * Σ p·log2 p per lane. log2 p = e + log2 m for p = 2^e·m, m ∈ [1, 2): e from the exponent
 * bits, m by setting them to 127's, then ROW_LOG2_POLY of x = m − 1 (exact, by Sterbenz).
 * A zero reads as e = −127, x = 0 and adds 0·(−127) = 0; a subnormal as 2^−127·(1 + x), wrong
 * but below 1.2e-38 a term; a −0 adds −0 (its sign bit flags the row anyway).
 */
const log2Step = (s: LaneSet, poly: readonly number[] = ROW_LOG2_POLY): number[] => [
  GET, s.va,
  GET, s.v, ...i32x4Const(0x7fffff), ...V128_AND, ...i32x4Const(0x3f800000), ...V128_OR, ...f32x4Const(1), ...F32X4_SUB, TEE, s.t,
  // Horner from the top coefficient: ((x·a_d + a_{d−1})·x + … + a_1)·x.
  ...f32x4Const(poly[poly.length - 1]!), ...F32X4_MUL, ...f32x4Const(poly[poly.length - 2]!), ...F32X4_ADD,
  ...poly.slice(0, -2).reverse().flatMap((a) => [GET, s.t, ...F32X4_MUL, ...f32x4Const(a), ...F32X4_ADD]),
  GET, s.t, ...F32X4_MUL,
  GET, s.v, I32_CONST, 23, ...I32X4_SHR_U, ...i32x4Const(127), ...I32X4_SUB, ...F32X4_CONVERT_I32X4_S, ...F32X4_ADD,
  GET, s.v, ...F32X4_MUL,
  ...F32X4_ADD, SET, s.va,
];
const entropyKernel: Kernel = {
  init: ZERO,
  step: log2Step,
  combine: [GET, VA, GET, VA2, ...F32X4_ADD, SET, VA],
  reduce: [...fold(VA, F32X4_ADD), ...F32X4_LANE, 0, SET, A],
  at: XLOG2X_AT,
};

/** Signed LEB128, for i32.const. */
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};

/**
 * colsum(points, t, c) over the chunk the last kernel call copied in (rows of c values, t per
 * point): each point's c per-class sums over its t rows, in float32, in row order, at
 * COLSUM_AT + point·c. Four classes at a time; the last vector of a row runs into the next row,
 * and its extra lanes land in the next point's sums, which that point zeroes before adding.
 * Params 0 points, 1 t, 2 c; i32 locals 3 i, 4 p (input), 5 q (output), 6 u, 7 j, 8 row bytes,
 * 9 the row's bytes rounded up to a vector.
 */
const colsumBody: number[] = [
  1, 7, 0x7f,
  GET, 2, I32_CONST, 2, I32_SHL, SET, 8,
  GET, 8, I32_CONST, 12, I32_ADD, I32_CONST, ...sleb(-16), I32_AND, SET, 9,
  I32_CONST, ...sleb(COLSUM_AT), SET, 5,
  BLOCK, VOID, LOOP, VOID, // for each point
  GET, 3, GET, 0, I32_GE_U, BR_IF, 1,
  I32_CONST, 0, SET, 7,
  BLOCK, VOID, LOOP, VOID, // its sums to zero
  GET, 7, GET, 9, I32_GE_U, BR_IF, 1,
  GET, 5, GET, 7, I32_ADD, ...ZERO, ...V128_STORE, ...mem(2, 0),
  GET, 7, I32_CONST, 16, I32_ADD, SET, 7,
  BR, 0, END, END,
  I32_CONST, 0, SET, 6,
  BLOCK, VOID, LOOP, VOID, // each sample row added
  GET, 6, GET, 1, I32_GE_U, BR_IF, 1,
  I32_CONST, 0, SET, 7,
  BLOCK, VOID, LOOP, VOID,
  GET, 7, GET, 9, I32_GE_U, BR_IF, 1,
  GET, 5, GET, 7, I32_ADD,
  GET, 5, GET, 7, I32_ADD, ...V128_LOAD, ...mem(2, 0),
  GET, 4, GET, 7, I32_ADD, ...V128_LOAD, ...mem(2, 0),
  ...F32X4_ADD, ...V128_STORE, ...mem(2, 0),
  GET, 7, I32_CONST, 16, I32_ADD, SET, 7,
  BR, 0, END, END,
  GET, 4, GET, 8, I32_ADD, SET, 4,
  GET, 6, I32_CONST, 1, I32_ADD, SET, 6,
  BR, 0, END, END,
  GET, 5, GET, 8, I32_ADD, SET, 5,
  GET, 3, I32_CONST, 1, I32_ADD, SET, 3,
  BR, 0, END, END,
  END,
];

/**
 * BALD's one pass over a chunk of points (T×C blocks): each sample row's max, sum and sign bits
 * exactly as rowStats computes them for rows of width C (same lanes, same order, so the same
 * rows are flagged), each point's Σ p·log2 p over its block (log2Step with ROW_LOG2_POLY per row; the row's two
 * lane sets are then added into the block's lanes, so a term passes through ⌊C/8⌋ + T + 4 adds,
 * not about T·C/8) and its per-class sums (as colsum: each class added in row order,
 * from 0). Params 0 points, 1 t, 2 c; i32 3 r (row), 4 p, 5 vectors' end, 6 row's end, 7 o,
 * 8 the eight-at-a-time end, 9 q (point), 10 u (sample); v128 11–23 as kernelBody's (SETS,
 * MASK); i32 24 the sums' address for p, 25 the point's sums, 26 a row's bytes rounded up to a
 * vector, 27 j, 28 the point's flag (any row flagged); f32 29 m, 30 s, 31 Σ p·log2 p; v128 32
 * the block's Σ p·log2 p lanes.
 */
const BR_ROW = 3, BP = 4, BVEND = 5, BREND = 6, BO = 7, BVEND8 = 8, BQ = 9, BU = 10;
const BCS = 24, BBASE = 25, BROWB = 26, BJ = 27, BFLAG = 28, BM = 29, BS = 30, BX = 31, BVB = 32;
const I32_LT_S = 0x48, I32_EQZ = 0x45, F32_LE = 0x5f, F64_ABS = 0x99, F64_LE = 0x65;
const F64_ONE = Array.from(new Uint8Array(Float64Array.of(1).buffer));
const blockBody = (): number[] => {
  const step = (s: LaneSet, at: number, masked = false): number[] => [
    GET, BP, ...V128_LOAD, ...mem(2, at), ...(masked ? [GET, MASK, ...V128_AND] : []), SET, s.v,
    ...log2Step(s),
    // The tail's zeroed lanes add 0 to the next point's first sums, which it zeroes before adding.
    GET, BCS, GET, BCS, ...V128_LOAD, ...mem(2, at), GET, s.v, ...F32X4_ADD, ...V128_STORE, ...mem(2, at),
    GET, s.vmax, GET, s.v, ...F32X4_PMAX, SET, s.vmax,
    GET, s.vsum, GET, s.v, ...F32X4_ADD, SET, s.vsum,
    GET, s.vor, GET, s.v, ...V128_OR, SET, s.vor,
  ];
  const store = (at: number, index: number, local: number, op: number): number[] => [GET, index, I32_CONST, 2, I32_SHL, GET, local, op, ...mem(2, at)];
  return [
    5, 8, 0x7f, 13, 0x7b, 5, 0x7f, 3, 0x7d, 1, 0x7b,
    GET, 2, I32_CONST, 3, I32_AND, I32_CONST, 4, I32_SHL, ...V128_LOAD, ...mem(2, MASKS_AT), SET, MASK,
    GET, 2, I32_CONST, 2, I32_SHL, I32_CONST, 12, I32_ADD, I32_CONST, ...sleb(-16), I32_AND, SET, BROWB,
    I32_CONST, ...sleb(COLSUM_AT), SET, BBASE,
    BLOCK, VOID, LOOP, VOID, // for each point
    GET, BQ, GET, 0, I32_GE_U, BR_IF, 1,
    I32_CONST, 0, SET, BJ,
    BLOCK, VOID, LOOP, VOID, // its sums to zero
    GET, BJ, GET, BROWB, I32_GE_U, BR_IF, 1,
    GET, BBASE, GET, BJ, I32_ADD, ...ZERO, ...V128_STORE, ...mem(2, 0),
    GET, BJ, I32_CONST, 16, I32_ADD, SET, BJ,
    BR, 0, END, END,
    ...ZERO, SET, BVB,
    I32_CONST, 0, SET, BFLAG,
    I32_CONST, 0, SET, BU,
    BLOCK, VOID, LOOP, VOID, // for each sample row, as kernelBody's row loop
    GET, BU, GET, 1, I32_GE_U, BR_IF, 1,
    GET, BP, GET, 2, I32_CONST, 2, I32_SHL, I32_ADD, SET, BREND,
    GET, BP, GET, 2, I32_CONST, 0x7c, I32_AND, I32_CONST, 2, I32_SHL, I32_ADD, SET, BVEND,
    GET, BP, GET, 2, I32_CONST, 0x78, I32_AND, I32_CONST, 2, I32_SHL, I32_ADD, SET, BVEND8,
    GET, BBASE, SET, BCS,
    F32_CONST, ...F32_NEG_INF, ...F32X4_SPLAT, TEE, VMAX, SET, VMAX2,
    ...ZERO, TEE, VSUM, SET, VSUM2,
    ...ZERO, TEE, VOR, SET, VOR2,
    ...ZERO, TEE, VA, SET, VA2,
    BLOCK, VOID, LOOP, VOID,
    GET, BP, GET, BVEND8, I32_GE_U, BR_IF, 1,
    ...step(SETS[0], 0),
    ...step(SETS[1], 16),
    GET, BP, I32_CONST, 32, I32_ADD, SET, BP,
    GET, BCS, I32_CONST, 32, I32_ADD, SET, BCS,
    BR, 0, END, END,
    BLOCK, VOID,
    GET, BP, GET, BVEND, I32_GE_U, BR_IF, 0,
    ...step(SETS[1], 0),
    GET, BP, I32_CONST, 16, I32_ADD, SET, BP,
    GET, BCS, I32_CONST, 16, I32_ADD, SET, BCS,
    END,
    BLOCK, VOID,
    GET, BP, GET, BREND, I32_GE_U, BR_IF, 0,
    ...step(SETS[0], 0, true),
    END,
    GET, BREND, SET, BP,
    GET, VMAX, GET, VMAX2, ...F32X4_PMAX, SET, VMAX,
    GET, VSUM, GET, VSUM2, ...F32X4_ADD, SET, VSUM,
    GET, VOR, GET, VOR2, ...V128_OR, SET, VOR,
    ...fold(VMAX, F32X4_PMAX), ...F32X4_LANE, 0, SET, BM,
    ...fold(VSUM, F32X4_ADD), ...F32X4_LANE, 0, SET, BS,
    ...fold(VOR, V128_OR), ...I32X4_LANE, 0, SET, BO,
    GET, BVB, GET, VA, GET, VA2, ...F32X4_ADD, ...F32X4_ADD, SET, BVB,
    ...store(MAX_AT, BR_ROW, BM, F32_STORE),
    ...store(SUM_AT, BR_ROW, BS, F32_STORE),
    ...store(SIGN_AT, BR_ROW, BO, I32_STORE),
    // The row's flag as checkProbabilityRows computes it: sign < 0, !(max ≤ aboveOne) in float32,
    // !(|sum − 1| ≤ sumBound) in float64 (the float32 sum promoted, so exactly JavaScript's test).
    GET, BFLAG,
    GET, BO, I32_CONST, 0, I32_LT_S,
    GET, BM, I32_CONST, 0, F32_LOAD, ...mem(2, BOUNDS_AT), F32_LE, I32_EQZ, I32_OR,
    GET, BS, F64_PROMOTE_F32, F64_CONST, ...F64_ONE, F64_SUB, F64_ABS, I32_CONST, 0, F64_LOAD, ...mem(3, BOUNDS_AT + 8), F64_LE, I32_EQZ, I32_OR,
    I32_OR, SET, BFLAG,
    GET, BR_ROW, I32_CONST, 1, I32_ADD, SET, BR_ROW,
    GET, BU, I32_CONST, 1, I32_ADD, SET, BU,
    BR, 0, END, END,
    ...fold(BVB, F32X4_ADD), ...F32X4_LANE, 0, SET, BX,
    ...store(XLOG2X_AT, BQ, BX, F32_STORE),
    ...store(FLAG_AT, BQ, BFLAG, I32_STORE),
    GET, BBASE, GET, 2, I32_CONST, 2, I32_SHL, I32_ADD, SET, BBASE,
    GET, BQ, I32_CONST, 1, I32_ADD, SET, BQ,
    BR, 0, END, END,
    END,
  ];
};

const KERNELS = { scan: plainKernel, top2: top2Kernel, xlog2x: entropyKernel };
const bodies = [...Object.values(KERNELS).map(kernelBody), colsumBody, blockBody()];
const moduleBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [2, 0x60, 2, 0x7f, 0x7f, 0, 0x60, 3, 0x7f, 0x7f, 0x7f, 0]),
  ...section(3, [bodies.length, ...Object.keys(KERNELS).map(() => 0), 1, 1]),
  ...section(5, [1, 0, ...uleb(PAGES)]),
  ...section(7, [bodies.length + 1, ...[...Object.keys(KERNELS), "colsum", "blocks"].flatMap((k, i) => [...name(k), 0, i]), ...name("memory"), 2, 0]),
  ...section(10, [bodies.length, ...bodies.flatMap((b) => [...uleb(b.length), ...b])]),
]);

/**
 * One chunk's statistics: entry q describes row firstRow + q. Views into the module's memory,
 * overwritten by the next call; `second` is filled by rowTop2 only, `xlog2x` by rowEntropy only.
 */
export interface RowStatsChunk {
  rows: number;
  max: Float32Array;
  sum: Float32Array;
  sign: Int32Array;
  /** The second largest value (the largest again when it occurs twice; 0 for one column). */
  second: Float32Array;
  /** Σ p·log2 p in float32 with the polynomial log2 (≤ 0 for a probability row, about). */
  xlog2x: Float32Array;
}

export type RowStatsFn = (data: Float32Array, firstRow: number, rows: number, width: number) => RowStatsChunk;

/**
 * Per-class sums over each point's `t` sample rows of `c` values, for the first `points` points
 * of the chunk the last RowStatsFn call copied in (called with width t·c): point q's sum for
 * class l at q·c + l, in float32, each added in row order. A view, overwritten by the next call.
 */
export type SampleSumsFn = (points: number, t: number, c: number) => Float32Array;

/**
 * One chunk of BALD's pass (sampleBlockStats): `points` points from firstPoint. Row q·t + u of
 * `max`, `sum`, `sign` is sample u of point q, as rowStats gives them for that row; `xlog2x[q]`
 * is Σ p·log2 p over point q's block (as rowEntropy's, with the block's lanes summed in another
 * order: see blockXlog2xSlack); `sums[q·c + l]` is its class-l sum over its samples, in float32,
 * in sample order (as sampleSums). Views into the module's memory, overwritten by the next call.
 */
export interface SampleBlocksChunk {
  points: number;
  /** Non-zero for a point one of whose sample rows `bounds` flags (see SampleBlocksFn). */
  flag: Int32Array;
  max: Float32Array;
  sum: Float32Array;
  sign: Int32Array;
  xlog2x: Float32Array;
  sums: Float32Array;
}

/**
 * sampleBlockStats' signature. A row is flagged as checkProbabilityRows flags one: a sign bit
 * set, !(max ≤ bounds.aboveOne) (a float32) or !(|sum − 1| ≤ bounds.sumBound).
 */
export type SampleBlocksFn = (
  data: Float32Array, firstPoint: number, points: number, t: number, c: number, bounds: { aboveOne: number; sumBound: number },
) => SampleBlocksChunk;

type Kernels = Record<keyof typeof KERNELS, RowStatsFn> & { colsum: SampleSumsFn; blocks: SampleBlocksFn };

function instantiate(): Kernels | undefined {
  const instance = compileKernel(moduleBytes)?.();
  if (!instance) return undefined;
  const memory = instance.memory;
  const input = new Float32Array(memory.buffer, 0, CHUNK_FLOATS);
  new Int32Array(memory.buffer, MASKS_AT, 16).set([0, 0, 0, 0, -1, 0, 0, 0, -1, -1, 0, 0, -1, -1, -1, 0]);
  const chunk: RowStatsChunk = {
    rows: 0,
    max: new Float32Array(memory.buffer, MAX_AT, CHUNK_FLOATS),
    sum: new Float32Array(memory.buffer, SUM_AT, CHUNK_FLOATS),
    sign: new Int32Array(memory.buffer, SIGN_AT, CHUNK_FLOATS),
    second: new Float32Array(memory.buffer, SECOND_AT, CHUNK_FLOATS),
    xlog2x: new Float32Array(memory.buffer, XLOG2X_AT, CHUNK_FLOATS),
  };
  const fn = (kernel: keyof typeof KERNELS): RowStatsFn => {
    const scan = instance.exports[kernel] as (rows: number, width: number) => void;
    return (data, firstRow, rows, width) => {
      const count = Math.min(rows, Math.floor(CHUNK_FLOATS / width));
      input.set(data.subarray(firstRow * width, (firstRow + count) * width));
      scan(count, width);
      chunk.rows = count;
      return chunk;
    };
  };
  const colsum = instance.exports.colsum as (points: number, t: number, c: number) => void;
  const sums = new Float32Array(memory.buffer, COLSUM_AT, CHUNK_FLOATS);
  const blocks = instance.exports.blocks as (points: number, t: number, c: number) => void;
  const flags = new Int32Array(memory.buffer, FLAG_AT, CHUNK_FLOATS);
  const boundsF32 = new Float32Array(memory.buffer, BOUNDS_AT, 1);
  const boundsF64 = new Float64Array(memory.buffer, BOUNDS_AT + 8, 1);
  const blockChunk: SampleBlocksChunk = { points: 0, flag: flags, max: chunk.max, sum: chunk.sum, sign: chunk.sign, xlog2x: chunk.xlog2x, sums };
  return {
    scan: fn("scan"),
    top2: fn("top2"),
    xlog2x: fn("xlog2x"),
    colsum: (points, t, c) => {
      colsum(points, t, c);
      return sums;
    },
    blocks: (data, firstPoint, points, t, c, bounds) => {
      boundsF32[0] = bounds.aboveOne;
      boundsF64[0] = bounds.sumBound;
      const block = t * c;
      const count = Math.min(points, Math.floor(CHUNK_FLOATS / block));
      input.set(data.subarray(firstPoint * block, (firstPoint + count) * block));
      blocks(count, t, c);
      blockChunk.points = count;
      return blockChunk;
    },
  };
}

const kernels = instantiate();

/**
 * Statistics of up to as many rows from `firstRow` as fit a chunk (`rows` of them at most);
 * `rows` of the answer says how many. Undefined without WebAssembly SIMD; callers also keep
 * their JavaScript scan for rows wider than a chunk (0 rows come back).
 */
export const rowStats: RowStatsFn | undefined = kernels?.scan;

/** rowStats plus each row's second largest value (`second`): margin's top two. */
export const rowTop2: RowStatsFn | undefined = kernels?.top2;

/** rowStats plus each row's Σ p·log2 p in float32 (`xlog2x`): entropy's screen. */
export const rowEntropy: RowStatsFn | undefined = kernels?.xlog2x;

/** BALD's per-class sums over a point's samples, on the chunk rowEntropy last copied in (SampleSumsFn). */
export const sampleSums: SampleSumsFn | undefined = kernels?.colsum;

/**
 * BALD's single read of its samples: up to as many whole T×C point blocks from `firstPoint` as
 * fit a chunk (`points` of them at most; 0 come back for a block wider than a chunk), each
 * sample row's checks and each point's screen ingredients (SampleBlocksChunk). Undefined
 * without WebAssembly SIMD.
 */
export const sampleBlockStats: SampleBlocksFn | undefined = kernels?.blocks;

/**
 * How far a row's float32 lane sum may be from its float64 sum in index order: each of the
 * ≤ width/4 + 6 rounding steps errs by at most 2⁻²⁴ of a partial sum, and for a row of
 * non-negative values summing near 1 every partial sum is below 2. Twice that, for room.
 */
export function laneSum32Slack(width: number): number {
  return (width + 8) * 2 ** -23;
}

/**
 * How far a checked row's exact −Σ p·ln p (nats, as fast-log.ts and entropy.ts compute it in
 * float64) may be from −xlog2x·ln 2, for rowEntropy's `xlog2x` of a row of `width` values in
 * [0, 1 + 10⁻⁵] summing to at most `maxSum` (one probability row: 1 + its tolerance; T of them
 * read as one row: T times that). Per normal value p = 2^e·m the kernel computes
 * L = fl(e + P(m − 1)), t = fl(p·L): |P − log2 m| ≤ δ = ROW_POLY_ERROR (checked over every
 * mantissa), and each rounding errs by at most u = 2⁻²⁴ of its result, so
 * |t − p·log2 p| ≤ p·δ + 2.01u·|t|. Each sum is a chain of at most d = width/8 + 7 adds (a lane
 * set's share, the last vectors, the sets' merge, two folds), off by at most γ_d·Σ|t|
 * (γ_d = d·u/(1 − d·u)). A positive t comes from a value within 10⁻⁵ of 1 (t < 2⁻¹⁵·p) or, with
 * δ this large, a little below 1 (t ≤ p·δ), so Σ|t| ≤ |xlog2x| + 2·(δ + 2⁻¹⁵)·maxSum. Zeros add 0 on both sides; a subnormal is off by under 4e-36. So
 * |xlog2x − Σ p·log2 p| ≤ maxSum·δ + (2.01u + γ_d)·Σ|t| + width·4e-36; below, twice the rounding
 * part, times ln 2, plus the float64 side: fast-log.ts's ≤ 6e-12 per unit of p, its sum's
 * rounding, and 1e-9 for room.
 */
export function xlog2xSlack(xlog2x: number, width: number, maxSum: number): number {
  return chainSlack(xlog2x, width / 8 + 7, width, maxSum, ROW_POLY_ERROR);
}

/**
 * xlog2xSlack for sampleBlockStats' `xlog2x` of a T×C block: a row's lane sets take at most
 * ⌊C/8⌋ + 1 vectors each, then are merged and added to the block's lanes (T adds), which two
 * folds reduce, so each term passes through at most d = ⌊C/8⌋ + T + 4 rounded adds, and a sum
 * tree of depth d errs by at most γ_d·Σ|t| as a chain of d does; δ is ROW_POLY_ERROR (its
 * kernel's ROW_LOG2_POLY); every other term is the same.
 */
export function blockXlog2xSlack(xlog2x: number, t: number, c: number, maxSum: number): number {
  return chainSlack(xlog2x, Math.floor(c / 8) + t + 4, t * c, maxSum, ROW_POLY_ERROR);
}

/**
 * xlog2xSlack's bound for sums of `width` terms whose lanes are chains of at most `chain` adds
 * (twice (d + 5)·u for 2.01u + γ_d), with a polynomial within `polyError` (δ) of log2(1 + x).
 * A value a little below 1 can give t > 0 (L ≤ δ), so Σ|t| ≤ |xlog2x| + 2·(δ + 2⁻¹⁵)·maxSum, and at
 * least 2⁻¹²·maxSum is allowed for (which covers it for δ ≤ 9e-5).
 */
function chainSlack(xlog2x: number, chain: number, width: number, maxSum: number, polyError: number): number {
  const rounding = (2 * chain + 10) * 2 ** -24;
  const positive = Math.max(2 ** -12, 2 * (polyError + 2 ** -15));
  const float32Side = maxSum * polyError + rounding * (Math.abs(xlog2x) + maxSum * positive) + width * 4e-36;
  return float32Side * Math.LN2 + maxSum * 1e-11 + width * 2 ** -50 * (Math.abs(xlog2x) + 1) + 1e-9;
}

/** An upper bound on a checked row's exact entropy (nats) from rowEntropy's `xlog2x` (see xlog2xSlack). */
export function entropyUpperBound(xlog2x: number, width: number, maxSum: number): number {
  return -xlog2x * Math.LN2 + xlog2xSlack(xlog2x, width, maxSum);
}
