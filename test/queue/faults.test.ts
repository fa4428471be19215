/**
 * Queue faults against a real redis-server: a run that throws fails alone, with its message,
 * after --attempts tries, and al status --retry queues it again; a worker killed with SIGKILL
 * mid-run leaves a stalled job that another worker continues from its checkpoint, and the
 * collected store still equals a local run's. (SIGTERM: sigterm.test.ts.)
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectResults } from "../../lib/runner/collect-results.ts";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { root } from "../cli/al.ts";
import { dump } from "../cli/store-dump.ts";
import { alProcess, begunPerRun, GRID, queueJson, queueFixture } from "./cli.ts";

const dir = mkdtempSync(join(tmpdir(), "al-queue-faults-"));
const grid = join(dir, "grid.ts");
writeFileSync(grid, `export default ${JSON.stringify(GRID)};\n`);
// A sampler of the user's own that throws: a real failure, not an injected one.
const broken = join(dir, "broken.ts");
writeFileSync(
  broken,
  `import { defineSampler } from ${JSON.stringify(join(root, "lib/al/samplers/define-sampler.ts"))};
const broken = defineSampler({ name: "broken", needs: ["probs"], select: () => { throw new Error("broken sampler: no selection today"); } });
export default { name: "queue-broken", dataset: { name: "noisy-blobs" }, learner: { name: "logistic" }, samplers: ["random", broken],
  initial: { size: 10 }, acquisition: { size: 5 }, rounds: 2, epochs: 1, seeds: [1] };
`,
);


describe("queue faults", () => {
  const { url, worker } = queueFixture();

  it("fails a run that throws after --attempts tries, with its message; the others finish; --retry queues it again", async () => {
    const results = join(dir, "broken-results");
    const w = worker(results);
    const run = alProcess(["run", broken, "--queue", url(), "--backend", "wasm", "--attempts", "2"]);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/queue-broken: 1 done, 1 failed/);
    expect(run.stderr()).toMatch(/^failed: broken · retrain · seed 1 \([0-9a-f]{16}\): broken sampler: no selection today$/m);
    // Tried twice, then failed; the worker said so each time.
    expect(w.stderr()).toMatch(/failed, attempt 1 of 2; retried: broken sampler: no selection today/);
    const status = await queueJson(url(), "queue-broken");
    expect(status.counts).toMatchObject({ completed: 1, failed: 1, waiting: 0, active: 0 });
    const failed = status.runs.find((r) => r.state === "failed")!;
    expect(failed).toMatchObject({ label: "broken · retrain · seed 1", attempts: 2, error: "broken sampler: no selection today" });
    expect(readdirSync(join(results, "runs"))).toEqual([status.runs.find((r) => r.state === "completed")!.runId]);
    // Retried: back in the queue, and failed again by the same worker after two more tries.
    // Only what the worker says from here on counts: its log already holds the first failure.
    const since = w.stderr().length;
    const retry = alProcess(["status", "--queue", url(), "--retry", "queue-broken"]);
    expect(await retry.exited, retry.stderr()).toBe(0);
    expect(retry.stderr()).toContain(`1 failed run(s) back in the queue: ${failed.runId}`);
    await w.waitFor(new RegExp(`broken · retrain · seed 1 \\(${failed.runId}\\) failed: broken sampler`), 60_000, since);
    expect((await queueJson(url(), "queue-broken")).runs.find((r) => r.runId === failed.runId)).toMatchObject({ state: "failed", attempts: 2 });
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(143);
  });

  it("continues a run whose worker was killed with SIGKILL from its checkpoint, on another worker; collected = local", async () => {
    const results = join(dir, "kill-results");
    const local = join(dir, "local.duckdb");
    // Worker A stops after round 1 of its first run (checkpointed) and waits: then it is killed.
    const a = worker(results, { AL_TEST_HOOK: "pause-after-round" });
    const run = alProcess(["run", grid, "--queue", url(), "--backend", "wasm"]);
    expect(await runExperiment({ file: grid, db: local, workers: 1, backend: "wasm", log: () => {} })).toMatchObject({ done: 6 });
    await a.waitFor(/AL_TEST_HOOK pause-after-round: paused after round 1 of ([0-9a-f]{16})/, 90_000);
    const killed = /paused after round 1 of ([0-9a-f]{16})/.exec(a.stderr())![1]!;
    expect(existsSync(join(results, "checkpoints", `${killed}.ckpt`))).toBe(true);
    a.child.kill("SIGKILL");
    expect(await a.exited).toBe(137);
    const b = worker(results);
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/queue-grid: 6 done, 0 failed/);
    // B took the stalled run over from its checkpoint; every other run was begun once.
    expect(b.stderr()).toMatch(new RegExp(`\\(${killed}\\) resumes after round 1 \\(its checkpoint\\)`));
    const begun = begunPerRun(a.stderr(), b.stderr());
    expect(begun.get(killed)).toBe(2);
    expect([...begun.entries()].filter(([id]) => id !== killed).map(([, n]) => n)).toEqual([1, 1, 1, 1, 1]);
    // The finished run's checkpoint is gone; the folder set is the grid.
    expect(readdirSync(join(results, "checkpoints")).filter((f) => f.endsWith(".ckpt"))).toEqual([]);
    const collected = join(dir, "kill-collected.duckdb");
    const summary = await collectResults({ results, db: collected, log: () => {} });
    expect(summary.collected).toHaveLength(6);
    const ours = await dump(collected, "values");
    const theirs = await dump(local, "values");
    for (const table of Object.keys(theirs)) expect(ours[table], table).toEqual(theirs[table]);
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(143);
  });
});
