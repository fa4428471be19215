/**
 * The package as a user gets it: `npm pack` (which builds dist/ through prepack) into a temporary
 * directory, `npm install <tarball>` into a fresh project, then that project imports the entry
 * points, runs a loop with its own learner, runs an experiment with `al run`, type-checks against
 * the shipped declarations and builds the report site for its own store.
 *
 * Installing offline: the npm cache after `npm ci` holds tarballs but not the registry documents
 * npm needs to resolve a new tree, so `npm install --offline` of the tarball alone fails
 * (ENOTCACHED). The consumer's node_modules is therefore seeded with symlinks to this
 * repository's copies of the package's direct dependencies; npm then finds every dependency
 * satisfied and installs just the tarball, offline and without scripts. What is tested is the
 * tarball's own contents (dist/, bin, src/, data/, package.json exports), which is what packing
 * can get wrong.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "al-consumer-"));
const project = join(work, "project");
const env = { ...process.env, AL_BACKEND: "wasm", AL_OFFLINE: "1", OBSERVABLE_TELEMETRY_DISABLE: "true" };

function sh(command: string, args: string[], cwd: string, timeout = 240_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: "utf8", timeout, maxBuffer: 64 << 20 });
}

function ok(r: SpawnSyncReturns<string>): string {
  expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
  return r.stdout;
}

const write = (file: string, text: string): void => {
  mkdirSync(dirname(join(project, file)), { recursive: true });
  writeFileSync(join(project, file), text);
};
const node = (file: string): string => ok(sh(process.execPath, [file], project));

beforeAll(() => {
  const pack = sh("npm", ["pack", "--pack-destination", work, "--silent"], root, 400_000);
  const tarball = join(work, ok(pack).trim().split("\n").at(-1)!);
  mkdirSync(join(project, "node_modules"), { recursive: true });
  write("package.json", JSON.stringify({ name: "my-study", private: true, type: "module" }, null, 2));
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, Record<string, string>>;
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
    const from = join(root, "node_modules", dep);
    if (!existsSync(from)) continue; // an optional native build not installed here
    mkdirSync(dirname(join(project, "node_modules", dep)), { recursive: true });
    symlinkSync(from, join(project, "node_modules", dep), "dir");
  }
  ok(sh("npm", ["install", "--offline", "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", tarball], project));
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a project that installs the packed tarball", () => {
  it("ships dist/ and the site, not tests or sources", () => {
    const installed = join(project, "node_modules", "al-lab");
    expect(existsSync(join(installed, "dist/lib/index.js"))).toBe(true);
    expect(existsSync(join(installed, "dist/lib/entry/samplers.d.ts"))).toBe(true);
    expect(existsSync(join(installed, "dist/lib/runner/worker.js"))).toBe(true);
    expect(existsSync(join(installed, "src/data/quickstart.parquet.ts"))).toBe(true);
    expect(existsSync(join(installed, "data/fashion-mnist-small/pool-images-idx3-ubyte.gz"))).toBe(true);
    for (const absent of ["lib", "test", "bench", "dist/test", "src/.observablehq"]) expect(existsSync(join(installed, absent)), absent).toBe(false);
  });

  it("calls samplers on its own arrays (hand-computed picks)", () => {
    write(
      "samplers.mjs",
      `import { margin, entropy, kcenterGreedy, getSampler, matrix, createRandom } from "al-lab/samplers";
const probs = matrix(new Float32Array([0.5, 0.5, 0, 0.4, 0.3, 0.3, 0.8, 0.1, 0.1, 0.6, 0.3, 0.1]), 4, 3);
const context = { random: createRandom(1) };
const none = new Uint8Array(4);
const out = {
  // margins 0, 0.1, 0.7, 0.3: smallest first
  margin: [...margin.select({ probs, labelled: none }, 2, {}, context)],
  // entropies 0.693, 1.089, 0.639, 0.898: largest first; with point 1 labelled, it is skipped
  entropy: [...entropy.select({ probs, labelled: none }, 2, {}, context)],
  entropyLabelled: [...entropy.select({ probs, labelled: Uint8Array.from([0, 1, 0, 0]) }, 2, {}, context)],
  // 1-D points 0, 1, 5, 10, 11 with point 0 labelled: farthest is 11 (index 4), then 5 (index 2)
  kcenter: [...kcenterGreedy.select({ embeddings: matrix(new Float32Array([0, 1, 5, 10, 11]), 5, 1), labelled: Uint8Array.from([1, 0, 0, 0, 0]) }, 2, {}, context)],
  same: getSampler("margin", "s") === margin,
};
process.stdout.write(JSON.stringify(out));`,
    );
    expect(JSON.parse(node("samplers.mjs"))).toEqual({ margin: [0, 1], entropy: [1, 3], entropyLabelled: [3, 0], kcenter: [4, 2], same: true });
  });

  it("imports the pure entries without tfjs or DuckDB resolvable", () => {
    // A copy of the installed package whose only neighbour is zod: any import of tfjs or DuckDB
    // (direct or through another module) would fail to resolve here.
    const bare = join(work, "bare");
    cpSync(join(project, "node_modules", "al-lab"), join(bare, "node_modules", "al-lab"), { recursive: true });
    symlinkSync(join(root, "node_modules", "zod"), join(bare, "node_modules", "zod"), "dir");
    writeFileSync(join(bare, "pure.mjs"), `const s = await import("al-lab/samplers"); await import("al-lab/metrics"); const st = await import("al-lab/stats");
process.stdout.write(JSON.stringify({ samplers: s.samplerNames, friedman: typeof st.friedmanTest }));`);
    const r = sh(process.execPath, ["pure.mjs"], bare);
    expect(JSON.parse(ok(r))).toEqual({ samplers: expect.arrayContaining(["random", "margin", "entropy", "kcenter-greedy", "badge"]), friedman: "function" });
    // The main entry needs more than zod (tsx, tfjs, DuckDB): the check above is not vacuous.
    writeFileSync(join(bare, "main.mjs"), `await import("al-lab");`);
    expect(sh(process.execPath, ["main.mjs"], bare).stderr).toMatch(/Cannot find package '(@tensorflow\/[a-z-]+|@duckdb\/node-api|tsx)'/);
  });

  it("runs one loop with runLoop and its own learner", () => {
    write(
      "loop.mjs",
      `import { runLoop, getSampler, matrix } from "al-lab";
// Two clusters on a line: class 0 near 0, class 1 near 10.
const split = (xs) => ({ x: matrix(Float32Array.from(xs), xs.length, 1), y: Int32Array.from(xs, (v) => (v < 5 ? 0 : 1)) });
const dataset = { name: "line", task: "multiclass", kind: "tabular", classes: ["a", "b"], shape: [1], checksum: "x",
  pool: split([0, 1, 2, 3, 0.5, 1.5, 10, 11, 12, 9, 8, 10.5]), test: split([0.2, 2.2, 9.5, 11.5]) };
// A nearest-centroid learner: the Learner interface in a dozen lines.
let means = [0, 0];
let fits = 0;
const learner = {
  reset() { means = [0, 0]; },
  async fit(x, y) { fits++; for (const c of [0, 1]) { let s = 0, n = 0; for (let i = 0; i < x.n; i++) if (y[i] === c) { s += x.data[i]; n++; } means[c] = s / n; } },
  async predictProba(x) {
    const out = new Float32Array(x.n * 2);
    for (let i = 0; i < x.n; i++) { const e = means.map((m) => Math.exp(-((x.data[i] - m) ** 2))); const z = e[0] + e[1]; out[2 * i] = e[0] / z; out[2 * i + 1] = e[1] / z; }
    return matrix(out, x.n, 2);
  },
  dispose() {},
};
const config = { experiment: "mine", dataset: { name: "line" }, learner: { name: "centroid", options: {} }, sampler: { name: "margin", options: {} },
  mode: "retrain", initial: { size: 2, stratified: true }, acquisition: { size: 2 }, rounds: 3, epochs: 1, seed: 1, metrics: ["accuracy"] };
const sampler = getSampler("margin", "sampler");
const records = [];
await runLoop({ runId: "r1", config, dataset, learner, sampler, samplerOptions: sampler.parseOptions({}, "options"), onRound: (r) => void records.push(r) });
process.stdout.write(JSON.stringify({ labelled: records.map((r) => r.labelled), accuracy: records.at(-1).metrics.accuracy, fits,
  picked: new Set(records.flatMap((r) => [...(r.initial ?? []), ...r.selected])).size }));`,
    );
    // 2 initial + 3 × 2 acquired; the centroids split the line at 5, so every test point is right.
    expect(JSON.parse(node("loop.mjs"))).toEqual({ labelled: [2, 4, 6, 8], accuracy: 1, fits: 4, picked: 8 });
  });

  it("runs its own experiment file with al run, reads the store, and builds the site for it", () => {
    write(
      "experiments/mine.ts",
      `import { defineExperiment } from "al-lab";

export default defineExperiment({
  name: "mine",
  dataset: "noisy-blobs",
  learner: { name: "logistic", options: {} },
  samplers: ["margin"],
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 2,
  epochs: 5,
  seeds: [1],
});
`,
    );
    const run = sh("npx", ["--offline", "al", "run", "experiments/mine.ts", "--workers", "1"], project);
    expect(run.stderr + run.stdout).toMatch(/mine: 1 done, 0 reused, 0 failed/);
    write(
      "read.mjs",
      `import { openStore } from "al-lab/store";
const store = await openStore("results/al.duckdb", { readOnly: true });
const rows = await store.roundsTable({ experiment: "mine" });
const runs = await store.runs();
await store.close();
process.stdout.write(JSON.stringify({ rounds: rows.map((r) => [r.round, r.labelled, r.sampler]), runs: runs.map((r) => r.status) }));`,
    );
    expect(JSON.parse(node("read.mjs"))).toEqual({ rounds: [[0, 20, "margin"], [1, 30, "margin"], [2, 40, "margin"]], runs: ["done"] });

    // The site: the package's own pages, built for this project's store: a report per stored
    // experiment, and nothing else — the build trains nothing and leaves the store as it was.
    const storeBytes = readFileSync(join(project, "results/al.duckdb"));
    const site = sh("npx", ["--offline", "al", "site", "build", "--db", "results/al.duckdb", "--out", "site"], project, 400_000);
    expect(site.status, site.stderr).toBe(0);
    expect(site.stderr).toContain("site for results/al.duckdb written to site");
    expect(existsSync(join(project, "site/index.html"))).toBe(true);
    expect(existsSync(join(project, "site/experiments/mine.html"))).toBe(true);
    expect(existsSync(join(project, "site/experiments/quickstart.html"))).toBe(false);
    const dataDir = join(project, "site/_file/data/experiments/mine");
    // The rounds file (other loaders write Parquet too: analysis, histograms, selections).
    const data = readdirSync(dataDir).find((f) => f.startsWith("rounds.") && f.endsWith(".parquet"))!;
    const parquet = readFileSync(join(dataDir, data));
    expect(parquet.subarray(0, 4).toString()).toBe("PAR1");
    expect(parquet.includes("noisy-blobs")).toBe(true);
    expect(readFileSync(join(project, "results/al.duckdb")).equals(storeBytes)).toBe(true);
    write("ls.mjs", `import { openStore } from "al-lab/store";
const store = await openStore("results/al.duckdb", { readOnly: true });
const names = (await store.query("SELECT name FROM experiments ORDER BY name")).map((r) => r.name);
await store.close();
process.stdout.write(JSON.stringify(names));`);
    expect(JSON.parse(node("ls.mjs"))).toEqual(["mine"]);
  }, 900_000);

  it("follows the README's \"Your own study\" from a blank directory: own CSV, own model, own sampler, al run, al ls, al compare, al site", () => {
    // The README's own text: the experiment file and the shell steps under the study markers.
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = (marker: string): string => {
      const at = readme.indexOf(`<!-- study: ${marker} -->`);
      expect(at, `README marker ${marker}`).toBeGreaterThan(0);
      const open = readme.indexOf("```", at);
      const body = readme.indexOf("\n", open) + 1;
      return readme.slice(body, readme.indexOf("```", body));
    };
    const study = join(work, "study");
    mkdirSync(join(study, "experiments"), { recursive: true });
    mkdirSync(join(study, "data"), { recursive: true });
    writeFileSync(join(study, "package.json"), JSON.stringify({ name: "my-own-study", private: true, type: "module" }));
    symlinkSync(join(project, "node_modules"), join(study, "node_modules"), "dir");
    // "A CSV of yours with class column y": the Pima diabetes table, its label column renamed.
    const csv = readFileSync(join(root, "../shared/data/tabular/diabetes.csv"), "utf8").replace(/,label\r?\n/, ",y\n");
    writeFileSync(join(study, "data/mydata.csv"), csv);
    writeFileSync(join(study, "experiments/mine.ts"), block("experiments/mine.ts"));

    const steps = block("shell").split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter(Boolean);
    expect(steps.map((s) => s.split(" ").slice(0, 3).join(" "))).toEqual(["npx al run", "npx al ls", "npx al compare", "npx al site"]);
    const out = steps.map((step) => {
      const [cmd, ...args] = step.split(/\s+/);
      const r = sh(cmd!, ["--offline", ...args], study, 600_000);
      expect(r.status, `${step}\n${r.stderr}\n${r.stdout}`).toBe(0);
      return r.stdout + r.stderr;
    });
    // 2 learners × 3 samplers × 3 seeds, all done.
    expect(out[0]).toMatch(/mine: 18 done, 0 reused, 0 failed/);
    // al ls: the code-defined sampler's 6 runs (2 learners × 3 seeds), all done.
    const lsRows = out[1]!.split("\n").filter((l) => l.includes("uncertain-novel"));
    expect(lsRows).toHaveLength(6);
    for (const row of lsRows) expect(row).toMatch(/\bdone\b/);
    expect(lsRows.filter((r) => /\bnet\b/.test(r))).toHaveLength(3);
    for (const row of lsRows) expect(row).toContain("mydata");
    // al compare: both learners ranked, the three samplers in each, the data set named as the file.
    for (const name of ["logistic", "net", "random", "margin", "uncertain-novel", "Friedman"]) expect(out[2]).toContain(name);
    // The site: this study's report, and no other experiment.
    expect(existsSync(join(study, "site/index.html"))).toBe(true);
    expect(existsSync(join(study, "site/experiments/mine.html"))).toBe(true);
    expect(readdirSync(join(study, "site/experiments")).filter((f) => f.endsWith(".html"))).toEqual(["mine.html"]);

    // Editing the CSV makes new runs: one cell changed, the same grid is computed afresh.
    writeFileSync(join(study, "data/mydata.csv"), csv.replace(/\n6,148,/, "\n7,148,"));
    const again = sh("npx", ["--offline", "al", "run", "experiments/mine.ts", "--only", "sampler=margin", "--only", "seed=1"], study, 600_000);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toMatch(/mine: 2 done, 0 reused, 0 failed/);
  }, 900_000);

  it("type-checks against the shipped declarations", () => {
    write("tsconfig.json", JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["check.ts"] }));
    write(
      "check.ts",
      `import { defineExperiment, type Learner, type RunConfig, type LoopOptions } from "al-lab";
import { margin, type SamplerInputs, matrix, createRandom } from "al-lab/samplers";
import { accuracy } from "al-lab/metrics";
import { friedmanTest } from "al-lab/stats";
import { getLearner, type LearnerFactory } from "al-lab/learners";
import { openStore, type Store } from "al-lab/store";
const inputs: SamplerInputs = { probs: matrix(new Float32Array(4), 2, 2), labelled: new Uint8Array(2) };
const picks: Int32Array = margin.select(inputs, 1, {}, { random: createRandom(1) });
const spec = defineExperiment({ name: "t", dataset: "diabetes", learner: { name: "logistic" }, samplers: ["margin"], initial: { size: 10 }, acquisition: { size: 5 }, rounds: 1, seeds: [1] });
const learner: LearnerFactory = getLearner("logistic", "learner");
const open: (path: string) => Promise<Store> = (p) => openStore(p, { readOnly: true });
const f: number = friedmanTest([[1, 2], [2, 1]]).chiSquareP;
type L = Learner["predictProba"];
type C = RunConfig["mode"];
type O = LoopOptions["onRound"];
export { picks, spec, learner, open, f, accuracy, type L, type C, type O };
`,
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    ok(sh(process.execPath, [tsc, "-p", "."], project));
    // And wrong code is refused, so the types are real, not any.
    write("check.ts", `import { margin } from "al-lab/samplers";\nmargin.select({ probs: "high", labelled: new Uint8Array(2) }, 1, {}, { random: 1 });\n`);
    const bad = sh(process.execPath, [tsc, "-p", "."], project);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/check\.ts.*error TS2322/);
  });
});
