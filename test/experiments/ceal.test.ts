/**
 * CEAL through `al run`: experiments/examples/ceal.ts (its ci profile) into a temp store stores
 * the pseudo-label metrics for the ceal run only, with pseudo-labels kept out of the labelled
 * counts and selections; a grid of ceal runs killed (SIGKILL) after a round and resumed stores
 * exactly the rows of an uninterrupted one, pseudo-labelled rounds after the kill included.
 * Multi-label data is refused before anything runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { preflight } from "../../lib/runner/preflight.ts";
import { al, queryStore, root } from "../cli/al.ts";
import { sharedData } from "../learners/real-data.ts";

const dir = mkdtempSync(join(tmpdir(), "al-ceal-"));
beforeAll(() => {
  process.env.AL_DATA_DIR ??= sharedData;
});

describe("ceal preflight", () => {
  it("refuses multi-label data in one line (pseudo-labels are one class per point)", async () => {
    const spec = parseExperiment(
      { name: "t", dataset: "yeast-multilabel", learner: "logistic", samplers: ["ceal"], initial: { size: 20 }, acquisition: { size: 10 }, rounds: 1, seeds: [1] },
      "exp.ts",
    );
    await expect(preflight(expandExperiment(spec, "exp.ts"), "exp.ts")).rejects.toThrow(
      /^exp\.ts: sampler "ceal" is for multiclass data, but data set "yeast-multilabel" is multilabel; pick a multilabel sampler$/,
    );
  });
});

describe("ceal through al run", () => {
  it("experiments/examples/ceal.ts --profile ci: pseudo-label metrics for the ceal run only, never in labelled counts or selections", { timeout: 300_000 }, async () => {
    const db = join(dir, "example.duckdb");
    const r = al("run", "experiments/examples/ceal.ts", "--profile", "ci", "--db", db, "--workers", "1", "--no-maps", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiment: "ceal", total: 3, done: 3, failed: 0 });
    const runs = await queryStore(db, "SELECT run_id, json_extract_string(config, '$.sampler.name') AS sampler FROM runs ORDER BY sampler");
    expect(runs.map((x) => x.sampler)).toEqual(["ceal", "entropy", "random"]);
    const ceal = String(runs[0]!.run_id);
    const pseudo = await queryStore(db, "SELECT run_id, round, metric, value FROM metrics WHERE metric LIKE 'pseudo%' ORDER BY round, metric");
    expect(new Set(pseudo.map((m) => m.run_id))).toEqual(new Set([ceal]));
    const counts = pseudo.filter((m) => m.metric === "pseudo_labels");
    expect(counts.map((m) => m.round)).toEqual([0, 1, 2, 3]);
    expect(counts[0]!.value).toBe(0);
    const shares = pseudo.filter((m) => m.metric === "pseudo_label_accuracy");
    // Stored exactly for the rounds that had pseudo-labels, as a share in [0, 1].
    expect(shares.map((m) => m.round)).toEqual(counts.filter((m) => Number(m.value) > 0).map((m) => m.round));
    expect(shares.length).toBeGreaterThan(0);
    for (const m of shares) expect(Number(m.value) >= 0 && Number(m.value) <= 1).toBe(true);
    // The oracle's rows only: 50 initial + 3 batches of 50, the same counts as the entropy run.
    const labelled = await queryStore(db, `SELECT round, labelled FROM rounds WHERE run_id = '${ceal}' ORDER BY round`);
    expect(labelled.map((x) => x.labelled)).toEqual([50, 100, 150, 200]);
    const picked = await queryStore(db, `SELECT count(*)::INTEGER AS n, count(DISTINCT pool_index)::INTEGER AS d FROM selections WHERE run_id = '${ceal}'`);
    expect(picked).toEqual([{ n: 200, d: 200 }]);
  });

  it("a grid of ceal runs killed after a round resumes to the uninterrupted grid's rows", { timeout: 300_000 }, async () => {
    const file = join(dir, "ceal-grid.ts");
    writeFileSync(
      file,
      `export default ${JSON.stringify({
        name: "ceal-resume",
        dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
        learner: { name: "mlp", options: { hidden: [32], dropout: 0.2, learningRate: 0.01 } },
        samplers: [{ name: "ceal", options: { base: "margin", threshold: 0.8, decay: 0.2 } }],
        modes: ["retrain", "keep-train"],
        initial: { size: 20, stratified: true },
        acquisition: { size: 10 },
        rounds: 3,
        epochs: 3,
        period: 1,
        seeds: [3],
      })};\n`,
    );
    const rows = async (db: string) => ({
      rounds: await queryStore(db, "SELECT run_id, round, labelled FROM rounds ORDER BY ALL"),
      metrics: await queryStore(db, "SELECT run_id, round, metric, value FROM metrics ORDER BY ALL"),
      selections: await queryStore(db, "SELECT run_id, round, pool_index, rank FROM selections ORDER BY ALL"),
    });
    const clean = join(dir, "clean.duckdb");
    const whole = al("run", file, "--db", clean, "--workers", "1", "--no-maps");
    expect(whole.code, whole.stderr).toBe(0);
    const expected = await rows(clean);

    const db = join(dir, "killed.duckdb");
    const args = [join(root, "bin/al.js"), "run", file, "--db", db, "--workers", "1", "--no-maps"];
    // The hook kills the parent after it stored round 1 of the second run.
    const killed = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, AL_BACKEND: "wasm", AL_TEST_HOOK: "kill-after-round" } });
    expect(killed.signal).toBe("SIGKILL");
    const resumed = al("run", file, "--db", db, "--workers", "1", "--no-maps");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming after round 1/);
    expect(await rows(db)).toEqual(expected);
    // Round 2 of each run (the first a resume fits) trained on round 1's checkpointed pseudo-labels,
    // or the comparison would prove nothing.
    const second = expected.metrics.filter((m) => m.metric === "pseudo_labels" && m.round === 2);
    expect(second).toHaveLength(2);
    for (const m of second) expect(Number(m.value)).toBeGreaterThan(0);
  });
});
