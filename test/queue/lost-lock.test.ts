/**
 * A lost lock, against a real redis-server: worker A blocks its event loop after round 1 (as a
 * long synchronous fit or a network partition would) past its 2 s lock; BullMQ hands the job to
 * worker B, which resumes from A's checkpoint; A wakes up and computes the same run too, either
 * after B has finished (the run folder is B's) or at once, racing B to the end (the folder is
 * whoever's finished first). Both write the checkpoint and the run folder: the folder is whole;
 * A's completion is refused by the queue and reported, not a crash and not a failed run; the job
 * is completed once, by B, and al collect ingests the run once, equal to a local run.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lostLock } from "../../lib/queue/queue-worker.ts";
import { collectResults } from "../../lib/runner/collect-results.ts";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { checkRunFolder } from "../../lib/store/run-folder.ts";
import { dump } from "../cli/store-dump.ts";
import { smallGrid } from "../runner/small-grid.ts";
import { alProcess, begunPerRun, queueFixture, queueJson } from "./cli.ts";

const dir = mkdtempSync(join(tmpdir(), "al-queue-lock-"));
const grid = join(dir, "grid.ts");
writeFileSync(grid, `export default ${JSON.stringify(smallGrid("queue-lock", { samplers: ["margin"], seeds: [1], rounds: 4 }))};\n`);

describe("lostLock", () => {
  it("reads BullMQ's refused lock renewal and refused completions, and nothing else", () => {
    expect(lostLock("could not renew lock for job 0123456789abcdef")).toEqual({ runId: "0123456789abcdef", finished: false });
    expect(lostLock("Missing lock for job 0123456789abcdef. moveToFinished")).toEqual({ runId: "0123456789abcdef", finished: true });
    expect(lostLock("Lock mismatch for job 0123456789abcdef. Cmd moveToFinished from active")).toEqual({ runId: "0123456789abcdef", finished: true });
    expect(lostLock("Job 0123456789abcdef is not in the active state. moveToFinished")).toEqual({ runId: "0123456789abcdef", finished: true });
    expect(lostLock("Missing lock for job 0123456789abcdef. moveToDelayed")).toBeUndefined();
    expect(lostLock("connect ECONNREFUSED 127.0.0.1:6379")).toBeUndefined();
  });
});

const scenarios = [
  { name: "wakes up after the second worker finished it", race: false },
  { name: "wakes up as soon as the second worker took it over, and races it", race: true },
];

for (const { name, race } of scenarios) describe(`a job whose lock lapses while its worker lives, and ${name}`, () => {
  const { url, worker } = queueFixture();

  it("is computed by two workers, harmlessly: one run folder, one completed job, collected once", async () => {
    const results = join(dir, `results-${race}`);
    const local = join(dir, `local-${race}.duckdb`);
    expect(await runExperiment({ file: grid, db: local, workers: 1, backend: "wasm", log: () => {} })).toMatchObject({ done: 1 });
    const store = await openStore(local, { readOnly: true });
    const runId = String((await store.query("SELECT run_id FROM runs"))[0]!.run_id);
    await store.close();
    const manifest = join(results, "runs", runId, "manifest.json");

    // A blocks after round 1 until B has written the run folder, or (race) until B has resumed
    // the run: the takeover is certain either way.
    const resumed = join(dir, `b-resumed-${race}`);
    const a = worker(results, { AL_TEST_HOOK: "block-after-round", AL_TEST_BLOCK_UNTIL: race ? resumed : manifest });
    await a.waitFor(/taking runs from/);
    const run = alProcess(["run", grid, "--queue", url(), "--backend", "wasm"]);
    await a.waitFor(new RegExp(`block-after-round: blocking after round 1 of ${runId}`), 90_000);
    const b = worker(results);
    if (race) {
      await b.waitFor(new RegExp(`\\(${runId}\\) resumes after round 1`), 90_000);
      writeFileSync(resumed, "");
    }
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/queue-lock: 1 done, 0 failed/);
    // B resumed from the checkpoint A wrote; A woke up, and finished the run as well.
    expect(b.stderr()).toMatch(new RegExp(`\\(${runId}\\) resumes after round 1 \\(its checkpoint\\)`));
    await a.waitFor(new RegExp(`${runId}: finished here too, but another worker holds the run now`), 90_000);
    expect(a.stderr()).toMatch(new RegExp(`${runId}: lock lost`));
    expect(a.stderr()).toMatch(/block-after-round: unblocked/);
    expect([...begunPerRun(a.stderr()).values()]).toEqual([1]);
    expect([...begunPerRun(b.stderr()).values()]).toEqual([1]);
    // Neither crashed nor failed the run: the job is B's, completed, once.
    expect(a.stderr()).not.toMatch(/failed|Error/);
    expect(a.child.exitCode).toBeNull();
    const status = await queueJson(url(), "queue-lock");
    expect(status.counts).toMatchObject({ completed: 1, failed: 0, waiting: 0, active: 0 });
    expect(status.runs[0]).toMatchObject({ runId, state: "completed", error: null });
    expect(status.runs[0]!.worker).toBe(`${hostname()}:${b.child.pid}`);
    // One folder, whole (B's, or in a race whoever's finished first); no checkpoint or temp
    // file is left by either writer.
    expect(readdirSync(join(results, "runs"))).toEqual([runId]);
    const writer = (await checkRunFolder(join(results, "runs", runId))).writer.pid;
    if (race) expect([a.child.pid, b.child.pid]).toContain(writer);
    else expect(writer).toBe(b.child.pid);
    expect(readdirSync(join(results, "checkpoints"))).toEqual([]);
    // Both workers go on taking runs, and stop cleanly.
    for (const w of [a, b]) w.child.kill("SIGTERM");
    expect(await Promise.all([a.exited, b.exited])).toEqual([143, 143]);
    expect(a.stderr()).toMatch(/stopped; 0 run\(s\) done, 0 failed attempt\(s\)/);

    const collected = join(dir, `collected-${race}.duckdb`);
    const summary = await collectResults({ results, db: collected, log: () => {} });
    expect(summary.collected).toEqual([runId]);
    const ours = await dump(collected, "values");
    const theirs = await dump(local, "values");
    for (const table of Object.keys(theirs)) expect(ours[table], table).toEqual(theirs[table]);
    expect(JSON.parse(readFileSync(manifest, "utf8")).runId).toBe(runId);
  }, 240_000);
});
