import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { failuresList, runDetails, runLabel, runTableRows, statusCounts, statusLine, varyingAxes, type RunRow } from "../../src/components/runs-table.ts";
import { axes, runRow } from "./run-row-fixture.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const hostile = "boom <script>window.hacked = 1</script> & <img src=x onerror=alert(1)>";
const rows: RunRow[] = [
  runRow({ run_id: "r1" }),
  runRow({ run_id: "r2", sampler: "margin", ...axes("d2"), status: "failed", error: hostile }),
  runRow({ run_id: "r3", status: "running", seed: 2 }),
  runRow({ run_id: "b1", kind: "baseline", baseline_percent: 10, stored_rounds: 1 }),
];

describe("run status", () => {
  it("counts done, failed and running runs and says so in one line", () => {
    expect(statusCounts(rows)).toEqual({ total: 4, done: 2, failed: 1, running: 1, other: 0 });
    expect(statusLine(rows)).toBe("4 runs: 2 done, 1 failed, 1 running (3 active-learning runs, 1 naive baseline).");
    expect(statusLine([rows[0]!])).toBe("1 run: 1 done, 0 failed, 0 running.");
    expect(statusCounts([runRow({ run_id: "x", status: "odd" })]).other).toBe(1);
  });

  it("names a run by the axes that vary, its sampler (or baseline share), mode and seed", () => {
    expect(varyingAxes(rows)).toEqual(["dataset"]);
    expect(runLabel(rows[1]!, ["dataset"])).toBe("d2 · margin · retrain · seed 1");
    expect(runLabel(rows[3]!)).toBe("baseline 10% · retrain · seed 1");
  });
});

describe("failuresList", () => {
  it("lists each failed run with its message as text, never markup", () => {
    const list = failuresList(rows, { document })!;
    const items = list.querySelectorAll("li");
    expect(items).toHaveLength(1);
    expect(items[0]!.dataset.runId).toBe("r2");
    expect(items[0]!.querySelector("strong")!.textContent).toBe("d2 · margin · retrain · seed 1");
    expect(items[0]!.querySelector("pre.run-error")!.textContent).toBe(hostile);
    expect(list.querySelectorAll("script, img")).toHaveLength(0);
  });

  it("is null when nothing failed, and says when a failure stored no message", () => {
    expect(failuresList([rows[0]!], { document })).toBeNull();
    const list = failuresList([runRow({ run_id: "f", status: "failed", error: null })], { document })!;
    expect(list.querySelector("pre")!.textContent).toBe("(no message stored)");
  });
});

describe("runTableRows", () => {
  it("flattens a run into text and numbers, with a column per varying axis and per phase", () => {
    const table = runTableRows(rows);
    expect(Object.keys(table[0]!)).toEqual(["run", "dataset", "sampler", "mode", "seed", "status", "seconds", "train", "score", "select", "evaluate", "reference", "rounds", "backend", "host", "started", "error"]);
    expect(table[0]).toMatchObject({ run: "r1", dataset: "d1", sampler: "random", seconds: 2, train: 1, score: 0.25, select: 0.125, evaluate: 0.5, reference: null, rounds: 3 });
    expect(table[1]).toMatchObject({ run: "r2", dataset: "d2", status: "failed", error: hostile });
    expect(table[3]).toMatchObject({ run: "b1", sampler: "baseline 10%" });
    // Nothing but strings, numbers and null: Inputs.table writes them as text nodes.
    expect(table.flatMap((r) => Object.values(r)).every((v) => v === null || typeof v === "string" || typeof v === "number")).toBe(true);
  });
});

describe("runDetails", () => {
  it("shows the config and provenance as indented JSON text", () => {
    const pre = runDetails(rows[1]!, { document });
    expect(pre.tagName).toBe("PRE");
    expect(pre.dataset.runId).toBe("r2");
    const parsed = JSON.parse(pre.textContent!);
    expect(parsed).toEqual({
      run_id: "r2",
      config: { sampler: { name: "random" }, seed: 1 },
      provenance: { backend: "wasm", versions: { "al-lab": "0.1.0" }, host: "h", started_at: "2026-01-01T00:00:00.000Z", finished_at: "2026-01-01T00:00:02.000Z", data_checksum: "abc", data_files: [] },
      error: hostile,
    });
    expect(pre.children).toHaveLength(0);
    expect(pre.textContent).toContain('\n  "config": {');
  });
});
