/**
 * The uncertainty page's loader helper against a real store (test/site/fixture-store.ts): every
 * AL run's pool and batch histograms per round, with the same axis labels as the rounds file,
 * bin edges once, counts that add up to the pool and batch sizes.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import type { HistogramData } from "../../src/components/uncertainty-histogram.ts";
import { readHistograms } from "../../src/components/histogram-data.ts";
import { histogramParquet, histogramRows } from "../../src/data/histogram-rows.ts";
import { roundsRows } from "../../src/data/rounds-table.ts";
import { runTwoDatasets, TWO_DATASETS, twoDatasetsSpec } from "./fixture-store.ts";

const dir = mkdtempSync(join(tmpdir(), "al-histogram-rows-"));
const db = join(dir, "al.duckdb");
let data: HistogramData;
let rounds: Awaited<ReturnType<typeof roundsRows>>["rows"];
let poolSize: Map<string, number>;

beforeAll(async () => {
  runTwoDatasets(dir, db);
  const store = await openStore(db, { readOnly: true });
  try {
    data = await histogramRows(store, TWO_DATASETS);
    rounds = (await roundsRows(store, TWO_DATASETS)).rows;
    poolSize = new Map((await store.query("SELECT run_id, pool_size FROM runs")).map((r) => [String(r.run_id), Number(r.pool_size)]));
  } finally {
    await store.close();
  }
});

describe("histogramRows", () => {
  it("has every AL run (no baselines: one fit, no selection), each with its grid labels, sampler, mode and seed", () => {
    const { dataset, samplers, seeds } = twoDatasetsSpec;
    expect(data.runs).toHaveLength(dataset.length * samplers.length * seeds.length);
    expect(new Set(data.runs.map((r) => r.dataset))).toEqual(new Set(["noisy-blobs", "diabetes"]));
    expect(new Set(data.runs.map((r) => r.sampler))).toEqual(new Set(samplers));
    expect(new Set(data.runs.map((r) => r.seed))).toEqual(new Set(seeds));
    // The labels are the rounds file's for the same run (so pickers on both pages agree).
    for (const run of data.runs) {
      // (The rounds rows carry no run id; sampler, seed and data set name one AL run here.)
      const row = rounds.find((r) => r.sampler === run.sampler && r.seed === run.seed && r.dataset === run.dataset && r.kind === "al");
      expect(row, run.run_id).toBeDefined();
      expect([row!.dataset, row!.learner, row!.initial, row!.acquisition, row!.rounds, row!.mode]).toEqual([run.dataset, run.learner, run.initial, run.acquisition, run.rounds, run.mode]);
    }
  });

  it("gives the fixed bins once: 20 equal bins over [0, 1]", () => {
    expect(data.edges).toHaveLength(21);
    data.edges.forEach((e, i) => expect(e).toBeCloseTo(i / 20, 12));
    expect(data.skipped).toBe(0);
  });

  it("stores a pool and a batch histogram per selecting round whose counts are the unlabelled pool and the batch", () => {
    const { initial, acquisition, rounds: planned } = twoDatasetsSpec;
    for (const run of data.runs) {
      // Rounds 0 … rounds − 1 select a batch; the last round only trains and evaluates.
      expect(run.histograms.map((h) => h.round)).toEqual(Array.from({ length: planned }, (_, i) => i));
      for (const h of run.histograms) {
        const sum = (c: number[] | null) => (c ?? []).reduce((a, b) => a + b, 0);
        expect(h.pool).toHaveLength(20);
        expect(h.batch).toHaveLength(20);
        // Unlabelled before the batch is labelled: pool − initial − acquisition × round.
        expect(sum(h.pool), `${run.run_id} round ${h.round}`).toBe(poolSize.get(run.run_id)! - initial.size - acquisition.size * h.round);
        expect(sum(h.batch)).toBe(acquisition.size);
      }
    }
  });

  it("is empty for an experiment the store does not have", async () => {
    const store = await openStore(db, { readOnly: true });
    try {
      expect(await histogramRows(store, "no-such-experiment")).toEqual({ edges: [], runs: [], skipped: 0 });
    } finally {
      await store.close();
    }
  });
});

describe("histogramParquet / readHistograms (what histograms.parquet ships)", () => {
  const bytesOf = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

  it("gives the store's histograms back exactly, bin edges and skipped count included", async () => {
    expect(await readHistograms(bytesOf(await histogramParquet(data)))).toEqual(data);
  });

  it("keeps a missing batch (null), edges, skipped and run order (hand-made case)", async () => {
    const run = data.runs[0]!;
    const small: HistogramData = {
      edges: [0, 0.25, 1],
      skipped: 3,
      runs: [
        { ...run, run_id: "b", seed: 2, histograms: [{ round: 0, pool: [7, 1], batch: [0, 2] }, { round: 4, pool: [1, 0], batch: null }] },
        { ...run, run_id: "a", seed: 1, histograms: [{ round: 1, pool: [2, 2], batch: [1, 0] }] },
      ],
    };
    expect(await readHistograms(bytesOf(await histogramParquet(small)))).toEqual(small);
    expect(await readHistograms(bytesOf(await histogramParquet({ edges: [], runs: [], skipped: 0 })))).toEqual({ edges: [], runs: [], skipped: 0 });
  });
});
