import type { RoundRecord } from "../al/records.ts";
import type { BackendChoice } from "../backend/select.ts";
import type { RunConfig } from "../experiments/spec.ts";

/** One run to execute: all a worker needs (it loads the data itself). */
export interface RunJob {
  runId: string;
  config: RunConfig;
  backend: BackendChoice;
  /** Where the run checkpoints after every round; absent = no checkpoints. */
  checkpointDir?: string;
  /** Continue from the run's checkpoint in checkpointDir. */
  resume?: boolean;
  /**
   * The experiment file (absolute) and profile, for runs with code-defined learners or samplers:
   * functions cannot cross IPC, so a worker loads the file itself (lib/runner/load-plugins.ts).
   */
  experiment?: { file: string; profile?: string };
}

/** Messages from a worker process to the pool. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "round"; record: RoundRecord }
  | { type: "done"; runId: string; seconds: number }
  | { type: "failed"; runId: string; error: string };

/** Messages from the pool to a worker process. */
export type PoolMessage = { type: "run"; job: RunJob } | { type: "exit" };
