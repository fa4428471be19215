/** takeJob: a pool worker is handed the queued run that reuses its data set and reference fit. */
import { describe, expect, it } from "vitest";
import { takeJob, workerHistory } from "../../lib/runner/affinity.ts";
import type { RunJob } from "../../lib/runner/job.ts";
import { smallConfig } from "./small-config.ts";

const job = (sampler: string, seed: number, dataset = "noisy-blobs"): RunJob => {
  const config = { ...smallConfig("affinity"), dataset: { name: dataset }, sampler: { name: sampler, options: {} }, seed, reference: { learner: { name: "logistic", options: {} }, epochs: 1 } };
  return { runId: `${dataset}-${sampler}-${seed}`, config, backend: "cpu" };
};

/** Two workers taking turns (as when their runs take equally long): the run ids each is handed. */
function deal(queue: RunJob[]): [string[], string[]] {
  const histories = [workerHistory(), workerHistory()];
  const taken: [string[], string[]] = [[], []];
  for (let turn = 0; queue.length > 0; turn ^= 1) taken[turn]!.push(takeJob(queue, histories[turn]!)!.runId);
  return taken;
}

describe("takeJob", () => {
  it("keeps each worker on its seed while the grid has runs of it (seeds are the grid's innermost axis)", () => {
    // Grid order: sampler × seed, so in order the two workers would alternate seeds and each fit 3 references.
    const queue = ["random", "margin", "entropy"].flatMap((s) => [1, 2, 3].map((seed) => job(s, seed)));
    const [a, b] = deal(queue);
    expect(a).toEqual(["noisy-blobs-random-1", "noisy-blobs-margin-1", "noisy-blobs-entropy-1", "noisy-blobs-random-3", "noisy-blobs-entropy-3"]);
    expect(b).toEqual(["noisy-blobs-random-2", "noisy-blobs-margin-2", "noisy-blobs-entropy-2", "noisy-blobs-margin-3"]);
    // 4 reference fits in all, where the grid order gives 6.
    const seeds = (ids: string[]) => new Set(ids.map((id) => id.at(-1)));
    expect(seeds(a).size + seeds(b).size).toBe(4);
  });

  it("prefers a data set the worker has read when no run shares its fit, and the queue's head otherwise", () => {
    const queue = [job("random", 1, "iris"), job("random", 2, "wine"), job("random", 3, "iris"), job("margin", 4, "wine")];
    const history = workerHistory();
    expect(takeJob(queue, history)!.runId).toBe("iris-random-1");
    // Seed 1 is done; iris (read) beats wine (the head).
    expect(takeJob(queue, history)!.runId).toBe("iris-random-3");
    expect(takeJob(queue, history)!.runId).toBe("wine-random-2");
    expect(takeJob(queue, history)!.runId).toBe("wine-margin-4");
    expect(takeJob(queue, history)).toBeUndefined();
    expect(queue).toEqual([]);
  });

  it("hands out every run exactly once, whatever the interleaving", () => {
    for (let trial = 0; trial < 50; trial++) {
      const queue = ["iris", "wine"].flatMap((d) => ["random", "margin"].flatMap((s) => [1, 2, 3].map((seed) => job(s, seed, d))));
      const ids = queue.map((j) => j.runId).sort();
      const histories = [workerHistory(), workerHistory(), workerHistory()];
      const taken: string[] = [];
      let state = trial + 1;
      while (queue.length > 0) {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        taken.push(takeJob(queue, histories[state % 3]!)!.runId);
      }
      expect(taken.sort()).toEqual(ids);
    }
  });
});
