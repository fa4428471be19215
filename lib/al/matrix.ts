/**
 * Row-major matrices as flat typed arrays with their shape. Samplers and metrics take these,
 * never tensors or nested arrays: they stay pure, fast, and a 10^6×10 pool costs 40 MB.
 */
export interface Matrix {
  data: Float32Array;
  /** rows */
  n: number;
  /** columns */
  c: number;
}

export function matrix(data: Float32Array, n: number, c: number): Matrix {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(c) || c <= 0) {
    throw new RangeError(`matrix: expected a non-negative row count and positive column count, got ${n}×${c}`);
  }
  if (data.length !== n * c) {
    throw new RangeError(`matrix: data has ${data.length} values, expected ${n}×${c} = ${n * c}`);
  }
  return { data, n, c };
}

/** The rows at the given indices, as a new matrix. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float32Array(indices.length * m.c);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    out.set(m.data.subarray(r * m.c, (r + 1) * m.c), i * m.c);
  }
  return { data: out, n: indices.length, c: m.c };
}

/** The columns of each of `indices`' rows that hold a non-zero (a 0/1 label set → its label indices). */
export function nonzeroColumns(m: Matrix, indices: ArrayLike<number>): Int32Array[] {
  return Array.from(indices, (r) => {
    const out: number[] = [];
    for (let j = 0; j < m.c; j++) if (m.data[r * m.c + j] !== 0) out.push(j);
    return Int32Array.from(out);
  });
}

/** argmax of each row (lowest index on ties). */
export function argmaxRows(m: Matrix): Int32Array {
  const out = new Int32Array(m.n);
  for (let i = 0; i < m.n; i++) {
    let best = 0;
    let bestValue = -Infinity;
    const o = i * m.c;
    for (let j = 0; j < m.c; j++) {
      const v = m.data[o + j]!;
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

/** 1/‖row‖ (Euclidean) per row, 0 for a zero row: cosine similarities treat it as similar to nothing. */
export function inverseRowNorms(x: Matrix): Float64Array {
  const { n, c: d, data } = x;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * d, end = j + d; j < end; j++) s += data[j]! * data[j]!;
    out[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return out;
}
