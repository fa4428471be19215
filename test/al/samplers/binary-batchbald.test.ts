import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { binaryBald, binaryBaldScores } from "../../../lib/al/samplers/binary-bald.ts";
import {
  binaryBatchBald,
  binaryBatchBaldOptionsSchema,
  binaryBatchBaldSampler,
  defaultCandidates,
  summedJointMutualInformation,
} from "../../../lib/al/samplers/binary-batchbald.ts";
import { getSampler } from "../../../lib/al/samplers/index.ts";
import type { Samples } from "../../../lib/al/samplers/sampler.ts";

const defaults = binaryBatchBaldOptionsSchema.parse({});
const ctx = (seed = 1) => ({ random: createRandom(seed) });

/** N×T×L samples from per-point, per-pass, per-label sigmoid outputs. */
function samplesOf(points: number[][][]): Samples {
  const n = points.length;
  const t = points[0]!.length;
  const c = points[0]![0]!.length;
  return { data: Float32Array.from(points.flat(2)), n, t, c };
}

/** Random sigmoid samples: per (point, label) a base logit and a pass-to-pass spread, some copies. */
function randomSamples(r: Random, n: number, t: number, c: number): Samples {
  const data = new Float32Array(n * t * c);
  for (let i = 0; i < n; i++) {
    if (i > 0 && r.next() < 0.15) {
      data.copyWithin(i * t * c, (i - 1) * t * c, i * t * c); // a duplicate of the previous point
      continue;
    }
    for (let l = 0; l < c; l++) {
      const base = (r.next() - 0.7) * 6;
      const spread = r.next() * 3;
      for (let u = 0; u < t; u++) data[(i * t + u) * c + l] = 1 / (1 + Math.exp(-(base + spread * (r.next() - 0.5))));
    }
  }
  return { data, n, t, c };
}

/**
 * Brute force: per label, the joint of the batch's 2^b binary outcomes averaged over the T passes,
 * I = H(Y^l_B) − (1/T) Σ_t Σ_i H_b(p_til), summed over labels, in float64 from the stored float32.
 */
function bruteForceSummedMi(s: Samples, batch: number[]): number {
  const { data, t, c } = s;
  const p = (i: number, u: number, l: number) => data[(i * t + u) * c + l]!;
  const hb = (q: number) => (q > 0 ? -q * Math.log(q) : 0) + (q < 1 ? -(1 - q) * Math.log(1 - q) : 0);
  let total = 0;
  for (let l = 0; l < c; l++) {
    let joint = 0;
    for (let y = 0; y < 1 << batch.length; y++) {
      let py = 0;
      for (let u = 0; u < t; u++) {
        let prod = 1;
        batch.forEach((i, j) => (prod *= (y >> j) & 1 ? p(i, u, l) : 1 - p(i, u, l)));
        py += prod / t;
      }
      if (py > 0) joint -= py * Math.log(py);
    }
    let conditional = 0;
    for (const i of batch) for (let u = 0; u < t; u++) conditional += hb(p(i, u, l)) / t;
    total += joint - conditional;
  }
  return total;
}

/** Brute-force greedy: each step the unlabelled point that most raises bruteForceSummedMi (lowest index on ties). */
function bruteForceGreedy(s: Samples, k: number, labelled: Uint8Array): { picks: number[]; values: number[] } {
  const picks: number[] = [];
  const values: number[] = [];
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < s.n; i++) {
      if (labelled[i] === 1 || picks.includes(i)) continue;
      const v = bruteForceSummedMi(s, [...picks, i]);
      if (v > bestValue + 1e-12) (best = i), (bestValue = v);
    }
    picks.push(best);
    values.push(bestValue);
  }
  return { picks, values };
}

const hb = (p: number) => -p * Math.log(p) - (1 - p) * Math.log(1 - p);

describe("binary-batchbald: hand-computed on 2 labels, T = 2, b = 2", () => {
  // A and B are copies: label 0 p = (0.9, 0.1) over the two passes, label 1 p = 0.5 in both (no
  // information). C: label 0 p = (0.8, 0.2), label 1 p = (0.3, 0.7).
  const s = samplesOf([
    [[0.9, 0.5], [0.1, 0.5]],
    [[0.9, 0.5], [0.1, 0.5]],
    [[0.8, 0.3], [0.2, 0.7]],
  ]);
  // Singles: A = B = ln 2 − H_b(0.9) = 0.368064; C = (ln 2 − H_b(0.8)) + (ln 2 − H_b(0.7)) = 0.275028.
  const miA = Math.LN2 - hb(0.9);
  const miC = Math.LN2 - hb(0.8) + (Math.LN2 - hb(0.7));
  // {A, B}, label 0: p(11) = p(00) = ½(0.81 + 0.01) = 0.41, p(10) = p(01) = ½(0.09 + 0.09) = 0.09.
  const miAB = -2 * 0.41 * Math.log(0.41) - 2 * 0.09 * Math.log(0.09) - 2 * hb(0.9); // 0.514375
  // {A, C}, label 0: p(11) = p(00) = ½(0.72 + 0.02) = 0.37, p(10) = p(01) = ½(0.18 + 0.08) = 0.13;
  // label 1: A's is constant, so it adds nothing to C's ln 2 − H_b(0.7).
  const miAC = -2 * 0.37 * Math.log(0.37) - 2 * 0.13 * Math.log(0.13) - hb(0.9) - hb(0.8) + (Math.LN2 - hb(0.7)); // 0.523002

  it("the hand numbers agree with the brute-force enumeration", () => {
    expect(miA).toBeCloseTo(0.368064, 6);
    expect(miAB).toBeCloseTo(0.514375, 6);
    expect(miAC).toBeCloseTo(0.523002, 6);
    expect(bruteForceSummedMi(s, [0])).toBeCloseTo(miA, 6);
    expect(bruteForceSummedMi(s, [2])).toBeCloseTo(miC, 6);
    expect(bruteForceSummedMi(s, [0, 1])).toBeCloseTo(miAB, 6);
    expect(bruteForceSummedMi(s, [0, 2])).toBeCloseTo(miAC, 6);
  });

  it("summedJointMutualInformation gives the hand values", () => {
    expect(summedJointMutualInformation(s, [0, 1], defaults, createRandom(1))).toBeCloseTo(miAB, 6);
    expect(summedJointMutualInformation(s, [0, 2], defaults, createRandom(1))).toBeCloseTo(miAC, 6);
    expect(summedJointMutualInformation(s, [2, 0], defaults, createRandom(1))).toBeCloseTo(miAC, 6);
  });

  it("picks A, then C over A's copy B (binary-bald would take A and B)", () => {
    const run = binaryBatchBald(s, 2, new Uint8Array(3), defaults, createRandom(1));
    expect([...run.indices]).toEqual([0, 2]);
    expect(run.values[0]).toBeCloseTo(miA, 6);
    expect(run.values[1]).toBeCloseTo(miAC, 6);
    expect(run.sampledSteps).toBe(0);
    expect([...binaryBald.select({ mcSamples: s, labelled: new Uint8Array(3) }, 2, {}, ctx())]).toEqual([0, 1]);
  });
});

describe("binary-batchbald reduces to binary-bald for a batch of one", () => {
  it("its first pick and value are binary-bald's top-1 and score; b = 1 selects what binary-bald selects (property)", () => {
    const r = createRandom(5, "binary-batchbald");
    for (let trial = 0; trial < 30; trial++) {
      const n = 5 + r.int(30);
      const s = randomSamples(r, n, 1 + r.int(6), 1 + r.int(6));
      const labelled = new Uint8Array(n).map(() => (r.next() < 0.3 ? 1 : 0));
      labelled[r.int(n)] = 0;
      const inputs = { mcSamples: s, labelled };
      const one = binaryBatchBaldSampler.select(inputs, 1, defaults, ctx());
      expect([...one]).toEqual([...binaryBald.select(inputs, 1, {}, ctx())]);
      const unlabelled = labelled.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
      const k = Math.min(unlabelled, 1 + r.int(4));
      const run = binaryBatchBald(s, k, labelled, { ...defaults, candidates: unlabelled }, createRandom(1));
      expect(run.indices[0]).toBe(one[0]);
      expect(run.values[0]).toBe(binaryBaldScores(s)[one[0]!]);
    }
  });
});

describe("binary-batchbald against a brute-force greedy enumeration (peer check)", () => {
  it("same picks and summed MI on random pools while every label's joint is exact", () => {
    const r = createRandom(11, "binary-batchbald-peer");
    for (let trial = 0; trial < 12; trial++) {
      const n = 6 + r.int(10);
      const s = randomSamples(r, n, 2 + r.int(5), 1 + r.int(4));
      const labelled = new Uint8Array(n).map(() => (r.next() < 0.25 ? 1 : 0));
      const unlabelled = labelled.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
      const k = Math.min(unlabelled, 4);
      if (k === 0) continue;
      const run = binaryBatchBald(s, k, labelled, { ...defaults, candidates: n }, createRandom(1));
      const peer = bruteForceGreedy(s, k, labelled);
      expect([...run.indices]).toEqual(peer.picks);
      // The sampler keeps 1 − p in float32 (≈ 6e-8 relative); the brute force takes it in float64.
      for (let j = 0; j < k; j++) expect(run.values[j]).toBeCloseTo(peer.values[j]!, 7);
    }
  });
});

describe("binary-batchbald against numpy (peer check)", () => {
  it("matches a brute-force greedy enumeration run with numpy 1.24 (Debian python3)", () => {
    // p(i, u, l) = (((7i + 3u + 5l + i·u·l) mod 11) + 0.5) / 12 in float32, 1 − p in float32 as the
    // sampler keeps it; the reference enumerated every label's 2^b outcomes in float64 and took,
    // each step, the unlabelled point (5 is labelled) that most raised Σ_l I(y^l_B; w).
    const n = 7, t = 3, c = 2;
    const data = new Float32Array(n * t * c);
    for (let i = 0; i < n; i++) for (let u = 0; u < t; u++) for (let l = 0; l < c; l++) data[(i * t + u) * c + l] = (((i * 7 + u * 3 + l * 5 + i * u * l) % 11) + 0.5) / 12;
    const labelled = new Uint8Array(n);
    labelled[5] = 1;
    const run = binaryBatchBald({ data, n, t, c }, 4, labelled, defaults, createRandom(1));
    expect([...run.indices]).toEqual([6, 4, 1, 0]);
    const numpy = [0.397858068571, 0.70422269261, 0.933351564836, 1.10470580707];
    // values[0] is binary-bald's score (1 − p in float64, fast logs): the sums differ by ~1e-8.
    for (let j = 0; j < 4; j++) expect(run.values[j]).toBeCloseTo(numpy[j]!, 7);
  });
});

describe("binary-batchbald invariants (property)", () => {
  it("exact: gains ≥ 0 and non-increasing, picks distinct and unlabelled, pruning changes nothing", () => {
    const r = createRandom(21, "binary-batchbald-props");
    for (let trial = 0; trial < 25; trial++) {
      const n = 10 + r.int(40);
      const s = randomSamples(r, n, 1 + r.int(8), 1 + r.int(8));
      const labelled = new Uint8Array(n).map(() => (r.next() < 0.3 ? 1 : 0));
      const unlabelled = labelled.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
      const k = Math.min(unlabelled, 1 + r.int(7)); // ≤ 7 picks: 2^6 × 2 configurations, exact
      if (k === 0) continue;
      const options = { ...defaults, candidates: Math.max(k, r.int(n) + 1) };
      const run = binaryBatchBald(s, k, labelled, options, createRandom(1));
      expect(run.sampledSteps).toBe(0);
      expect(new Set(run.indices).size).toBe(k);
      for (const i of run.indices) expect(labelled[i]).toBe(0);
      for (const i of run.indices) expect([...run.candidates]).toContain(i);
      let previous = Infinity;
      for (let j = 0; j < k; j++) {
        const gain = run.values[j]! - (j > 0 ? run.values[j - 1]! : 0);
        expect(gain).toBeGreaterThanOrEqual(-1e-9);
        expect(gain).toBeLessThanOrEqual(previous + 1e-9);
        previous = gain;
      }
      const exhaustive = binaryBatchBald(s, k, labelled, options, createRandom(1), { exhaustive: true });
      expect([...exhaustive.indices]).toEqual([...run.indices]);
      expect([...exhaustive.values]).toEqual([...run.values]);
    }
  });

  it("sampled: distinct unlabelled picks, same batch with and without pruning, values near the exact joint", () => {
    const r = createRandom(31, "binary-batchbald-sampled");
    for (let trial = 0; trial < 4; trial++) {
      const n = 30;
      const s = randomSamples(r, n, 6, 3);
      const labelled = new Uint8Array(n).map((_, i) => (i % 5 === 0 ? 1 : 0));
      const k = 8;
      // Exact up to 2 chosen points (2 × 2 configurations × 2 ≤ 8), sampled beyond.
      const options = { draws: 4000, maxConfigurations: 8, candidates: n };
      const run = binaryBatchBald(s, k, labelled, options, createRandom(trial));
      expect(run.sampledSteps).toBeGreaterThan(0);
      expect(new Set(run.indices).size).toBe(k);
      for (const i of run.indices) expect(labelled[i]).toBe(0);
      const exhaustive = binaryBatchBald(s, k, labelled, options, createRandom(trial), { exhaustive: true });
      expect([...exhaustive.indices]).toEqual([...run.indices]);
      // 2^8 outcomes per label: the brute force is exact; 4,000 draws estimate it within a few %.
      const truth = bruteForceSummedMi(s, [...run.indices]);
      expect(Math.abs(run.values[k - 1]! - truth)).toBeLessThan(0.05 * truth);
    }
  });
});

describe("binary-batchbald options and errors", () => {
  it("is registered, multi-label only, with documented defaults", () => {
    const sampler = getSampler("binary-batchbald", "s");
    expect(sampler.tasks).toEqual(["multilabel"]);
    expect(sampler.needs).toEqual(["mcSamples"]);
    expect(sampler.parseOptions({}, "o")).toEqual({ draws: 1000, maxConfigurations: 1000 });
    expect(defaultCandidates(1)).toBe(100);
    expect(defaultCandidates(40)).toBe(160);
  });

  it("scores only the top binary-bald points when candidates is set", () => {
    const r = createRandom(41, "binary-batchbald-candidates");
    const s = randomSamples(r, 60, 4, 5);
    const labelled = new Uint8Array(60);
    const run = binaryBatchBald(s, 3, labelled, { ...defaults, candidates: 7 }, createRandom(1));
    expect(run.candidates.length).toBe(7);
    const scores = binaryBaldScores(s);
    const threshold = Math.min(...[...run.candidates].map((i) => scores[i]!));
    expect(scores.filter((v) => v > threshold).length).toBeLessThan(7);
  });

  it("refuses bad options, candidates below k, a missing input and values outside [0, 1] in one line", () => {
    expect(() => binaryBatchBaldSampler.parseOptions({ draws: 0 }, "experiments[0].sampler.options")).toThrow(
      /^experiments\[0\]\.sampler\.options\.draws: expected a whole number ≥ 1/,
    );
    expect(() => binaryBatchBaldSampler.parseOptions({ candidate: 5 }, "o")).toThrow(/candidate/);
    const s = randomSamples(createRandom(2), 10, 3, 2);
    expect(() => binaryBatchBaldSampler.select({ mcSamples: s, labelled: new Uint8Array(10) }, 4, { ...defaults, candidates: 3 }, ctx())).toThrow(
      "binary-batchbald: candidates = 3 is below k = 4; raise candidates or lower the acquisition size",
    );
    expect(() => binaryBatchBaldSampler.select({ labelled: new Uint8Array(2) }, 1, defaults, ctx())).toThrow(
      'binary-batchbald: needs "mcSamples" but the runner gave none',
    );
    const bad = samplesOf([[[0.5, 1.5]], [[0.2, 0.3]]]);
    expect(() => binaryBatchBaldSampler.select({ mcSamples: bad, labelled: new Uint8Array(2) }, 1, defaults, ctx())).toThrow(
      /^binary-batchbald: mcSamples row 0 .*1\.5/,
    );
    expect(() => binaryBatchBaldSampler.select({ mcSamples: s, labelled: new Uint8Array(10) }, 11, defaults, ctx())).toThrow(
      /binary-batchbald: k = 11 exceeds the 10 unlabelled pool points/,
    );
  });
});

describe("binary-batchbald's float32 screen changes no pick and no value", () => {
  it("equals the exhaustive exact scan, exact and sampled configurations, duplicates and near-duplicates", () => {
    const r = createRandom(23, "binary-batchbald-screen");
    let evaluated = 0;
    let screenedOut = 0;
    let sampled = 0;
    for (let trial = 0; trial < 30; trial++) {
      const n = 10 + r.int(40);
      const t = 1 + r.int(12);
      const s = randomSamples(r, n, t, 1 + r.int(10));
      // Near-ties: copies of the previous point one float32 step off in one value, or with every
      // value jittered by ~10⁻⁵ (gains apart by less than the screen's bound, in an order the
      // Jensen bounds need not share).
      for (let i = 1; i < n; i++) {
        const kind = r.next();
        if (kind >= 0.5) continue;
        const size = t * s.c;
        s.data.copyWithin(i * size, (i - 1) * size, i * size);
        if (kind < 0.15) {
          const j = i * size + r.int(size);
          s.data[j] = Math.fround(s.data[j]! * (1 - 2 ** -23));
        } else for (let j = i * size; j < (i + 1) * size; j++) s.data[j] = Math.min(1, s.data[j]! * (1 + 1e-5 * r.normal()));
      }
      const k = 2 + r.int(8);
      const options = { draws: 10 + r.int(100), maxConfigurations: 1 + r.int(trial % 2 === 0 ? 8 : 300), candidates: n };
      const run = binaryBatchBald(s, k, new Uint8Array(n), options, createRandom(trial));
      const exhaustive = binaryBatchBald(s, k, new Uint8Array(n), options, createRandom(trial), { exhaustive: true });
      expect([...run.indices], `trial ${trial}`).toEqual([...exhaustive.indices]);
      expect([...run.values], `trial ${trial}`).toEqual([...exhaustive.values]);
      expect(exhaustive.screenedOut).toBe(0);
      evaluated += run.evaluated;
      screenedOut += run.screenedOut;
      sampled += run.sampledSteps;
    }
    expect(sampled).toBeGreaterThan(20);
    expect(screenedOut / evaluated).toBeGreaterThan(0.03); // the screen does rule candidates out (0.06 here: near-ties need exact values)
  });
});
