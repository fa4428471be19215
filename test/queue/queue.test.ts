/**
 * al run --queue + two al worker + al collect against a real redis-server: the collected store
 * equals a local run's row for row; two producers of one grid queue each run once and no run is
 * computed twice; an unreachable server is one line, at once. The file is given as a relative
 * path, so the store must name it as the local run does (not as the worker resolved it).
 */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectResults } from "../../lib/runner/collect-results.ts";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { dump } from "../cli/store-dump.ts";
import { alProcess, begunPerRun, GRID, type AlProcess } from "./cli.ts";
import { freePort, startRedis, type TestRedis } from "./redis-server.ts";

const dir = mkdtempSync(join(tmpdir(), "al-queue-"));
const file = join(dir, "grid.ts");
writeFileSync(file, `export default ${JSON.stringify(GRID)};\n`);
// As a user types it, from the checkout where al runs (alProcess's working directory).
const given = relative(fileURLToPath(new URL("../..", import.meta.url)), file);
const local = join(dir, "local.duckdb");
const results = join(dir, "results");
const collected = join(dir, "collected.duckdb");

describe("al run --queue, al worker, al collect", () => {
  let redis: TestRedis;
  let workers: AlProcess[] = [];
  let producers: AlProcess[] = [];
  let codes: number[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    workers = [0, 1].map(() => alProcess(["worker", "--queue", redis.url, "--results", results]));
    // Two producers of one grid at once, while the workers start.
    producers = [0, 1].map(() => alProcess(["run", given, "--queue", redis.url, "--backend", "wasm"]));
    // The local run to compare with, in this process meanwhile.
    expect(process.cwd()).toBe(fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, ""));
    expect(await runExperiment({ file: given, db: local, workers: 1, backend: "wasm", log: () => {} })).toMatchObject({ done: 6, failed: 0 });
    codes = await Promise.all(producers.map((p) => p.exited));
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) w.child.kill("SIGKILL");
    await redis?.stop();
  });

  it("follows the grid to its end from both producers, each run enqueued once", () => {
    for (const p of producers) expect(p.stderr()).toMatch(/queue-grid: 6 done, 0 failed in [\d.]+ s/);
    expect(codes).toEqual([0, 0]);
    // Both saw the six runs; between them, each was added once (the other found it queued).
    const counts = producers.map((p) => /6 runs on wasm, (\d) enqueued, (\d) already in the queue/.exec(p.stderr())!.slice(1).map(Number));
    for (const [added, existing] of counts) expect(added! + existing!).toBe(6);
    // A run both saw as new is added once anyway: BullMQ keeps one job per id.
    expect(counts[0]![0]! + counts[1]![0]!).toBeGreaterThanOrEqual(6);
    for (const p of producers) expect(p.stderr().match(/^\[\d\/6\] .*: done in/gm)).toHaveLength(6);
  });

  it("computes each run once, over both workers, and writes its run folder", async () => {
    const ids = readdirSync(join(results, "runs")).sort();
    expect(ids).toHaveLength(6);
    const begun = begunPerRun(...workers.map((w) => w.stderr()));
    expect([...begun.keys()].sort()).toEqual(ids);
    expect([...begun.values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("enqueues nothing the second time, and al status lists the six runs completed", async () => {
    const again = alProcess(["run", file, "--queue", redis.url, "--backend", "wasm", "--detach"]);
    expect(await again.exited, again.stderr()).toBe(0);
    expect(again.stderr()).toContain("6 runs on wasm, 0 enqueued, 6 already in the queue");
    const status = alProcess(["status", "--queue", redis.url, "--json"]);
    expect(await status.exited, status.stderr()).toBe(0);
    const parsed = JSON.parse(status.stdout()) as { counts: Record<string, number>; runs: Array<{ runId: string; state: string; error: string | null }> };
    expect(parsed.counts).toMatchObject({ waiting: 0, active: 0, completed: 6, failed: 0 });
    expect(parsed.runs.map((r) => r.runId).sort()).toEqual(readdirSync(join(results, "runs")).sort());
  });

  it("stops idle workers on SIGTERM (exit 143), and al collect gives the local run's store", async () => {
    for (const w of workers) w.child.kill("SIGTERM");
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([143, 143]);
    const summary = await collectResults({ results, db: collected, log: () => {} });
    expect(summary).toMatchObject({ skipped: [], rejected: [], analysed: ["queue-grid"], incomplete: [] });
    expect(summary.collected).toHaveLength(6);
    const ours = await dump(collected, "values");
    const theirs = await dump(local, "values");
    expect(ours.selection_maps).toHaveLength(1);
    for (const table of Object.keys(theirs)) expect(ours[table], table).toEqual(theirs[table]);
    expect(await dump(collected, "timing")).toEqual(await dump(local, "timing"));
  });

  it("says in one line, within seconds, that a server cannot be reached, for each verb", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const verbs = [
      alProcess(["run", file, "--queue", url]),
      alProcess(["worker", "--queue", url, "--results", join(dir, "never")]),
      alProcess(["status", "--queue", url]),
    ];
    const exits = await Promise.all(verbs.map((v) => v.exited));
    // Three starts through tsx on a loaded machine; an endless reconnect would never end.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(exits).toEqual([1, 1, 1]);
    for (const v of verbs) {
      const lines = v.stderr().trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^al (run|worker|status): cannot reach Redis at ${url}: .*ECONNREFUSED`));
    }
  });

  it("refuses a URL that is not redis://host:port[/db], in one line, exit 2", async () => {
    const bad = alProcess(["status", "--queue", "http://127.0.0.1:6379"]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr().trim()).toBe("al status: --queue http://127.0.0.1:6379: the scheme is http; expected redis://host:port[/db], e.g. --queue redis://127.0.0.1:6379/0");
    const db = alProcess(["worker", "--queue", "redis://127.0.0.1:6379/x", "--results", dir]);
    expect(await db.exited).toBe(2);
    expect(db.stderr()).toContain(`the database "x" is not a number`);
  });
});
