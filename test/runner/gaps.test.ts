/** runGaps: a run's stored rounds against its plan (the check before a run may be marked done). */
import { describe, expect, it } from "vitest";
import type { RoundRecord } from "../../lib/al/records.ts";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { smallConfig } from "./small-config.ts";
import { expectedRounds, runGaps } from "../../lib/runner/gaps.ts";
import { openStore, type Store } from "../../lib/store/duckdb.ts";

const config: RunConfig = smallConfig("g");

const round = (runId: string, r: number, labelled: number, selected: number[], initial?: number[]): RoundRecord => ({
  runId,
  round: r,
  labelled,
  metrics: { accuracy: 0.5 },
  seconds: { train: 0, score: 0, select: 0, evaluate: 0 },
  selected: Int32Array.from(selected),
  ...(initial ? { initial: Int32Array.from(initial) } : {}),
});

/** A store with the runs `ids`: rounds 0..2 of the plan above (pool of 20, or none stored), all stored. */
async function storeWith(ids: string[], poolSize: number | null = 20): Promise<Store> {
  const store = await openStore(":memory:");
  for (const id of ids) {
    await store.beginRun({
      runId: id, experiment: "g", config, status: "running", backend: "cpu", versions: {}, host: "h", startedAt: new Date(0),
      ...(poolSize === null ? {} : { poolSize, testSize: 10 }),
    });
    await store.writeRound(round(id, 0, 3, [3, 4], [0, 1, 2]));
    await store.writeRound(round(id, 1, 5, [5, 6]));
    await store.writeRound(round(id, 2, 7, []));
  }
  return store;
}

describe("runGaps", () => {
  it("expects, by hand, labelled 3, 5, 7 and selections 3, 2, 2 for 3 initial + 2 rounds of 2", () => {
    expect(expectedRounds(config, 20)).toEqual({ labelled: [3, 5, 7], added: [3, 2, 2] });
  });

  it("finds nothing wrong with a complete run, and ignores runs the store does not have", async () => {
    const store = await storeWith(["a"]);
    expect(await runGaps(store, ["a", "zz"])).toEqual(new Map());
    expect(await runGaps(store, [])).toEqual(new Map());
    await store.close();
  });

  it("names missing rounds and missing selections of one run, leaving the other alone", async () => {
    const store = await storeWith(["a", "b"]);
    for (const t of ["rounds", "metrics", "selections"]) await store.query(`DELETE FROM ${t} WHERE run_id = 'a' AND round = 1`);
    expect(await runGaps(store, ["a", "b"])).toEqual(new Map([["a", "rounds 1 of 0-2 missing; 5 of 7 selections stored"]]));
    await store.close();
  });

  it("finds a run that stopped early: the plan's last rounds are missing", async () => {
    const store = await storeWith(["a"]);
    for (const t of ["rounds", "metrics", "selections"]) await store.query(`DELETE FROM ${t} WHERE run_id = 'a' AND round >= 1`);
    expect((await runGaps(store, ["a"])).get("a")).toBe("rounds 1-2 of 0-2 missing; 3 of 7 selections stored");
    await store.close();
  });

  it("without a stored pool size, still finds a hole and selections that disagree with labelled", async () => {
    const store = await storeWith(["a"], null);
    expect(await runGaps(store, ["a"])).toEqual(new Map());
    await store.query("DELETE FROM rounds WHERE run_id = 'a' AND round = 1");
    await store.query("DELETE FROM selections WHERE run_id = 'a' AND round = 2 AND rank = 0");
    expect((await runGaps(store, ["a"])).get("a")).toBe("rounds 1 of 0-2 missing; round 2 trained on 7 points but 6 were selected by then");
    await store.close();
  });
});
