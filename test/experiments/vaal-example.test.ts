/**
 * experiments/examples/vaal.ts through `al run` (its ci profile) into a temp store: both runs
 * finish, and every VAAL round stores k new distinct pool points beside its metrics.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { al, queryStore } from "../cli/al.ts";

describe("experiments/examples/vaal.ts", () => {
  it("runs with al run --profile ci into a new store", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "al-vaal-")), "al.duckdb");
    const r = al("run", "experiments/examples/vaal.ts", "--profile", "ci", "--db", db, "--json");
    expect(r.stderr).not.toContain("FAILED");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiment: "vaal", total: 2, done: 2, failed: 0 });
    const picks = await queryStore(
      db,
      "SELECT s.round, count(*)::INTEGER AS n, count(DISTINCT s.pool_index)::INTEGER AS distinct_points FROM selections s JOIN runs USING (run_id) WHERE runs.sampler = 'vaal' GROUP BY s.round ORDER BY s.round",
    );
    // Round 0 holds the initial set (20), rounds 1 and 2 the two batches of 10.
    expect(picks).toEqual([{ round: 0, n: 20, distinct_points: 20 }, { round: 1, n: 10, distinct_points: 10 }, { round: 2, n: 10, distinct_points: 10 }]);
    const all = await queryStore(db, "SELECT count(DISTINCT pool_index)::INTEGER AS n FROM selections JOIN runs USING (run_id) WHERE runs.sampler = 'vaal'");
    expect(all).toEqual([{ n: 40 }]);
  });
});
