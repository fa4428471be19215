/**
 * What the oracle and cost can only be checked against once the data is read (preflight): one
 * line naming the experiment file, the field and the data set.
 */
import { describe, expect, it } from "vitest";
import { parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { preflight } from "../../lib/runner/preflight.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { writeAnnotatedCsv } from "../data/annotated-table.ts";
import { sharedData } from "../learners/real-data.ts";

process.env.AL_DATA_DIR ??= sharedData;

const base = {
  name: "t",
  dataset: { name: "fashion-mnist-small", pool: 200, test: 100 },
  learner: "logistic",
  samplers: ["random"],
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 1,
  epochs: 1,
  seeds: [1],
};

async function errorOf(spec: Record<string, unknown>): Promise<string> {
  try {
    await preflight(expandExperiment(parseExperiment({ ...base, ...spec }, "exp.ts"), "exp.ts"), "exp.ts");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("oracle and cost against the data", () => {
  it("refuse a confusion matrix without one row per class", async () => {
    expect(await errorOf({ oracle: { confusion: [[0.9, 0.1], [0.2, 0.8]] } })).toBe(
      'exp.ts: oracle.confusion: expected 10 rows (one per class of the data set), got 2 (data set "fashion-mnist-small")',
    );
  });

  it("refuse a per-character cost on data without text", async () => {
    expect(await errorOf({ dataset: "wdbc", cost: { perCharacter: 0.1 } })).toBe('exp.ts: cost.perCharacter: data set "wdbc" keeps no raw text; give a constant cost (cost: 1) or use a text set');
  });

  it("on multi-label data take per-label noise and one 2×2 confusion, and refuse a C×C matrix", async () => {
    const multi = { dataset: "yeast-multilabel", samplers: ["random"] };
    expect(await errorOf({ ...multi, oracle: { noise: 0.1 } })).toBe("no error");
    expect(await errorOf({ ...multi, oracle: { confusion: [[0.99, 0.01], [0.3, 0.7]] } })).toBe("no error");
    const fourteen = Array.from({ length: 14 }, (_, t) => Array.from({ length: 14 }, (_, g) => (t === g ? 1 : 0)));
    expect(await errorOf({ ...multi, oracle: { confusion: fourteen } })).toBe(
      'exp.ts: oracle.confusion: on multi-label data expected one 2×2 matrix for every label ([[absent→absent, absent→present], [present→absent, present→present]]), got 14 rows (data set "yeast-multilabel")',
    );
  });

  it("accept a fitting matrix and a cost budget the cheapest point allows", async () => {
    const identityish = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, g) => (t === g ? 0.91 : 0.01)));
    expect(await errorOf({ oracle: { confusion: identityish } })).toBe("no error");
    expect(await errorOf({ rounds: undefined, cost: 2, costBudget: 39 })).toBe("exp.ts: costBudget: 39 cannot pay for the initial set of 20 at 2 or more each; raise costBudget or lower initial.size");
    expect(await errorOf({ rounds: undefined, cost: 2, costBudget: 40 })).toBe("no error");
  });
});

describe("oracle and cost columns against the data", () => {
  const dir = mkdtempSync(join(tmpdir(), "al-preflight-columns-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { csv } = writeAnnotatedCsv(dir, 100);
  const own = { dataset: { file: csv, label: "label" }, oracle: { column: "annotator" }, cost: { column: "seconds" }, rounds: undefined };

  it("bound a cost budget by the column's cheapest cost, and find an absent column before anything runs", async () => {
    // Costs are 1 + i % 4: the cheapest is 1, so 20 initial labels need a budget of 20.
    expect(await errorOf({ ...own, costBudget: 19 })).toBe("exp.ts: costBudget: 19 cannot pay for the initial set of 20 at 1 or more each; raise costBudget or lower initial.size");
    expect(await errorOf({ ...own, costBudget: 20 })).toBe("no error");
    expect(await errorOf({ ...own, costBudget: 30, oracle: { column: "rater" } })).toMatch(/^exp\.ts: dataset: .*annotated\.csv: no oracle column "rater"; the columns are pregnant, .*, annotator, seconds$/);
  });
});
