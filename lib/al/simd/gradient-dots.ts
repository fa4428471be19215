/**
 * BADGE's class-side dot product ⟨a_i, a_c⟩ (samplers/badge.ts), two float64 lanes per
 * instruction in the canonical order of its dot64 (lane 0 the even coordinates, lane 1 the odd
 * ones, an odd last coordinate added to lane 0 last, then lane 0 + lane 1), so every value is
 * bit-identical to the JavaScript one. a_i = p_i − onehot(ŷ_i) is read from the float32
 * probabilities (half the bytes of a float64 a, which is what each pick streams), each value
 * promoted to float64; the one coordinate ŷ_i takes the float64 a_i[ŷ_i] = p − 1 the JavaScript
 * side computed. The centre's a_c comes in as float64.
 *
 * `hDots` gives ⟨h_i, h_c⟩ of float32 embeddings promoted to float64 through dots.ts's kernel
 * (the canonical order, so dot32's values). The few rows that need one per pick are scattered,
 * so they are copied into that kernel's rows, up to SCRATCH_ROWS at a time; copying every
 * embedding in once cost as much time as the SIMD sums saved, for 61 MB more at N = 20,000,
 * d = 768.
 *
 * Memory: [p: m·C f32][ŷ: m i32][a_i[ŷ_i]: m f64][list: m i32][out: m f64][centre: C f64], and
 * the dot kernel's own for S = min(m, SCRATCH_ROWS) rows.
 */
import {
  BLOCK, BR, BR_IF, compileKernel, END, ensureBytes, F32_LOAD, F64, F64_ADD, F64_LOAD, F64_MUL, F64_PROMOTE_F32, F64_STORE, F64X2_ADD,
  F64X2_LANE, F64X2_MUL, F64X2_PROMOTE_LOW_F32X4, GET, I32, I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_LOAD, I32_LT_U, I32_MUL, I32_OR,
  I32_SHL, I32_SUB, IF, type Kernel, LOOP, mem, moduleOf, SET, simd, V128, V128_LOAD, V128_LOAD64_ZERO, V128_ZERO, VOID,
} from "./assemble.ts";
import { createDotKernel } from "./dots.ts";

const ELSE = 0x05, I32_EQ = 0x46, I32_SHR_U = 0x76;
const F64X2_REPLACE_LANE = simd(0x22);

// aDots(count, listAt, rowsAt, width, centreAt, outAt, topAt, aTopAt): i32 locals 8 q, 9 row pointer, 10 centre pointer, 11 end, 12 top; v128 13 acc,
// 14 x; f64 15 lane 0, 16 a_i[ŷ_i], 17 the tail value.
const COUNT = 0, LIST_AT = 1, ROWS_AT = 2, W = 3, CENTRE_AT = 4, OUT_AT = 5, TOP_AT = 6, ATOP_AT = 7;
const Q = 8, RP = 9, CP = 10, END_P = 11, TOP = 12, ACC = 13, X = 14, S0 = 15, ATOP = 16, TAIL = 17;

/** acc += promote(rows[rp], rows[rp + 1]) · centre[cp], cp ← cp + 16, rp ← rp + 8: one pair. */
const pair = (): number[] => [
  GET, RP, ...V128_LOAD64_ZERO, ...mem(3, 0), ...F64X2_PROMOTE_LOW_F32X4, SET, X,
  GET, ACC, GET, X, GET, CP, ...V128_LOAD, ...mem(3, 0), ...F64X2_MUL, ...F64X2_ADD, SET, ACC,
  GET, RP, I32_CONST, 8, I32_ADD, SET, RP,
  GET, CP, I32_CONST, 16, I32_ADD, SET, CP,
];

/** Pairs while rp < end. */
const pairsUntilEnd = (): number[] => [BLOCK, VOID, LOOP, VOID, GET, RP, GET, END_P, I32_GE_U, BR_IF, 1, ...pair(), BR, 0, END, END];

/** The per-row loop around `rowBody`, which leaves the dot in S0 + lane 1 of ACC. */
function function_(rowBody: number[]): number[] {
  return [
    BLOCK, VOID, LOOP, VOID,
    GET, Q, GET, COUNT, I32_GE_U, BR_IF, 1,
    // rp = rowsAt + list[q]·width·4, cp = centreAt, acc = 0
    GET, LIST_AT, GET, Q, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 0), SET, TOP /* the row, for now */,
    GET, ROWS_AT, GET, TOP, GET, W, I32_MUL, I32_CONST, 2, I32_SHL, I32_ADD, SET, RP,
    GET, CENTRE_AT, SET, CP,
    ...V128_ZERO, SET, ACC,
    ...rowBody,
    // the odd last coordinate goes to lane 0, last (TAIL holds its value when W is odd)
    GET, ACC, ...F64X2_LANE, 0, SET, S0,
    GET, W, I32_CONST, 1, I32_AND, IF, VOID,
    GET, S0, GET, TAIL, GET, CP, F64_LOAD, ...mem(3, 0), F64_MUL, F64_ADD, SET, S0,
    END,
    GET, OUT_AT, GET, Q, I32_CONST, 3, I32_SHL, I32_ADD, GET, S0, GET, ACC, ...F64X2_LANE, 1, F64_ADD, F64_STORE, ...mem(3, 0),
    GET, Q, I32_CONST, 1, I32_ADD, SET, Q,
    BR, 0, END, END,
    END,
  ];
}

/** The plain float32 value at rp (the tail, when W is odd). */
const tailValue = (): number[] => [GET, W, I32_CONST, 1, I32_AND, IF, VOID, GET, RP, F32_LOAD, ...mem(2, 0), F64_PROMOTE_F32, SET, TAIL, END];


const aBody = [
  // the row's ŷ and a[ŷ] (TOP held the row number until now)
  GET, ATOP_AT, GET, TOP, I32_CONST, 3, I32_SHL, I32_ADD, F64_LOAD, ...mem(3, 0), SET, ATOP,
  GET, TOP_AT, GET, TOP, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 0), SET, TOP,
  // pairs before ŷ's pair
  GET, RP, GET, TOP, I32_CONST, 1, I32_SHR_U, I32_CONST, 3, I32_SHL, I32_ADD, SET, END_P,
  ...pairsUntilEnd(),
  // ŷ's pair, when it is a whole pair: its ŷ lane replaced by a[ŷ]
  GET, TOP, I32_CONST, 1, I32_OR, GET, W, I32_LT_U, IF, VOID,
  GET, RP, ...V128_LOAD64_ZERO, ...mem(3, 0), ...F64X2_PROMOTE_LOW_F32X4, SET, X,
  GET, TOP, I32_CONST, 1, I32_AND, IF, VOID,
  GET, X, GET, ATOP, ...F64X2_REPLACE_LANE, 1, SET, X,
  ELSE,
  GET, X, GET, ATOP, ...F64X2_REPLACE_LANE, 0, SET, X,
  END,
  GET, ACC, GET, X, GET, CP, ...V128_LOAD, ...mem(3, 0), ...F64X2_MUL, ...F64X2_ADD, SET, ACC,
  GET, RP, I32_CONST, 8, I32_ADD, SET, RP,
  GET, CP, I32_CONST, 16, I32_ADD, SET, CP,
  END,
  // pairs after it: up to the last whole pair of the row
  GET, ROWS_AT, GET, LIST_AT, GET, Q, I32_CONST, 2, I32_SHL, I32_ADD, I32_LOAD, ...mem(2, 0), GET, W, I32_MUL, I32_CONST, 2, I32_SHL, I32_ADD,
  GET, W, I32_CONST, 1, I32_SHR_U, I32_CONST, 3, I32_SHL, I32_ADD, SET, END_P,
  ...pairsUntilEnd(),
  // the tail: a[ŷ] when ŷ is the last coordinate, else the plain value
  ...tailValue(),
  GET, TOP, GET, W, I32_CONST, 1, I32_SUB, I32_EQ, IF, VOID, GET, ATOP, SET, TAIL, END,
];

type DotsFn = (count: number, listAt: number, rowsAt: number, width: number, centreAt: number, outAt: number, topAt: number, aTopAt: number) => void;
const locals: Array<[number, number]> = [[5, I32], [2, V128], [3, F64]];
const make = compileKernel(moduleOf([{ name: "aDots", params: 8, locals, body: function_(aBody) }], 1));

/** Embedding rows copied per run of hDots. */
const SCRATCH_ROWS = 1024;

/** One BADGE call's kernel: the candidates' probabilities copied in once. */
export interface GradientDotKernel {
  /** Where callers write the positions of a call's rows (at most m of them). */
  readonly list: Int32Array;
  /** ⟨a_list[q], a_c⟩ for q < count, given a_c (C float64). A view into the kernel's memory, overwritten by the next call. */
  aDots(centreA: Float64Array, centreOffset: number, count: number): Float64Array;
  /**
   * ⟨h_r, h_c⟩ into out[q] for q < count, r = embedding rows at[q] (each d wide) and h_c the row
   * at `centre`; same values as dot32.
   */
  hDots(embeddings: Float32Array, at: Int32Array, count: number, centre: number, out: Float64Array): void;
}

/** Largest memory a kernel is given; callers keep their JavaScript loop beyond it. */
const MAX_BYTES = 2 ** 31;

/**
 * The kernel for m candidate rows: rows[i] of the probabilities (C wide), with each row's ŷ
 * (`top`) and a_i[ŷ_i] (`aTop`). Undefined without WebAssembly SIMD, or past MAX_BYTES.
 */
export function createGradientDotKernel(
  probs: Float32Array,
  c: number,
  rows: Int32Array,
  top: Int32Array,
  aTop: Float64Array,
  d: number,
): GradientDotKernel | undefined {
  const m = rows.length;
  const scratchRows = Math.min(m, SCRATCH_ROWS);
  const align = (v: number): number => Math.ceil(v / 16) * 16;
  const topAt = align(m * c * 4);
  const aTopAt = align(topAt + m * 4);
  const listAt = align(aTopAt + m * 8);
  const outAt = align(listAt + m * 4);
  const centreAt = align(outAt + m * 8);
  const bytes = centreAt + c * 8;
  if (make === undefined || m === 0 || c === 0 || d === 0 || bytes > MAX_BYTES) return undefined;
  const kernel: Kernel = make();
  // The embedding rows are written into the dot kernel per run (it starts with none copied in).
  const hKernel = createDotKernel(new Float32Array(0), scratchRows, d, scratchRows);
  if (hKernel === undefined || !ensureBytes(kernel.memory, bytes)) return undefined;
  const buffer = kernel.memory.buffer;
  const p = new Float32Array(buffer, 0, m * c);
  for (let i = 0; i < m; i++) p.set(probs.subarray(rows[i]! * c, (rows[i]! + 1) * c), i * c);
  new Int32Array(buffer, topAt, m).set(top);
  new Float64Array(buffer, aTopAt, m).set(aTop);
  const list = new Int32Array(buffer, listAt, m);
  const out = new Float64Array(buffer, outAt, m);
  const centre = new Float64Array(buffer, centreAt, c);
  const aDots = kernel.exports.aDots as DotsFn;
  for (let q = 0; q < scratchRows; q++) hKernel.list[q] = q;
  const hCentre = new Float64Array(d);
  return {
    list,
    aDots(centreA, centreOffset, count) {
      centre.set(centreA.subarray(centreOffset, centreOffset + c));
      aDots(count, listAt, 0, c, centreAt, outAt, topAt, aTopAt);
      return out;
    },
    hDots(embeddings, at, count, from, into) {
      for (let k = 0; k < d; k++) hCentre[k] = embeddings[from * d + k]!;
      for (let q0 = 0; q0 < count; q0 += scratchRows) {
        const run = Math.min(scratchRows, count - q0);
        for (let q = 0; q < run; q++) {
          const r = at[q0 + q]!;
          hKernel.rows.set(embeddings.subarray(r * d, (r + 1) * d), q * d);
        }
        const dots = hKernel.dots(hCentre, 0, 1, run);
        for (let q = 0; q < run; q++) into[q0 + q] = dots[4 * q]!;
      }
    },
  };
}
