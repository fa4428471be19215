/**
 * Checks shared by samplers. A bad k or a missing input is a configuration mistake, so the
 * message names the sampler, the value, and the fix, on one line. The probability-row check
 * here is also the one the probability metrics use (metrics/check.ts).
 */
import type { Matrix } from "../matrix.ts";
import { RowScan } from "./row-scan.ts";
import { laneSum32Slack, rowStats } from "./simd-row-stats.ts";
import type { SamplerInputs } from "./sampler.ts";

/** Number of pool points with labelled[i] === 0. */
export function countUnlabelled(labelled: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < labelled.length; i++) if (labelled[i] === 0) count++;
  return count;
}

/** Throws unless 1 ≤ k ≤ unlabelled pool size and k is an integer; returns the unlabelled count. */
export function checkK(sampler: string, k: number, labelled: Uint8Array): number {
  return checkKOf(sampler, k, countUnlabelled(labelled));
}

/** checkK for a sampler whose own scan counted the unlabelled points. */
export function checkKOf(sampler: string, k: number, unlabelled: number): number {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`${sampler}: k = ${k} must be a whole number ≥ 1; pass a positive acquisition size`);
  }
  if (k > unlabelled) {
    throw new RangeError(
      `${sampler}: k = ${k} exceeds the ${unlabelled} unlabelled pool points; lower the acquisition size`,
    );
  }
  return unlabelled;
}

/**
 * What a row of probabilities must be. "distribution": one softmax row, finite, ≥ 0 and summing
 * to 1 (multi-class probs, each MC sample). "per-label": independent sigmoid outputs, each
 * finite and in [0, 1], with no constraint on the sum (multi-label probs, reference probs).
 */
export type ProbabilityKind = "distribution" | "per-label";

/**
 * How far a "distribution" row's sum may be from 1: max(1e-3, C·2⁻²³). A float32 softmax over C
 * classes rounds each output and its normaliser, so its sum is off by at most about C·2⁻²⁴
 * (≈ 6e-8·C; typical rows are far closer), and 1e-3 stays well above that up to ~8 000
 * classes; wider outputs get twice the worst case. Anything further off is not a softmax:
 * logits, unnormalised scores, a truncated or all-zero row.
 */
export function rowSumTolerance(classes: number): number {
  return Math.max(1e-3, classes * 2 ** -23);
}

/**
 * How far above 1 a single probability may be. Float32 arithmetic that should land on 1 (a
 * sigmoid near saturation, ten vote shares of 0.1 summed) can overshoot by a few ulps
 * (2⁻²³ ≈ 1.2e-7 each); 1e-5 allows that and nothing a real mistake produces.
 */
export const ABOVE_ONE_TOLERANCE = 1e-5;

/** The float32 bit pattern of 1 + ABOVE_ONE_TOLERANCE: larger patterns are larger values, ∞ or NaN. */
const ABOVE_ONE_BITS = new Int32Array(Float32Array.of(1 + ABOVE_ONE_TOLERANCE).buffer)[0]!;

/** 1 + ABOVE_ONE_TOLERANCE as a float32, the largest value a row may hold. */
export const ABOVE_ONE = Math.fround(1 + ABOVE_ONE_TOLERANCE);

/** A number as an error message shows it: short (7 significant digits), NaN and ±Infinity as such. */
function shown(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : String(v);
}

/**
 * Throws unless each of the `rows` rows of `width` values in `data` is a probability row of
 * `kind` (see ProbabilityKind). The one check for every sampler and metric that reads
 * probabilities: a NaN or an all-zero row would otherwise rank first or vanish silently.
 * The message names `who`, the input, the row (and, with `samplesPerRow` > 1, the MC sample
 * within the point) and the bad value, on one line.
 *
 * Speed: it runs before every score over N×C (or N×T×C) values, so each row is read by
 * the SIMD kernel (simd-row-stats.ts; RowScan, row-scan.ts, where it is missing): OR-ing the
 * float32 bit patterns flags any sign bit (a negative value), the maximum anything above
 * 1 + ABOVE_ONE_TOLERANCE or ∞, the sum (∞ or NaN with any such value) a NaN. Only a flagged row
 * is re-read value by value, and that re-read alone decides.
 */
export function checkProbabilityRows(
  who: string,
  input: string,
  data: Float32Array,
  rows: number,
  width: number,
  kind: ProbabilityKind,
  samplesPerRow = 1,
): void {
  if (rows > 0 && width < 1) {
    throw new RangeError(`${who}: ${input} has ${width} columns; pass one probability per class or label`);
  }
  const bits = new Int32Array(data.buffer, data.byteOffset, rows * width);
  const tolerance = rowSumTolerance(width);
  const sumBound = tolerance - laneSumSlack(width);
  const distribution = kind === "distribution";
  const sum32Bound = tolerance - laneSum32Slack(width);
  const aboveOne = ABOVE_ONE;
  const scan = new RowScan();
  for (let r = 0; r < rows; ) {
    const chunk = rowStats?.(data, r, rows - r, width);
    if (chunk !== undefined && chunk.rows > 0) {
      const { max, sum, sign } = chunk;
      // A per-label row's sum is still finite unless a value is NaN or ∞ (both flagged).
      const bound = distribution ? sum32Bound : Infinity;
      for (let q = 0; q < chunk.rows; q++, r++) {
        if (sign[q]! < 0 || !(max[q]! <= aboveOne) || !(Math.abs(sum[q]! - 1) <= bound)) rowProblem(who, input, data, r, width, kind, samplesPerRow, tolerance);
      }
    } else {
      scan.read(data, bits, r * width, width);
      if (scan.sign < 0 || !(scan.max <= aboveOne) || (distribution && !(Math.abs(scan.sum - 1) <= sumBound))) {
        rowProblem(who, input, data, r, width, kind, samplesPerRow, tolerance);
      }
      r++;
    }
  }
}

/**
 * How far a sum taken in another order (RowScan's four lanes) may be from the index-order sum
 * the error message reports: a row within this of the tolerance is re-read in order, so lane
 * order never decides whether a row passes.
 */
export function laneSumSlack(width: number): number {
  return (width + 4) * 2 ** -50;
}

/**
 * checkProbabilityRows's verdict on one "distribution" row of `data`, for a sampler whose own
 * scan gathered the row's OR of float32 bit patterns (`sign`), largest bit pattern (`top`) and
 * sum (in any order: a sum near the tolerance is re-read in index order): the sampler then
 * reads the pool once instead of twice (margin.ts). Throws as checkProbabilityRows would;
 * `tolerance` is rowSumTolerance(width).
 */
export function checkScannedRow(who: string, input: string, data: Float32Array, r: number, width: number, tolerance: number, sign: number, top: number, sum: number): void {
  if (sign < 0 || top > ABOVE_ONE_BITS || !(Math.abs(sum - 1) <= tolerance - laneSumSlack(width))) rowProblem(who, input, data, r, width, "distribution", 1, tolerance);
}

/** checkScannedRow for a row RowScan has read. */
export function checkReadRow(who: string, input: string, data: Float32Array, r: number, width: number, tolerance: number, scan: RowScan): void {
  if (scan.sign < 0 || !(scan.max <= ABOVE_ONE) || !(Math.abs(scan.sum - 1) <= tolerance - laneSumSlack(width))) rowProblem(who, input, data, r, width, "distribution", 1, tolerance);
}

/**
 * Throws as checkProbabilityRows would for "distribution" row r (the re-read of a flagged row);
 * with `samplesPerRow` > 1, row r is sample r mod samplesPerRow of point ⌊r / samplesPerRow⌋.
 */
export function checkProbabilityRow(who: string, input: string, data: Float32Array, r: number, width: number, tolerance: number, samplesPerRow = 1): void {
  rowProblem(who, input, data, r, width, "distribution", samplesPerRow, tolerance);
}

/**
 * requireProbs's checks of presence, row count and length, without the row scan: for a sampler
 * that checks each row in its own scan with checkScannedRow.
 */
export function requireProbsShape(sampler: string, inputs: SamplerInputs): Matrix {
  const probs = inputs.probs;
  if (probs === undefined) {
    throw new TypeError(`${sampler}: needs "probs" but the runner gave none`);
  }
  if (probs.n !== inputs.labelled.length) {
    throw new RangeError(
      `${sampler}: probs has ${probs.n} rows but the pool has ${inputs.labelled.length} points; pass one probability row per pool point`,
    );
  }
  checkRowLength(sampler, "probs", probs.data.length, probs.n, probs.c);
  if (probs.n > 0 && probs.c < 1) throw new RangeError(`${sampler}: probs has ${probs.c} columns; pass one probability per class or label`);
  return probs;
}

/** Re-reads a flagged row value by value and throws its first problem (a −0 alone is fine). */
function rowProblem(
  who: string,
  input: string,
  data: Float32Array,
  r: number,
  width: number,
  kind: ProbabilityKind,
  samplesPerRow: number,
  tolerance: number,
): void {
  const where = samplesPerRow > 1 ? `row ${Math.floor(r / samplesPerRow)} (sample ${r % samplesPerRow})` : `row ${r}`;
  let sum = 0;
  for (let j = r * width, end = j + width; j < end; j++) {
    const v = data[j]!;
    // Negated comparisons, so NaN fails them too.
    if (!(v >= 0 && v <= 1 + ABOVE_ONE_TOLERANCE)) {
      const column = width > 1 ? ` (column ${j - r * width})` : "";
      const fix =
        kind === "distribution"
          ? "probabilities must be finite numbers in [0, 1], each row summing to 1 (softmax outputs)"
          : "each value must be a probability, a finite number in [0, 1]";
      throw new RangeError(`${who}: ${input} ${where} holds ${shown(v)}${column}; ${fix}`);
    }
    sum += v;
  }
  if (kind === "distribution" && !(Math.abs(sum - 1) <= tolerance)) {
    throw new RangeError(
      `${who}: ${input} ${where} sums to ${shown(sum)}, not 1 (±${shown(tolerance)}); pass softmax probabilities, one distribution per row`,
    );
  }
}

/**
 * Throws unless `data` holds exactly rows × width values. For a short or long buffer it says
 * which row is cut, since a flat array cannot say which row lost its values.
 */
export function checkRowLength(who: string, input: string, length: number, rows: number, width: number): void {
  const expected = rows * width;
  if (length === expected) return;
  const where =
    length < expected
      ? `row ${Math.floor(length / Math.max(1, width))} is cut short`
      : `${length - expected} values run past row ${rows - 1}`;
  throw new RangeError(
    `${who}: ${input} has ${length} values for ${rows} rows of ${width} (${where}); pass one full row per pool point, built with matrix()`,
  );
}

/**
 * The pool probabilities, checked to be present, one row per pool point, and each row a
 * probability row of `kind`: "distribution" for multi-class samplers, "per-label" for
 * multi-label ones.
 */
export function requireProbs(sampler: string, inputs: SamplerInputs, kind: ProbabilityKind): Matrix {
  const probs = requireProbsShape(sampler, inputs);
  checkProbabilityRows(sampler, "probs", probs.data, probs.n, probs.c, kind);
  return probs;
}

/** For samplers without options: accepts undefined or {}, rejects anything else by name. */
export function parseNoOptions(options: unknown, path: string): Record<string, never> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const got = options === null ? "null" : Array.isArray(options) ? "an array" : typeof options;
    throw new TypeError(`${path}: expected an options object, got ${got}; omit it or pass {}`);
  }
  const keys = Object.keys(options);
  if (keys.length > 0) {
    throw new TypeError(`${path}: unknown option "${keys[0]}" (this sampler takes no options)`);
  }
  return {};
}
