/**
 * Synthetic "noisy blobs": Gaussian blobs with known label noise. Clean blob b has class
 * b mod classes (so classes get equally many blobs); each noisy pair is two blobs around the
 * *same* centre with two different classes, so no model can separate them — its points are
 * flagged `noisy`, which the noisy-sample-ratio metric counts among a sampler's picks.
 * Centres are uniform in [-centreRange, centreRange]^dimension; points are centre + spread·N(0, I).
 * Rows come blob by blob (clean blobs first, then the pairs). Seeded: same options, same data.
 */
import type { Matrix } from "../../al/matrix.ts";
import { createRandom } from "../../al/random.ts";

export interface BlobsOptions {
  /** Clean blobs. */
  blobs: number;
  /** Points per blob (clean and noisy alike). */
  perBlob: number;
  dimension: number;
  centreRange: number;
  /** Standard deviation of every coordinate around its centre. */
  spread: number;
  classes: number;
  /** Pairs of blobs sharing one centre with different labels (2 blobs each). */
  noisyPairs: number;
  seed: number;
}

export interface Blobs {
  x: Matrix;
  y: Int32Array;
  /** 1 for points of a noisy pair. */
  noisy: Uint8Array;
  /** Blob of each point (clean blobs 0…blobs-1, then the pairs' blobs). */
  blob: Int32Array;
  /** One centre per blob (a pair's two blobs share theirs). */
  centres: Matrix;
}

export const defaultBlobsOptions: BlobsOptions = {
  blobs: 20,
  perBlob: 50,
  dimension: 2,
  centreRange: 10,
  spread: 1,
  classes: 10,
  noisyPairs: 5,
  seed: 0,
};

function check(options: BlobsOptions): void {
  const ints: Array<[keyof BlobsOptions, number]> = [["blobs", 0], ["perBlob", 1], ["dimension", 1], ["classes", 2], ["noisyPairs", 0], ["seed", 0]];
  for (const [key, min] of ints) {
    const v = options[key];
    if (!Number.isInteger(v) || v < min) throw new RangeError(`noisy blobs: ${key} must be an integer ≥ ${min}, got ${v}`);
  }
  for (const key of ["centreRange", "spread"] as const) {
    if (!(options[key] > 0) || !Number.isFinite(options[key])) throw new RangeError(`noisy blobs: ${key} must be a positive number, got ${options[key]}`);
  }
  if (options.blobs + options.noisyPairs === 0) throw new RangeError("noisy blobs: no blobs (blobs and noisyPairs are both 0)");
}

export function noisyBlobs(options: BlobsOptions): Blobs {
  check(options);
  const { blobs, perBlob, dimension: d, centreRange, spread, classes, noisyPairs, seed } = options;
  const total = blobs + 2 * noisyPairs;
  const centreRandom = createRandom(seed, "blobs", "centres");
  const labelRandom = createRandom(seed, "blobs", "labels");
  const pointRandom = createRandom(seed, "blobs", "points");

  const centres = new Float32Array(total * d);
  const blobClass = new Int32Array(total);
  for (let b = 0; b < blobs; b++) {
    for (let k = 0; k < d; k++) centres[b * d + k] = (2 * centreRandom.next() - 1) * centreRange;
    blobClass[b] = b % classes;
  }
  for (let p = 0; p < noisyPairs; p++) {
    const a = blobs + 2 * p;
    for (let k = 0; k < d; k++) {
      const v = (2 * centreRandom.next() - 1) * centreRange;
      centres[a * d + k] = v;
      centres[(a + 1) * d + k] = v;
    }
    const first = labelRandom.int(classes);
    blobClass[a] = first;
    blobClass[a + 1] = (first + 1 + labelRandom.int(classes - 1)) % classes;
  }

  const n = total * perBlob;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const noisy = new Uint8Array(n);
  const blob = new Int32Array(n);
  for (let b = 0; b < total; b++) {
    for (let j = 0; j < perBlob; j++) {
      const i = b * perBlob + j;
      for (let k = 0; k < d; k++) x[i * d + k] = centres[b * d + k]! + spread * pointRandom.normal();
      y[i] = blobClass[b]!;
      noisy[i] = b >= blobs ? 1 : 0;
      blob[i] = b;
    }
  }
  return { x: { data: x, n, c: d }, y, noisy, blob, centres: { data: centres, n: total, c: d } };
}
