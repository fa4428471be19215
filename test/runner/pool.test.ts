/** causeOf: the one line of a dead worker's stderr that says why it died. */
import { describe, expect, it } from "vitest";
import { causeOf } from "../../lib/runner/pool.ts";

describe("causeOf", () => {
  it("picks Node's error line out of a module-not-found trace", () => {
    const trace = [
      "node:internal/modules/esm/resolve:873",
      "  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);",
      "        ^",
      "",
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'tsx' imported from /tmp/x/",
      "    at packageResolve (node:internal/modules/esm/resolve:873:9)",
      "",
      "Node.js v20.20.2",
    ].join("\n");
    expect(causeOf(trace)).toBe("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'tsx' imported from /tmp/x/");
  });

  it("picks a thrown error after its code frame, and falls back to the last line", () => {
    expect(causeOf("file:///w.ts:3\nthrow new Error('x');\n^\n\nTypeError: x is not a function\n    at f (w.ts:3)\n")).toBe("TypeError: x is not a function");
    expect(causeOf("out of memory\nAborted\n")).toBe("Aborted");
    expect(causeOf("")).toBeUndefined();
  });
});

describe("forkWorkers", () => {
  it("hands the pool workers that were ready before it listened, and every job runs on them", { timeout: 60_000 }, async () => {
    const { forkWorkers, runJobs } = await import("../../lib/runner/pool.ts");
    const { smallConfig } = await import("./small-config.ts");
    // Three forked, two used: the pool ends the third itself.
    const warm = forkWorkers(3, { backend: "cpu" });
    try {
      // Long enough for all to be ready: their "ready" waits, held, until runJobs listens.
      await new Promise((resolve) => setTimeout(resolve, 8000));
      const jobs = [1, 2, 3].map((seed) => ({ runId: `warm-${seed}`, config: { ...smallConfig("warm"), seed }, backend: "cpu" as const }));
      const events: string[] = [];
      await runJobs(jobs, {
        workers: 2,
        warm,
        onStart: async (job) => void events.push(`start ${job.runId}`),
        onRound: async (job, record) => void events.push(`round ${job.runId} ${record.round}`),
        onDone: async (job) => void events.push(`done ${job.runId}`),
        onFailed: async (job, error) => void events.push(`failed ${job.runId} ${error}`),
      });
      for (const job of jobs) {
        const mine = events.filter((e) => e.split(" ")[1] === job.runId);
        expect(mine).toEqual([`start ${job.runId}`, `round ${job.runId} 0`, `round ${job.runId} 1`, `round ${job.runId} 2`, `done ${job.runId}`]);
      }
      // Two were taken and the pool closed the third: none is left idle.
      expect(warm.take()).toBeUndefined();
    } finally {
      warm.close();
    }
  });
});
