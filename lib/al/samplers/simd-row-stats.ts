/**
 * Per-row maximum, sum and sign bits of float32 probability rows, computed by a tiny
 * hand-written WebAssembly SIMD kernel (four values per instruction). V8 does not vectorise
 * JavaScript, and these three reductions are all a validated least-confidence score needs: in
 * scalar JavaScript they ran at about a quarter of numpy's speed at C = 100 (README, "Selection
 * speed"). Rows are copied into the module's memory a chunk at a time (a memcpy, cheaper than
 * the reductions it feeds); where WebAssembly SIMD is missing, `rowStats` is undefined and
 * callers keep their JavaScript scan.
 */
import {
  BLOCK, BR, BR_IF, compileKernel, END, F32, F32_ADD, F32_LOAD, F32_MAX, F32_STORE, F32X4_ADD, F32X4_LANE, F32X4_PMAX, F32X4_SPLAT, GET, I32,
  I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_LOAD, I32_OR, I32_SHL, I32_STORE, I32X4_LANE, LOOP, mem, moduleOf, SET, TEE, V128, V128_LOAD,
  V128_OR, V128_ZERO as ZERO, VOID,
} from "../simd/assemble.ts";

/** Floats per chunk: 256 KB of rows, which stays in L2 between the copy and the scan. */
const CHUNK_FLOATS = 1 << 16;
const INPUT_BYTES = CHUNK_FLOATS * 4;
/** Byte offsets of the per-row outputs (at most CHUNK_FLOATS rows each) after the input. */
const MAX_AT = INPUT_BYTES;
const SUM_AT = 2 * INPUT_BYTES;
const SIGN_AT = 3 * INPUT_BYTES;
const PAGES = (4 * INPUT_BYTES) / 65536;

const F32_NEG_INF = [0x00, 0x00, 0x80, 0xff];

// scan(rows, width): params 0 rows, 1 width; locals 2 r, 3 p (byte address), 4 vectors' end,
// 5 row's end, 6 o (sign OR), 7 m (max), 8 s (sum), 9 vmax, 10 vsum, 11 vor, 12 v, and a
// second set 13–16 so that two vectors per step do not wait on each other; 17 the end of the
// eight-at-a-time part.
const R = 2, P = 3, VEND = 4, REND = 5, O = 6, M = 7, S = 8, VMAX = 9, VSUM = 10, VOR = 11, V = 12;
const VMAX2 = 13, VSUM2 = 14, VOR2 = 15, W = 16, VEND8 = 17;
// pmax is one instruction (maxps); it may drop a NaN, but a NaN makes the sum NaN, which flags the row.
const step = (v: number, vmax: number, vsum: number, vor: number, at: number): number[] => [
  GET, P, ...V128_LOAD, ...mem(2, at), SET, v,
  GET, vmax, GET, v, ...F32X4_PMAX, SET, vmax,
  GET, vsum, GET, v, ...F32X4_ADD, SET, vsum,
  GET, vor, GET, v, ...V128_OR, SET, vor,
];
const lanes = (local: number, laneOp: number[], combine: number): number[] => [
  GET, local, ...laneOp, 0, GET, local, ...laneOp, 1, combine, GET, local, ...laneOp, 2, GET, local, ...laneOp, 3, combine, combine,
];
const body: number[] = [];
body.push(
  BLOCK, VOID, LOOP, VOID, // for each row
  GET, R, GET, 0, I32_GE_U, BR_IF, 1,
  GET, P, GET, 1, I32_CONST, 2, I32_SHL, I32_ADD, SET, REND,
  GET, P, GET, 1, I32_CONST, 0x7c, I32_AND, I32_CONST, 2, I32_SHL, I32_ADD, SET, VEND, // width & ~3
  GET, P, GET, 1, I32_CONST, 0x78, I32_AND, I32_CONST, 2, I32_SHL, I32_ADD, SET, VEND8, // width & ~7
  0x43, ...F32_NEG_INF, ...F32X4_SPLAT, TEE, VMAX, SET, VMAX2,
  ...ZERO, TEE, VSUM, SET, VSUM2,
  ...ZERO, TEE, VOR, SET, VOR2,
  BLOCK, VOID, LOOP, VOID,
  GET, P, GET, VEND8, I32_GE_U, BR_IF, 1, // eight values at a time
  ...step(V, VMAX, VSUM, VOR, 0),
  ...step(W, VMAX2, VSUM2, VOR2, 16),
  GET, P, I32_CONST, 32, I32_ADD, SET, P,
  BR, 0, END, END,
  BLOCK, VOID, LOOP, VOID,
  GET, P, GET, VEND, I32_GE_U, BR_IF, 1, // then four
  ...step(V, VMAX, VSUM, VOR, 0),
  GET, P, I32_CONST, 16, I32_ADD, SET, P,
  BR, 0, END, END,
  GET, VMAX, GET, VMAX2, ...F32X4_PMAX, SET, VMAX,
  GET, VSUM, GET, VSUM2, ...F32X4_ADD, SET, VSUM,
  GET, VOR, GET, VOR2, ...V128_OR, SET, VOR,
  ...lanes(VMAX, F32X4_LANE, F32_MAX), SET, M,
  ...lanes(VSUM, F32X4_LANE, F32_ADD), SET, S,
  ...lanes(VOR, I32X4_LANE, I32_OR), SET, O,
  BLOCK, VOID, LOOP, VOID,
  GET, P, GET, REND, I32_GE_U, BR_IF, 1, // the row's last width mod 4 values
  GET, M, GET, P, F32_LOAD, ...mem(2, 0), F32_MAX, SET, M,
  GET, S, GET, P, F32_LOAD, ...mem(2, 0), F32_ADD, SET, S,
  GET, O, GET, P, I32_LOAD, ...mem(2, 0), I32_OR, SET, O,
  GET, P, I32_CONST, 4, I32_ADD, SET, P,
  BR, 0, END, END,
  // max, sum, sign of row r to their output arrays
  GET, R, I32_CONST, 2, I32_SHL, GET, M, F32_STORE, ...mem(2, MAX_AT),
  GET, R, I32_CONST, 2, I32_SHL, GET, S, F32_STORE, ...mem(2, SUM_AT),
  GET, R, I32_CONST, 2, I32_SHL, GET, O, I32_STORE, ...mem(2, SIGN_AT),
  GET, R, I32_CONST, 1, I32_ADD, SET, R,
  BR, 0, END, END,
  END,
);

const moduleBytes = moduleOf([{ name: "scan", params: 2, locals: [[4, I32], [1, I32], [2, F32], [4, V128], [4, V128], [1, I32]], body }], PAGES);

/** One chunk's statistics: entry q describes row firstRow + q. Views into the module's memory, overwritten by the next call. */
export interface RowStatsChunk {
  rows: number;
  max: Float32Array;
  sum: Float32Array;
  sign: Int32Array;
}

export type RowStatsFn = (data: Float32Array, firstRow: number, rows: number, width: number) => RowStatsChunk;

function instantiate(): RowStatsFn | undefined {
  const make = compileKernel(moduleBytes);
  if (make === undefined) return undefined;
  const { exports, memory } = make();
  const scan = exports.scan as (rows: number, width: number) => void;
  const input = new Float32Array(memory.buffer, 0, CHUNK_FLOATS);
  const chunk: RowStatsChunk = {
    rows: 0,
    max: new Float32Array(memory.buffer, MAX_AT, CHUNK_FLOATS),
    sum: new Float32Array(memory.buffer, SUM_AT, CHUNK_FLOATS),
    sign: new Int32Array(memory.buffer, SIGN_AT, CHUNK_FLOATS),
  };
  return (data, firstRow, rows, width) => {
    const count = Math.min(rows, Math.floor(CHUNK_FLOATS / width));
    input.set(data.subarray(firstRow * width, (firstRow + count) * width));
    scan(count, width);
    chunk.rows = count;
    return chunk;
  };
}

/**
 * Statistics of up to as many rows from `firstRow` as fit a chunk (`rows` of them at most);
 * `rows` of the answer says how many. Undefined without WebAssembly SIMD; callers also keep
 * their JavaScript scan for rows wider than a chunk (0 rows come back).
 */
export const rowStats: RowStatsFn | undefined = instantiate();

/**
 * How far a row's float32 lane sum may be from its float64 sum in index order: each of the
 * ≤ width/4 + 6 rounding steps errs by at most 2⁻²⁴ of a partial sum, and for a row of
 * non-negative values summing near 1 every partial sum is below 2. Twice that, for room.
 */
export function laneSum32Slack(width: number): number {
  return (width + 8) * 2 ** -23;
}
