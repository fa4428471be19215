/**
 * Dot products of float32 (or float64) rows with float64 centres, two float64 lanes per instruction, in the
 * canonical order of cluster/distances.ts: lane 0 sums the even coordinates, lane 1 the odd
 * ones, an odd last coordinate goes to the even sum last, and the dot is even + odd. Each
 * product is a float32 promoted to float64 times a float64, as in JavaScript, so every dot is
 * bit-identical to dotAt's. Float64 keeps the precision that decides KCenterGreedy's picks.
 *
 * The rows are copied into the kernel's memory once (the kernel is made per point matrix);
 * each call takes a list of row numbers and 1 or up to 4 centres. Tiles: 2 rows × 4 centres
 * (8 accumulators, 6 loads per 8 vector multiply-adds), or 4 rows × 1 centre.
 *
 * Memory: [rows: n·d float32 or float64][list: maxRows int32][centres: ⌈d/2⌉ · 4 · 2 float64][dots: maxRows · 4 float64].
 */
import {
  BLOCK, BR, BR_IF, compileKernel, END, ensureBytes, F64_ADD, F64_STORE, F64X2_ADD, F64X2_LANE, F64X2_MUL, F64X2_PROMOTE_LOW_F32X4, GET,
  I32, I32_ADD, I32_AND, I32_CONST, I32_GE_U, I32_GT_U, I32_LOAD, I32_MUL, I32_SHL, IF, type KernelFunction, LOOP, mem, moduleOf, SET, V128,
  V128_LOAD, V128_LOAD32_ZERO, V128_LOAD64_ZERO, V128_ZERO, VOID,
} from "./assemble.ts";

// dotsG(rows, listAt, cAt, d, outAt): params 0–4; i32 locals 5 q, 6 cp, 7 cEnd, 8–11 row
// pointers; v128 locals 12–19 accumulators, 20–23 row vectors, 24 centre vector.
const ROWS = 0, LIST_AT = 1, C_AT = 2, D = 3, OUT_AT = 4;
const Q = 5, CP = 6, C_END = 7, XP = 8, ACC = 12, XV = 20, CV = 24;

/** R listed rows from q against G centres: the pairs loop, an odd last coordinate, the stores. Rows float64 when `wide`. */
function tile(R: number, G: number, wide: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < R; r++) {
    // xp_r = list[q + r] · d · 4
    out.push(GET, Q, I32_CONST, r, I32_ADD, I32_CONST, 2, I32_SHL, GET, LIST_AT, I32_ADD, I32_LOAD, ...mem(2, 0));
    out.push(GET, D, I32_MUL, I32_CONST, wide ? 3 : 2, I32_SHL, SET, XP + r);
  }
  for (let a = 0; a < R * G; a++) out.push(...V128_ZERO, SET, ACC + a);
  const step = (last: boolean): number[] => {
    const s: number[] = [];
    // Two coordinates (or the last one and a zero) as float64 lanes.
    const load = wide ? (last ? [...V128_LOAD64_ZERO, ...mem(3, 0)] : [...V128_LOAD, ...mem(3, 0)])
      : [...(last ? V128_LOAD32_ZERO : V128_LOAD64_ZERO), ...mem(2, 0), ...F64X2_PROMOTE_LOW_F32X4];
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
  for (let r = 0; r < R; r++) out.push(GET, XP + r, I32_CONST, wide ? 16 : 8, I32_ADD, SET, XP + r);
  out.push(GET, CP, I32_CONST, ...sleb(16 * G), I32_ADD, SET, CP);
  out.push(BR, 0, END, END);
  // An odd d: the last coordinate in lane 0, zero in lane 1 (the centres' lane 1 is zero too).
  out.push(GET, D, I32_CONST, 1, I32_AND, IF, VOID, ...step(true), END);
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

/** dotsG: rows R at a time, then one at a time. */
function dotsFunction(G: number, R: number, wide: boolean): KernelFunction {
  const rowsLoop = (r: number): number[] => [
    BLOCK, VOID, LOOP, VOID,
    GET, Q, I32_CONST, r, I32_ADD, GET, ROWS, I32_GT_U, BR_IF, 1,
    ...tile(r, G, wide),
    GET, Q, I32_CONST, r, I32_ADD, SET, Q,
    BR, 0, END, END,
  ];
  const body = [
    // cEnd = cAt + ⌊d/2⌋ · 16 · G
    GET, D, I32_CONST, 1, 0x76 /* i32.shr_u */, I32_CONST, ...sleb(16 * G), I32_MUL, GET, C_AT, I32_ADD, SET, C_END,
    ...rowsLoop(R),
    ...(R > 1 ? rowsLoop(1) : []),
    END,
  ];
  return { name: `dots${G}`, params: 5, locals: [[7, I32], [13, V128]], body };
}

type DotsFn = (rows: number, listAt: number, cAt: number, d: number, outAt: number) => void;
const make = compileKernel(moduleOf([dotsFunction(4, 2, false), dotsFunction(1, 4, false)], 1));
const makeWide = compileKernel(moduleOf([dotsFunction(4, 2, true), dotsFunction(1, 4, true)], 1));

/** Dot products of listed rows of one point matrix with up to 4 centres at a time. */
export interface DotKernel {
  /** Where callers write the row numbers of a call (at most maxRows of them). */
  readonly list: Int32Array;
  /**
   * Dots of the first `rows` listed rows with centres j0 … j0+g−1 (g ≤ 4) of `centres`
   * (float64, d wide): entry q·4 + j is row list[q] with centre j0 + j. A view into the
   * kernel's memory, overwritten by the next call.
   */
  dots(centres: Float64Array, j0: number, g: number, rows: number): Float64Array;
}

/** Largest row matrix (bytes of float32) copied into a kernel's memory; callers keep their JavaScript loop beyond it. */
const MAX_ROWS_BYTES = 2 ** 30;

/**
 * The kernel for the n rows (d wide) of `x` (float32, or float64: then the products are
 * float64 × float64, as in a dot of two Float64Arrays), or undefined without WebAssembly SIMD
 * or past 1 GiB of rows.
 */
export function createDotKernel(x: Float32Array | Float64Array, n: number, d: number, maxRows: number): DotKernel | undefined {
  const width = x.BYTES_PER_ELEMENT;
  const build = width === 8 ? makeWide : make;
  if (build === undefined || d === 0 || n * d * width > MAX_ROWS_BYTES) return undefined;
  const kernel = build();
  const dots4 = kernel.exports.dots4 as DotsFn;
  const dots1 = kernel.exports.dots1 as DotsFn;
  const align = (v: number): number => Math.ceil(v / 16) * 16;
  const listAt = align(n * d * width);
  const cAt = align(listAt + maxRows * 4);
  const pairs = (d + 1) >> 1;
  const outAt = cAt + pairs * 64;
  ensureBytes(kernel.memory, outAt + maxRows * 32);
  const buffer = kernel.memory.buffer;
  (width === 8 ? new Float64Array(buffer, 0, n * d) : new Float32Array(buffer, 0, n * d)).set(x.subarray(0, n * d));
  const list = new Int32Array(buffer, listAt, maxRows);
  const layout = new Float64Array(buffer, cAt, pairs * 8);
  const out = new Float64Array(buffer, outAt, maxRows * 4);
  return {
    list,
    dots(centres, j0, g, rows) {
      if (g === 1) {
        // [c[2p], c[2p+1]] per pair; an odd last coordinate with a zero beside it.
        const o = j0 * d;
        layout.set(centres.subarray(o, o + d));
        if (d & 1) layout[d] = 0;
        dots1(rows, listAt, cAt, d, outAt);
        return out;
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
      dots4(rows, listAt, cAt, d, outAt);
      return out;
    },
  };
}
