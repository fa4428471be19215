/**
 * Code-defined learners and samplers end to end, as a user runs them: an experiment file in a
 * directory outside the repository defines a tfjs model and a sampler, `al run` runs it in
 * process (1 worker) and on worker processes that load the file themselves (2 workers) with the
 * same results, a changed function gives new run ids, and bad definitions fail in one line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { queryStore, root } from "../cli/al.ts";
import { defineSampler } from "../../lib/al/samplers/define-sampler.ts";
import { loadExperiment, parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { runId } from "../../lib/experiments/id.ts";
import { resolveLearner, resolveSampler } from "../../lib/experiments/plugins.ts";
import { tf, tfjsLearner } from "../../lib/learners/tfjs-learner.ts";
import { ensurePlugins } from "../../lib/runner/load-plugins.ts";

const dir = mkdtempSync(join(tmpdir(), "al-plugins-"));

interface Variant {
  units?: number;
  /** Body of the custom sampler's score: higher = more informative. */
  score?: string;
  samplers?: string;
  /** The experiment's learner (an expression). */
  learner?: string;
  extra?: string;
}

/** An experiment file importing the helpers from the repository by absolute path. */
function experiment(name: string, variant: Variant = {}): string {
  const { units = 16, score = "return Array.from({ length: n }, (_, i) => -Math.max(...data.subarray(i * c, (i + 1) * c)));" } = variant;
  const text = `import { tf, tfjsLearner } from ${JSON.stringify(join(root, "lib/learners/tfjs-learner.ts"))};
import { defineSampler } from ${JSON.stringify(join(root, "lib/al/samplers/define-sampler.ts"))};

const net = tfjsLearner({
  name: "tiny-net",
  build: (inputShape) =>
    tf.sequential({ layers: [tf.layers.dense({ units: ${units}, activation: "relu", inputShape }), tf.layers.dropout({ rate: 0.2 })] }),
  batchSize: 16,
  learningRate: 0.01,
});

const lowMax = defineSampler({
  name: "low-max",
  needs: ["probs"],
  score: (inputs) => {
    const { data, n, c } = inputs.probs!;
    ${score}
  },
});
${variant.extra ?? ""}
export default {
  name: "plug",
  dataset: { name: "noisy-blobs", blobs: 20, perBlob: 10, noisyPairs: 2, dimension: 2 },
  learner: ${variant.learner ?? "net"},
  samplers: ${variant.samplers ?? `["random", lowMax]`},
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 2,
  epochs: 3,
  seeds: [1],
};
`;
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, text);
  return file;
}

function al(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/al.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, AL_BACKEND: "wasm", AL_OFFLINE: "1" },
    timeout: 240_000,
  });
  const first = r.stderr.split("\n").find((l) => l.trim() !== "" && !/^=+$|^Hi, looks like/.test(l.trim())) ?? "";
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, first };
}

const runs = (db: string) =>
  queryStore(db, "SELECT run_id, learner, sampler, status, config::VARCHAR AS config FROM runs ORDER BY sampler, run_id");
const results = (db: string) =>
  Promise.all([
    queryStore(db, "SELECT run_id, round, metric, value FROM metrics ORDER BY ALL"),
    queryStore(db, "SELECT run_id, round, rank, pool_index FROM selections ORDER BY ALL"),
  ]);

describe("code-defined learner and sampler through al run", () => {
  const file = experiment("plug");
  const one = join(dir, "one.duckdb");
  const two = join(dir, "two.duckdb");
  let firstRun: ReturnType<typeof al>;
  let secondRun: ReturnType<typeof al>;
  beforeAll(() => {
    firstRun = al("run", file, "--db", one, "--workers", "1", "--json");
    secondRun = al("run", file, "--db", two, "--workers", "2", "--json");
  });

  it("runs in process and on 2 worker processes with the same ids and the same numbers", async () => {
    expect(firstRun.stderr).not.toMatch(/failed:/);
    expect(firstRun.code).toBe(0);
    expect(secondRun.code).toBe(0);
    expect(JSON.parse(firstRun.stdout)).toMatchObject({ total: 2, done: 2, failed: 0 });
    expect(JSON.parse(secondRun.stdout)).toMatchObject({ total: 2, done: 2, failed: 0 });
    const [a, b] = [await runs(one), await runs(two)];
    expect(a.map((r) => r.run_id)).toEqual(b.map((r) => r.run_id));
    expect(a.map((r) => [r.learner, r.sampler, r.status])).toEqual([
      ["tiny-net", "low-max", "done"],
      ["tiny-net", "random", "done"],
    ]);
    const [metricsA, selectionsA] = await results(one);
    const [metricsB, selectionsB] = await results(two);
    expect(metricsA.length).toBeGreaterThan(10);
    expect(metricsB).toEqual(metricsA);
    expect(selectionsB).toEqual(selectionsA);
  });

  it("stores the components as plain JSON with their code hash", async () => {
    const [lowMax, random] = (await runs(one)).map((r) => JSON.parse(String(r.config)));
    expect(lowMax.learner).toEqual({ name: "tiny-net", options: { optimizer: "adam", learningRate: 0.01, batchSize: 16 }, code: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(lowMax.sampler).toEqual({ name: "low-max", options: {}, code: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(random.sampler).toEqual({ name: "random", options: {} });
    expect(random.learner).toEqual(lowMax.learner);
    // The custom sampler picks the least confident unlabelled points: its selections differ from random's.
    const picks = await queryStore(one, "SELECT r.sampler, list(s.pool_index ORDER BY s.round, s.rank) AS p FROM selections s JOIN runs r USING (run_id) WHERE s.round > 0 GROUP BY ALL ORDER BY 1");
    expect(picks).toHaveLength(2);
    expect(picks[0]!.p).not.toEqual(picks[1]!.p);
  });

  it("gives new run ids when a function changes: all runs for the model, only its own for the sampler", async () => {
    const before = new Map((await runs(one)).map((r) => [String(r.sampler), String(r.run_id)]));
    // Same ranking, other source text: -max → 1 - max.
    const sampler = al("run", experiment("plug-score", { score: "return Array.from({ length: n }, (_, i) => 1 - Math.max(...data.subarray(i * c, (i + 1) * c)));" }), "--db", one, "--json");
    expect(sampler.code).toBe(0);
    expect(JSON.parse(sampler.stdout)).toMatchObject({ total: 2, reused: 1, done: 1 });
    const model = al("run", experiment("plug-units", { units: 17 }), "--db", one, "--json");
    expect(model.code).toBe(0);
    expect(JSON.parse(model.stdout)).toMatchObject({ total: 2, reused: 0, done: 2 });
    const after = await runs(one);
    expect(after).toHaveLength(5);
    const ids = after.map((r) => String(r.run_id));
    expect(new Set(ids).size).toBe(5);
    expect(ids).toContain(before.get("random"));
    expect(ids).toContain(before.get("low-max"));
  });

  it("replays a store of code-defined runs without their file or functions", () => {
    const r = al("replay", "--db", one, "--check");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/replayed \d+ values of 5 runs; 0 differ from the store/);
  });
});

describe("grid expansion of code-defined components", () => {
  const body = (units: number) => (inputShape: number[]) => tf.sequential({ layers: [tf.layers.dense({ units, inputShape })] });
  const base = {
    name: "grid",
    dataset: "noisy-blobs",
    samplers: ["random"],
    initial: { size: 10 },
    acquisition: { size: 5 },
    rounds: 1,
    seeds: [1],
  };
  const expand = (spec: Record<string, unknown>) => expandExperiment(parseExperiment({ ...base, ...spec }, "grid.ts"), "grid.ts");
  const identity = { checksum: "c", version: "v", backend: "wasm" };

  it("registers what it expands, so lookups by name and code find the objects", () => {
    const net = tfjsLearner({ name: "grid-net", build: body(4) });
    const score = defineSampler({ name: "grid-score", needs: ["probs"], options: { t: 1 }, score: (x) => new Float64Array(x.labelled.length) });
    const [random, scored] = expand({ learner: net, samplers: ["random", score], reference: { learner: net } });
    expect(random!.learner).toEqual({ name: "grid-net", options: net.defined.options, code: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(random!.reference!.learner).toEqual(random!.learner);
    expect(scored!.sampler).toEqual({ name: "grid-score", options: { t: 1 }, code: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(resolveLearner(random!.learner, "learner")).toBe(net);
    expect(resolveSampler(scored!.sampler, "sampler")).toBe(score);
    // Plain JSON: what the store and the workers get is the same config.
    expect(JSON.parse(JSON.stringify(scored))).toEqual(scored);
  });

  it("changes the run id with the function and the options, not with the object", () => {
    const id = (learner: unknown) => runId(expand({ learner })[0]!, identity);
    expect(id(tfjsLearner({ name: "grid-net", build: body(4) }))).toBe(id(tfjsLearner({ name: "grid-net", build: body(4) })));
    // body(4) and body(5) have the same source text (the units are a captured value): not seen.
    expect(id(tfjsLearner({ name: "grid-net", build: body(5) }))).toBe(id(tfjsLearner({ name: "grid-net", build: body(4) })));
    const other = (inputShape: number[]) => tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape })] });
    expect(id(tfjsLearner({ name: "grid-net", build: other }))).not.toBe(id(tfjsLearner({ name: "grid-net", build: body(4) })));
    expect(id(tfjsLearner({ name: "grid-net", build: body(4), learningRate: 0.01 }))).not.toBe(id(tfjsLearner({ name: "grid-net", build: body(4) })));
  });

  it("refuses a built-in learner's name and two models under one name", () => {
    expect(() => expand({ learner: tfjsLearner({ name: "mlp", build: body(4) }) })).toThrow('grid.ts: learner: "mlp" is a built-in learner\'s name; give tfjsLearner another name');
    const other = (inputShape: number[]) => tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape })] });
    expect(() => expand({ learner: [tfjsLearner({ name: "twin", build: body(4) }), tfjsLearner({ name: "twin", build: other })] })).toThrow(
      'grid.ts: learner[1]: learner name "twin" is also used by learner[0] with other code; give each its own name',
    );
    expect(() => expand({ learner: [tfjsLearner({ name: "knn2", build: body(4) }), "knn"], samplers: [defineSampler({ name: "random", needs: [], score: () => [] })] })).toThrow(
      'grid.ts: samplers[0]: "random" is a registered sampler\'s name; give defineSampler another name',
    );
  });
});

describe("bad code-defined components", () => {
  it("fails the run, in one line naming the sampler, when a sampler picks a labelled point", async () => {
    const extra = `const picksLabelled = defineSampler({ name: "picks-labelled", needs: [], select: (inputs, k) => {
    const labelled = [...inputs.labelled.keys()].filter((i) => inputs.labelled[i] === 1);
    return [labelled[0]!, ...[...inputs.labelled.keys()].filter((i) => inputs.labelled[i] === 0).slice(0, k - 1)];
  } });`;
    const db = join(dir, "bad.duckdb");
    const r = al("run", experiment("bad-pick", { extra, samplers: "[picksLabelled]" }), "--db", db, "--workers", "2");
    expect(r.code).toBe(1);
    const line = r.stderr.split("\n").find((l) => l.startsWith("failed:"));
    expect(line).toMatch(/^failed: picks-labelled · retrain · seed 1 \([0-9a-f]{16}\): picks-labelled: select returned pool point \d+ \(position 0\), which is already labelled; return unlabelled points only/);
    expect(await queryStore(db, "SELECT status FROM runs")).toEqual([{ status: "failed" }]);
  });

  it("refuses a defined sampler named like a registered one, before the store is opened", () => {
    const extra = `const clash = defineSampler({ name: "margin", needs: ["probs"], score: () => [] });`;
    const r = al("run", experiment("clash", { extra, samplers: `["random", clash]` }), "--db", join(dir, "clash.duckdb"));
    expect(r.code).toBe(2);
    expect(r.first).toMatch(/clash\.ts: samplers\[1\]: "margin" is a registered sampler's name; give defineSampler another name$/);
  });

  it("refuses two different samplers under one name", () => {
    const extra = `const other = defineSampler({ name: "low-max", needs: ["probs"], score: (inputs) => Array.from(inputs.labelled, () => 0) });`;
    const r = al("run", experiment("twice", { extra, samplers: `[lowMax, other]` }), "--db", join(dir, "twice.duckdb"));
    expect(r.code).toBe(2);
    expect(r.first).toMatch(/twice\.ts: samplers\[1\]: sampler name "low-max" is also used by samplers\[0\] with other code; give each its own name$/);
  });

  it("knows the model's capabilities before training: MC samples need its dropout", () => {
    const extra = `const plain = tfjsLearner({ name: "plain", build: (inputShape) => tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape })] }) });`;
    const r = al("run", experiment("no-dropout", { extra, learner: "plain", samplers: `["bald"]` }), "--db", join(dir, "caps.duckdb"));
    expect(r.code).toBe(2);
    expect(r.first).toMatch(/sampler "bald" needs MC samples, but learner "plain" has no MC dropout/);
  });

  it("fails a run whose code changed in the file since the grid was expanded", async () => {
    const file = experiment("edited");
    const [config] = expandExperiment(await loadExperiment(file), file);
    const job = { runId: "0123456789abcdef", config: { ...config!, learner: { ...config!.learner, code: "f".repeat(64) } }, backend: "wasm" as const, experiment: { file } };
    await expect(ensurePlugins(job)).rejects.toThrow(
      new RegExp(`^run 0123456789abcdef: learner "tiny-net" changed in ${file.replace(/[.]/g, "\\.")} since the grid was expanded \\(the run wants code ffffffffffff; it now defines it with code [0-9a-f]{12}\\); run \`al run\` again`),
    );
    const orphan = { ...job, experiment: undefined };
    await expect(ensurePlugins(orphan)).rejects.toThrow('learner "tiny-net" is defined in code, but the job names no experiment file to load it from');
  });
});
