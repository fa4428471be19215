import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { al, queryStore } from "./al.ts";
import { checkpointDirFor } from "../../lib/runner/checkpoint.ts";

const dir = mkdtempSync(join(tmpdir(), "al-verbs-"));
const db = join(dir, "al.duckdb");
const file = join(dir, "grid.ts");
writeFileSync(
  file,
  `export default ${JSON.stringify({
    name: "verbs",
    dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
    learner: { name: "mlp", options: { hidden: [8] } },
    samplers: ["random", "margin"],
    modes: ["retrain", "keep-train"],
    initial: { size: 20 },
    acquisition: [{ size: 10 }, { size: 20 }],
    rounds: 2,
    epochs: 1,
    seeds: [1, 2],
    exclude: [{ sampler: "random", mode: "keep-train" }],
    include: [{ sampler: "entropy", mode: "retrain", seed: 1, acquisition: 10 }],
    baselines: [10, 100],
  })};\n`,
);

const query = (sql: string) => queryStore(db, sql);

describe("al verbs on a grid with lists, exclude/include and baselines", () => {
  // Grid: 2 samplers × 2 modes × 2 acquisition sizes × 2 seeds = 16, minus random/keep-train (4)
  // = 12, plus entropy/retrain/seed 1/acquisition 10 = 13, plus baselines 2 percents × 2 seeds = 4.
  const expectedRuns = 17;

  beforeAll(() => {
    const partial = al("run", file, "--db", db, "--only", "sampler=margin", "--only", "seed=1", "--json");
    expect(partial.stderr).not.toContain("FAILED");
    expect(JSON.parse(partial.stdout)).toMatchObject({ total: 4, done: 4 });
  });

  it("--only runs a slice; the rest stays pending and al status says so", () => {
    const status = JSON.parse(al("status", "--db", db, "--json").stdout);
    expect(status.experiments).toEqual([
      expect.objectContaining({ experiment: "verbs", runs: 4, done: 4, failed: 0 }),
    ]);
    const full = al("run", file, "--db", db, "--json");
    expect(full.code).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ total: expectedRuns, reused: 4, done: expectedRuns - 4, failed: 0 });
  });

  it("expands lists, exclude, include and baselines into the stored runs", async () => {
    const runs = await query(
      `SELECT sampler, mode, count(*)::INTEGER AS n,
              count(*) FILTER (WHERE json_extract(config, '$.baseline') IS NOT NULL)::INTEGER AS baselines
         FROM runs GROUP BY ALL ORDER BY ALL`,
    );
    expect(runs).toEqual([
      { sampler: "entropy", mode: "retrain", n: 1, baselines: 0 },
      { sampler: "margin", mode: "keep-train", n: 4, baselines: 0 },
      { sampler: "margin", mode: "retrain", n: 4, baselines: 0 },
      { sampler: "random", mode: "retrain", n: 8, baselines: 4 },
    ]);
    // A 10% baseline trains once on 30 of the 300 pool points; 100% on all of them.
    const base = await query(
      `SELECT json_extract(r.config, '$.baseline.percent')::INTEGER AS p, max(ro.round)::INTEGER AS last, max(ro.labelled)::INTEGER AS labelled
         FROM runs r JOIN rounds ro USING (run_id) WHERE json_extract(r.config, '$.baseline') IS NOT NULL GROUP BY ALL ORDER BY p`,
    );
    expect(base).toEqual([{ p: 10, last: 0, labelled: 30 }, { p: 100, last: 0, labelled: 300 }]);
  });

  it("al ls and al show describe what is stored", async () => {
    const ls = JSON.parse(al("ls", "--db", db, "--json").stdout);
    expect(ls).toEqual([expect.objectContaining({ experiment: "verbs", runs: expectedRuns, done: expectedRuns })]);
    const [run] = await query("SELECT run_id FROM runs WHERE sampler = 'entropy'");
    const shown = JSON.parse(al("show", String(run!.run_id).slice(0, 8), "--db", db, "--json").stdout);
    expect(shown.config.sampler.name).toBe("entropy");
    expect(shown.rounds.map((r: { labelled: number }) => r.labelled)).toEqual([20, 30, 40]);
    expect(al("show", "zzzz", "--db", db).stderr).toContain('no run id starts with "zzzz"');
  });

  it("al export writes Hive-partitioned Parquet by experiment, data set and sampler", async () => {
    const out = join(dir, "export");
    const r = al("export", "--db", db, "--out", out);
    expect(r.code).toBe(0);
    expect(readdirSync(join(out, "rounds"))).toEqual(["experiment=verbs"]);
    expect(readdirSync(join(out, "rounds", "experiment=verbs", "dataset=fashion-mnist-small")).sort()).toEqual([
      "sampler=entropy",
      "sampler=margin",
      "sampler=random",
    ]);
    const rows = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet('${out}/rounds/**/*.parquet', hive_partitioning = true)`);
    const stored = await query("SELECT count(*)::INTEGER AS n FROM rounds");
    expect(rows[0]!.n).toBe(stored[0]!.n);
  });

  it("al rm --dry-run deletes nothing; al rm deletes an experiment's runs and rows", async () => {
    const dry = JSON.parse(al("rm", "--experiment", "verbs", "--dry-run", "--db", db, "--json").stdout);
    expect(dry).toMatchObject({ dryRun: true, experiments: 1 });
    expect(dry.runIds).toHaveLength(expectedRuns);
    expect((await query("SELECT count(*)::INTEGER AS n FROM runs"))[0]!.n).toBe(expectedRuns);
    expect(al("rm", "--experiment", "nope", "--db", db).stderr).toContain('no experiment "nope"');
    const real = al("rm", "--experiment", "verbs", "--db", db, "--json");
    expect(real.code).toBe(0);
    for (const table of ["runs", "rounds", "metrics", "selections", "experiments", "experiment_runs"]) {
      expect((await query(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0]!.n, table).toBe(0);
    }
    const checkpoints = checkpointDirFor(db);
    expect(existsSync(checkpoints) ? readdirSync(checkpoints).filter((f) => f.endsWith(".ckpt")) : []).toEqual([]);
  });

  it("rejects a bad --only key with one line", () => {
    const r = al("run", file, "--db", db, "--only", "colour=red");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("al run: --only colour=red: expected key=value with key one of dataset, learner, sampler, mode, seed, initial, acquisition, rounds, budget, epochs, period");
  });
});
