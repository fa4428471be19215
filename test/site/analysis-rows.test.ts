/**
 * The Diagnostics page's loader helper (src/data/analysis-rows.ts) against a real store: the
 * two-data-set fixture experiment, trained and analysed by `al run`.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stoppingRules } from "../../lib/al/analysis.ts";
import { metricCatalogue } from "../../lib/al/metrics/index.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { GRID_AXIS_NAMES } from "../../src/components/grid-axes.ts";
import { readAnalysisEntries, unpackAnalysis } from "../../src/components/analysis-data.ts";
import { analysisEntriesParquet, analysisRows, packAnalysis, STOPPING_RULES, type AnalysisData } from "../../src/data/analysis-rows.ts";
import { roundsRows } from "../../src/data/rounds-table.ts";
import { TWO_DATASETS, runTwoDatasets } from "./fixture-store.ts";

const dir = mkdtempSync(join(tmpdir(), "al-analysis-rows-"));
const db = join(dir, "al.duckdb");
let data: AnalysisData;
let rounds: Record<string, string | number | null>[];

async function read<T>(path: string, fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>, readOnly = true): Promise<T> {
  const store = await openStore(path, { readOnly });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  runTwoDatasets(dir, db);
  data = await read(db, (s) => analysisRows(s, TWO_DATASETS));
  rounds = (await read(db, (s) => roundsRows(s, TWO_DATASETS))).rows;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("analysisRows", () => {
  it("has one entry per active-learning run (no baselines), each with its grid axes, sampler, mode and seed", () => {
    // 2 data sets × 2 samplers × 2 seeds; the 4 baselines (10%) are left out.
    expect(data.runs).toHaveLength(8);
    const cells = data.runs.map((r) => `${r.dataset}/${r.sampler}/${r.mode}/${r.seed}`).sort();
    expect(cells).toEqual([
      "diabetes/margin/retrain/1", "diabetes/margin/retrain/2", "diabetes/random/retrain/1", "diabetes/random/retrain/2",
      "noisy-blobs/margin/retrain/1", "noisy-blobs/margin/retrain/2", "noisy-blobs/random/retrain/1", "noisy-blobs/random/retrain/2",
    ]);
    for (const run of data.runs) {
      expect(run).toMatchObject({ status: "done", analysed: true, learner: "logistic", initial: "20", acquisition: "10", rounds: "3" });
      // The same axis labels as the rounds file, so the page can match a run to its curves.
      const mine = rounds.filter((r) => r.sampler === run.sampler && r.seed === run.seed && r.dataset === run.dataset && r.kind === "al");
      expect(mine).toHaveLength(4);
      for (const axis of GRID_AXIS_NAMES) expect(mine.every((r) => r[axis] === run[axis])).toBe(true);
    }
  });

  it("lists every stopping rule per run in lib/al/analysis.ts's order, stop points taken from the run's own rounds", async () => {
    const stored = await read(db, (s) => s.query("SELECT run_id, rule, stop_round, stop_labelled, lost_accuracy FROM stopping"));
    expect(stored).toHaveLength(8 * 6);
    let fired = 0;
    for (const run of data.runs) {
      expect(run.stopping.map((s) => s.rule)).toEqual(Object.keys(stoppingRules));
      for (const stop of run.stopping) {
        const row = stored.find((s) => s.run_id === run.run_id && s.rule === stop.rule)!;
        expect(stop.stop_round).toBe(row.stop_round === null ? null : Number(row.stop_round));
        expect(stop.lost_accuracy).toBe(row.lost_accuracy);
        if (stop.stop_round === null) {
          expect(stop).toMatchObject({ stop_labelled: null, lost_accuracy: null });
          continue;
        }
        fired++;
        // stop_labelled is that round's labelled count; the loss is final minus stop-round accuracy.
        const mine = rounds.filter((r) => r.sampler === run.sampler && r.seed === run.seed && r.dataset === run.dataset && r.kind === "al");
        const at = mine.find((r) => r.round === stop.stop_round)!;
        const last = mine.find((r) => r.round === 3)!;
        expect(stop.stop_labelled).toBe(at.labelled);
        expect(stop.lost_accuracy).toBeCloseTo((last.accuracy as number) - (at.accuracy as number), 12);
      }
    }
    // The fixture's runs fire some rules (the uncertainty thresholds at least), or this checks nothing.
    expect(fired).toBeGreaterThan(0);
  });

  it("gives the advisor's message for every round, with action, use and reason as stored", async () => {
    const stored = await read(db, (s) => s.query("SELECT run_id, round, action, use, reason FROM advice ORDER BY run_id, round"));
    for (const run of data.runs) {
      expect(run.advice.map((a) => a.round)).toEqual([0, 1, 2, 3]);
      const mine = stored.filter((a) => a.run_id === run.run_id);
      expect(run.advice).toEqual(mine.map((a) => ({ round: Number(a.round), action: a.action, use: a.use, reason: a.reason })));
      for (const a of run.advice) {
        expect(["continue", "explore", "easier", "harder", "stop"]).toContain(a.action);
        expect(a.use === null).toBe(a.action !== "explore");
      }
    }
  });

  it("ships the catalogue's text for every non-test metric and the rules in lib/al/analysis.ts", () => {
    const diagnostics = metricCatalogue.filter((m) => m.scope !== "test");
    expect(data.diagnostics.map((d) => d.key)).toEqual(diagnostics.map((m) => m.key));
    expect(data.diagnostics.find((d) => d.key === "contradiction_ratio")).toEqual({
      key: "contradiction_ratio",
      scope: "change",
      better: "lower",
      description: metricCatalogue.find((m) => m.key === "contradiction_ratio")!.description,
      helps: metricCatalogue.find((m) => m.key === "contradiction_ratio")!.helps,
    });
    expect(data.diagnostics.map((d) => d.key)).toEqual(expect.arrayContaining(["stability_kappa", "exploration_gain", "agreement", "easiness", "noisy_ratio"]));
    expect(STOPPING_RULES.map((r) => r.rule)).toEqual(Object.keys(stoppingRules));
    // Each rule reads a metric the catalogue describes.
    for (const r of STOPPING_RULES) expect(metricCatalogue.map((m) => m.key)).toContain(r.reads);
  });

  it("marks runs the analysis has not seen (al run not finished) with empty lists", async () => {
    const copy = join(dir, "unanalysed.duckdb");
    copyFileSync(db, copy);
    await read(copy, async (s) => {
      for (const table of ["stopping", "advice", "summaries"]) await s.query(`DELETE FROM ${table}`);
    }, false);
    const bare = await read(copy, (s) => analysisRows(s, TWO_DATASETS));
    expect(bare.runs).toHaveLength(8);
    expect(bare.runs.every((r) => !r.analysed && r.stopping.length === 0 && r.advice.length === 0)).toBe(true);
    expect((await read(copy, (s) => analysisRows(s, "no-such-experiment"))).runs).toEqual([]);
  });
});

describe("packAnalysis / unpackAnalysis (what analysis.json and analysis.parquet ship)", () => {
  it("gives the store's analysis back exactly after a JSON and Parquet round trip", async () => {
    const { json, entries } = packAnalysis(data);
    const bytes = await analysisEntriesParquet(entries);
    const read = await readAnalysisEntries(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(read).toEqual(entries);
    expect(unpackAnalysis(JSON.parse(JSON.stringify(json)) as typeof json, read)).toEqual(data);
    // One Parquet row per stopping row and per advice message, none in the JSON.
    expect(entries.filter((e) => e.kind === "advice")).toHaveLength(data.runs.reduce((n, r) => n + r.advice.length, 0));
    expect(entries.filter((e) => e.kind === "stopping")).toHaveLength(data.runs.reduce((n, r) => n + r.stopping.length, 0));
    expect(json.runs.some((r) => "advice" in r || "stopping" in r)).toBe(false);
  });

  it("splits runs and entries in the analysis order (hand-made case)", async () => {
    const run = { ...data.runs[0]!, stopping: [], advice: [] };
    const small: AnalysisData = {
      runs: [
        { ...run, run_id: "a", advice: [{ round: 0, action: "continue", use: null, reason: "same" }, { round: 1, action: "explore", use: "random", reason: "other" }], stopping: [{ rule: "contradiction", stop_round: 2, stop_labelled: 40, lost_accuracy: -0.01 }] },
        { ...run, run_id: "b", advice: [{ round: 0, action: "continue", use: null, reason: "same" }], stopping: [{ rule: "contradiction", stop_round: null, stop_labelled: null, lost_accuracy: null }] },
        { ...run, run_id: "c", advice: [], stopping: [] },
      ],
      diagnostics: [],
      rules: [],
    };
    const { json, entries } = packAnalysis(small);
    const none = { rule: null, stop_round: null, stop_labelled: null, lost_accuracy: null, round: null, action: null, use: null, reason: null };
    expect(entries).toEqual([
      { ...none, run_id: "a", kind: "stopping", rule: "contradiction", stop_round: 2, stop_labelled: 40, lost_accuracy: -0.01 },
      { ...none, run_id: "a", kind: "advice", round: 0, action: "continue", reason: "same" },
      { ...none, run_id: "a", kind: "advice", round: 1, action: "explore", use: "random", reason: "other" },
      { ...none, run_id: "b", kind: "stopping", rule: "contradiction" },
      { ...none, run_id: "b", kind: "advice", round: 0, action: "continue", reason: "same" },
    ]);
    expect(json.runs.map((r) => r.run_id)).toEqual(["a", "b", "c"]);
    expect(json.runs[1]!).not.toHaveProperty("advice");
    const bytes = await analysisEntriesParquet(entries);
    const read = await readAnalysisEntries(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(unpackAnalysis(json, read)).toEqual(small);
    // No entries at all (nothing analysed yet) is still a readable file.
    const empty = await analysisEntriesParquet([]);
    expect(await readAnalysisEntries(empty.buffer.slice(empty.byteOffset, empty.byteOffset + empty.byteLength) as ArrayBuffer)).toEqual([]);
  });

  it("refuses an entry for a run the JSON lacks with a readable error", () => {
    const { json, entries } = packAnalysis(data);
    expect(() => unpackAnalysis({ ...json, runs: [] }, entries)).toThrow(new RegExp(`run ${entries[0]!.run_id}, which analysis.json lacks; rebuild the site`));
  });
});
