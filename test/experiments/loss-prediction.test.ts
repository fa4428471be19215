/**
 * experiments/examples/loss-prediction.ts through `al run` (its ci profile) into a temp store:
 * the loss-prediction run trains the MLP's module every round and labels distinct unlabelled
 * points that neither random nor least confidence would have picked all of.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { al, queryStore } from "../cli/al.ts";

describe("loss prediction through al run (experiments/examples/loss-prediction.ts, ci)", () => {
  const dir = mkdtempSync(join(tmpdir(), "al-loss-prediction-"));
  const db = join(dir, "store.duckdb");
  let result: ReturnType<typeof al>;
  beforeAll(() => {
    result = al("run", "experiments/examples/loss-prediction.ts", "--profile", "ci", "--db", db, "--json");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs every sampler of the grid to the end", () => {
    expect(result.stderr).not.toContain("FAILED");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ experiment: "loss-prediction", total: 3, done: 3, failed: 0 });
  });

  it("selects distinct points, 50 initial + 3 rounds × 50, each new when selected", async () => {
    const rows = await queryStore(db, "SELECT r.sampler, s.round, s.pool_index FROM selections s JOIN runs r USING (run_id) ORDER BY r.sampler, s.round, s.rank");
    const by = new Map<string, Array<{ round: number; index: number }>>();
    for (const row of rows) {
      const list = by.get(String(row.sampler)) ?? [];
      list.push({ round: Number(row.round), index: Number(row.pool_index) });
      by.set(String(row.sampler), list);
    }
    expect([...by.keys()].sort()).toEqual(["least-confidence", "loss-prediction", "random"]);
    for (const [sampler, list] of by) {
      expect(list.length, sampler).toBe(200);
      expect(new Set(list.map((s) => s.index)).size, sampler).toBe(200);
      for (const round of [1, 2, 3]) expect(list.filter((s) => s.round === round).length, `${sampler} round ${round}`).toBe(50);
      for (const s of list) expect(s.index >= 0 && s.index < 1000).toBe(true);
    }
    // Same initial set and the same first model (one learner, one seed): the first batches differ
    // only by what each sampler ranks, and the predicted loss is its own ranking.
    const firstBatch = (sampler: string) => new Set(by.get(sampler)!.filter((s) => s.round === 1).map((s) => s.index));
    expect(firstBatch("loss-prediction")).not.toEqual(firstBatch("least-confidence"));
    expect(firstBatch("loss-prediction")).not.toEqual(firstBatch("random"));
    expect(new Set(by.get("loss-prediction")!.filter((s) => s.round === 0).map((s) => s.index))).toEqual(new Set(by.get("random")!.filter((s) => s.round === 0).map((s) => s.index)));
  });

  it("stores the learner's lossPrediction options in every run's config", async () => {
    const rows = await queryStore(db, "SELECT config FROM runs");
    for (const row of rows) {
      const config = (typeof row.config === "string" ? JSON.parse(row.config) : row.config) as { learner: { options: { lossPrediction?: unknown } } };
      expect(config.learner.options.lossPrediction).toEqual({ units: 128, margin: 1, weight: 1, detachAfter: 6 });
    }
  });
});
