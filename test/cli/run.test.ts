import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { al, queryStore } from "./al.ts";

const dir = mkdtempSync(join(tmpdir(), "al-cli-"));
const db = join(dir, "al.duckdb");

const query = (sql: string) => queryStore(db, sql);

const hash = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Writes an experiment file: the quickstart's ci grid with `overrides`. */
function experiment(name: string, overrides: Record<string, unknown>): string {
  const spec = {
    name: "bad",
    dataset: { name: "fashion-mnist-small", pool: 300, test: 100 },
    learner: "mlp",
    samplers: ["random"],
    initial: { size: 20 },
    acquisition: { size: 10 },
    rounds: 2,
    epochs: 1,
    seeds: [1],
    ...overrides,
  };
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, `export default ${JSON.stringify(spec)};\n`);
  return file;
}

describe("al run / al export", () => {
  let first: { code: number | null; stdout: string; stderr: string };
  beforeAll(() => {
    first = al("run", "experiments/quickstart.ts", "--profile", "ci", "--db", db, "--json");
  });

  it("runs the quickstart's ci grid into a new store, one row per round, with the backend recorded", async () => {
    expect(first.stderr).not.toContain("FAILED");
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ experiment: "quickstart", backend: "wasm", total: 8, reused: 0, done: 8, failed: 0 });
    const runs = await query("SELECT status, backend, count(*)::INTEGER AS n FROM runs GROUP BY ALL");
    expect(runs).toEqual([{ status: "done", backend: "wasm", n: 8 }]);
    const rounds = await query("SELECT run_id, count(*)::INTEGER AS n, max(labelled) AS top FROM rounds GROUP BY run_id");
    expect(rounds).toHaveLength(8);
    for (const r of rounds) expect(r).toMatchObject({ n: 4, top: 200 });
    const metrics = await query("SELECT DISTINCT metric FROM metrics ORDER BY metric");
    // Every per-round metric that applies (Fashion-MNIST has no noisy flags, so no noisy_ratio).
    expect(metrics.map((m) => m.metric)).toEqual([
      "accuracy", "agreement", "auroc_macro", "auroc_micro", "batch_accuracy", "batch_uncertainty_max",
      "batch_uncertainty_mean", "batch_uncertainty_variance", "contradiction_ratio", "easiness", "ece", "exploration_gain",
      "log_loss", "macro_f1", "micro_f1", "pool_uncertainty_mean", "pool_uncertainty_variance",
      ...Array.from({ length: 10 }, (_, c) => `recall_class_${c}`), "stability_kappa",
    ]);
    const hist = await query("SELECT target, count(DISTINCT round)::INTEGER AS rounds FROM histograms GROUP BY ALL ORDER BY target");
    expect(hist).toEqual([{ target: "batch", rounds: 3 }, { target: "pool", rounds: 3 }]);
    const sel = await query("SELECT count(*)::INTEGER AS n, count(DISTINCT (run_id, pool_index))::INTEGER AS d FROM selections");
    expect(sel[0]).toEqual({ n: 8 * 200, d: 8 * 200 });
  });

  it("reuses stored runs on a second run, leaving the store's rows as they were", async () => {
    const before = await query("SELECT * FROM metrics ORDER BY ALL");
    const again = al("run", "experiments/quickstart.ts", "--profile", "ci", "--db", db, "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 8, reused: 8, done: 0 });
    expect(await query("SELECT * FROM metrics ORDER BY ALL")).toEqual(before);
  });

  it("exports Parquet that DuckDB reads back", async () => {
    const out = join(dir, "export");
    const r = al("export", "--db", db, "--out", out, "--flat", "--json");
    expect(r.code).toBe(0);
    const paths = JSON.parse(r.stdout) as Record<string, string>;
    for (const p of Object.values(paths)) expect(existsSync(p)).toBe(true);
    const rows = await query(`SELECT count(*)::INTEGER AS n FROM '${join(out, "rounds.parquet")}'`);
    expect(rows[0]!.n).toBe(32);
    // Round mask: 1,000 pool + 500 test points per run; 200 labelled by the last round.
    const mask = await query(
      `SELECT CASE WHEN mask >= 0 THEN 'labelled' ELSE mask::VARCHAR END AS kind, count(*)::INTEGER AS n
         FROM '${join(out, "round_mask.parquet")}' GROUP BY ALL ORDER BY kind`,
    );
    expect(mask).toEqual([
      { kind: "-1", n: 8 * 800 },
      { kind: "-2", n: 8 * 500 },
      { kind: "labelled", n: 8 * 200 },
    ]);
  });

  it("stores stopping rules, advice and curve summaries for every AL run", async () => {
    const stopping = await query("SELECT count(DISTINCT run_id)::INTEGER AS runs, count(*)::INTEGER AS n FROM stopping");
    expect(stopping[0]).toEqual({ runs: 8, n: 8 * 6 });
    const advice = await query("SELECT count(*)::INTEGER AS n FROM advice");
    expect(advice[0]!.n).toBe(8 * 4);
    const summaries = await query("SELECT DISTINCT name FROM summaries ORDER BY name");
    expect(summaries.map((s) => s.name)).toEqual(["aulc_accuracy", "final_accuracy"]);
  });

  it("al replay recomputes exploration gain from selections alone, and --check catches a tampered value", async () => {
    const clean = al("replay", "--check", "--db", db, "--json");
    expect(clean.code).toBe(0);
    const result = JSON.parse(clean.stdout);
    expect(result).toMatchObject({ runs: 8, values: 8 * 3, changed: [] });
    // Tamper with one stored value, then check and repair.
    const instance = await DuckDBInstance.create(db);
    const conn = await instance.connect();
    await conn.run("UPDATE metrics SET value = value + 1 WHERE metric = 'exploration_gain' AND round = 2 AND run_id = (SELECT min(run_id) FROM runs)");
    conn.closeSync();
    instance.closeSync();
    const caught = al("replay", "--check", "--db", db, "--json");
    expect(caught.code).toBe(1);
    expect(JSON.parse(caught.stdout).changed).toHaveLength(1);
    expect(al("replay", "--db", db).code).toBe(0);
    expect(al("replay", "--check", "--db", db).code).toBe(0);
  });

  const bad: Array<[string, () => string[], string]> = [
    ["an unknown sampler", () => ["run", experiment("s", { samplers: ["random", "bald-ish"] })], 'samplers[1]: unknown sampler "bald-ish"'],
    ["k larger than the unlabelled pool", () => ["run", experiment("k", { acquisition: { size: 290 } })], "acquisition.size: 290 exceeds the 280 unlabelled pool points"],
    ["an initial set larger than the pool", () => ["run", experiment("i", { initial: { size: 400 } })], "initial.size: 400 initial labels exceed the pool of 300 points"],
    ["a missing data file", () => ["run", experiment("d", { dataset: { name: "fashion-mnist", dir: join(dir, "nowhere") } })], "nowhere/train-images-idx3-ubyte.gz: cannot read data file (file not found)"],
    ["an unreadable data file", () => {
      const d = join(dir, "garbage");
      mkdirSync(d, { recursive: true });
      for (const f of ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]) writeFileSync(join(d, f), "not idx at all");
      return ["run", experiment("g", { dataset: { name: "fashion-mnist", dir: d } })];
    }, "train-images-idx3-ubyte.gz: bad magic number"],
    ["a field of the wrong type", () => ["run", experiment("t", { rounds: "3" })], 'rounds: expected number, got "3"'],
    ["an unknown field", () => ["run", experiment("u", { sampler: ["random"] })], "sampler: unknown field; remove it or check its spelling"],
    ["an empty sampler list", () => ["run", experiment("e", { samplers: [] })], "samplers: expected at least one sampler"],
    ["an empty seed list", () => ["run", experiment("es", { seeds: [] })], "seeds: expected at least one seed"],
    ["an unknown training mode", () => ["run", experiment("m", { modes: ["retrain", "warm"] })], "modes[1]"],
    ["an unknown data set", () => ["run", experiment("ds", { dataset: "cifar-10" })], 'dataset: unknown data set "cifar-10"'],
    ["an unknown learner", () => ["run", experiment("l", { learner: "svm" })], 'learner: unknown learner "svm"'],
    ["a learner option of the wrong type", () => ["run", experiment("lo", { learner: { name: "mlp", options: { hidden: "big" } } })], "learner.options.hidden: expected array"],
    ["rounds and budget together", () => ["run", experiment("rb", { budget: 100 })], "budget: give one of `rounds`, `budget`, `costBudget`, not `rounds` and `budget`"],
    ["a noise share of 1", () => ["run", experiment("on", { oracle: { noise: 1 } })], "oracle.noise: expected a share in [0, 1), got 1"],
    ["a confusion matrix without a row per class", () => ["run", experiment("oc", { oracle: { confusion: [[1, 0], [0, 1]] } })], 'oracle.confusion: expected 10 rows (one per class of the data set), got 2 (data set "fashion-mnist-small")'],
    ["a cost of 0", () => ["run", experiment("c0", { cost: 0 })], "cost: expected a cost > 0, got 0"],
    ["a budget below the initial set", () => ["run", experiment("bi", { rounds: undefined, budget: 10 })], "budget: 10 must exceed the initial set of 20"],
    ["rounds that outgrow the pool", () => ["run", experiment("ro", { rounds: 40 })], "rounds: 20 initial + 40 rounds × 10 = 420 labels exceed the pool of 300"],
    ["a stratified set smaller than the class count", () => ["run", experiment("st", { initial: { size: 5, stratified: true } })], "initial.size: a stratified initial set needs at least one point per class (10), got 5"],
    ["exclude rules that remove everything", () => ["run", experiment("ex", { exclude: [{ sampler: "random" }] })], "exclude: the rules remove every run of the grid"],
    ["an include rule naming an unknown sampler", () => ["run", experiment("in", { include: [{ sampler: "oracle" }] })], 'include[0].sampler: unknown sampler "oracle"'],
    ["an unknown metric", () => ["run", experiment("me", { metrics: ["accuracy", "auc-pr"] })], 'metrics[1]: unknown metric "auc-pr"'],
    ["a validation set as large as the pool", () => ["run", experiment("sv", { saturation: { validation: 300 } })], "saturation.validation: 300 validation points leave nothing of the pool of 300"],
    ["a negative seed", () => ["run", experiment("ns", { seeds: [-1] })], "seeds[0]"],
    ["a sampler option it does not take", () => ["run", experiment("so", { samplers: [{ name: "margin", options: { beta: 1 } }] })], 'samplers[0].options: unknown option "beta"'],
    ["an unknown profile", () => ["run", "experiments/quickstart.ts", "--profile", "huge"], 'unknown profile "huge"; expected one of ci'],
    ["a missing experiment file", () => ["run", "experiments/nope.ts"], "experiments/nope.ts: experiment file not found"],
    ["an unknown backend", () => ["run", "experiments/quickstart.ts", "--backend", "tpu"], '--backend: unknown backend "tpu"'],
    ["an unknown flag", () => ["run", "experiments/quickstart.ts", "--fast"], "Unknown option '--fast'"],
  ];

  it.each(bad)("rejects %s with one line, exit 2, and the store untouched", (_what, args, message) => {
    const before = hash(db);
    const r = al(...args(), "--db", db);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(hash(db)).toBe(before);
  });

  it("prints usage for --help and exits 2 for an unknown command", () => {
    expect(al("run", "--help").stdout).toContain("usage: al run <experiment.ts>");
    const r = al("frobnicate");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('al: unknown command "frobnicate"; expected one of run, ls, status, show, compare, export, replay, rm, collect, worker, site, reproduce (or --help, --version)\n');
  });
});
