/**
 * The Rankings page's rows against a real store (test/site/fixture-store.ts: two data sets ×
 * random, margin × two seeds, retrain, plus 10% baselines): one row per done AL run with its
 * axis labels, and areas and final values that agree with what the store holds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../lib/store/duckdb.ts";
import { rankableMetric, rankingRows, round6, type RankingData } from "../../src/data/ranking-rows.ts";
import { runTwoDatasets, TWO_DATASETS } from "./fixture-store.ts";

const dir = mkdtempSync(join(tmpdir(), "al-ranking-rows-"));
const db = join(dir, "al.duckdb");
let store: Store;
let data: RankingData;

beforeAll(async () => {
  runTwoDatasets(dir, db);
  store = await openStore(db, { readOnly: true });
  data = await rankingRows(store);
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("rankingRows", () => {
  it("gives one row per done AL run, baselines left out, with every axis label", async () => {
    const runs = await store.query("SELECT count(*)::INTEGER AS n FROM runs WHERE status = 'done' AND json_extract(config, '$.baseline') IS NULL");
    expect(data.rows).toHaveLength(Number(runs[0]!.n));
    expect(data.rows).toHaveLength(2 * 2 * 2);
    expect(data.skipped).toEqual([]);
    expect(new Set(data.rows.map((r) => r.experiment))).toEqual(new Set([TWO_DATASETS]));
    expect(new Set(data.rows.map((r) => r.dataset))).toEqual(new Set(["diabetes", "noisy-blobs"]));
    expect(new Set(data.rows.map((r) => r.sampler))).toEqual(new Set(["random", "margin"]));
    expect(new Set(data.rows.map((r) => r.seed))).toEqual(new Set([1, 2]));
    expect(new Set(data.rows.map((r) => r.mode))).toEqual(new Set(["retrain"]));
    expect(new Set(data.rows.map((r) => r.learner))).toEqual(new Set(["logistic"]));
    // Initial 20 + 3 rounds of 10: an axis the experiment does not vary still has its label.
    expect(new Set(data.rows.map((r) => r.initial))).toEqual(new Set(["20"]));
    expect(new Set(data.rows.map((r) => `${r.dataset} ${r.sampler} ${r.seed}`)).size).toBe(8);
  });

  it("ranks test metrics with a direction only: per-class, batch and neutral metrics are left out", async () => {
    const stored = (await store.query("SELECT DISTINCT metric FROM metrics")).map((r) => String(r.metric));
    expect(stored).toContain("recall_class_0");
    expect(stored).toContain("agreement");
    const names = data.metrics.map((m) => m.name);
    expect(names).toContain("accuracy");
    expect(names).not.toContain("recall_class_0");
    expect(names).not.toContain("agreement");
    expect(names).not.toContain("contradiction_ratio");
    expect(data.metrics.find((m) => m.name === "accuracy")?.better).toBe("higher");
    expect(data.metrics.find((m) => m.name === "log_loss")?.better).toBe("lower");
    expect(rankableMetric("recall_class_3")).toBeUndefined();
    expect(rankableMetric("ece")).toEqual({ name: "ece", better: "lower" });
  });

  it("areas match al run's stored aulc_accuracy and final values the last round, to 6 significant digits", async () => {
    const summaries = await store.query("SELECT run_id, value FROM summaries WHERE name = 'aulc_accuracy'");
    const aulc = new Map(summaries.map((s) => [String(s.run_id), Number(s.value)]));
    const last = await store.query(
      `SELECT m.run_id, m.value FROM metrics m JOIN (SELECT run_id, max(round) AS round FROM rounds GROUP BY run_id) l USING (run_id, round)
        WHERE m.metric = 'log_loss'`,
    );
    const finalLoss = new Map(last.map((s) => [String(s.run_id), Number(s.value)]));
    for (const row of data.rows) {
      expect(aulc.has(row.run)).toBe(true);
      expect(row.area.accuracy).toBe(round6(aulc.get(row.run)!));
      expect(row.final.log_loss).toBe(round6(finalLoss.get(row.run)!));
      expect(row.area.accuracy).toBeGreaterThan(0);
      expect(row.area.accuracy).toBeLessThanOrEqual(1);
    }
    // The samplers differ somewhere: the rows are each run's own numbers.
    expect(new Set(data.rows.map((r) => r.area.accuracy)).size).toBeGreaterThan(1);
  });

  it("rounds to 6 significant digits", () => {
    expect(round6(0.123456789)).toBe(0.123457);
    expect(round6(1234567.8)).toBe(1234570);
    expect(round6(0)).toBe(0);
  });
});
