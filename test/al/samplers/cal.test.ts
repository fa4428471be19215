import { describe, expect, it } from "vitest";
import { cal, calScores } from "../../../lib/al/samplers/cal.ts";
import { entropyScores } from "../../../lib/al/samplers/entropy.ts";
import { contextFor, matrixOf } from "./diversity-fixtures.ts";

describe("cal", () => {
  // Labelled: index 0 at x = 0 predicted [0.9, 0.1]; index 1 at x = 10 predicted [0.1, 0.9].
  // Candidates: 2 at x = 1 predicted [0.9, 0.1]; 3 at x = 9 predicted [0.5, 0.5]; 4 at x = 2 predicted [0.1, 0.9].
  const embeddings = matrixOf([[0], [10], [1], [9], [2]]);
  const probs = matrixOf([[0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.5, 0.5], [0.1, 0.9]]);
  const labelled = Uint8Array.of(1, 1, 0, 0, 0);

  it("K = 1: KL from the nearest labelled neighbour's prediction to the candidate's", () => {
    // 2: same as its neighbour 0 → 0.
    // 3: KL([0.1,0.9] ‖ [0.5,0.5]) = 0.1 ln 0.2 + 0.9 ln 1.8 = −0.160944 + 0.529007 = 0.368064.
    // 4: KL([0.9,0.1] ‖ [0.1,0.9]) = 0.9 ln 9 + 0.1 ln(1/9) = 0.8 · 2.197225 = 1.757780.
    const options = cal.parseOptions({ neighbours: 1 }, "o");
    const s = calScores({ probs, embeddings, labelled }, options);
    expect(s[2]).toBeCloseTo(0, 6);
    expect(s[3]).toBeCloseTo(0.368064, 5);
    expect(s[4]).toBeCloseTo(1.75778, 5);
    expect(Array.from(cal.select({ probs, embeddings, labelled }, 3, options, contextFor(1)))).toEqual([4, 3, 2]);
  });

  it("K = 2 averages over both labelled neighbours", () => {
    // 2: (0 + KL([0.1,0.9] ‖ [0.9,0.1])) / 2 = 1.757780 / 2 = 0.878890; 4 likewise;
    // 3: (KL([0.9,0.1] ‖ [0.5,0.5]) + KL([0.1,0.9] ‖ [0.5,0.5])) / 2 = 0.368064.
    const s = calScores({ probs, embeddings, labelled }, cal.parseOptions({ neighbours: 2 }, "o"));
    expect(s[2]).toBeCloseTo(0.87889, 5);
    expect(s[3]).toBeCloseTo(0.368064, 5);
    expect(s[4]).toBeCloseTo(0.87889, 5);
    // More neighbours than labelled points is fine (K = min(neighbours, |L|)).
    expect(calScores({ probs, embeddings, labelled }, cal.parseOptions(undefined, "o"))).toEqual(s);
  });

  it("with nothing labelled falls back to entropy; zero probabilities stay finite", () => {
    const none = new Uint8Array(5);
    expect(calScores({ probs, embeddings, labelled: none }, cal.parseOptions(undefined, "o"))).toEqual(entropyScores(probs));
    const sharp = matrixOf([[1, 0], [0, 1], [0, 1], [0.5, 0.5], [1, 0]]);
    const s = calScores({ probs: sharp, embeddings, labelled }, cal.parseOptions({ neighbours: 1 }, "o"));
    for (const v of s) expect(Number.isFinite(v)).toBe(true);
    // 2 predicts [0, 1] next to a labelled [1, 0]: KL = 1·(ln 1 − ln 1e-12) = 27.631021.
    expect(s[2]).toBeCloseTo(27.631021, 4);
  });
});
