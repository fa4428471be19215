/**
 * SIGTERM to a queue worker in the middle of a run (real redis-server): the run stops after a
 * checkpointed round and goes back to the queue, the worker exits 143, and the next worker
 * continues the run from that checkpoint.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { alProcess, GRID, queueJson, queueFixture } from "./cli.ts";

const dir = mkdtempSync(join(tmpdir(), "al-queue-term-"));


describe("al worker on SIGTERM", () => {
  const { url, worker } = queueFixture();

  it("hands a run in progress back to the queue on SIGTERM; the next worker continues it", async () => {
    const results = join(dir, "term-results");
    const c = worker(results, { AL_TEST_HOOK: "pause-after-round" });
    // A grid of its own (another seed), so its run is new to the queue.
    const other = join(dir, "other.ts");
    const { baselines: _none, ...cells } = GRID;
    writeFileSync(other, `export default ${JSON.stringify({ ...cells, name: "queue-other", seeds: [7], samplers: ["margin"] })};\n`);
    const queued = alProcess(["run", other, "--queue", url(), "--backend", "wasm", "--detach"]);
    expect(await queued.exited, queued.stderr()).toBe(0);
    await c.waitFor(/paused after round 1 of ([0-9a-f]{16})/, 90_000);
    const id = /paused after round 1 of ([0-9a-f]{16})/.exec(c.stderr())![1]!;
    c.child.kill("SIGTERM");
    expect(await c.exited).toBe(143);
    expect(c.stderr()).toContain(`(${id}) handed back to the queue; it resumes from its checkpoint`);
    expect((await queueJson(url(), "queue-other")).runs).toEqual([expect.objectContaining({ runId: id, state: "waiting", attempts: 0, error: null })]);
    const d = worker(results);
    await d.waitFor(new RegExp(`\\(${id}\\) done → `));
    // Stopped during round 1's pause, the run checkpoints round 2 before it sees the stop (the
    // check follows each checkpoint), so the next worker continues after round 2.
    expect(d.stderr()).toMatch(new RegExp(`\\(${id}\\) resumes after round 2 \\(its checkpoint\\)`));
    expect(existsSync(join(results, "runs", id, "manifest.json"))).toBe(true);
    d.child.kill("SIGTERM");
    expect(await d.exited).toBe(143);
  });
});
