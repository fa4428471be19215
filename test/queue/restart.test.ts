/**
 * Redis restarted mid-grid (a persisting redis-server, so the queue survives): the worker and
 * the producer reconnect by themselves and the grid completes, every run collected once.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectResults } from "../../lib/runner/collect-results.ts";
import { alProcess, begunPerRun, GRID, type AlProcess } from "./cli.ts";
import { startRedis, type TestRedis } from "./redis-server.ts";

const dir = mkdtempSync(join(tmpdir(), "al-queue-restart-"));
const grid = join(dir, "grid.ts");
writeFileSync(grid, `export default ${JSON.stringify(GRID)};\n`);
const data = join(dir, "redis");
mkdirSync(data);

describe("a Redis restart mid-grid", () => {
  let redis: TestRedis;
  const started: AlProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis({ persist: data });
  });
  afterAll(async () => {
    for (const p of started) p.child.kill("SIGKILL");
    await redis?.stop();
  });

  it("is ridden out: the grid completes and every run is collected", async () => {
    const results = join(dir, "results");
    const w = alProcess(["worker", "--queue", redis.url, "--results", results, "--stall-seconds", "10"]);
    const run = alProcess(["run", grid, "--queue", redis.url, "--backend", "wasm"]);
    started.push(w, run);
    // Two runs finished: the grid is under way.
    await w.waitFor(/done →[^]*done →/, 90_000);
    // Mid-grid: runs remain (were all done, this test would prove nothing, so it says so).
    expect(readdirSync(join(results, "runs")).length).toBeLessThan(6);
    await redis.stop();
    await redis.start();
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/queue-grid: 6 done, 0 failed/);
    const ids = readdirSync(join(results, "runs")).sort();
    expect(ids).toHaveLength(6);
    expect([...begunPerRun(w.stderr()).keys()].sort()).toEqual(ids);
    const summary = await collectResults({ results, db: join(dir, "collected.duckdb"), log: () => {} });
    expect(summary).toMatchObject({ rejected: [], incomplete: [] });
    expect(summary.collected.sort()).toEqual(ids);
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(143);
  });
});
