/**
 * The small real grid the shards, collect and queue tests run (noisy blobs, logistic, random and
 * margin × 2 seeds, 3 rounds): seconds per run, and every per-run table gets rows.
 */
export function smallGrid(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    dataset: { name: "noisy-blobs" },
    learner: { name: "logistic" },
    samplers: ["random", "margin"],
    initial: { size: 10 },
    acquisition: { size: 5 },
    rounds: 3,
    epochs: 1,
    seeds: [1, 2],
    ...extra,
  };
}
