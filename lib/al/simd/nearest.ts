/**
 * The nearest reference row of a point (metrics/nearest-neighbour.ts), four reference rows per
 * pass in two float64 lanes each: lane l of a pass sums (p_k − r_k)² over k in index order with a
 * separate subtract, multiply and add, exactly as the JavaScript loop does for one row (float32
 * values promoted to float64 first), so every squared distance is bit-identical to it. Rows are
 * compared in index order with a strict `<`, so the lowest row wins ties as before; a pass is
 * abandoned once all four partial sums have reached the best so far (sums of squares only grow,
 * so an abandoned row could not have won), checked every 16 coordinates as the JavaScript loop is.
 *
 * Memory: [reference, per block of 4 rows and coordinate k: r_4b..4b+3[k] as 4 float64, padding
 * rows NaN (never smaller, never abandoned)][point: d float64][best: float64, row: int32].
 */
import {
  BLOCK, BR, BR_IF, compileKernel, END, ensureBytes, F64, F64_CONST, F64_STORE, F64X2_ADD, F64X2_LANE, F64X2_MUL, GET, I32, I32_ADD,
  I32_CONST, I32_GE_U, I32_GT_U, I32_MUL, I32_SHL, I32_STORE, IF, type Kernel, LOOP, mem, moduleOf, SELECT, SET, simd, V128, V128_LOAD,
  V128_LOAD64_SPLAT, V128_AND, V128_ZERO, VOID,
} from "./assemble.ts";

const F64X2_SUB = simd(0xf1), F64X2_GE = simd(0x4c), F64X2_SPLAT = simd(0x14), I32X4_ALL_TRUE = simd(0xa3);
const F64_LT = 0x63;
const f64 = (v: number): number[] => [F64_CONST, ...new Uint8Array(Float64Array.of(v).buffer)];

// nearest(blocks, d, pAt, outAt): params 0–3; i32 locals 4 b, 5 rp, 6 pp, 7 chunk end, 8 point
// end, 9 row; v128 10–11 accumulators, 12 splat, 13 difference, 14 best splat; f64 15 best, 16 v.
const NB = 0, D = 1, P_AT = 2, OUT_AT = 3;
const B = 4, RP = 5, PP = 6, CHUNK_END = 7, P_END = 8, ROW = 9, ACC = 10, X = 12, DIFF = 13, BESTV = 14, BEST = 15, V = 16;

/** acc += (x − r)² for the two rows of one vector at rp + offset. */
const accumulate = (acc: number, offset: number): number[] => [
  GET, X, GET, RP, ...V128_LOAD, ...mem(3, offset), ...F64X2_SUB, SET, DIFF,
  GET, acc, GET, DIFF, GET, DIFF, ...F64X2_MUL, ...F64X2_ADD, SET, acc,
];

/** Row 4b + index wins when its sum (lane `lane` of `acc`) is strictly below the best so far. */
const compare = (acc: number, lane: number, index: number): number[] => [
  GET, acc, ...F64X2_LANE, lane, SET, V,
  GET, V, GET, BEST, F64_LT, IF, VOID,
  GET, V, SET, BEST,
  GET, B, I32_CONST, 2, I32_SHL, I32_CONST, index, I32_ADD, SET, ROW,
  END,
];

const body = [
  ...f64(Infinity), SET, BEST,
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

type NearestFn = (blocks: number, d: number, pAt: number, outAt: number) => void;
const make = compileKernel(moduleOf([{ name: "nearest", params: 4, locals: [[6, I32], [5, V128], [2, F64]], body }], 1));

/** Largest packed reference (bytes of float64) a kernel holds; callers keep their JavaScript loop beyond it. */
const MAX_REFERENCE_BYTES = 2 ** 30;

/** One reference set's kernel. */
export interface NearestKernel {
  /**
   * The reference row nearest to the point at points[offset … offset + d): its squared distance
   * (+∞ when no row has a finite one below +∞) and its row (0 then).
   */
  nearest(points: Float32Array, offset: number): { squared: number; row: number };
}

/** A kernel for the n rows (d wide) of `reference`, or undefined without WebAssembly SIMD or when it would not fit. */
export function createNearestKernel(reference: Float32Array, n: number, d: number): NearestKernel | undefined {
  const blocks = Math.ceil(n / 4);
  const referenceBytes = blocks * d * 32;
  if (make === undefined || n === 0 || d === 0 || referenceBytes > MAX_REFERENCE_BYTES) return undefined;
  const kernel: Kernel = make();
  const pAt = referenceBytes;
  const outAt = pAt + d * 8;
  if (!ensureBytes(kernel.memory, outAt + 16)) return undefined;
  const buffer = kernel.memory.buffer;
  const packed = new Float64Array(buffer, 0, blocks * d * 4);
  packed.fill(NaN);
  for (let j = 0; j < n; j++) {
    const base = (j >> 2) * d * 4 + (j & 3);
    const o = j * d;
    for (let k = 0; k < d; k++) packed[base + 4 * k] = reference[o + k]!;
  }
  const point = new Float64Array(buffer, pAt, d);
  const best = new Float64Array(buffer, outAt, 1);
  const row = new Int32Array(buffer, outAt + 8, 1);
  const run = kernel.exports.nearest as NearestFn;
  return {
    nearest(points, offset) {
      for (let k = 0; k < d; k++) point[k] = points[offset + k]!;
      run(blocks, d, pAt, outAt);
      return { squared: best[0]!, row: row[0]! };
    },
  };
}
