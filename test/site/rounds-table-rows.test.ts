/**
 * src/data/rounds-table.ts without a store: rows as roundsRows shapes them → Parquet → the page's
 * reader (readRounds). A hand-computed small case (order, exact decimals, float32 fallback) and a
 * seeded round-trip property over many values.
 */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { GRID_AXIS_NAMES } from "../../src/components/grid-axes.ts";
import { readRounds } from "../../src/components/read-rounds.ts";
import { RELATIVE_TOLERANCE, roundsRowsParquet } from "../../src/data/rounds-table.ts";

type Row = Record<string, string | number | null>;

function row(over: Row): Row {
  const out: Row = Object.fromEntries(GRID_AXIS_NAMES.map((a) => [a, "—"]));
  Object.assign(out, { dataset: "d", sampler: "random", mode: "retrain", seed: 1, kind: "al", baseline_percent: null, round: 0, labelled: 10 });
  for (const t of ["train_seconds", "score_seconds", "select_seconds", "evaluate_seconds", "reference_seconds"]) out[t] = null;
  out.backend = "wasm";
  return { ...out, ...over };
}

async function roundTrip(metrics: string[], rows: Row[]) {
  const bytes = await roundsRowsParquet(metrics, rows);
  return readRounds(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

describe("roundsRowsParquet", () => {
  it("sorts runs by label then round and keeps counts exactly (hand-computed case)", async () => {
    // Given out of order: margin before random, round 1 before round 0.
    const rows = [
      row({ sampler: "margin", round: 1, labelled: 20, accuracy: 0.75, var: 1.5e-9, train_seconds: 0.12345 }),
      row({ sampler: "random", round: 1, labelled: 20, accuracy: 0.5, var: 2e-9, train_seconds: 2 }),
      row({ sampler: "margin", round: 0, labelled: 10, accuracy: 0.25, var: 3e-9, train_seconds: 1 }),
      row({ sampler: "random", round: 0, labelled: 10, accuracy: 1 / 3, var: null, train_seconds: 0.5 }),
    ];
    const back = await roundTrip(["accuracy", "var"], rows);
    expect(back.map((r) => [r.sampler, r.round, r.labelled])).toEqual([["margin", 0, 10], ["margin", 1, 20], ["random", 0, 10], ["random", 1, 20]]);
    // 0.25, 0.75, 0.5 are exact at 6 decimals; 1/3 → 0.333333.
    expect(back.map((r) => r.accuracy)).toEqual([0.25, 0.75, 0.333333, 0.5]);
    // 1.5e-9 at 6 decimals would be 0: the column falls back to float32 (7 significant digits).
    expect(back.map((r) => r.var)).toEqual([Math.fround(3e-9), Math.fround(1.5e-9), null, Math.fround(2e-9)]);
    // Timings to 0.1 ms: 0.12345 → 0.1235 (DuckDB rounds half away from zero). hyparquet scales
    // DECIMAL(18, 4) by a factor that is not exact in binary (1 comes back as 0.9999999999999999).
    const expected = [1, 0.1235, 0.5, 2];
    back.forEach((r, i) => expect(r.train_seconds as number).toBeCloseTo(expected[i]!, 12));
    expect(back.every((r) => r.backend === "wasm" && r.dataset === "d" && r.kind === "al")).toBe(true);
  });

  it("gives back every row within the stated precision (seeded property, 400 values)", async () => {
    const random = createRandom(7, "rounds-table-property");
    const rows: Row[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      for (let round = 0; round < 20; round++) {
        // Counts over a test set of n (what real accuracies are), and a loss spread over decades.
        const n = [100, 300, 1000, 2000][seed % 4]!;
        rows.push(row({ sampler: seed % 2 ? "margin" : "random", seed, round, labelled: 10 * (round + 1), accuracy: random.int(n + 1) / n, loss: 10 ** (4 * random.next() - 2), train_seconds: 5 * random.next() }));
      }
    }
    const back = await roundTrip(["accuracy", "loss"], rows);
    expect(back).toHaveLength(rows.length);
    const key = (r: Readonly<Record<string, unknown>>) => `${String(r.sampler)}/${String(r.seed)}/${String(r.round)}`;
    const byKey = new Map(back.map((r) => [key(r), r]));
    for (const r of rows) {
      const got = byKey.get(key(r))!;
      expect(got.labelled).toBe(r.labelled);
      // n ≤ 2000 divides 10^6 · k only up to 6 decimals: within 5e-7, i.e. well inside the tolerance.
      expect(Math.abs((got.accuracy as number) - (r.accuracy as number))).toBeLessThanOrEqual(RELATIVE_TOLERANCE * (r.accuracy as number) + 1e-12);
      expect(Math.abs((got.loss as number) - (r.loss as number)) / (r.loss as number)).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
      expect(Math.abs((got.train_seconds as number) - (r.train_seconds as number))).toBeLessThanOrEqual(0.00005 + 1e-12);
    }
    // Within one run the rounds are consecutive rows, ascending.
    back.forEach((r, i) => {
      if (i > 0 && back[i - 1]!.seed === r.seed && back[i - 1]!.sampler === r.sampler) expect(r.round).toBe((back[i - 1]!.round as number) + 1);
    });
  });
});
