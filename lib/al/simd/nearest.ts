/**
 * The nearest reference row of a point (metrics/nearest-neighbour.ts), four reference rows per
 * pass in two float64 lanes each: lane l of a pass sums (p_k − r_k)² over k in index order with a
 * separate subtract, multiply and add, exactly as the JavaScript loop does for one row (float32
 * values promoted to float64 first), so every squared distance is bit-identical to it. Rows are
 * compared in index order with a strict `<`, so the lowest row wins ties as before; a pass is
 * abandoned once all four partial sums have reached the best so far (sums of squares only grow,
 * so an abandoned row could not have won), checked every 16 coordinates as the JavaScript loop is.
 *
 * A reference set larger than CHUNK_BYTES is searched a chunk of rows at a time, each point's best
 * so far carried from one chunk to the next, which is the same comparison in the same order.
 *
 * Memory: [reference chunk, per block of 4 rows and coordinate k: r_4b..4b+3[k] as 4 float64,
 * padding rows NaN (never smaller, never abandoned)][point: d float64][best: float64, row: int32].
 */
import {
  BLOCK, BR, BR_IF, compileKernel, END, ensureBytes, F64, F64_LOAD, F64_STORE, F64X2_ADD, F64X2_LANE, F64X2_MUL, GET, I32, I32_ADD,
  I32_CONST, I32_GE_U, I32_GT_U, I32_LOAD, I32_MUL, I32_SHL, I32_STORE, IF, type Kernel, LOOP, mem, moduleOf, SELECT, SET, simd, V128,
  V128_LOAD, V128_LOAD64_SPLAT, V128_AND, V128_ZERO, VOID,
} from "./assemble.ts";

const F64X2_SUB = simd(0xf1), F64X2_GE = simd(0x4c), F64X2_SPLAT = simd(0x14), I32X4_ALL_TRUE = simd(0xa3);
const F64_LT = 0x63;

// nearest(blocks, d, pAt, outAt, rowBase): params 0–4 (the best so far and its row are read from
// outAt and written back); i32 locals 5 b, 6 rp, 7 pp, 8 chunk end, 9 point end, 10 row; v128
// 11–12 accumulators, 13 splat, 14 difference, 15 best splat; f64 16 best, 17 v.
const NB = 0, D = 1, P_AT = 2, OUT_AT = 3, ROW_BASE = 4;
const B = 5, RP = 6, PP = 7, CHUNK_END = 8, P_END = 9, ROW = 10, ACC = 11, X = 13, DIFF = 14, BESTV = 15, BEST = 16, V = 17;

/** acc += (x − r)² for the two rows of one vector at rp + offset. */
const accumulate = (acc: number, offset: number): number[] => [
  GET, X, GET, RP, ...V128_LOAD, ...mem(3, offset), ...F64X2_SUB, SET, DIFF,
  GET, acc, GET, DIFF, GET, DIFF, ...F64X2_MUL, ...F64X2_ADD, SET, acc,
];

/** Row rowBase + 4b + index wins when its sum (lane `lane` of `acc`) is strictly below the best so far. */
const compare = (acc: number, lane: number, index: number): number[] => [
  GET, acc, ...F64X2_LANE, lane, SET, V,
  GET, V, GET, BEST, F64_LT, IF, VOID,
  GET, V, SET, BEST,
  GET, B, I32_CONST, 2, I32_SHL, GET, ROW_BASE, I32_ADD, I32_CONST, index, I32_ADD, SET, ROW,
  END,
];

const body = [
  GET, OUT_AT, F64_LOAD, ...mem(3, 0), SET, BEST,
  GET, OUT_AT, I32_LOAD, ...mem(2, 8), SET, ROW,
  GET, P_AT, GET, D, I32_CONST, 3, I32_SHL, I32_ADD, SET, P_END,
  BLOCK, VOID, LOOP, VOID, // blocks of 4 rows
  GET, B, GET, NB, I32_GE_U, BR_IF, 1,
  ...V128_ZERO, SET, ACC, ...V128_ZERO, SET, ACC + 1,
  GET, BEST, ...F64X2_SPLAT, SET, BESTV,
  GET, B, GET, D, I32_MUL, I32_CONST, 5, I32_SHL, SET, RP,
  GET, P_AT, SET, PP,
  BLOCK, VOID, LOOP, VOID, // chunks of 16 coordinates
  GET, PP, I32_CONST, 128, I32_ADD, SET, CHUNK_END,
  GET, P_END, GET, CHUNK_END, GET, CHUNK_END, GET, P_END, I32_GT_U, SELECT, SET, CHUNK_END,
  BLOCK, VOID, LOOP, VOID, // coordinates
  GET, PP, GET, CHUNK_END, I32_GE_U, BR_IF, 1,
  GET, PP, ...V128_LOAD64_SPLAT, ...mem(3, 0), SET, X,
  ...accumulate(ACC, 0),
  ...accumulate(ACC + 1, 16),
  GET, RP, I32_CONST, 32, I32_ADD, SET, RP,
  GET, PP, I32_CONST, 8, I32_ADD, SET, PP,
  BR, 0, END, END,
  GET, PP, GET, P_END, I32_GE_U, BR_IF, 1, // every coordinate summed
  GET, ACC, GET, BESTV, ...F64X2_GE, GET, ACC + 1, GET, BESTV, ...F64X2_GE, ...V128_AND, ...I32X4_ALL_TRUE, BR_IF, 1, // all four lost
  BR, 0, END, END,
  ...compare(ACC, 0, 0), ...compare(ACC, 1, 1), ...compare(ACC + 1, 0, 2), ...compare(ACC + 1, 1, 3),
  GET, B, I32_CONST, 1, I32_ADD, SET, B,
  BR, 0, END, END,
  GET, OUT_AT, GET, BEST, F64_STORE, ...mem(3, 0),
  GET, OUT_AT, GET, ROW, I32_STORE, ...mem(2, 8),
  END,
];

type NearestFn = (blocks: number, d: number, pAt: number, outAt: number, rowBase: number) => void;
const make = compileKernel(moduleOf([{ name: "nearest", params: 5, locals: [[6, I32], [5, V128], [2, F64]], body }], 1));

/** Bytes of packed reference rows searched at a time (twice the float32 rows: a bounded copy). */
const CHUNK_BYTES = 2 ** 26;

/** Each point's nearest reference row: its squared distance (+∞ when none is finite) and the row (0 then). */
export interface NearestRows {
  squared: Float64Array;
  row: Int32Array;
}

/**
 * The nearest of the m reference rows (d wide) for each of the n points, or undefined without
 * WebAssembly SIMD (or when its memory will not grow): callers keep their JavaScript loop.
 */
export function nearestRows(
  points: Float32Array,
  n: number,
  reference: Float32Array,
  m: number,
  d: number,
  options: { chunkRows?: number } = {},
): NearestRows | undefined {
  if (make === undefined || m === 0 || d === 0) return undefined;
  // Whole blocks of 4 (tests pass a small chunk to cross chunk boundaries).
  const chunkRows = Math.max(4, Math.floor((options.chunkRows ?? CHUNK_BYTES / (d * 8)) / 4) * 4);
  const blocksMax = Math.ceil(Math.min(m, chunkRows) / 4);
  const pAt = blocksMax * d * 32;
  const outAt = pAt + d * 8;
  const kernel: Kernel = make();
  if (!ensureBytes(kernel.memory, outAt + 16)) return undefined;
  const buffer = kernel.memory.buffer;
  const point = new Float64Array(buffer, pAt, d);
  const best = new Float64Array(buffer, outAt, 1);
  const bestRow = new Int32Array(buffer, outAt + 8, 1);
  const run = kernel.exports.nearest as NearestFn;
  const squared = new Float64Array(n).fill(Infinity);
  const row = new Int32Array(n);
  for (let base = 0; base < m; base += chunkRows) {
    const rows = Math.min(chunkRows, m - base);
    const blocks = Math.ceil(rows / 4);
    const packed = new Float64Array(buffer, 0, blocks * d * 4);
    packed.fill(NaN);
    for (let j = 0; j < rows; j++) {
      const at = (j >> 2) * d * 4 + (j & 3);
      const o = (base + j) * d;
      for (let k = 0; k < d; k++) packed[at + 4 * k] = reference[o + k]!;
    }
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let k = 0; k < d; k++) point[k] = points[o + k]!;
      best[0] = squared[i]!;
      bestRow[0] = row[i]!;
      run(blocks, d, pAt, outAt, base);
      squared[i] = best[0]!;
      row[i] = bestRow[0]!;
    }
  }
  return { squared, row };
}
