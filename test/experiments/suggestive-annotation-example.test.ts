/**
 * experiments/examples/suggestive-annotation.ts through `al run` (its ci profile: a bootstrap
 * ensemble of 3 MLPs) into a temp store: both runs finish, every suggestive-annotation round
 * stores k new distinct pool points, and its picks are not random's.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { al, queryStore } from "../cli/al.ts";

describe("experiments/examples/suggestive-annotation.ts", () => {
  it("runs with al run --profile ci into a new store", { timeout: 300_000 }, async () => {
    const db = join(mkdtempSync(join(tmpdir(), "al-suggestive-")), "al.duckdb");
    const r = al("run", "experiments/examples/suggestive-annotation.ts", "--profile", "ci", "--db", db, "--json", "--no-maps");
    expect(r.stderr).not.toContain("FAILED");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiment: "suggestive-annotation", total: 2, done: 2, failed: 0 });
    const picks = await queryStore(
      db,
      "SELECT s.round, count(*)::INTEGER AS n, count(DISTINCT s.pool_index)::INTEGER AS distinct_points FROM selections s JOIN runs USING (run_id) WHERE runs.sampler = 'suggestive-annotation' GROUP BY s.round ORDER BY s.round",
    );
    // Round 0 holds the initial set (20), rounds 1 and 2 the two batches of 10.
    expect(picks).toEqual([{ round: 0, n: 20, distinct_points: 20 }, { round: 1, n: 10, distinct_points: 10 }, { round: 2, n: 10, distinct_points: 10 }]);
    const all = await queryStore(db, "SELECT count(DISTINCT pool_index)::INTEGER AS n FROM selections JOIN runs USING (run_id) WHERE runs.sampler = 'suggestive-annotation'");
    expect(all).toEqual([{ n: 40 }]);
    // Both runs share the initial set; the first batch is chosen, not drawn.
    const first = await queryStore(db, "SELECT runs.sampler, list(s.pool_index ORDER BY s.pool_index) AS picks FROM selections s JOIN runs USING (run_id) WHERE s.round = 1 GROUP BY runs.sampler ORDER BY runs.sampler");
    expect(first).toHaveLength(2);
    expect(JSON.stringify(first[0]!.picks)).not.toBe(JSON.stringify(first[1]!.picks));
  });
});
