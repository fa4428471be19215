/**
 * Against a real redis-server: `al worker --concurrency 2` runs two jobs at once (two worker
 * processes, each with its own scratch store and tfjs backend, sharing the checkpoint folder),
 * and the collected store equals a local run's, as with one worker; `al status --queue` in plain
 * text lists waiting, active, completed and failed runs, the failed ones with their error.
 */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectResults } from "../../lib/runner/collect-results.ts";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { root } from "../cli/al.ts";
import { dump } from "../cli/store-dump.ts";
import { alProcess, begunPerRun, GRID, queueFixture, queueJson, type AlProcess } from "./cli.ts";

const dir = mkdtempSync(join(tmpdir(), "al-queue-concurrency-"));
const grid = join(dir, "grid.ts");
writeFileSync(grid, `export default ${JSON.stringify(GRID)};\n`);
const broken = join(dir, "broken.ts");
writeFileSync(
  broken,
  `import { defineSampler } from ${JSON.stringify(join(root, "lib/al/samplers/define-sampler.ts"))};
const broken = defineSampler({ name: "broken", needs: ["probs"], select: () => { throw new Error("broken sampler: no selection today"); } });
export default { name: "queue-text", dataset: { name: "noisy-blobs" }, learner: { name: "logistic" }, samplers: ["random", broken],
  initial: { size: 10 }, acquisition: { size: 5 }, rounds: 2, epochs: 1, seeds: [1] };
`,
);

/** `al status --queue <url> queue-text` as printed: the counts line, and one line per run id. */
async function statusText(url: string): Promise<{ counts: string; lines: Map<string, string> }> {
  const p = alProcess(["status", "--queue", url, "queue-text"]);
  expect(await p.exited, p.stderr()).toBe(0);
  const [counts, ...rest] = p.stdout().trimEnd().split("\n");
  const lines = new Map<string, string>();
  for (const line of rest) {
    const id = /^([0-9a-f]{16})\s/.exec(line)?.[1];
    if (id) lines.set(id, line.slice(16).trim().replace(/\s{2,}/g, " | "));
  }
  return { counts: counts!, lines };
}

/** The worker processes (host:pid) that wrote lines to a log, e.g. those of one --concurrency fleet. */
const writers = (log: string): string[] => [...new Set([...log.matchAll(/^(\S+:\d+): /gm)].map((m) => m[1]!))].sort();

describe("al worker --concurrency, al status --queue as text", () => {
  const { url, worker } = queueFixture();

  it("lists waiting, active, completed and failed runs in plain text, failed ones with their error", async () => {
    const results = join(dir, "text-results");
    const enqueue = alProcess(["run", broken, "--queue", url(), "--backend", "wasm", "--attempts", "1", "--detach"]);
    expect(await enqueue.exited, enqueue.stderr()).toBe(0);
    const ids = (await queueJson(url(), "queue-text")).runs.map((r) => [r.label, r.runId] as const);
    const id = Object.fromEntries(ids) as Record<string, string>;
    const random = id["random · retrain · seed 1"]!;
    const failing = id["broken · retrain · seed 1"]!;
    let text = await statusText(url());
    expect(text.counts).toBe(`${url()}: 2 waiting, 0 active, 0 completed, 0 failed`);
    expect(text.lines.get(random)).toBe("waiting | queue-text | random · retrain · seed 1 | 0");
    expect(text.lines.get(failing)).toBe("waiting | queue-text | broken · retrain · seed 1 | 0");

    // Jobs are taken in grid order: the paused worker holds random's run after its round 1.
    const paused = worker(results, { AL_TEST_HOOK: "pause-after-round" });
    await paused.waitFor(new RegExp(`pause-after-round: paused after round 1 of ${random}`), 90_000);
    text = await statusText(url());
    expect(text.counts).toBe(`${url()}: 1 waiting, 1 active, 0 completed, 0 failed`);
    expect(text.lines.get(random)).toBe("active | queue-text | random · retrain · seed 1 | 0");
    paused.child.kill("SIGTERM");
    expect(await paused.exited).toBe(143);

    const w = worker(results);
    await w.waitFor(new RegExp(`\\(${failing}\\) failed: broken sampler`), 90_000);
    await w.waitFor(new RegExp(`\\(${random}\\) done`), 90_000);
    text = await statusText(url());
    expect(text.counts).toBe(`${url()}: 0 waiting, 0 active, 1 completed, 1 failed`);
    expect(text.lines.get(random)).toBe("completed | queue-text | random · retrain · seed 1 | 1");
    expect(text.lines.get(failing)).toBe("failed | queue-text | broken · retrain · seed 1 | 1 | broken sampler: no selection today");
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(143);
  }, 240_000);

  it("--concurrency 2 runs two jobs at once in two processes; the collected store equals a local run's", async () => {
    const results = join(dir, "fleet-results");
    const local = join(dir, "local.duckdb");
    const fleet = worker(results, {}, ["--concurrency", "2"]);
    let members: string[] = [];
    try {
      const run = alProcess(["run", grid, "--queue", url(), "--backend", "wasm"]);
      expect(await runExperiment({ file: grid, db: local, workers: 1, backend: "wasm", log: () => {} })).toMatchObject({ done: 6 });
      expect(await run.exited, run.stderr()).toBe(0);
      expect(run.stderr()).toMatch(/queue-grid: 6 done, 0 failed/);
      members = writers(fleet.stderr());
      // Two processes of this host, neither the fleet's parent, each took runs.
      expect(members).toHaveLength(2);
      for (const m of members) expect(m).toMatch(new RegExp(`^${hostname()}:(\\d+)$`));
      expect(members).not.toContain(`${hostname()}:${fleet.child.pid}`);
      const per = members.map((m) => begunPerRun(fleet.stderr().split("\n").filter((l) => l.startsWith(`${m}: `)).join("\n")));
      for (const p of per) expect(p.size).toBeGreaterThan(0);
      expect(per[0]!.size + per[1]!.size).toBe(6);
      expect(maxAtOnce(fleet.stderr())).toBe(2);
      expect(readdirSync(join(results, "runs"))).toHaveLength(6);
      expect(readdirSync(join(results, "checkpoints"))).toEqual([]);
      fleet.child.kill("SIGTERM");
      // The parent passes SIGTERM on; both children stop, and so does it.
      expect(await fleet.exited).toBe(143);
      expect(fleet.stderr().match(/al worker: stopped; \d run\(s\) done, 0 failed attempt\(s\), 0 handed back/g)).toHaveLength(2);
    } finally {
      stop(fleet, members);
    }
    const collected = join(dir, "fleet-collected.duckdb");
    const summary = await collectResults({ results, db: collected, log: () => {} });
    expect(summary.collected).toHaveLength(6);
    const ours = await dump(collected, "values");
    const theirs = await dump(local, "values");
    for (const table of Object.keys(theirs)) expect(ours[table], table).toEqual(theirs[table]);
  }, 240_000);
});

/** The most runs that were begun and not yet done at one time, over a log's lines in order. */
function maxAtOnce(log: string): number {
  const running = new Set<string>();
  let most = 0;
  for (const line of log.split("\n")) {
    const begun = /\(([0-9a-f]{16})\) begins/.exec(line);
    const done = /\(([0-9a-f]{16})\) done →/.exec(line);
    if (begun) running.add(begun[1]!);
    if (done) running.delete(done[1]!);
    most = Math.max(most, running.size);
  }
  return most;
}

/** Kills a fleet's children too: the fixture kills only the process it started. */
function stop(fleet: AlProcess, members: string[]): void {
  for (const m of members) {
    try {
      process.kill(Number(m.split(":").pop()), "SIGKILL");
    } catch {
      // already gone
    }
  }
  fleet.child.kill("SIGKILL");
}
