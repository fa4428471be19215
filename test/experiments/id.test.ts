/** Run ids and the code revisions they include (lib/revisions.ts). */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { samplerNames } from "../../lib/al/samplers/index.ts";
import { canonicalJson, runId } from "../../lib/experiments/id.ts";
import type { DatasetOptions, RunConfig } from "../../lib/experiments/spec.ts";
import { learnerRegistry } from "../../lib/learners/index.ts";
import { revisionOf, revisions } from "../../lib/revisions.ts";

const identity = { checksum: "c", version: "1", backend: "wasm" };

function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    experiment: "e",
    dataset: { name: "wdbc", dir: "/data" },
    learner: { name: "random-forest", options: {} },
    sampler: { name: "margin", options: {} },
    mode: "retrain",
    initial: { size: 10, stratified: false },
    acquisition: { size: 5 },
    rounds: 2,
    epochs: 1,
    seed: 0,
    ...overrides,
  };
}

/** Runs `fn` with some revisions temporarily set (e.g. { "learners.knn": 2, loop: 3 }). */
function withRevisions<T>(patch: Record<string, number>, fn: () => T): T {
  const saved = structuredClone(revisions);
  const table = revisions as unknown as Record<string, number | Record<string, number>>;
  for (const [name, value] of Object.entries(patch)) {
    const [group, key] = name.split(/\.(.*)/) as [string, string | undefined];
    if (key === undefined) table[group] = value;
    else (table[group] as Record<string, number>)[key] = value;
  }
  try {
    return fn();
  } finally {
    Object.assign(revisions, saved);
  }
}

describe("revisions", () => {
  it("name every registered learner and sampler, and nothing else", () => {
    expect(Object.keys(revisions.learners).sort()).toEqual(Object.keys(learnerRegistry).sort());
    expect(Object.keys(revisions.samplers).sort()).toEqual([...samplerNames].sort());
    for (const r of [revisions.loop, revisions.data, revisions.coldStart, ...Object.values(revisions.learners), ...Object.values(revisions.samplers)]) {
      expect(Number.isInteger(r) && r >= 1).toBe(true);
    }
  });

  it("of a run are its learner, sampler and the shared code it goes through", () => {
    const forest = revisions.learners["random-forest"];
    expect(revisionOf(config())).toEqual({ loop: 1, data: 1, "learners.random-forest": forest, "samplers.margin": 1 });
    // A k-means cold start, a reference learner, and the stochastic wrapper's score (default bald).
    expect(
      revisionOf(config({ initial: { size: 5, stratified: false, kmeans: true }, reference: { learner: { name: "knn", options: {} }, epochs: 1 }, sampler: { name: "stochastic", options: {} } })),
    ).toEqual({ loop: 1, data: 1, coldStart: revisions.coldStart, "learners.random-forest": forest, "learners.knn": 1, "samplers.stochastic": 1, "samplers.bald": 1 });
    expect(revisionOf(config({ sampler: { name: "stochastic", options: { score: "margin" } } }))["samplers.margin"]).toBe(1);
    // A naive baseline never calls its sampler.
    expect(revisionOf(config({ baseline: { percent: 10 }, sampler: { name: "random", options: {} } }))).toEqual({ loop: 1, data: 1, "learners.random-forest": forest });
    expect(() => revisionOf(config({ learner: { name: "svm", options: {} } }))).toThrow('lib/revisions.ts: learners "svm" has no revision; add `"svm": 1` to revisions.learners');
  });
});

describe("run ids", () => {
  it("at revision 1 everywhere are the ids of before revisions existed", () => {
    const c = config();
    const { experiment: _e, dataset: ref, ...rest } = c;
    const { dir: _d, ...dataset } = ref as DatasetOptions;
    const before = createHash("sha256").update(canonicalJson({ run: { ...rest, dataset }, ...identity })).digest("hex").slice(0, 16);
    expect(withRevisions({ loop: 1, data: 1, "learners.random-forest": 1, "samplers.margin": 1 }, () => runId(c, identity))).toBe(before);
  });

  it("change exactly for the runs that use a bumped component", () => {
    const forest = config();
    const knn = config({ learner: { name: "knn", options: {} } });
    const knnWithForestReference = config({ learner: { name: "knn", options: {} }, reference: { learner: { name: "random-forest", options: {} }, epochs: 1 } });
    const ids = () => [forest, knn, knnWithForestReference].map((c) => runId(c, identity));
    const [a, b, c] = ids();
    const [a2, b2, c2] = withRevisions({ "learners.random-forest": revisions.learners["random-forest"]! + 1 }, ids);
    expect(a2).not.toBe(a);
    expect(b2).toBe(b);
    expect(c2).not.toBe(c);
    // Shared code re-keys every run; a cold-start bump only runs that use it.
    expect(withRevisions({ loop: revisions.loop + 1 }, ids).every((id, i) => id !== [a, b, c][i])).toBe(true);
    expect(withRevisions({ coldStart: revisions.coldStart + 1 }, ids)).toEqual([a, b, c]);
    const kmeansStart = config({ initial: { size: 10, stratified: false, kmeans: true } });
    expect(withRevisions({ coldStart: revisions.coldStart + 1 }, () => runId(kmeansStart, identity))).not.toBe(runId(kmeansStart, identity));
    // Restored afterwards.
    expect(ids()).toEqual([a, b, c]);
  });
});
