/**
 * Per-feature standardisation (zero mean, unit variance on the training rows) for the classical
 * learners: L2 penalties and Euclidean distances otherwise weigh features by their units.
 * Constant features keep scale 1, so they map to 0 instead of dividing by zero.
 */
import type { Matrix } from "../al/matrix.ts";

export interface Scaler {
  mean: Float64Array;
  scale: Float64Array;
}

export function fitScaler(x: Matrix): Scaler {
  const { n, c } = x;
  const mean = new Float64Array(c);
  const scale = new Float64Array(c);
  for (let i = 0; i < n; i++) for (let f = 0; f < c; f++) mean[f]! += x.data[i * c + f]!;
  for (let f = 0; f < c; f++) mean[f]! /= Math.max(n, 1);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < c; f++) {
      const v = x.data[i * c + f]! - mean[f]!;
      scale[f]! += v * v;
    }
  }
  for (let f = 0; f < c; f++) {
    const sd = Math.sqrt(scale[f]! / Math.max(n, 1));
    scale[f] = sd > 1e-12 ? sd : 1;
  }
  return { mean, scale };
}

/** (x − mean) / scale, as a new matrix. */
export function applyScaler(x: Matrix, s: Scaler): Matrix {
  const { n, c } = x;
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) for (let f = 0; f < c; f++) out[i * c + f] = (x.data[i * c + f]! - s.mean[f]!) / s.scale[f]!;
  return { data: out, n, c };
}
