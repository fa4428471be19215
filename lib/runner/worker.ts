/**
 * Worker process entry: runs jobs sent by the pool one at a time and reports rounds back.
 * wasm is single-threaded in Node, so parallelism is one such process per core. Workers never
 * touch the store: the parent is its only writer.
 */
import { parseBackendChoice, selectBackend } from "../backend/select.ts";
import { executeRun } from "./execute-run.ts";
import type { PoolMessage, WorkerMessage } from "./job.ts";
import { testHook } from "./test-hooks.ts";

const send = (message: WorkerMessage): Promise<void> =>
  new Promise((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())));

if (!process.send) {
  process.stderr.write("lib/runner/worker.ts is started by the run pool, not directly\n");
  process.exit(2);
}

// When the parent dies (even by kill -9) the IPC channel closes: stop rather than run on.
process.on("disconnect", () => process.exit(1));
// Ctrl-C reaches the whole process group: the parent decides (it stops us and keeps the store
// consistent), so a worker must not die on its own first and look like a crashed run.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});

if (testHook("worker-crash-start")) throw new Error("AL_TEST_HOOK worker-crash-start: this worker fails before it is ready");

// The pool names the backend when it knows it (`--backend <choice>`): initialised while the
// worker waits for its first job, it is off that job's clock. A failure here is left for the
// job's own selectBackend to report.
const at = process.argv.indexOf("--backend");
const hinted = at >= 0 ? parseBackendChoice(process.argv[at + 1] ?? "", "the worker's --backend") : undefined;
// The parent prints the cpu backend's warning; the same line from every worker would be noise.
const warming = selectBackend({ force: hinted, warn: () => {} }).catch(() => undefined);

process.on("message", async (message: PoolMessage) => {
  if (message.type === "exit") process.exit(0);
  const { job } = message;
  try {
    await warming;
    await selectBackend({ force: job.backend });
    const seconds = await executeRun(job, async (record) => {
      await send({ type: "round", record });
      if (testHook("worker-crash-run")) process.kill(process.pid, "SIGKILL");
    });
    await send({ type: "done", runId: job.runId, seconds });
  } catch (error) {
    await send({ type: "failed", runId: job.runId, error: (error as Error).message });
  }
});
await send({ type: "ready" });
