/** Random pools for the diversity / hybrid sampler tests: zeros, ties and duplicate rows on purpose. */
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom } from "../../../lib/al/random.ts";
import type { SamplerInputs } from "../../../lib/al/samplers/sampler.ts";

export function matrixOf(rows: number[][]): Matrix {
  return { data: Float32Array.from(rows.flat()), n: rows.length, c: rows[0]!.length };
}

/** Probability rows: exact zeros, one-hots, uniform rows, copies of the previous row, Dirichlet(1)-like. */
export function randomProbs(seed: number, n: number, c: number): Matrix {
  const r = createRandom(seed, "fixture-probs");
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * c, (i + 1) * c);
    const kind = r.int(6);
    if (kind === 0 && i > 0) row.set(data.subarray((i - 1) * c, i * c));
    else if (kind === 1) row[r.int(c)] = 1;
    else if (kind === 2) row.fill(1 / c);
    else {
      let sum = 0;
      for (let j = 0; j < c; j++) {
        const w = r.next() < 0.3 ? 0 : -Math.log(1 - r.next());
        row[j] = w;
        sum += w;
      }
      if (sum === 0) row[r.int(c)] = 1;
      else for (let j = 0; j < c; j++) row[j] = row[j]! / sum;
    }
  }
  return { data, n, c };
}

/** Embedding rows: normals, all-zero rows, non-negative (ReLU-like) rows and exact duplicates. */
export function randomEmbeddings(seed: number, n: number, d: number): Matrix {
  const r = createRandom(seed, "fixture-embeddings");
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * d, (i + 1) * d);
    const kind = r.int(6);
    if (kind === 0 && i > 0) {
      const source = r.int(i); // an exact duplicate of an earlier row
      row.set(data.subarray(source * d, (source + 1) * d));
    }
    else if (kind === 1) row.fill(0);
    else if (kind === 2) for (let j = 0; j < d; j++) row[j] = Math.max(0, r.normal());
    else for (let j = 0; j < d; j++) row[j] = r.normal();
  }
  return { data, n, c: d };
}

/** A full input set for every declared need, for a pool of n points. */
export function randomInputs(seed: number, n: number, c: number, d: number, labelled: Uint8Array): SamplerInputs {
  const r = createRandom(seed, "fixture-inputs");
  const probs = randomProbs(seed, n, c);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = labelled[i] === 1 ? r.int(c) : -1;
  const referenceProbs = new Float32Array(n);
  for (let i = 0; i < n; i++) referenceProbs[i] = r.int(4) === 0 ? r.int(2) : r.next();
  return { probs, embeddings: randomEmbeddings(seed, n, d), labels, referenceProbs, labelled };
}

/** The first n Fashion-MNIST test images (784 pixels scaled to [0, 1]) and labels, from ../shared/data. */
export async function fashionMnist(n: number): Promise<{ images: Matrix; labels: Int32Array }> {
  const { readIdx } = await import("../../../lib/data/readers/idx.ts");
  const dir = new URL("../../../../shared/data/image/fashion-mnist/", import.meta.url).pathname;
  const images = await readIdx(`${dir}t10k-images-idx3-ubyte.gz`);
  const labels = await readIdx(`${dir}t10k-labels-idx1-ubyte.gz`);
  const d = 28 * 28;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) data[i] = images.data[i]! / 255;
  return { images: { data, n, c: d }, labels: Int32Array.from(labels.data.subarray(0, n)) };
}

/** A selection context on a fresh stream. */
export const contextFor = (seed: number) => ({ random: createRandom(seed, "select") });

/** Accuracy of 1-nearest-neighbour classification of every row using only the `prototypes` rows (with their labels). */
export function prototypeAccuracy(points: Matrix, labels: Int32Array, prototypes: Int32Array): number {
  const d = points.c;
  let correct = 0;
  for (let i = 0; i < points.n; i++) {
    let best = Infinity;
    let label = -1;
    for (const p of prototypes) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (points.data[i * d + j]! - points.data[p * d + j]!) ** 2;
      if (s < best) {
        best = s;
        label = labels[p]!;
      }
    }
    if (label === labels[i]) correct++;
  }
  return correct / points.n;
}

/**
 * Five well-separated Gaussian blobs in 2-D (centres ≥ 10 apart, σ = 0.5), 20 points each:
 * point i belongs to blob ⌊i / 20⌋. A single k-means++ start with k = 5 leaves a blob without
 * a centre for about 1 stream in 20 (6 of seeds 1–100 here); ten starts for none.
 */
export function separatedBlobs(): { points: Matrix; blobOf: (i: number) => number } {
  const r = createRandom(5, "blobs");
  const centres = [[0, 0], [10, 0], [0, 10], [10, 10], [20, 5]];
  const per = 20;
  const data = new Float32Array(centres.length * per * 2);
  for (let b = 0; b < centres.length; b++) {
    for (let i = 0; i < per; i++) {
      data[(b * per + i) * 2] = centres[b]![0]! + 0.5 * r.normal();
      data[(b * per + i) * 2 + 1] = centres[b]![1]! + 0.5 * r.normal();
    }
  }
  return { points: { data, n: centres.length * per, c: 2 }, blobOf: (i) => Math.floor(i / per) };
}
