import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import type { Store } from "../../lib/store/duckdb.ts";
import { roundRecords, runRecord, spec, tempDir } from "./fixtures.ts";

const finishedAt = new Date("2025-03-01T10:02:03.456Z");

let store: Store;
beforeEach(async () => {
  store = await openStore(join(tempDir(), "results", "al.duckdb"));
});
afterEach(async () => {
  await store.close();
});

async function writeFullRun(runId: string, sampler: string): Promise<void> {
  await store.beginRun(runRecord(runId, sampler));
  for (const round of roundRecords(runId)) await store.writeRound(round);
  await store.finishRun(runId, { status: "done", finishedAt, seconds: 123.5 });
}

async function countRows(runId: string): Promise<Record<string, number>> {
  const [row] = await store.query(
    `SELECT (SELECT count(*) FROM runs WHERE run_id = $1) AS runs,
            (SELECT count(*) FROM rounds WHERE run_id = $1) AS rounds,
            (SELECT count(*) FROM metrics WHERE run_id = $1) AS metrics,
            (SELECT count(*) FROM selections WHERE run_id = $1) AS selections`,
    [runId],
  );
  return row as Record<string, number>;
}

describe("store writes and reads", () => {
  it("round-trips a full run: saveExperiment, beginRun, writeRound ×3, finishRun", async () => {
    await store.saveExperiment(spec, "experiments/mnist-uncertainty.ts", ["run-entropy", "run-random"]);
    await writeFullRun("run-entropy", "entropy");

    const experiments = await store.query("SELECT name, spec, file FROM experiments");
    expect(experiments).toHaveLength(1);
    expect(JSON.parse(experiments[0]!.spec as string)).toEqual(spec);
    expect(experiments[0]!.file).toBe("experiments/mnist-uncertainty.ts");

    expect(await store.runs()).toEqual([
      {
        ...runRecord("run-entropy", "entropy"),
        status: "done",
        finishedAt,
        seconds: 123.5,
      },
    ]);

    const base = {
      experiment: "mnist-uncertainty",
      run_id: "run-entropy",
      dataset: "mnist",
      learner: "mlp",
      sampler: "entropy",
      mode: "retrain",
      seed: 1,
      score_seconds: 0.25,
      select_seconds: 0.125,
      evaluate_seconds: 0.5,
      reference_seconds: null,
      backend: "wasm",
      kind: "al",
      baseline_percent: null,
    };
    const table = await store.roundsTable();
    expect(table).toEqual([
      { ...base, round: 0, labelled: 20, accuracy: 0.5, macro_f1: 0.25, train_seconds: 1.5 },
      { ...base, round: 1, labelled: 30, accuracy: 0.625, macro_f1: 0.375, train_seconds: 2.5 },
      { ...base, round: 2, labelled: 40, accuracy: 0.75, macro_f1: 0.5, train_seconds: 3.5 },
    ]);
    // Column order is part of the contract with the site.
    expect(Object.keys(table[0]!)).toEqual([
      "experiment", "run_id", "dataset", "learner", "sampler", "mode", "seed", "round", "labelled",
      "accuracy", "macro_f1", "train_seconds", "score_seconds", "select_seconds", "evaluate_seconds", "reference_seconds", "backend", "kind", "baseline_percent",
    ]);
    expect(await store.roundsTable({ experiment: "other" })).toEqual([]);
  });

  it("stores selections so that round k's labelled set is the rows with round <= k", async () => {
    await writeFullRun("run-entropy", "entropy");
    const perRound = await store.query(
      "SELECT round, count(*) AS n, min(pool_index) AS lo, max(pool_index) AS hi FROM selections GROUP BY round ORDER BY round",
    );
    expect(perRound).toEqual([
      { round: 0, n: 20, lo: 0, hi: 19 },
      { round: 1, n: 10, lo: 1000, hi: 1009 },
      { round: 2, n: 10, lo: 1010, hi: 1019 },
    ]);
    // rank is the position in RoundRecord.selected (which the fixture lists in descending order).
    expect(await store.query("SELECT pool_index FROM selections WHERE round = 1 AND rank = 0")).toEqual([{ pool_index: 1009 }]);
    const masks = await store.query(
      `SELECT r.round, r.labelled, (SELECT count(*) FROM selections s WHERE s.run_id = r.run_id AND s.round <= r.round) AS masked
       FROM rounds r ORDER BY r.round`,
    );
    for (const m of masks) expect(m.masked).toBe(m.labelled);
  });

  it("beginRun clears a failed attempt so no stale rows remain", async () => {
    await store.beginRun(runRecord("run-random", "random"));
    const [r0, r1] = roundRecords("run-random");
    await store.writeRound(r0!);
    await store.writeRound(r1!);
    await store.finishRun("run-random", { status: "failed", finishedAt, seconds: 9, error: "WebGL context lost" });
    expect(await countRows("run-random")).toEqual({ runs: 1, rounds: 2, metrics: 4, selections: 40 });
    expect((await store.runs())[0]).toMatchObject({ status: "failed", error: "WebGL context lost" });

    const retry = { ...runRecord("run-random", "random"), startedAt: new Date("2025-03-02T08:00:00.000Z") };
    await store.beginRun(retry);
    expect(await countRows("run-random")).toEqual({ runs: 1, rounds: 0, metrics: 0, selections: 0 });
    expect(await store.runs()).toEqual([retry]);
    expect(await store.roundsTable()).toEqual([]);

    for (const round of roundRecords("run-random")) await store.writeRound(round);
    expect(await countRows("run-random")).toEqual({ runs: 1, rounds: 3, metrics: 6, selections: 40 });
  });

  it("beginRun also replaces an attempt left 'running' by a crash, but refuses a done run", async () => {
    await store.beginRun(runRecord("run-a", "random"));
    await store.writeRound(roundRecords("run-a")[0]!);
    await store.beginRun(runRecord("run-a", "random"));
    expect(await countRows("run-a")).toEqual({ runs: 1, rounds: 0, metrics: 0, selections: 0 });

    await writeFullRun("run-b", "entropy");
    await expect(store.beginRun(runRecord("run-b", "entropy"))).rejects.toThrow(
      /^run run-b is already done in .*al\.duckdb; skip it \(see runStatuses\) rather than beginning it again$/,
    );
    expect(await countRows("run-b")).toEqual({ runs: 1, rounds: 3, metrics: 6, selections: 40 });
  });

  it("runStatuses reports stored runs and omits unknown ids", async () => {
    expect(await store.runStatuses([])).toEqual(new Map());
    await writeFullRun("run-done", "entropy");
    await store.beginRun(runRecord("run-failed", "random"));
    await store.finishRun("run-failed", { status: "failed", finishedAt, seconds: 1, error: "boom" });
    await store.beginRun(runRecord("run-running", "margin"));
    expect(await store.runStatuses(["run-done", "run-failed", "run-running", "run-never"])).toEqual(
      new Map([
        ["run-done", "done"],
        ["run-failed", "failed"],
        ["run-running", "running"],
      ]),
    );
  });

  it("links a shared run to every experiment that contains it", async () => {
    await store.saveExperiment(spec, "experiments/mnist-uncertainty.ts", ["run-shared"]);
    await store.saveExperiment({ ...spec, name: "mnist-baseline" }, "experiments/mnist-baseline.ts", ["run-shared"]);
    await writeFullRun("run-shared", "random");
    expect((await store.runs()).map((r) => [r.experiment, r.runId])).toEqual([
      ["mnist-baseline", "run-shared"],
      ["mnist-uncertainty", "run-shared"],
    ]);
    expect(await store.roundsTable({ experiment: "mnist-baseline" })).toHaveLength(3);
    expect(await store.roundsTable()).toHaveLength(6);

    // Re-saving an experiment makes its links exactly the given run ids.
    await store.saveExperiment({ ...spec, name: "mnist-baseline" }, "experiments/mnist-baseline.ts", ["run-other"]);
    expect(await store.query("SELECT run_id FROM experiment_runs WHERE experiment = 'mnist-baseline'")).toEqual([
      { run_id: "run-other" },
    ]);
    expect(await store.query("SELECT count(*) AS n FROM experiments")).toEqual([{ n: 2 }]);
  });

  it("rejects rounds it cannot store, with the reason", async () => {
    const [r0, r1] = roundRecords("run-a");
    await expect(store.writeRound(r0!)).rejects.toThrow(/^cannot write round 0 of run run-a: the run was not begun in .*; call beginRun first$/);
    await store.beginRun(runRecord("run-a", "random"));
    await store.writeRound(r0!);
    await expect(store.writeRound(r0!)).rejects.toThrow(/^round 0 of run run-a is already stored in .*; call beginRun to start the run again$/);
    await expect(store.writeRound({ ...r1!, metrics: { "Top-1": 0.5 } })).rejects.toThrow(
      "cannot store metric 'Top-1' of round 1 of run run-a: expected lower-case letters, digits and '_', starting with a letter",
    );
    await expect(store.writeRound({ ...r1!, metrics: { labelled: 3 } })).rejects.toThrow(
      "cannot store metric 'labelled' of round 1 of run run-a: it clashes with a column of the rounds table; rename the metric",
    );
    await expect(store.finishRun("run-zzz", { status: "done", finishedAt, seconds: 1 })).rejects.toThrow(
      /^cannot finish run run-zzz: it was not begun in .*; call beginRun first$/,
    );
    // A failure inside the transaction (DuckDB rejects the metric value after the rounds row
    // went in) rolls the whole round back.
    await expect(store.writeRound({ ...r1!, metrics: { accuracy: "n/a" as unknown as number } })).rejects.toThrow(/Conversion Error/);
    // Failed writes left nothing behind and the store still works.
    expect(await countRows("run-a")).toEqual({ runs: 1, rounds: 1, metrics: 2, selections: 30 });
    await store.writeRound(r1!);
  });

  it("writes 10^5 selections in one round quickly", async () => {
    await store.beginRun(runRecord("run-big", "random"));
    const selected = Int32Array.from({ length: 100_000 }, (_, i) => 100_000 - i);
    const start = performance.now();
    await store.writeRound({ ...roundRecords("run-big")[0]!, selected });
    const ms = performance.now() - start;
    expect(await countRows("run-big")).toMatchObject({ selections: 100_020 });
    expect(await store.query("SELECT pool_index, rank FROM selections WHERE round = 1 AND rank = 99999")).toEqual([
      { pool_index: 1, rank: 99_999 },
    ]);
    expect(ms).toBeLessThan(5_000);
  });

  it("serialises concurrent calls on its one connection", async () => {
    const ids = ["c1", "c2", "c3", "c4"];
    await Promise.all(ids.map((id) => store.beginRun(runRecord(id, "random"))));
    await Promise.all(ids.flatMap((id) => roundRecords(id).map((r) => store.writeRound(r))));
    expect(await store.query("SELECT count(*) AS n FROM rounds")).toEqual([{ n: 12 }]);
  });
});
