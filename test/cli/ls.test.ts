import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { al, queryStore } from "./al.ts";
import { study, studyRuns, type Study } from "./study.ts";

let s: Study;
beforeAll(async () => {
  s = await study();
});

const json = (...args: string[]) => {
  const r = al(...args);
  expect(r.stderr, r.stderr).not.toMatch(/^al /m);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
};

describe("al ls", () => {
  it("without options keeps the experiment overview", () => {
    expect(json("ls", "--db", s.db, "--json")).toEqual([
      { experiment: "study", file: expect.stringMatching(/study\.ts$/), runs: studyRuns, done: studyRuns, failed: 0, interrupted: 0, not_started: 0, updated: expect.any(String) },
    ]);
    expect(json("ls", "--experiments", "--db", s.db, "--json")).toHaveLength(1);
  });

  it("--runs lists every run with its id and status, as the store holds them", async () => {
    const rows = json("ls", "--runs", "--db", s.db, "--json");
    const stored = await queryStore(s.db, "SELECT run_id, seed, status FROM runs ORDER BY run_id");
    expect(rows.map((r) => r.run_id).sort()).toEqual(stored.map((r) => r.run_id));
    for (const r of rows) {
      expect(r.run_id).toMatch(/^[0-9a-f]{16}$/);
      expect(r.status).toBe("done");
      expect(Object.keys(r).slice(0, 8)).toEqual(["run_id", "experiment", "dataset", "learner", "sampler", "mode", "seed", "status"]);
    }
    // AL runs: initial 20 + 2 rounds of 10; baselines: one fit on 10% of the pool.
    const margin = rows.filter((r) => r.sampler === "margin");
    expect(margin).toHaveLength(2 * 2 * 3);
    for (const r of margin) expect([r.rounds, r.labelled]).toEqual([3, 40]);
  });

  it("filters by experiment, data set, learner, sampler (baselines by 'baseline') and seed lists", () => {
    const some = json("ls", "--sampler", "margin", "--dataset", "diabetes", "--learner", "knn", "--db", s.db, "--json");
    expect(some.map((r) => [r.dataset, r.learner, r.sampler, r.mode, r.seed])).toEqual([1, 2, 3].map((seed) => ["diabetes", "knn", "margin", "retrain", seed]));
    const baselines = json("ls", "--experiment", "study", "--sampler", "baseline", "--db", s.db, "--json");
    expect(baselines).toHaveLength(2 * 2 * 3);
    for (const r of baselines) expect([r.sampler, r.mode, r.rounds]).toEqual(["baseline 10%", null, 1]);
    expect(json("ls", "--sampler", "random,entropy", "--learner", "logistic", "--db", s.db, "--json")).toHaveLength(2 * 2 * 3);
  });

  it("prints a table with one line per run", () => {
    const r = al("ls", "--runs", "--sampler", "entropy", "--learner", "logistic", "--dataset", "noisy-blobs", "--db", s.db);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^run_id\s+experiment\s+dataset\s+learner\s+sampler\s+mode\s+seed\s+status\s+rounds\s+labelled\s+final_accuracy\s+seconds$/);
    expect(lines.slice(2)).toHaveLength(3);
    for (const l of lines.slice(2)) expect(l).toMatch(/^[0-9a-f]{16}\s+study\s+noisy-blobs\s+logistic\s+entropy\s+retrain\s+[123]\s+done\s+3\s+40\s/);
  });

  it("--status tells failed, interrupted, gaps and not-started runs apart", async () => {
    // A copy of the store, damaged four ways behind al's back.
    const dir = mkdtempSync(join(tmpdir(), "al-ls-"));
    const db = join(dir, "al.duckdb");
    copyFileSync(s.db, db);
    const ids = (await queryStore(db, "SELECT run_id FROM runs WHERE sampler = 'random' AND json_extract(config, '$.baseline') IS NULL ORDER BY run_id LIMIT 4")).map((r) => String(r.run_id));
    const instance = await DuckDBInstance.create(db);
    const conn = await instance.connect();
    await conn.run(`UPDATE runs SET status = 'failed', error = 'boom' WHERE run_id = '${ids[0]}'`);
    await conn.run(`UPDATE runs SET status = 'running' WHERE run_id = '${ids[1]}'`);
    await conn.run(`DELETE FROM rounds WHERE run_id = '${ids[2]}' AND round = 2`);
    await conn.run(`DELETE FROM runs WHERE run_id = '${ids[3]}'`);
    conn.closeSync();
    instance.closeSync();
    const status = (s: string) => json("ls", "--status", s, "--db", db, "--json").map((r) => [r.run_id, r.status]);
    expect(status("failed")).toEqual([[ids[0], "failed"]]);
    // Nothing writes this store now, so a run left 'running' was interrupted.
    expect(status("interrupted")).toEqual([[ids[1], "interrupted"]]);
    expect(status("running")).toEqual([]);
    const gaps = json("ls", "--status", "gaps", "--db", db, "--json");
    expect(gaps.map((r) => [r.run_id, r.status])).toEqual([[ids[2], "gaps"]]);
    expect(gaps[0]!.gap).toMatch(/round.* 2 .*missing/);
    expect(status("not-started")).toEqual([[ids[3], "not-started"]]);
    expect(status("done")).toHaveLength(studyRuns - 4);
    expect(status("failed,not-started")).toHaveLength(2);
  });

  it("rejects unknown filter values with one line naming the known ones", () => {
    const bad = al("ls", "--status", "finished", "--db", s.db);
    expect([bad.code, bad.stderr]).toEqual([2, "al ls: --status finished: expected one of done, failed, running, interrupted, gaps, not-started\n"]);
    const experiment = al("ls", "--experiment", "nope", "--db", s.db);
    expect([experiment.code, experiment.stderr.trim()]).toEqual([2, `al ls: --experiment nope: no such experiment in ${s.db}; known: study`]);
    const sampler = al("ls", "--sampler", "bald", "--db", s.db);
    expect(sampler.stderr.trim()).toBe(`al ls: --sampler bald: no such sampler in ${s.db}; known: baseline, entropy, margin, random`);
    expect(al("ls", "--experiments", "--status", "done", "--db", s.db).code).toBe(2);
  });
});
