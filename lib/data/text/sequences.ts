/**
 * Token-id sequences → a fixed-width matrix for the sequence learners: each row holds the first
 * `maxLength` ids of a text (longer texts are truncated at the end) followed by PAD_ID (0).
 */
import type { Matrix } from "../../al/matrix.ts";
import { PAD_ID } from "./vocabulary.ts";

export function padSequences(sequences: ReadonlyArray<ArrayLike<number>>, maxLength: number): Matrix {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`padSequences: maxLength must be an integer ≥ 1, got ${maxLength}`);
  const n = sequences.length;
  const data = new Float32Array(n * maxLength);
  if (PAD_ID !== 0) data.fill(PAD_ID);
  for (let i = 0; i < n; i++) {
    const s = sequences[i]!;
    const len = Math.min(s.length, maxLength);
    for (let j = 0; j < len; j++) data[i * maxLength + j] = s[j]!;
  }
  return { data, n, c: maxLength };
}
