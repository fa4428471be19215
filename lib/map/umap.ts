/**
 * A seeded 2-D UMAP (umap-js) for the selection maps. umap-js draws every random choice (the
 * random-projection trees, NN-descent, the initial layout, negative samples) from the `random`
 * function it is given; here that is a lib/al/random.ts stream, so the same rows and seed always
 * give the same coordinates and a rebuilt site draws the same map.
 * lib/map/pool-map.ts calls it.
 */
import { UMAP } from "umap-js";
import { createRandom } from "../al/random.ts";

export interface UmapOptions {
  /** Seed of the random stream; default 0. */
  seed?: number;
  /** Neighbours of each point in the graph; default 15 (fewer when there are fewer points). */
  nNeighbors?: number;
  /** How tightly points may pack; default 0.1. */
  minDist?: number;
  /** Optimisation epochs; default UMAP_EPOCHS. */
  nEpochs?: number;
}

/**
 * Epochs of the layout optimisation. umap-js's own default is 500 below 10,000 points (200 above).
 * Measured on 3,000 Fashion-MNIST images reduced to 50 PCA components, on 2 cores shared with
 * other work (load ≈ 4–5): the neighbour graph 1.5–2.5 s, then ≈ 1.5–2 s per 100 epochs, and the
 * 50-component basis ≈ 2 s; 300 epochs keeps the whole UMAP step near 8–10 s there, inside the
 * ~15 s a 3,000-point pool may take, with room for a busier machine.
 */
export const UMAP_EPOCHS = 300;

/** The fewest points UMAP is run on: with fewer, the neighbour graph is the whole set and the layout says nothing. */
export const UMAP_MIN_POINTS = 5;

/** 2-D UMAP coordinates of `rows` (one vector per point, all the same length). */
export function umap2(rows: readonly ArrayLike<number>[], options: UmapOptions = {}): { x: Float64Array; y: Float64Array } {
  const n = rows.length;
  if (n < UMAP_MIN_POINTS) throw new RangeError(`umap2: needs at least ${UMAP_MIN_POINTS} points, got ${n}`);
  const d = rows[0]!.length;
  const bad = rows.findIndex((r) => r.length !== d);
  if (bad >= 0) throw new RangeError(`umap2: row ${bad} has ${rows[bad]!.length} values, row 0 has ${d}: give every point the same features`);
  const random = createRandom(options.seed ?? 0, "umap");
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(options.nNeighbors ?? 15, n - 1),
    minDist: options.minDist ?? 0.1,
    nEpochs: options.nEpochs ?? UMAP_EPOCHS,
    random: () => random.next(),
  });
  const embedding = umap.fit(rows.map((r) => Array.from(r)));
  const x = Float64Array.from(embedding, (p) => p[0]!);
  const y = Float64Array.from(embedding, (p) => p[1]!);
  const notFinite = [...x, ...y].findIndex((v) => !Number.isFinite(v));
  if (notFinite >= 0) throw new Error(`umap2: the layout has a non-finite coordinate (point ${notFinite % n}); the points are probably all identical`);
  return { x, y };
}
