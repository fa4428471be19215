import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { interleave, rounded } from "../../bench/interleave.ts";
import { benchRows, headline, readBenchHistory } from "../../src/data/bench-rows.ts";

const dir = mkdtempSync(join(tmpdir(), "al-bench-rows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("headline", () => {
  it("takes the interleaved CPU ratio where a case has one (the samplers' cases)", () => {
    expect(headline({ name: "s", cpuRatio: { median: 0.8, min: 0.5, max: 1.25 }, wallRatio: { median: 0.9, min: 0.7, max: 2 }, ratio: 3 })).toEqual({ ratio: 0.8, min: 0.5, max: 1.25, measure: "cpuRatio" });
  });

  it("else the case's ratio, with the spread whose median it is (runner: wallRatio; startup: ratioSpread)", () => {
    expect(headline({ ratio: 0.53, wallRatio: { median: 0.53, min: 0.5, max: 0.6 } })).toEqual({ ratio: 0.53, min: 0.5, max: 0.6, measure: "ratio" });
    expect(headline({ ratio: 0.86, ratioSpread: { median: 0.86, min: 0.66, max: 1.18 }, wallRatio: { median: 0.3, min: 0.2, max: 0.4 } })).toEqual({ ratio: 0.86, min: 0.66, max: 1.18, measure: "ratio" });
    // A spread of something else (its median is not the ratio) gives no range.
    expect(headline({ ratio: 2, wallRatio: { median: 0.3, min: 0.2, max: 0.4 } })).toEqual({ ratio: 2, min: 2, max: 2, measure: "ratio" });
  });

  it("has none for a failed case or one without a ratio", () => {
    expect(headline({ name: "x", error: "boom" })).toBeUndefined();
    expect(headline({ name: "x", ms: 12 })).toBeUndefined();
    expect(headline({ ratio: Number.NaN })).toBeUndefined();
  });

  it("reads what the interleave harness reports: its CPU ratio, inside its own min–max", async () => {
    let spin = 0;
    const work = (n: number) => async () => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < n; i++) spin += Math.sqrt(i);
      const used = process.cpuUsage(cpu);
      return { cpuMs: (used.user + used.system) / 1000 + 1e-3, wallMs: performance.now() - start };
    };
    const result = rounded(await interleave(work(200_000), work(100_000), { pairs: 3, warmup: 0 }));
    const h = headline({ name: "c", ...result } as unknown as Record<string, unknown>)!;
    expect(h).toEqual({ ratio: result.cpuRatio.median, min: result.cpuRatio.min, max: result.cpuRatio.max, measure: "cpuRatio" });
    expect(h.min).toBeLessThanOrEqual(h.ratio);
    expect(h.ratio).toBeLessThanOrEqual(h.max);
    expect(spin).toBeGreaterThan(0);
  });
});

describe("readBenchHistory", () => {
  it("gives one row per case with a headline per run, oldest run first, and lists what is not a bench result", () => {
    writeFileSync(join(dir, "2026-12-03T10-00-00-000Z.json"), JSON.stringify({ date: "2026-12-03T10:00:00.000Z", cases: [{ name: "b", ratio: 0.5 }, { name: "a", error: "failed" }] }));
    writeFileSync(join(dir, "2026-12-01T09-00-00-000Z.json"), JSON.stringify({ date: "2026-12-01T09:00:00.000Z", cases: [{ name: "b", ratio: 0.7 }, { name: "a", cpuRatio: { median: 1.5, min: 1, max: 2 } }] }));
    writeFileSync(join(dir, "broken.json"), "{ not json");
    writeFileSync(join(dir, "other.json"), JSON.stringify({ rows: [] }));
    writeFileSync(join(dir, "notes.txt"), "not read");
    const history = readBenchHistory(dir);
    expect(history.rows).toEqual([
      { date: "2026-12-01T09:00:00.000Z", case: "a", ratio: 1.5, min: 1, max: 2, measure: "cpuRatio" },
      { date: "2026-12-01T09:00:00.000Z", case: "b", ratio: 0.7, min: 0.7, max: 0.7, measure: "ratio" },
      { date: "2026-12-03T10:00:00.000Z", case: "b", ratio: 0.5, min: 0.5, max: 0.5, measure: "ratio" },
    ]);
    expect(history.skipped).toHaveLength(2);
    expect(history.skipped[0]).toMatch(/^broken\.json: /);
    expect(history.skipped[1]).toBe("other.json: not a bench result (expected { date, cases: [...] })");
  });

  it("is empty, not an error, when there is no history", () => {
    expect(readBenchHistory(join(dir, "none"))).toEqual({ rows: [], skipped: [] });
    expect(() => benchRows([])).toThrow(/^not a bench result/);
  });
});
