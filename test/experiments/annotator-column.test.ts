/**
 * experiments/examples/annotator-column.ts and its CSV: the file is what the example says (the
 * shared wdbc rows, an annotator wrong exactly on rows i % 8 === 5, seconds 20 + 37 i mod 41),
 * and the experiment passes preflight from the example's own folder.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { preflight } from "../../lib/runner/preflight.ts";
import { sharedTabular } from "../data/annotated-table.ts";

const example = join(import.meta.dirname, "../../experiments/examples/annotator-column.ts");
const lines = (path: string) => readFileSync(path, "utf8").trim().split(/\r?\n/);

describe("the annotator-column example", () => {
  it("ships the shared wdbc rows with the annotator and seconds columns it describes", () => {
    const shipped = lines(example.replace(/\.ts$/, ".csv")).map((l) => l.split(","));
    const wdbc = lines(join(sharedTabular, "wdbc.csv")).map((l) => l.split(","));
    expect(shipped[0]).toEqual([...wdbc[0]!, "annotator", "seconds"]);
    expect(shipped.length).toBe(161);
    shipped.slice(1).forEach((row, i) => {
      const original = wdbc[i + 1]!;
      expect(row.slice(0, -2)).toEqual(original);
      expect(row.at(-2) !== original.at(-1)).toBe(i % 8 === 5);
      expect(Number(row.at(-1))).toBe(20 + ((37 * i) % 41));
    });
  });

  it("passes preflight: the columns are there and the budget pays for the initial set", async () => {
    const runs = expandExperiment(await loadExperiment(example, "ci"), example);
    expect(runs.map((r) => r.oracle ?? "perfect")).toEqual(["perfect", { column: "annotator" }, "perfect", { column: "annotator" }]);
    const checked = await preflight(runs, example);
    expect([...checked.datasetSizes.values()]).toEqual([{ pool: 120, test: 40, classes: 2, task: "multiclass" }]);
  });
});
