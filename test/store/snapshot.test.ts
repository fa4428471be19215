import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openStore, StoreLockedError } from "../../lib/store/duckdb.ts";
import { snapshotNotice, snapshotPathFor, snapshotSchedule } from "../../lib/store/snapshot.ts";
import { hostTag } from "../../lib/store/temp-name.ts";
import { exitedPid, roundRecords, runRecord, spec, tempDir } from "./fixtures.ts";

const TABLES = ["experiments", "experiment_runs", "runs", "rounds", "metrics", "selections", "meta"];

describe("snapshotSchedule", () => {
  afterEach(() => void vi.useRealTimers());

  /** A schedule whose writes take `cost` ms of the fake clock each. */
  function schedule(cost = 0, minIntervalMs = 1000) {
    vi.useFakeTimers({ now: 0 });
    const writes: number[] = [];
    const s = snapshotSchedule({
      minIntervalMs,
      write: async () => {
        writes.push(Date.now());
        vi.advanceTimersByTime(cost);
      },
    });
    return { s, writes };
  }

  it("writes the first change at once and folds changes inside the interval into one trailing write", async () => {
    const { s, writes } = schedule();
    await s.changed();
    expect(writes).toEqual([0]);
    await vi.advanceTimersByTimeAsync(300);
    await s.changed();
    await vi.advanceTimersByTimeAsync(300);
    await s.changed();
    expect(writes).toEqual([0]);
    await vi.advanceTimersByTimeAsync(399); // t = 999: not yet
    expect(writes).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1); // t = 1000 = last write + interval
    expect(writes).toEqual([0, 1000]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(writes).toEqual([0, 1000]);
  });

  it("a change after the interval writes at once", async () => {
    const { s, writes } = schedule();
    await s.changed();
    await vi.advanceTimersByTimeAsync(2500);
    await s.changed();
    expect(writes).toEqual([0, 2500]);
  });

  it("spaces writes by ten times the last copy's duration when that exceeds the interval", async () => {
    const { s, writes } = schedule(400); // a copy takes 400 ms: the next may start 4000 ms after it ends
    await s.changed(); // writes at 0, ends at 400
    await s.changed();
    await vi.advanceTimersByTimeAsync(3999); // t = 4399
    expect(writes).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([0, 4400]);
  });

  it("now() writes at once and replaces a pending write; stop() drops it", async () => {
    const { s, writes } = schedule();
    await s.changed();
    await vi.advanceTimersByTimeAsync(100);
    await s.changed(); // pending for t = 1000
    await s.now();
    expect(writes).toEqual([0, 100]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(writes).toEqual([0, 100]);
    await s.changed(); // t = 5100: at once
    await vi.advanceTimersByTimeAsync(100);
    await s.changed(); // pending for t = 6100
    s.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(writes).toEqual([0, 100, 5100]);
  });

  it("a failing write warns once and the schedule goes on", async () => {
    vi.useFakeTimers({ now: 0 });
    const warnings: string[] = [];
    let fail = true;
    let written = 0;
    const s = snapshotSchedule({
      minIntervalMs: 10,
      warn: (line) => warnings.push(line),
      write: async () => {
        if (fail) throw new Error("disk full\nsecond line");
        written++;
      },
    });
    await s.changed();
    vi.setSystemTime(20);
    await s.changed();
    expect(warnings).toEqual(["could not write the read snapshot: disk full second line"]);
    fail = false;
    vi.setSystemTime(40);
    await s.changed();
    expect(written).toBe(1);
  });
});

describe("the writer's snapshot", () => {
  it("appears when a run begins, follows the store, and goes when the store closes", async () => {
    const path = join(tempDir(), "al.duckdb");
    const store = await openStore(path, { snapshotIntervalMs: 0 });
    await store.saveExperiment(spec, "experiments/x.ts", ["r1"]);
    expect(existsSync(snapshotPathFor(path))).toBe(false);
    await store.beginRun(runRecord("r1", "random"));
    expect(existsSync(snapshotPathFor(path))).toBe(true);

    const read = async () => {
      const snap = await openStore(snapshotPathFor(path), { readOnly: true });
      try {
        return { runs: (await snap.runs()).map((r) => [r.runId, r.status]), rounds: (await snap.roundsTable()).length };
      } finally {
        await snap.close();
      }
    };
    expect(await read()).toEqual({ runs: [["r1", "running"]], rounds: 0 });
    for (const round of roundRecords("r1")) await store.writeRound(round);
    await store.finishRun("r1", { status: "done", finishedAt: new Date(), seconds: 1 });
    await store.snapshot();
    expect(await read()).toEqual({ runs: [["r1", "done"]], rounds: 3 });

    await store.close();
    expect(existsSync(snapshotPathFor(path))).toBe(false);
    expect(readdirSync(join(path, "..")).filter((name) => name.includes(".snapshot"))).toEqual([]);
  });

  it("a writer's next snapshot removes the temp files of a killed writer of this host, and only those", async () => {
    const path = join(tempDir(), "al.duckdb");
    const snapshot = snapshotPathFor(path);
    const here = hostTag();
    const dead = await exitedPid();
    const left = {
      dead: `${snapshot}.${here}.${dead}-1.tmp`,
      deadWal: `${snapshot}.${here}.${dead}-1.tmp.wal`,
      // Alive (our parent), another host's (its pids mean nothing here), and another store's.
      live: `${snapshot}.${here}.${process.ppid}-2.tmp`,
      there: `${snapshot}.other-host.${dead}-1.tmp`,
      otherStore: `${join(path, "..", "b.duckdb.snapshot")}.${here}.${dead}-1.tmp`,
    };
    for (const file of Object.values(left)) writeFileSync(file, "half a copy");
    const store = await openStore(path, { snapshotIntervalMs: 0 });
    await store.saveExperiment(spec, "experiments/x.ts", ["r1"]);
    await store.beginRun(runRecord("r1", "random"));
    expect(existsSync(snapshot)).toBe(true);
    expect(existsSync(left.dead)).toBe(false);
    expect(existsSync(left.deadWal)).toBe(false);
    for (const kept of [left.live, left.there, left.otherStore]) expect(existsSync(kept)).toBe(true);
    await store.close();
  });

  it("a writer removes a snapshot left behind by a crashed one", async () => {
    const path = join(tempDir(), "al.duckdb");
    await (await openStore(path)).close();
    writeFileSync(snapshotPathFor(path), "stale");
    const store = await openStore(path);
    expect(existsSync(snapshotPathFor(path))).toBe(false);
    await store.close();
  });

  it("copies every row of a 200-run store", async () => {
    const path = join(tempDir(), "al.duckdb");
    const store = await openStore(path, { snapshotIntervalMs: 60_000 });
    const ids = Array.from({ length: 200 }, (_, i) => `run-${i}`);
    await store.saveExperiment(spec, "experiments/x.ts", ids);
    for (const id of ids) {
      await store.beginRun(runRecord(id, "random", Number(id.slice(4))));
      for (const round of roundRecords(id)) await store.writeRound(round);
      await store.finishRun(id, { status: "done", finishedAt: new Date(), seconds: 1 });
    }
    await store.snapshot();
    const counts = async (s: typeof store) => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, Number((await s.query(`SELECT count(*) AS n FROM ${t}`))[0]!.n)])));
    const expected = await counts(store);
    expect(expected.runs).toBe(200);
    expect(expected.selections).toBe(200 * 40);
    const snap = await openStore(snapshotPathFor(path), { readOnly: true });
    expect(await counts(snap)).toEqual(expected);
    await snap.close();
    await store.close();
  });
});

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, "exit");
    }
  }
});

async function hold(script: string, path: string): Promise<ChildProcess> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", file, path], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}: ${stderr}`)));
  });
  return child;
}

describe("reading a store another process writes", () => {
  it("falls back to the snapshot, says so once, and shows the begun run as running", async () => {
    const path = join(tempDir(), "results", "al.duckdb");
    const child = await hold("./hold-grid.ts", path);
    const notices: string[] = [];
    const store = await openStore(path, { readOnly: true, snapshotFallback: { notice: (l) => notices.push(l) } });
    try {
      expect(store.path).toBe(path);
      expect(store.source?.pid).toBe(child.pid);
      expect(notices).toEqual([snapshotNotice(store.source!)]);
      expect(notices[0]).toBe(`${path} is being written by pid ${child.pid}; showing its state as of ${store.source!.at.toISOString()}`);
      expect((await store.runs()).map((r) => [r.runId, r.status])).toEqual([["0123456789abcdef", "running"]]);
      expect((await store.roundsTable()).map((r) => r.round)).toEqual([0]);
    } finally {
      await store.close();
    }
    // Without the fallback a reader is refused, as before.
    await expect(openStore(path, { readOnly: true })).rejects.toThrow(StoreLockedError);
  });

  it("a writer that has not begun a run yet has no snapshot: one line saying so", async () => {
    const path = join(tempDir(), "results", "al.duckdb");
    const child = await hold("./hold-store.ts", path);
    await expect(openStore(path, { readOnly: true, snapshotFallback: { notice: () => undefined } })).rejects.toThrow(
      `${path} is being written by pid ${child.pid} and has no read snapshot yet; try again once its first run has begun`,
    );
  });

  it("once the writer is gone the store itself is read, not a snapshot it left behind", async () => {
    const path = join(tempDir(), "results", "al.duckdb");
    const child = await hold("./hold-grid.ts", path);
    child.kill("SIGKILL");
    await once(child, "exit");
    expect(existsSync(snapshotPathFor(path))).toBe(true);
    const notices: string[] = [];
    const store = await openStore(path, { readOnly: true, snapshotFallback: { notice: (l) => notices.push(l) } });
    expect(store.source).toBeUndefined();
    expect(notices).toEqual([]);
    await store.close();
  });
});
