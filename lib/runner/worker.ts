/**
 * Worker process entry: runs jobs sent by the pool one at a time and reports rounds back.
 * wasm is single-threaded in Node, so parallelism is one such process per core. Workers never
 * touch the store: the parent is its only writer.
 */
import { selectBackend } from "../backend/select.ts";
import { executeRun } from "./execute-run.ts";
import type { PoolMessage, WorkerMessage } from "./job.ts";

const send = (message: WorkerMessage): Promise<void> =>
  new Promise((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())));

if (!process.send) {
  process.stderr.write("lib/runner/worker.ts is started by the run pool, not directly\n");
  process.exit(2);
}

// When the parent dies (even by kill -9) the IPC channel closes: stop rather than run on.
process.on("disconnect", () => process.exit(1));

process.on("message", async (message: PoolMessage) => {
  if (message.type === "exit") process.exit(0);
  const { job } = message;
  try {
    await selectBackend({ force: job.backend });
    const seconds = await executeRun(job, (record) => send({ type: "round", record }));
    await send({ type: "done", runId: job.runId, seconds });
  } catch (error) {
    await send({ type: "failed", runId: job.runId, error: (error as Error).message });
  }
});
await send({ type: "ready" });
