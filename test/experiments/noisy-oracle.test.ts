/**
 * experiments/noisy-oracle.ts through the runner (its ci profile) on the real data: every run
 * is done, the noisy runs store their given labels beside the true ones and the metrics say
 * how many were wrong; the perfect runs store none of it. Then the store is exported.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { givenLabels } from "../../lib/al/oracle.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { tempDir } from "../store/fixtures.ts";

describe("experiments/noisy-oracle.ts", () => {
  it("runs its ci profile: noisy runs store given ≠ true labels at the noise rate, perfect runs none", async () => {
    const db = join(tempDir(), "al.duckdb");
    const summary = await runExperiment({ file: join(import.meta.dirname, "../../experiments/noisy-oracle.ts"), profile: "ci", db, workers: 1, backend: "wasm", log: () => {} });
    expect(summary).toMatchObject({ experiment: "noisy-oracle", total: 4, done: 4, failed: 0 });

    const store = await openStore(db, { readOnly: true });
    try {
      const picks = await store.query(
        `SELECT r.run_id, r.sampler, json_extract(r.config, '$.oracle.noise')::DOUBLE AS noise, s.pool_index, s.true_label, s.given_label, s.cost
           FROM selections s JOIN runs r USING (run_id) ORDER BY r.run_id, s.round, s.rank`,
      );
      const data = await loadDataset({ name: "fashion-mnist-small", pool: 300, test: 200 });
      const answers = givenLabels({ noise: 0.2 }, 1, Int32Array.from({ length: 300 }, (_, i) => i), data.pool.y, 10);
      const noisy = picks.filter((p) => p.noise === 0.2);
      const perfect = picks.filter((p) => p.noise === null);
      // 2 runs each of 50 initial + 2 × 20 picks.
      expect([noisy.length, perfect.length]).toEqual([180, 180]);
      for (const p of noisy) {
        expect(p.true_label).toBe(data.pool.y[Number(p.pool_index)]);
        expect(p.given_label).toBe(answers[Number(p.pool_index)]);
        expect(p.cost).toBe(1);
      }
      expect(perfect.every((p) => p.given_label === null && p.true_label === null && p.cost === 1)).toBe(true);
      // Random and margin of one seed get the same answer for a point both picked.
      const byPoint = new Map<number, unknown>();
      for (const p of noisy) {
        const seen = byPoint.get(Number(p.pool_index));
        if (seen !== undefined) expect(p.given_label).toBe(seen);
        byPoint.set(Number(p.pool_index), p.given_label);
      }
      const wrong = noisy.filter((p) => p.given_label !== p.true_label).length / noisy.length;
      expect(wrong).toBeGreaterThan(0.08);
      expect(wrong).toBeLessThan(0.32);

      // Stored per round: the final labelled set's noise and cost, for the noisy runs only.
      const metrics = await store.query(
        `SELECT m.run_id, json_extract(r.config, '$.oracle.noise')::DOUBLE AS noise, m.metric, m.value
           FROM metrics m JOIN runs r USING (run_id) WHERE m.round = 2 AND m.metric IN ('cost', 'train_label_noise') ORDER BY ALL`,
      );
      expect(metrics.filter((m) => m.metric === "cost").map((m) => m.value)).toEqual([90, 90, 90, 90]);
      const trainNoise = metrics.filter((m) => m.metric === "train_label_noise");
      expect(trainNoise.map((m) => m.noise)).toEqual([0.2, 0.2]);
      // Round 2 trains on all 90 stored picks of its run: its noise is their share of wrong labels.
      for (const m of trainNoise) {
        const own = noisy.filter((p) => p.run_id === m.run_id);
        expect(m.value).toBeCloseTo(own.filter((p) => p.given_label !== p.true_label).length / own.length, 9);
      }
    } finally {
      await store.close();
    }
  });
});
