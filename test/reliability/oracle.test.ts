/**
 * A noisy oracle with a cost budget under a SIGKILL, and an annotator's column with costs from
 * a user's CSV, and per-label noise on a multi-label set: the resumed grid stores exactly the rows
 * (given labels or label sets, and costs, included) of a grid run without a kill on 2 workers,
 * and every run is done without gaps.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runGaps } from "../../lib/runner/gaps.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { queryStore } from "../cli/al.ts";
import { sharedData } from "../learners/real-data.ts";
import { isFlipped, writeAnnotatedCsv } from "../data/annotated-table.ts";
import { caseDir, context, spawnAl, type Context } from "./harness.ts";

const T = 240_000;
// noisy-blobs: 30% of the labels wrong, 1.5 per label, stop at 69 (46 labels).
const noisy = { oracle: { noise: 0.3 }, cost: 1.5, rounds: undefined, costBudget: 69 };

function al(dir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawnAl(dir, args, env);
  let stderr = "";
  child.stderr!.on("data", (c) => (stderr += c));
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stderr })));
}

const q = (ctx: Context, sql: string) => queryStore(join(ctx.dir, "results/al.duckdb"), sql);
const rowsOf = async (ctx: Context) => ({
  rounds: await q(ctx, "SELECT run_id, round, labelled FROM rounds ORDER BY ALL"),
  metrics: await q(ctx, "SELECT run_id, round, metric, value FROM metrics ORDER BY ALL"),
  selections: await q(ctx, "SELECT run_id, round, pool_index, rank, source_row, true_label, given_label, cost, true_labels, given_labels FROM selections ORDER BY ALL"),
});

describe("reliability: a noisy oracle and a cost budget", () => {
  it("resumes after kill -9 to the rows of an uninterrupted 2-worker grid", { timeout: T }, async () => {
    const clean = context(caseDir(false));
    clean.experiment("small", noisy);
    const whole = await al(clean.dir, ["run", "small.ts", "--workers", "2"]);
    expect(whole.code, whole.stderr).toBe(0);
    const expected = await rowsOf(clean);
    // 20 initial + 10 + 10 + 6 labels = 46 × 1.5 = 69: rounds 0–3, the last selects nothing.
    expect(expected.rounds.map((r) => r.labelled)).toEqual([20, 30, 40, 46, 20, 30, 40, 46]);
    expect(expected.metrics.filter((m) => m.metric === "cost" && m.round === 3).map((m) => m.value)).toEqual([69, 69]);
    expect(expected.selections.filter((s) => s.given_label !== s.true_label).length).toBeGreaterThan(0);

    const ctx = context(caseDir(false));
    ctx.experiment("small", noisy);
    const killed = await al(ctx.dir, ["run", "small.ts", "--workers", "1"], { AL_TEST_HOOK: "kill-after-round" });
    expect(killed.signal).toBe("SIGKILL");
    const resumed = await al(ctx.dir, ["run", "small.ts", "--workers", "1"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming after round/);
    expect(await rowsOf(ctx)).toEqual(expected);
    const store = await openStore(join(ctx.dir, "results/al.duckdb"), { readOnly: true });
    try {
      const runs = (await store.query("SELECT run_id, status FROM runs ORDER BY run_id")).map((r) => [String(r.run_id), r.status]);
      expect(runs.map(([, s]) => s)).toEqual(["done", "done"]);
      expect(await runGaps(store, runs.map(([id]) => String(id)))).toEqual(new Map());
    } finally {
      await store.close();
    }
  });

  // An annotator's column and seconds per label from a user's CSV (wrong on rows i % 10 === 3, 1 + i % 4 each).
  const annotated = (ctx: Context) => {
    mkdirSync(ctx.dir, { recursive: true });
    writeAnnotatedCsv(ctx.dir, 120);
    ctx.experiment("small", {
      dataset: { file: "annotated.csv", label: "label", testFraction: 0.3, standardize: true },
      oracle: { column: "annotator" },
      cost: { column: "seconds" },
      rounds: undefined,
      costBudget: 80,
    });
  };

  it("resumes a column oracle with column costs after kill -9 to the rows of an uninterrupted 2-worker grid", { timeout: T }, async () => {
    const clean = context(caseDir(false));
    annotated(clean);
    const whole = await al(clean.dir, ["run", "small.ts", "--workers", "2"]);
    expect(whole.code, whole.stderr).toBe(0);
    const expected = await rowsOf(clean);
    expect(expected.selections.length).toBeGreaterThan(40);
    for (const s of expected.selections) expect(s.given_label !== s.true_label).toBe(isFlipped(s.source_row as number));

    const ctx = context(caseDir(false));
    annotated(ctx);
    const killed = await al(ctx.dir, ["run", "small.ts", "--workers", "1"], { AL_TEST_HOOK: "kill-after-round" });
    expect(killed.signal).toBe("SIGKILL");
    const resumed = await al(ctx.dir, ["run", "small.ts", "--workers", "1"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming after round/);
    expect(await rowsOf(ctx)).toEqual(expected);
  });

  it("resumes per-label noise on a multi-label set after kill -9 to the rows of an uninterrupted 2-worker grid", { timeout: T }, async () => {
    const env = { AL_DATA_DIR: process.env.AL_DATA_DIR ?? sharedData };
    const spec = {
      dataset: { name: "yeast-multilabel", pool: 200, test: 100 },
      learner: { name: "mlp", options: { hidden: [8] } },
      samplers: ["random", "binary-entropy"],
      oracle: { noise: 0.1 },
      epochs: 2,
    };
    const clean = context(caseDir(false));
    clean.experiment("small", spec);
    const whole = await al(clean.dir, ["run", "small.ts", "--workers", "2"], env);
    expect(whole.code, whole.stderr).toBe(0);
    const expected = await rowsOf(clean);
    expect(expected.selections.length).toBe(2 * 40);
    expect(expected.selections.filter((s) => JSON.stringify(s.given_labels) !== JSON.stringify(s.true_labels)).length).toBeGreaterThan(0);

    const ctx = context(caseDir(false));
    ctx.experiment("small", spec);
    const killed = await al(ctx.dir, ["run", "small.ts", "--workers", "1"], { ...env, AL_TEST_HOOK: "kill-after-round" });
    expect(killed.signal).toBe("SIGKILL");
    const resumed = await al(ctx.dir, ["run", "small.ts", "--workers", "1"], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming after round/);
    expect(await rowsOf(ctx)).toEqual(expected);
  });
});
