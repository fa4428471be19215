/**
 * `al run` with an annotator's labels and costs from columns of the user's CSV, started from a
 * directory outside the repository: what the store holds per selection and per round follows the
 * file's rows (the annotator is wrong exactly on data rows i % 10 === 3; a label costs
 * 1 + i % 4), the cost budget holds, and bad input is one line, exit 2, and the store untouched.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFlipped, writeAnnotatedCsv, type AnnotatedTable } from "../data/annotated-table.ts";
import { context, snapshot, type Context, type Result } from "../reliability/harness.ts";
import { queryStore } from "./al.ts";

const dir = mkdtempSync(join(tmpdir(), "al-oracle-column-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUDGET = 60;
const spec = {
  name: "annotated",
  dataset: { file: "data/annotated.csv", label: "label", testFraction: 0.3, standardize: true },
  learner: ["logistic", "mlp"],
  samplers: ["random", "margin"],
  initial: { size: 10, stratified: true },
  acquisition: { size: 10 },
  oracle: [{ noise: 0 }, { column: "annotator" }],
  cost: { column: "seconds" },
  costBudget: BUDGET,
  // The harness's small spec stops by rounds; undefined drops it (a cost budget replaces it).
  rounds: undefined,
  epochs: 2,
  seeds: [1],
};

let ctx: Context;
let table: AnnotatedTable;
let run: Result;
const db = () => join(ctx.dir, "results/al.duckdb");
beforeAll(() => {
  ctx = context(dir);
  mkdirSync(join(ctx.dir, "study/data"), { recursive: true });
  table = writeAnnotatedCsv(join(ctx.dir, "study/data"), 150);
  ctx.experiment("study/exp", spec);
  run = ctx.al("run", "study/exp.ts", "--workers", "1");
}, 300_000);

describe("al run with oracle: { column } and cost: { column }", () => {
  it("stores each selection's given label, true label and cost as the file's row has them", async () => {
    expect(run.code, run.stderr).toBe(0);
    const rows = await queryStore(
      db(),
      "SELECT r.config->'oracle'->>'column' AS oracle, s.source_row, s.true_label, s.given_label, s.cost FROM selections s JOIN runs r USING (run_id)",
    );
    // 8 runs (2 learners × 2 samplers × 2 oracles), each at least its initial 10.
    expect(rows.length).toBeGreaterThanOrEqual(80);
    const classes = ["neg", "pos"];
    for (const row of rows) {
      const i = row.source_row as number;
      expect(row.cost).toBe(table.seconds[i]);
      if (row.oracle === "annotator") {
        expect(classes[row.true_label as number]).toBe(table.truth[i]);
        expect(classes[row.given_label as number]).toBe(table.annotator[i]);
        expect(row.given_label !== row.true_label).toBe(isFlipped(i));
      } else {
        // The perfect oracle of the same grid: no labels stored, the same costs.
        expect([row.true_label, row.given_label]).toEqual([null, null]);
      }
    }
  });

  it("stores label_noise, train_label_noise and cost per round as the selections imply, and stops within the budget", async () => {
    const selections = await queryStore(db(), "SELECT run_id, round, source_row, cost FROM selections");
    const metrics = await queryStore(db(), "SELECT run_id, round, metric, value FROM metrics WHERE metric IN ('label_noise', 'train_label_noise', 'cost')");
    const runs = await queryStore(db(), "SELECT run_id, config->'oracle'->>'column' AS oracle FROM runs");
    expect(runs).toHaveLength(8);
    const value = (id: string, round: number, metric: string) => metrics.find((m) => m.run_id === id && m.round === round && m.metric === metric)?.value;
    for (const { run_id: id, oracle } of runs as Array<{ run_id: string; oracle: string | null }>) {
      const mine = selections.filter((s) => s.run_id === id);
      const last = Math.max(...mine.map((s) => s.round as number));
      // Round r's fit trained on the points that entered up to r; round r selected those of r + 1.
      for (let round = 0; round <= last; round++) {
        const trained = mine.filter((s) => (s.round as number) <= round);
        const batch = mine.filter((s) => s.round === round + 1);
        const flipped = (list: typeof mine) => list.filter((s) => isFlipped(s.source_row as number)).length / list.length;
        expect(value(id, round, "cost")).toBe(trained.reduce((a, s) => a + (s.cost as number), 0));
        if (oracle === "annotator") {
          expect(value(id, round, "train_label_noise")).toBeCloseTo(flipped(trained), 12);
          if (batch.length > 0) expect(value(id, round, "label_noise")).toBeCloseTo(flipped(batch), 12);
        } else expect(value(id, round, "train_label_noise")).toBeUndefined();
      }
      expect(value(id, last, "cost")).toBeLessThanOrEqual(BUDGET);
      // The run ended on the budget: its last fit selected nothing, and the pool had more.
      expect(mine.filter((s) => s.round === last + 1)).toEqual([]);
      expect(mine.length).toBeLessThan(105);
    }
  });

  /** Writes `name`.csv (the table with one cell replaced) and an experiment reading it. */
  const variant = (name: string, edit: { row: number; column: string; value: string } | undefined, overrides: Record<string, unknown> = {}): string => {
    const rows = table.rows.map((r, i) => (edit && i === edit.row ? r.map((c, k) => (k === table.header.indexOf(edit.column) ? edit.value : c)) : r));
    writeFileSync(join(ctx.dir, `study/data/${name}.csv`), [table.header, ...rows].map((r) => r.join(",")).join("\n") + "\n");
    ctx.experiment(`study/${name}`, { ...spec, name, dataset: { ...spec.dataset, file: `data/${name}.csv` }, ...overrides });
    return `study/${name}.ts`;
  };
  const csv = (name: string) => join(ctx.dir, `study/data/${name}.csv`);
  const columns = () => table.header.join(", ");

  it.each([
    ["an absent oracle column", () => variant("absent", undefined, { oracle: { column: "rater" } }), () => `study/absent.ts: dataset: ${csv("absent")}: no oracle column "rater"; the columns are ${columns()}`],
    ["an absent cost column", () => variant("nocost", undefined, { cost: { column: "minutes" } }), () => `study/nocost.ts: dataset: ${csv("nocost")}: no cost column "minutes"; the columns are ${columns()}`],
    [
      "a label the label column does not have",
      () => variant("unknown", { row: 4, column: "annotator", value: "unsure" }),
      () => `study/unknown.ts: dataset: ${csv("unknown")}: line 6, column "annotator": label "unsure" is not one of the classes neg, pos; the annotator's labels must use the label column's classes`,
    ],
    [
      "a negative cost",
      () => variant("negative", { row: 7, column: "seconds", value: "-3" }),
      () => `study/negative.ts: dataset: ${csv("negative")}: line 9, column "seconds": cost "-3" is not a finite number > 0; fix the cell (every label costs something)`,
    ],
    [
      "a column oracle on a generated data set",
      () => (ctx.experiment("study/blobs", { name: "blobs", oracle: { column: "annotator" } }), "study/blobs.ts"),
      () => `study/blobs.ts: oracle.column: data set "noisy-blobs" is not a user's table file; a column of annotations needs dataset: { file: "….csv", label: "…" } (or use { noise } or { confusion })`,
    ],
  ])("refuses %s with one line, exit 2, and the store untouched", (_what, write, message) => {
    const file = write();
    const before = snapshot(join(ctx.dir, "results"));
    const r = ctx.al("run", file, "--workers", "1");
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(`al run: ${message()}`);
    expect(snapshot(join(ctx.dir, "results"))).toEqual(before);
  });
});
