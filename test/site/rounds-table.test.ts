import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../lib/store/duckdb.ts";
import { readRounds } from "../../src/components/read-rounds.ts";
import { RELATIVE_TOLERANCE, numericColumnType, roundsParquet, roundsRows } from "../../src/data/rounds-table.ts";
import { runTwoDatasets, TWO_DATASETS } from "./fixture-store.ts";

describe("numericColumnType", () => {
  it("keeps counts over a test set and seconds as decimals", () => {
    expect(numericColumnType([0.25, 0.333, 1, 0, null], 6)).toBe("DECIMAL(18, 6)");
    // 0.1234567 → 0.123457: off by 3e-7, 2.7e-6 of the value (< 1e-5).
    expect(numericColumnType([0.1234567], 6)).toBe("DECIMAL(18, 6)");
    // Timings only need to fit: 0.00012 s → 0.0001 s is fine.
    expect(numericColumnType([0.00012, 12.5], 4, { relative: false })).toBe("DECIMAL(18, 4)");
    expect(numericColumnType([null, null], 6)).toBe("DECIMAL(18, 6)");
  });

  it("falls back to float32 where six decimals would lose the value's digits or its size", () => {
    // 0.0000123 → 0.000012: 2.4% off.
    expect(numericColumnType([0.5, 0.0000123], 6)).toBe("FLOAT");
    // Beyond 2^52 / 10^6 the scaled integer is no longer exact in a double.
    expect(numericColumnType([5e9], 6)).toBe("FLOAT");
    expect(numericColumnType([4e9], 6)).toBe("DECIMAL(18, 6)");
    expect(numericColumnType([1e12], 4, { relative: false })).toBe("FLOAT");
  });
});

describe("roundsParquet", () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "al-rounds-table-"));
    const db = join(dir, "al.duckdb");
    runTwoDatasets(dir, db);
    store = await openStore(db, { readOnly: true });
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds every row and column of the rounds, each value within the stated precision", async () => {
    const { metrics, rows } = await roundsRows(store, TWO_DATASETS);
    const bytes = await roundsParquet(store, TWO_DATASETS);
    const back = await readRounds(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(metrics).toContain("accuracy");
    expect(back).toHaveLength(rows.length);
    expect(Object.keys(back[0]!)).toEqual(Object.keys(rows[0]!));
    const key = (r: Record<string, unknown>) => JSON.stringify([r.dataset, r.kind, r.baseline_percent, r.sampler, r.mode, r.seed, r.round]);
    const byKey = new Map(back.map((r) => [key(r), r]));
    expect(byKey.size).toBe(rows.length);
    for (const row of rows) {
      const got = byKey.get(key(row))!;
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== "number") expect(got[column], column).toBe(value);
        // Timings: 0.1 ms; metrics: 5 significant digits (decimal) or float32.
        else if (column.endsWith("_seconds")) expect(Math.abs((got[column] as number) - value), column).toBeLessThanOrEqual(0.00005 + 1e-12);
        else expect(Math.abs((got[column] as number) - value), column).toBeLessThanOrEqual(RELATIVE_TOLERANCE * Math.abs(value) + 1e-12);
      }
    }
  });

  it("writes accuracies as delta-encoded decimals, sorted so each run's rounds are adjacent", async () => {
    const bytes = await roundsParquet(store, TWO_DATASETS);
    const path = join(dir, "rounds.parquet");
    await writeFile(path, bytes);
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const meta = (await conn.runAndReadAll(`SELECT type, encodings, compression FROM parquet_metadata('${path}') WHERE path_in_schema = 'accuracy'`)).getRowObjectsJson();
      const schema = (await conn.runAndReadAll(`SELECT converted_type, scale FROM parquet_schema('${path}') WHERE name = 'accuracy'`)).getRowObjectsJson();
      expect(meta.length).toBeGreaterThan(0);
      expect(String(meta[0]!.type)).toBe("INT64");
      expect(schema.map((r) => [String(r.converted_type), Number(r.scale)])).toEqual([["DECIMAL", 6]]);
      expect(String(meta[0]!.encodings)).toMatch(/DELTA_BINARY_PACKED/);
      expect(String(meta[0]!.compression)).toBe("SNAPPY");
      const order = (await conn.runAndReadAll(`SELECT dataset, kind, sampler, seed, round FROM '${path}'`)).getRowObjectsJson();
      const keys = order.map((r) => JSON.stringify([r.dataset, r.kind, r.sampler, r.seed]));
      // Each run (data set × kind × sampler × seed here) is one contiguous block with rounds ascending.
      // Grouped by the grid axes first (the store's own order is by sampler): one block per data set.
      const datasets = order.map((r) => String(r.dataset)).filter((d, i, all) => i === 0 || all[i - 1] !== d);
      expect(datasets).toEqual(["diabetes", "noisy-blobs"]);
      const blocks = keys.filter((k, i) => i === 0 || keys[i - 1] !== k);
      expect(new Set(blocks).size).toBe(blocks.length);
      order.forEach((r, i) => {
        if (i > 0 && keys[i - 1] === keys[i]) expect(Number(r.round)).toBeGreaterThan(Number(order[i - 1]!.round));
      });
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
