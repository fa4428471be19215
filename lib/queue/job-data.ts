import type { BackendChoice } from "../backend/select.ts";

/**
 * What a queued run carries: where its experiment is and under which backend its id was
 * computed. The job id is the run id, so a run is queued once however often its grid is. A
 * worker loads the file itself and runs the one run of the grid with this id.
 */
export interface QueueJobData {
  runId: string;
  /** The experiment file, absolute as the enqueuing machine resolved it. */
  file: string;
  /** The same path relative to where `al run --queue` was started, for workers elsewhere. */
  relative: string;
  /**
   * The path as given to `al run --queue`, recorded in the store as a local `al run` records
   * it (absent in jobs queued by versions before it: the absolute path is recorded then).
   */
  given?: string;
  profile?: string;
  backend: BackendChoice;
  experiment: string;
  /** The run as progress lines name it (every axis of the grid that varies). */
  label: string;
}

/** What a worker reports per round (job.updateProgress) for `al run --queue` to show. */
export interface QueueProgress {
  round: number;
  rounds: number;
  resumedAfter?: number;
  metrics?: Record<string, number>;
}

/** A finished job's return value. */
export interface QueueResult {
  seconds: number;
  detail: string;
  /** The worker that wrote the run folder (host:pid). */
  worker: string;
}
