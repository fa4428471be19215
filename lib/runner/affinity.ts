/**
 * Which queued run a pool worker takes next. A worker process keeps what it has read and fitted:
 * each data set (execute-run.ts) and each reference classifier, per data set, seed and reference
 * options (al/providers.ts). Taking the grid in order hands consecutive seeds to different
 * workers, so with two workers every worker reads and fits nearly everything; preferring a run
 * that shares a worker's earlier work does each once per worker where the grid allows. Which
 * worker runs a run never changes its numbers, only the order runs start in.
 */
import type { RunJob } from "./job.ts";

interface JobKeys {
  /** The data set as the worker caches it. */
  data: string;
  /** What a reference fit is cached by, with the data set. */
  fit: string;
}

const keysOf = new WeakMap<RunJob, JobKeys>();

function keys(job: RunJob): JobKeys {
  let hit = keysOf.get(job);
  if (!hit) {
    const data = JSON.stringify(job.config.dataset);
    hit = { data, fit: JSON.stringify([data, job.config.seed, job.config.reference ?? null]) };
    keysOf.set(job, hit);
  }
  return hit;
}

/** What one worker has done so far: the keys of the runs it was handed. */
export interface WorkerHistory {
  data: Set<string>;
  fits: Set<string>;
}

export function workerHistory(): WorkerHistory {
  return { data: new Set(), fits: new Set() };
}

/**
 * Removes and returns the queued run that best reuses `history` — the first with a data set,
 * seed and reference the worker has had, else the first with a data set it has read, else the
 * first in the queue — and records it in `history`. undefined when the queue is empty.
 */
export function takeJob(queue: RunJob[], history: WorkerHistory): RunJob | undefined {
  if (queue.length === 0) return undefined;
  let at = 0;
  if (history.data.size > 0) {
    let pick = -1;
    for (let i = 0; i < queue.length; i++) {
      const k = keys(queue[i]!);
      if (history.fits.has(k.fit)) {
        pick = i;
        break;
      }
      if (pick < 0 && history.data.has(k.data)) pick = i;
    }
    if (pick >= 0) at = pick;
  }
  const [job] = queue.splice(at, 1) as [RunJob];
  const k = keys(job);
  history.data.add(k.data);
  history.fits.add(k.fit);
  return job;
}
