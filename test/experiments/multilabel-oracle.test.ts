/**
 * experiments/examples/multilabel-oracle.ts through `al run --profile ci`, started from another
 * directory, into a temp store: every run finishes; under the noisy and the label-missing
 * annotator the stored given sets differ from the true ones and the stored label_noise /
 * label_entry_noise are what the stored sets say; the perfect annotator stores none.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { queryStore } from "../cli/al.ts";
import { sharedData } from "../learners/real-data.ts";

const root = join(import.meta.dirname, "../..");

describe("experiments/examples/multilabel-oracle.ts", () => {
  it("runs with al run --profile ci from another directory, storing given and true label sets", { timeout: 300_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), "al-mloracle-"));
    const db = join(cwd, "al.duckdb");
    const r = spawnSync(process.execPath, [join(root, "bin/al.js"), "run", join(root, "experiments/examples/multilabel-oracle.ts"), "--profile", "ci", "--db", db, "--json"], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, AL_BACKEND: "wasm", AL_DATA_DIR: process.env.AL_DATA_DIR ?? sharedData },
    });
    expect(r.stderr).not.toContain("FAILED");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiment: "multilabel-oracle", total: 6, done: 6, failed: 0 });
    const picks = await queryStore(
      db,
      `SELECT coalesce(r.config->'oracle'->>'noise', r.config->'oracle'->'confusion'->1->>0, 'perfect') AS oracle, s.run_id, s.round,
              s.true_label, s.given_label, s.true_labels, s.given_labels
         FROM selections s JOIN runs r USING (run_id) ORDER BY s.run_id, s.round, s.rank`,
    );
    const by = (o: string) => picks.filter((p) => p.oracle === o);
    // Perfect (noise 0 is normalised away): nothing stored. Multi-label: never the scalar columns.
    expect(by("perfect").length).toBe(2 * 40);
    expect(by("perfect").every((p) => p.true_labels === null && p.given_labels === null)).toBe(true);
    expect(picks.every((p) => p.true_label === null && p.given_label === null)).toBe(true);
    const same = (p: Record<string, unknown>) => JSON.stringify(p.given_labels) === JSON.stringify(p.true_labels);
    for (const o of ["0.05", "0.3"]) {
      const noisy = by(o);
      expect(noisy.length).toBe(2 * 40);
      expect(noisy.every((p) => Array.isArray(p.true_labels) && (p.true_labels as number[]).length > 0 && Array.isArray(p.given_labels))).toBe(true);
      expect(noisy.some((p) => !same(p))).toBe(true);
    }
    // The label-missing annotator: given sets hold far fewer labels than the true ones.
    const count = (rows: Record<string, unknown>[], k: "given_labels" | "true_labels") => rows.reduce((a, p) => a + (p[k] as number[]).length, 0);
    expect(count(by("0.3"), "given_labels")).toBeLessThan(0.85 * count(by("0.3"), "true_labels"));
    // Stored batch noise = the share of the round's picks whose stored sets differ.
    const metrics = await queryStore(db, "SELECT run_id, round, metric, value FROM metrics WHERE metric IN ('label_noise', 'label_entry_noise') ORDER BY ALL");
    const noiseRows = metrics.filter((m) => m.metric === "label_noise");
    expect(noiseRows.length).toBe(4 * 2);
    for (const m of noiseRows) {
      // Metrics of round r describe the batch selected after its fit: stored under round r + 1.
      const batch = picks.filter((p) => p.run_id === m.run_id && p.round === (m.round as number) + 1);
      expect(batch.length).toBe(10);
      expect(m.value).toBeCloseTo(batch.filter((p) => !same(p)).length / batch.length, 12);
    }
    expect(metrics.filter((m) => m.metric === "label_entry_noise").every((m) => (m.value as number) > 0 && (m.value as number) < 0.5)).toBe(true);
    // al compare ranks a multi-label experiment by its macro AUROC without being told (it stores no accuracy).
    const compared = spawnSync(process.execPath, [join(root, "bin/al.js"), "compare", "multilabel-oracle", "--db", db, "--json"], { cwd, encoding: "utf8" });
    expect(compared.status, compared.stderr).toBe(0);
    const ranking = JSON.parse(compared.stdout) as { metric: string; groups: Array<{ methods: Array<{ sampler: string }> }> };
    expect(ranking.metric).toBe("auroc_multilabel");
    expect(ranking.groups.length).toBe(3);
    for (const g of ranking.groups) expect(g.methods.map((m) => m.sampler).sort()).toEqual(["binary-entropy", "random"]);
  });
});
