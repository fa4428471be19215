/**
 * The report page's metric directions (src/data/metric-directions.ts, shipped as metrics.json):
 * every metric the two-data-set fixture stores, with the direction lib/al/metrics' catalogue gives.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import { metricDirection, metricDirections, type MetricDirection } from "../../src/data/metric-directions.ts";
import { runTwoDatasets, TWO_DATASETS } from "./fixture-store.ts";

const dir = mkdtempSync(join(tmpdir(), "al-metric-directions-"));
let directions: MetricDirection[];
let stored: string[];

beforeAll(async () => {
  const db = join(dir, "al.duckdb");
  runTwoDatasets(dir, db);
  const store = await openStore(db, { readOnly: true });
  try {
    directions = await metricDirections(store, TWO_DATASETS);
    stored = (await store.query("SELECT DISTINCT metric FROM metrics ORDER BY metric")).map((r) => String(r.metric));
  } finally {
    await store.close();
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("metricDirections", () => {
  it("lists every stored metric once, in name order", () => {
    expect(directions.map((d) => d.name)).toEqual(stored);
    expect(stored).toEqual(expect.arrayContaining(["accuracy", "log_loss", "ece"]));
  });

  it("gives the catalogue's direction: losses and calibration error lower, scores higher, summaries neither", () => {
    const of = new Map(directions.map((d) => [d.name, d.better]));
    expect(of.get("accuracy")).toBe("higher");
    expect(of.get("macro_f1")).toBe("higher");
    expect(of.get("log_loss")).toBe("lower");
    expect(of.get("ece")).toBe("lower");
    expect(of.get("pool_uncertainty_mean")).toBe("neither");
    // Per-class recalls match the catalogue's recall_class_<class> pattern.
    const recalls = directions.filter((d) => /^recall_class_\d+$/.test(d.name));
    expect(recalls.length).toBeGreaterThan(0);
    expect(recalls.every((d) => d.better === "higher")).toBe(true);
  });

  it("says unknown for a name the catalogue lacks, instead of guessing", () => {
    expect(metricDirection("my_new_score")).toEqual({ name: "my_new_score", better: "unknown" });
    expect(metricDirection("contradiction_ratio")).toEqual({ name: "contradiction_ratio", better: "lower" });
  });
});
