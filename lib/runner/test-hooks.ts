/**
 * TEST-ONLY fault injection for the reliability battery (test/reliability/runner.test.ts): the
 * environment variable AL_TEST_HOOK holds comma-separated hook names. Never set it otherwise.
 *
 * - `worker-crash-start`: a worker process throws before it reports "ready".
 * - `worker-crash-run`: a worker process exits abruptly after reporting its first round.
 * - `run-fails`: every run throws at its first round (in a worker or in process).
 * - `pause-after-round`: the parent stops after storing round 1 of a run, says so on stderr, and
 *   waits (for a signal).
 * - `kill-after-round`: the parent kills itself (SIGKILL) after storing round 1 of its second run.
 * - `kill-in-analysis`: the parent kills itself (SIGKILL) when the analysis phase starts.
 * - `block-after-round`: the parent blocks its event loop after storing round 1 of its first run
 *   until the path in AL_TEST_BLOCK_UNTIL exists (at most BLOCK_MS), then carries on: a queue
 *   worker alive but silent past its job's lock, whose job another worker takes over.
 */
import { existsSync } from "node:fs";

export type TestHook = "worker-crash-start" | "worker-crash-run" | "run-fails" | "pause-after-round" | "kill-after-round" | "kill-in-analysis" | "block-after-round";

/** The longest `block-after-round` blocks. */
export const BLOCK_MS = 60_000;

/** Blocks this thread (timers, sockets, everything), as a long synchronous computation would, until `until` exists or `ms` passed. */
export function blockEventLoop(ms: number, until: string | undefined): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const end = Date.now() + ms;
  while (Date.now() < end && !(until !== undefined && existsSync(until))) Atomics.wait(cell, 0, 0, 100);
}

export function testHook(name: TestHook): boolean {
  const value = process.env.AL_TEST_HOOK;
  return value !== undefined && value.split(",").includes(name);
}
