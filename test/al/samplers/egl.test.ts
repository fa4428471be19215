import { describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { egl, eglScores } from "../../../lib/al/samplers/egl.ts";
import { contextFor, matrixOf, randomEmbeddings, randomProbs } from "./diversity-fixtures.ts";

describe("egl", () => {
  it("closed form by hand", () => {
    // [0.5,0.5], h = (3,4): ‖p‖² = 0.5, ‖p − e_c‖² = 0.5 − 1 + 1 = 0.5 → Σ p_c·0.707107 = 0.707107, × ‖h‖ = 5 → 3.535534.
    // [1,0], h = (3,4): ‖p − e_0‖ = 0 and p_1 = 0 → 0.
    // [0.8,0.2], h = (1,0): ‖p‖² = 0.68; c=0: 0.68 − 1.6 + 1 = 0.08 → 0.282843; c=1: 0.68 − 0.4 + 1 = 1.28 → 1.131371;
    //   0.8·0.282843 + 0.2·1.131371 = 0.452548.
    const probs = matrixOf([[0.5, 0.5], [1, 0], [0.8, 0.2]]);
    const embeddings = matrixOf([[3, 4], [3, 4], [1, 0]]);
    const s = eglScores(probs, embeddings);
    [3.535534, 0, 0.452548].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 5));
    expect(Array.from(egl.select({ probs, embeddings, labelled: new Uint8Array(3) }, 3, {}, contextFor(1)))).toEqual([0, 2, 1]);
  });

  it("equals the expected Frobenius norm of the materialised gradient (p − e_c) ⊗ h", () => {
    const r = createRandom(6, "egl");
    for (let t = 0; t < 10; t++) {
      const n = 1 + r.int(20);
      const c = 1 + r.int(5);
      const d = 1 + r.int(5);
      const probs = randomProbs(t, n, c);
      const h = randomEmbeddings(t, n, d);
      const s = eglScores(probs, h);
      for (let i = 0; i < n; i++) {
        let expected = 0;
        for (let y = 0; y < c; y++) {
          let sq = 0;
          for (let a = 0; a < c; a++) {
            for (let b = 0; b < d; b++) sq += ((probs.data[i * c + a]! - (a === y ? 1 : 0)) * h.data[i * d + b]!) ** 2;
          }
          expected += probs.data[i * c + y]! * Math.sqrt(sq);
        }
        expect(s[i]).toBeCloseTo(expected, 5);
      }
    }
  });

  it("names the missing embeddings", () => {
    expect(() => egl.select({ probs: matrixOf([[1, 0]]), labelled: new Uint8Array(1) }, 1, {}, contextFor(1))).toThrow(
      'egl: needs "embeddings" but the runner gave none',
    );
  });
});
