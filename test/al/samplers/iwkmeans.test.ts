import { describe, expect, it } from "vitest";
import { iwkmeans } from "../../../lib/al/samplers/iwkmeans.ts";
import { wkmeans } from "../../../lib/al/samplers/wkmeans.ts";
import type { Matrix } from "../../../lib/al/matrix.ts";
import { contextFor } from "./diversity-fixtures.ts";

/**
 * Region A: a 5×5 grid on [0, 1]² (25 points; the 5 on the diagonal are labelled). Region B: 3
 * unlabelled points near (10, 10). Every point is equally uncertain (p = [0.5, 0.5]).
 */
function toy(): { embeddings: Matrix; probs: Matrix; labelled: Uint8Array; inB: (i: number) => boolean } {
  const rows: number[][] = [];
  const labelled: number[] = [];
  for (let a = 0; a < 5; a++) {
    for (let b = 0; b < 5; b++) {
      rows.push([a / 4, b / 4]);
      labelled.push(a === b ? 1 : 0);
    }
  }
  rows.push([10, 10], [10.2, 10], [10, 10.2]);
  labelled.push(0, 0, 0);
  const n = rows.length;
  return {
    embeddings: { data: Float32Array.from(rows.flat()), n, c: 2 },
    probs: { data: new Float32Array(n * 2).fill(0.5), n, c: 2 },
    labelled: Uint8Array.from(labelled),
    inB: (i) => i >= 25,
  };
}

describe("iwkmeans", () => {
  it("puts its centre in the region the labelled points leave uncovered; wkmeans does not", () => {
    // WKMeans (k = 1, all 23 candidates): the centre is the mean, pulled into A by its 20
    // points → an A point. IWKMeans: the 5 labelled A points are fixed centres, so A's points
    // are assigned to them and the one free centre ends at B's mean → a B point.
    const { embeddings, probs, labelled, inB } = toy();
    const options = { beta: 100, maxIterations: 100, tolerance: 1e-4, restarts: 10 };
    for (let seed = 1; seed <= 10; seed++) {
      const free = iwkmeans.select({ probs, embeddings, labelled }, 1, options, contextFor(seed))[0]!;
      const plain = wkmeans.select({ probs, embeddings, labelled }, 1, options, contextFor(seed))[0]!;
      expect(inB(free), `seed ${seed}: iwkmeans picked ${free}`).toBe(true);
      expect(inB(plain), `seed ${seed}: wkmeans picked ${plain}`).toBe(false);
      expect(labelled[free]).toBe(0);
    }
    // B's mean is (10.067, 10.067): (10, 10) is nearest → index 25.
    expect(Array.from(iwkmeans.select({ probs, embeddings, labelled }, 1, options, contextFor(1)))).toEqual([25]);
  });

  it("with nothing labelled behaves exactly like wkmeans", () => {
    const { embeddings, probs } = toy();
    const labelled = new Uint8Array(embeddings.n);
    const options = iwkmeans.parseOptions({ beta: 3 }, "o");
    for (let seed = 1; seed <= 3; seed++) {
      expect(iwkmeans.select({ probs, embeddings, labelled }, 4, options, contextFor(seed))).toEqual(
        wkmeans.select({ probs, embeddings, labelled }, 4, options, contextFor(seed)),
      );
    }
  });
});
