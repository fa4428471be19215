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
 */
export type TestHook = "worker-crash-start" | "worker-crash-run" | "run-fails" | "pause-after-round" | "kill-after-round" | "kill-in-analysis";

export function testHook(name: TestHook): boolean {
  const value = process.env.AL_TEST_HOOK;
  return value !== undefined && value.split(",").includes(name);
}
