/**
 * selections.parquet by hand: selectionPickRows' rows (sorted picks, rank order of the first
 * ones as positions), their Parquet round trip through readSelectionPicks, and withPicks mapping
 * pool rows onto a map's shown points. The stored-experiment round trip is in selection-map.test.ts.
 */
import { describe, expect, it } from "vitest";
import { readSelectionPicks, withPicks } from "../../src/components/selection-picks.ts";
import type { StoredSelections } from "../../src/data/selection-map.ts";
import { selectionPickRows, selectionPicksParquet } from "../../src/data/selection-picks.ts";

const bytesOf = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
const fields = { config: {}, axes: { dataset: "d", learner: "l", batch_size: "b", initial: "i" }, sampler: "margin", mode: "retrain", seed: 1, status: "done", data_checksum: null };
// r1 picked 5, 2, 9 (ranked), nothing at round 1, then 7, 3; r2 picked 4 then 8, 6, 1.
const stored = {
  experiment: "hand",
  runs: [
    { ...fields, run_id: "r1", rounds: [[5, 2, 9], [], [7, 3]] },
    { ...fields, run_id: "r2", rounds: [[4], [8, 6, 1]] },
  ],
} as unknown as StoredSelections;

describe("selectionPickRows", () => {
  it("sorts each round's picks and keeps the first `lead` by rank as positions in the sorted list", () => {
    expect(selectionPickRows(stored, { lead: 2 })).toEqual([
      { run_id: "r1", round: 0, picks: [2, 5, 9], lead: [1, 0] },
      { run_id: "r1", round: 1, picks: [], lead: [] },
      { run_id: "r1", round: 2, picks: [3, 7], lead: [1, 0] },
      { run_id: "r2", round: 0, picks: [4], lead: [0] },
      { run_id: "r2", round: 1, picks: [1, 6, 8], lead: [2, 1] },
    ]);
    // A row stored twice in a round gets both of its positions.
    const twice = { experiment: "x", runs: [{ ...stored.runs[0]!, rounds: [[4, 1, 4]] }] };
    expect(selectionPickRows(twice, { lead: 3 })[0]).toEqual({ run_id: "r1", round: 0, picks: [1, 4, 4], lead: [1, 0, 2] });
    expect(() => selectionPickRows(stored, { lead: -1 })).toThrow("selectionPickRows: lead must be a whole number ≥ 0; got -1");
  });
});

describe("selections.parquet round trip", () => {
  it("gives back each round's pool rows: the lead in rank order, then the rest ascending", async () => {
    const picks = await readSelectionPicks(bytesOf(await selectionPicksParquet(selectionPickRows(stored, { lead: 2 }))));
    expect([...picks.entries()]).toEqual([
      ["r1", [[5, 2, 9], [], [7, 3]]],
      ["r2", [[4], [8, 6, 1]]],
    ]);
    // With a lead of 1, only the first pick keeps its place: r2's round 1 becomes 8, then 1 and 6.
    const short = await readSelectionPicks(bytesOf(await selectionPicksParquet(selectionPickRows(stored, { lead: 1 }))));
    expect(short.get("r2")).toEqual([[4], [8, 1, 6]]);
    expect(short.get("r1")).toEqual([[5, 2, 9], [], [7, 3]]);
    const none = await readSelectionPicks(bytesOf(await selectionPicksParquet(selectionPickRows(stored, { lead: 0 }))));
    expect(none.get("r1")).toEqual([[2, 5, 9], [], [3, 7]]);
    expect(none.get("r2")).toEqual([[4], [1, 6, 8]]);
    expect((await readSelectionPicks(bytesOf(await selectionPicksParquet([])))).size).toBe(0);
  });

  it("maps pool rows onto shown points; none for a pool without a map; fails on picks the map lacks", async () => {
    const picks = await readSelectionPicks(bytesOf(await selectionPicksParquet(selectionPickRows(stored))));
    // Pool 0 shows rows 2, 3, 5, 7, 9 (points 0–4); pool 1 has no map.
    const pools = [
      { index: [2, 3, 5, 7, 9], label: "d" },
      { index: [], label: "e", problem: "unreadable" },
    ];
    const data = { experiment: "hand", pools, runs: [{ run_id: "r1", pool: 0, sampler: "margin" }, { run_id: "r2", pool: 1, sampler: "margin" }, { run_id: "r3", pool: 0, sampler: "random" }] };
    expect(withPicks(data, picks).runs).toEqual([
      { run_id: "r1", pool: 0, sampler: "margin", rounds: [[2, 0, 4], [], [3, 1]] },
      { run_id: "r2", pool: 1, sampler: "margin", rounds: [] },
      { run_id: "r3", pool: 0, sampler: "random", rounds: [] },
    ]);
    const stale = { ...data, pools: [{ index: [2, 3, 5, 7], label: "d" }], runs: [data.runs[0]!] };
    expect(() => withPicks(stale, picks)).toThrow("selections: run r1 picked pool row 9, which d's map does not show; rebuild the site (selections.json and selections.parquet are out of step)");
  });
});
