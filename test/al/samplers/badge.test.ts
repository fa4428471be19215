import { describe, expect, it } from "vitest";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { badge, badgeSeeding, gradientFactors, gradientSquaredDistance } from "../../../lib/al/samplers/badge.ts";
import { contextFor, matrixOf, randomEmbeddings, randomProbs } from "./diversity-fixtures.ts";

/** The gradient embeddings written out: row i = (p_i − onehot(argmax p_i)) ⊗ h_i, C·d numbers. */
function materialise(probs: Matrix, h: Matrix, rows: ArrayLike<number>): number[][] {
  return Array.from(rows, (r) => {
    const p = Array.from(probs.data.subarray(r * probs.c, (r + 1) * probs.c));
    const top = p.indexOf(Math.max(...p));
    const g: number[] = [];
    for (let a = 0; a < probs.c; a++) for (let b = 0; b < h.c; b++) g.push((p[a]! - (a === top ? 1 : 0)) * h.data[r * h.c + b]!);
    return g;
  });
}

const sq = (x: number[], y: number[]): number => x.reduce((s, v, j) => s + (v - y[j]!) ** 2, 0);

/** BADGE on the materialised embeddings: largest norm first, then D²-sampling (same draw convention). */
function naiveBadge(g: number[][], k: number, random: Random): number[] {
  const n = g.length;
  const norms = g.map((v) => v.reduce((s, x) => s + x * x, 0));
  const picks = [norms.indexOf(Math.max(...norms))];
  const dist = g.map((v) => sq(v, g[picks[0]!]!));
  while (picks.length < k) {
    const mass = dist.map((v, i) => (picks.includes(i) ? 0 : v));
    const total = mass.reduce((s, v) => s + v, 0);
    const u = random.next();
    let pick = -1;
    if (total > 0) {
      let acc = 0;
      for (let i = 0; i < n && pick < 0; i++) {
        if (mass[i]! <= 0) continue;
        acc += mass[i]!;
        if (acc > u * total) pick = i;
      }
    } else {
      const open = [...Array(n).keys()].filter((i) => !picks.includes(i));
      pick = open[Math.floor(u * open.length)]!;
    }
    picks.push(pick);
    g.forEach((v, i) => (dist[i] = Math.min(dist[i]!, sq(v, g[pick]!))));
  }
  return picks;
}

describe("badge", () => {
  it("factorised distances equal distances between the materialised outer products", () => {
    const r = createRandom(1, "badge-dist");
    for (let t = 0; t < 10; t++) {
      const n = 2 + r.int(15);
      const probs = randomProbs(t, n, 1 + r.int(6));
      const h = randomEmbeddings(t, n, 1 + r.int(6));
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const f = gradientFactors(probs, h, rows);
      const g = materialise(probs, h, rows);
      for (let i = 0; i < n; i++) {
        expect(f.aNorms[i]! * f.hNorms[i]!).toBeCloseTo(g[i]!.reduce((s, v) => s + v * v, 0), 9);
        for (let j = 0; j < n; j++) expect(gradientSquaredDistance(f, i, j)).toBeCloseTo(sq(g[i]!, g[j]!), 9);
        expect(gradientSquaredDistance(f, i, i)).toBe(0);
      }
    }
  });

  it("matches a naive BADGE over materialised embeddings, pick for pick, with the same seed", () => {
    const r = createRandom(2, "badge-naive");
    for (let t = 0; t < 15; t++) {
      const n = 2 + r.int(40);
      const c = 2 + r.int(5);
      const d = 1 + r.int(5);
      const probs = randomProbs(100 + t, n, c);
      const embeddings = randomEmbeddings(100 + t, n, d);
      const labelled = Uint8Array.from({ length: n }, () => (r.next() < 0.3 ? 1 : 0));
      const unlabelled = [...Array(n).keys()].filter((i) => labelled[i] === 0);
      if (unlabelled.length === 0) continue;
      const k = 1 + r.int(unlabelled.length);
      const ours = Array.from(badge.select({ probs, embeddings, labelled }, k, {}, contextFor(t)));
      const naive = naiveBadge(materialise(probs, embeddings, unlabelled), k, contextFor(t).random).map((i) => unlabelled[i]!);
      expect(ours, `case ${t}`).toEqual(naive);
    }
  });

  it("skipping points by the norm bounds picks exactly what computing every distance picks", () => {
    const r = createRandom(3, "badge-skip");
    let checked = 0;
    for (let t = 0; t < 30; t++) {
      const n = 20 + r.int(300);
      const c = 2 + r.int(10);
      const d = 1 + r.int(24);
      const probs = randomProbs(200 + t, n, c);
      // ReLU-like features (the ⟨h, h'⟩ ≥ 0 bound), signed ones, and the fixture's mix with duplicates and zeros.
      const kind = t % 3;
      const embeddings = kind === 2 ? randomEmbeddings(200 + t, n, d) : { data: new Float32Array(n * d), n, c: d };
      if (kind < 2) for (let j = 0; j < n * d; j++) embeddings.data[j] = kind === 0 ? Math.max(0, r.normal()) : r.normal();
      // Sometimes only some pool rows (the unlabelled ones), so positions and pool rows differ.
      const rows = t % 4 === 3 ? Int32Array.from({ length: n >> 1 }, (_, i) => 2 * i + 1) : Int32Array.from({ length: n }, (_, i) => i);
      const f = gradientFactors(probs, embeddings, rows);
      const k = 1 + r.int(Math.min(rows.length, 40));
      const fast = badgeSeeding(f, k, createRandom(t, "draws"));
      const every = badgeSeeding(f, k, createRandom(t, "draws"), { exhaustive: true });
      expect(Array.from(fast), `case ${t}`).toEqual(Array.from(every));
      // The JavaScript dot products (no SIMD kernel) pick the same, pruned or not.
      expect(Array.from(badgeSeeding(f, k, createRandom(t, "draws"), { simd: false })), `case ${t}, JavaScript`).toEqual(Array.from(every));
      checked += k;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("the SIMD dot products pick what the JavaScript ones pick: odd and even C and d, ŷ in the last class, more rows than one scratch run", () => {
    const r = createRandom(8, "badge-simd");
    for (const [n, c, d] of [[1500, 3, 5], [1200, 2, 1], [300, 7, 16], [300, 100, 33]] as const) {
      const probs = randomProbs(n + c, n, c);
      // Every third row sure of its last class: ŷ = C − 1, the odd tail when C is odd.
      for (let i = 0; i < n; i += 3) {
        probs.data.fill(0.01 / (c - 1), i * c, (i + 1) * c);
        probs.data[i * c + c - 1] = 0.99;
      }
      const embeddings = { data: Float32Array.from({ length: n * d }, () => r.normal()), n, c: d };
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const f = gradientFactors(probs, embeddings, rows);
      // k = 3 with distances still infinite after the first pick: every row takes both dot products.
      const k = 3;
      const simd = badgeSeeding(f, k, createRandom(n, "draws"), { exhaustive: true });
      const js = badgeSeeding(f, k, createRandom(n, "draws"), { exhaustive: true, simd: false });
      expect(Array.from(simd), `${n}×${c}, d ${d}`).toEqual(Array.from(js));
    }
  });

  it("starts from the largest gradient and skips confident points until it must take them", () => {
    // ‖g‖² = ‖p − e_ŷ‖²‖h‖²: [0.5,0.5], h = 2 → 0.5·4 = 2; [0.9,0.1], h = 1 → 0.02; [0.6,0.4], h = 1 → 0.32;
    // [1,0] → 0 (a confident point has no gradient).
    const probs = matrixOf([[0.9, 0.1], [0.5, 0.5], [0.6, 0.4], [1, 0]]);
    const embeddings = matrixOf([[1], [2], [1], [5]]);
    const labelled = new Uint8Array(4);
    for (let seed = 1; seed <= 5; seed++) {
      const chosen = Array.from(badge.select({ probs, embeddings, labelled }, 4, {}, contextFor(seed)));
      expect(chosen[0]).toBe(1);
      expect(new Set(chosen).size).toBe(4);
    }
    // All gradients zero: still k distinct picks (uniform fallback).
    const sure = matrixOf([[1, 0], [0, 1], [1, 0], [0, 1]]);
    expect(new Set(badge.select({ probs: sure, embeddings, labelled }, 4, {}, contextFor(1))).size).toBe(4);
  });

  it("names missing inputs", () => {
    expect(() => badge.select({ probs: matrixOf([[1, 0]]), labelled: new Uint8Array(1) }, 1, {}, contextFor(1))).toThrow(
      'badge: needs "embeddings" but the runner gave none',
    );
    expect(() => badge.select({ embeddings: matrixOf([[1]]), labelled: new Uint8Array(1) }, 1, {}, contextFor(1))).toThrow(
      'badge: needs "probs" but the runner gave none',
    );
  });
});
