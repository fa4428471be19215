import { describe, expect, it } from "vitest";
import { readRounds } from "../../src/components/read-rounds.ts";
import { fixtureRounds } from "../site/fixture.ts";
import { fixtureParquetBytes } from "../site/fixture-parquet.ts";

describe("readRounds", () => {
  it("parses the rounds Parquet with numbers where DuckDB wrote INT64", async () => {
    const bytes = await fixtureParquetBytes();
    const rows = await readRounds(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const expected = fixtureRounds();
    expect(rows).toHaveLength(expected.length);
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(expected[0]!));
    for (const key of ["seed", "round", "labelled", "accuracy"]) expect(typeof rows[0]![key]).toBe("number");
    const byRun = (r: object) => {
      const { run_id, round } = r as { run_id: string; round: number };
      return `${run_id}/${String(round).padStart(3, "0")}`;
    };
    const sort = <T extends object>(xs: T[]) => [...xs].sort((a, b) => byRun(a).localeCompare(byRun(b)));
    expect(sort(rows)).toEqual(sort(expected));
  });
});
