/**
 * The report site at scale: a synthetic store of 1,000 runs × 20 rounds (5 data sets × 2 learners
 * × 5 samplers × 2 modes × 10 seeds), written through the real Store API as `al run` writes it
 * (saveExperiment, beginRun, writeRound with metrics, selections and histograms, finishRun, then
 * the runner's own analysis and stored selection maps), with plausible seeded numbers and no training. The site is built
 * from it exactly as `npm run build` does (AL_SITE_QUICKSTART=skip, so nothing trains), and from
 * a tiny experiment in the same run: that build is Framework's fixed cost (same pages, almost no
 * data). Reports build seconds beyond the fixed cost, each page's data bytes (the files its HTML
 * registers as FileAttachments) and the loaders' own seconds in-process.
 * Goals (issues 13/15): < 2 MB of data per page, < 30 s beyond the fixed cost.
 * Env: AL_BENCH_SITE_SEEDS (default 10) scales the grid; AL_BENCH_SITE_KEEP=1 keeps the temp dir.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { createHash } from "node:crypto";
import type { Random } from "../lib/al/random.ts";
import type { BenchCase, BenchValue } from "./harness.ts";

const ROOT = resolve(import.meta.dirname, "..");
// The shared data sets (MNIST, …), where the catalogue's runs would find them, so their pools get maps.
if (process.env.AL_DATA_DIR === undefined && existsSync(join(ROOT, "../shared/data"))) process.env.AL_DATA_DIR = join(ROOT, "../shared/data");
const SEEDS = Number(process.env.AL_BENCH_SITE_SEEDS ?? 10);
const ROUNDS = 20;
const BATCH = 50;
const MB = 2 ** 20;

/** Data sets as the catalogue names them, with sizes and classes that shape their metrics. */
const DATASETS = [
  { name: "fashion-mnist-small", pool: 3000, test: 1000, classes: 10, ceiling: 0.84 },
  { name: "mnist", pool: 3000, test: 1000, classes: 10, ceiling: 0.93 },
  { name: "cifar10", pool: 3000, test: 1000, classes: 10, ceiling: 0.45 },
  { name: "arxiv-titles", pool: 3000, test: 1000, classes: 4, ceiling: 0.78 },
  { name: "noisy-blobs", pool: 750, test: 750, classes: 2, ceiling: 0.9 },
] as const;
const SAMPLERS = ["random", "least-confidence", "margin", "entropy", "kcenter-greedy"];

export interface Grid {
  name: string;
  datasets: readonly (typeof DATASETS)[number][];
  learners: string[];
  samplers: string[];
  modes: ("retrain" | "keep-train")[];
  seeds: number[];
  rounds: number;
}

export const big: Grid = {
  name: "scale",
  datasets: DATASETS,
  learners: ["mlp", "logistic"],
  samplers: SAMPLERS,
  modes: ["retrain", "keep-train"],
  seeds: Array.from({ length: SEEDS }, (_, i) => i + 1),
  rounds: ROUNDS,
};
const tiny: Grid = { name: "tiny", datasets: [DATASETS[4]], learners: ["logistic"], samplers: ["random", "margin"], modes: ["retrain"], seeds: [1], rounds: 3 };

/** Writes `grid` into a new store at `db` with the calls `al run` makes; returns the runs written. */
export async function writeStore(db: string, grid: Grid): Promise<{ runs: number; rounds: number; writeSeconds: number; analyseSeconds: number; mapSeconds: number }> {
  const { openStore } = await import("../lib/store/duckdb.ts");
  const { parseExperiment } = await import("../lib/experiments/define.ts");
  const { expandExperiment } = await import("../lib/experiments/grid.ts");
  const { runId } = await import("../lib/experiments/id.ts");
  const { analyseExperiment } = await import("../lib/runner/analyse.ts");
  const { saveSelectionMaps } = await import("../lib/map/stored-maps.ts");
  const { createRandom } = await import("../lib/al/random.ts");
  const { version } = await import("../lib/version.ts");
  const file = join(ROOT, "bench", `${grid.name}.experiment.ts`);
  const spec = parseExperiment(
    {
      name: grid.name,
      description: `Synthetic ${grid.name} grid for the site benchmark (no training)`,
      dataset: grid.datasets.map((d) => d.name),
      learner: grid.learners,
      samplers: grid.samplers,
      modes: grid.modes,
      initial: { size: BATCH },
      acquisition: { size: BATCH },
      rounds: grid.rounds,
      epochs: 10,
      seeds: grid.seeds,
      reference: { epochs: 5 },
    },
    file,
  );
  const configs = expandExperiment(spec, file);
  const backend = "wasm";
  const checksum = (name: string) => createHash("sha256").update(`bench ${name}`).digest("hex");
  const jobs = configs.map((config) => ({ config, id: runId(config, { checksum: checksum(config.dataset.name), version, backend }) }));
  // No reader watches a bench grid: no read snapshots (a copy of the whole file each time).
  const store = await openStore(db, { snapshotIntervalMs: 1e9 });
  let rounds = 0;
  const started = performance.now();
  let analysed = started;
  let mapped = started;
  try {
    await store.saveExperiment(spec, file, jobs.map((j) => j.id));
    const versions = { "al-lab": version, "@tensorflow/tfjs": "4.22.0", node: process.version, customKernels: "true" };
    for (const { config, id } of jobs) {
      const data = grid.datasets.find((d) => d.name === config.dataset.name)!;
      const random = createRandom(config.seed, "bench-site", id);
      const startedAt = new Date(Date.UTC(2026, 0, 1) + rounds * 1000);
      await store.beginRun({
        runId: id,
        experiment: spec.name,
        config,
        status: "running",
        backend,
        versions,
        host: "bench",
        startedAt,
        poolSize: data.pool,
        testSize: data.test,
        data: { checksum: checksum(data.name), files: [] },
      });
      const order = permutationOf(data.pool, random);
      let seconds = 0;
      for (let round = 0; round <= grid.rounds; round++) {
        const labelled = BATCH * (round + 1);
        const record = roundRecord(id, round, labelled, data, config, random, grid.rounds);
        record.initial = round === 0 ? order.subarray(0, BATCH) : undefined;
        if (record.initial === undefined) delete record.initial;
        record.selected = round === grid.rounds ? new Int32Array(0) : order.subarray(labelled, labelled + BATCH);
        seconds += record.seconds.train + record.seconds.score + record.seconds.select + record.seconds.evaluate;
        await store.writeRound(record);
        rounds++;
      }
      await store.finishRun(id, { status: "done", finishedAt: new Date(startedAt.getTime() + seconds * 1000), seconds });
    }
    analysed = performance.now();
    await analyseExperiment(store, spec.name);
    // As `al run` does when a grid finishes: each pool's selection map, stored for the build.
    mapped = performance.now();
    await saveSelectionMaps(store, spec.name, { log: (line) => void process.stderr.write(`bench site: ${line}\n`) });
  } finally {
    await store.close();
  }
  const seconds = (ms: number) => +(ms / 1000).toFixed(1);
  return {
    runs: jobs.length,
    rounds,
    writeSeconds: seconds(analysed - started),
    analyseSeconds: seconds(mapped - analysed),
    mapSeconds: seconds(performance.now() - mapped),
  };
}

function permutationOf(n: number, random: Random): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

type Round = import("../lib/al/records.ts").RoundRecord;
type Config = import("../lib/experiments/spec.ts").RunConfig;

/**
 * One round's record with the metrics a real run stores (round-metrics.ts): test scores as counts
 * over the test set (so they take the values real ones can), per-class recalls, and the
 * diagnostics that need a previous round or a selected batch only where a real run has them.
 */
function roundRecord(runId: string, round: number, labelled: number, data: (typeof DATASETS)[number], config: Config, random: Random, last: number): Round {
  const chance = 1 / data.classes;
  const skill = config.sampler.name === "random" ? 1 : 1.08;
  const ceiling = Math.min(0.99, data.ceiling * (config.learner.name === "mlp" ? 1 : 0.95));
  const p = ceiling - (ceiling - chance) * Math.exp((-labelled * skill) / 300) + (random.next() - 0.5) * 0.02;
  const counted = (x: number, n: number) => Math.round(Math.min(1, Math.max(0, x)) * n) / n;
  const accuracy = counted(p, data.test);
  const metrics: Record<string, number> = {
    accuracy,
    macro_f1: counted(accuracy - 0.01 * random.next(), data.test),
    micro_f1: accuracy,
    log_loss: -Math.log(Math.max(1e-3, accuracy)) * (1 + random.next()),
    ece: 0.02 + 0.1 * random.next(),
    auroc_macro: Math.min(1, 0.5 + accuracy / 2 + 0.02 * random.next()),
    auroc_micro: Math.min(1, 0.5 + accuracy / 2 + 0.02 * random.next()),
    pool_uncertainty_mean: (1 - accuracy) * (0.8 + 0.4 * random.next()),
    pool_uncertainty_variance: 0.05 * random.next(),
  };
  const perClass = data.test / data.classes;
  for (let c = 0; c < data.classes; c++) metrics[`recall_class_${c}`] = counted(accuracy + (random.next() - 0.5) * 0.2, perClass);
  if (round > 0) {
    metrics.contradiction_ratio = counted(0.2 * random.next() * (1 - accuracy), data.test);
    metrics.stability_kappa = 1 - metrics.contradiction_ratio * 1.5;
  }
  if (round < last) {
    metrics.exploration_gain = random.next() * 0.5;
    metrics.agreement = counted(0.5 + 0.5 * random.next(), BATCH);
    metrics.batch_accuracy = counted(accuracy - 0.3 * random.next(), BATCH);
    metrics.easiness = counted(0.5 + 0.5 * random.next(), BATCH);
    metrics.batch_uncertainty_mean = Math.min(1, (1 - accuracy) * 2 * random.next());
    metrics.batch_uncertainty_max = Math.min(1, metrics.batch_uncertainty_mean + 0.2);
    metrics.batch_uncertainty_variance = 0.03 * random.next();
  }
  const bins = 20;
  const histogram = (target: "pool" | "batch", n: number) => {
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor(random.next() ** 2 * bins))]!++;
    return { target, lo: 0, hi: 1, counts, below: 0, above: 0 };
  };
  const train = config.mode === "keep-train" && round > 0 ? 0.3 + 0.1 * random.next() : 0.5 + labelled / 1000 + 0.2 * random.next();
  return {
    runId,
    round,
    labelled,
    metrics,
    seconds: {
      train,
      score: 0.05 + 0.05 * random.next(),
      select: config.sampler.name === "kcenter-greedy" ? 0.2 + 0.1 * random.next() : 0.001 + 0.002 * random.next(),
      evaluate: 0.02 + 0.01 * random.next(),
      ...(round === 0 ? { reference: 1 + random.next() } : {}),
    },
    selected: new Int32Array(0),
    ...(round < last ? { histograms: [histogram("pool", data.pool - labelled), histogram("batch", BATCH)] } : {}),
  };
}

/** `npm run build` with the store and output given; returns its wall seconds. */
function build(db: string, out: string): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, AL_DB: db, AL_SITE_QUICKSTART: "skip", AL_SITE_OUT: out, NO_COLOR: "1" };
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn("npm", ["run", "--silent", "build"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    const keep = (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-6000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done((performance.now() - started) / 1000) : fail(new Error(`npm run build failed (exit ${code}):\n${log}`))));
  });
}

/**
 * The data files each built page registers: Framework's page module calls
 * `registerFile("<name>", {"name": …, "path": "<url of the _file/ copy>", …})` per FileAttachment.
 */
export async function pageData(dist: string): Promise<Array<{ page: string; bytes: number; files: Record<string, number> }>> {
  const pages = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith(".html")).sort();
  const out: Array<{ page: string; bytes: number; files: Record<string, number> }> = [];
  for (const page of pages) {
    const html = await readFile(join(dist, page), "utf8");
    const files: Record<string, number> = {};
    for (const match of html.matchAll(/registerFile\(\s*"[^"]*"\s*,\s*(\{[^}]*\})/g)) {
      const meta = JSON.parse(match[1]!) as { path?: string };
      if (!meta.path) continue;
      const path = resolve(dirname(join(dist, page)), decodeURI(meta.path.split(/[?#]/)[0]!));
      if (!existsSync(path)) throw new Error(`${page} registers ${meta.path}, which the build lacks`);
      files[relative(dist, path)] = statSync(path).size;
    }
    out.push({ page, bytes: Object.values(files).reduce((a, b) => a + b, 0), files });
  }
  return out;
}

/** Loader work in this process (the same functions the loaders call), seconds each. */
async function loaderSeconds(db: string, experiment: string): Promise<Record<string, number>> {
  const { openStore } = await import("../lib/store/duckdb.ts");
  const { experimentsSummary } = await import("../src/data/experiments-summary.ts");
  const { roundsParquet, summaryRows } = await import("../src/data/rounds-table.ts");
  const store = await openStore(db, { readOnly: true });
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return +((performance.now() - t) / 1000).toFixed(2);
  };
  try {
    return {
      "experiments.json": await timed(() => experimentsSummary(store)),
      "rounds.parquet": await timed(() => roundsParquet(store, experiment)),
      "summaries.json": await timed(() => summaryRows(store, experiment)),
    };
  } finally {
    await store.close();
  }
}

export const cases: BenchCase[] = [
  {
    name: `site/build ${SEEDS * 100} runs × ${ROUNDS} rounds: page data and build seconds beyond Framework's fixed cost`,
    async run() {
      const dir = mkdtempSync(join(tmpdir(), "al-bench-site-"));
      try {
        const t = performance.now();
        const written = await writeStore(join(dir, "scale.duckdb"), big);
        const generateSeconds = (performance.now() - t) / 1000;
        await writeStore(join(dir, "tiny.duckdb"), tiny);
        const loaders = await loaderSeconds(join(dir, "scale.duckdb"), big.name);
        // Fixed cost first (it also warms Framework's npm cache), then the big store, then fixed again.
        const fixed1 = await build(join(dir, "tiny.duckdb"), join(dir, "tiny-dist"));
        const buildSeconds = await build(join(dir, "scale.duckdb"), join(dir, "scale-dist"));
        const fixed2 = await build(join(dir, "tiny.duckdb"), join(dir, "tiny-dist2"));
        const fixedSeconds = Math.min(fixed1, fixed2);
        const pages = await pageData(join(dir, "scale-dist"));
        const heaviest = pages.reduce((a, b) => (b.bytes > a.bytes ? b : a), pages[0]!);
        const beyond = buildSeconds - fixedSeconds;
        const perPage: Record<string, BenchValue> = {};
        for (const p of pages) perPage[p.page] = +(p.bytes / MB).toFixed(3);
        return {
          runs: written.runs,
          rounds: written.rounds,
          generateSeconds: +generateSeconds.toFixed(1),
          storeWriteSeconds: written.writeSeconds,
          analyseSeconds: written.analyseSeconds,
          mapSeconds: written.mapSeconds,
          buildSeconds: +buildSeconds.toFixed(1),
          fixedSeconds: +fixedSeconds.toFixed(1),
          fixedSecondsEach: [+fixed1.toFixed(1), +fixed2.toFixed(1)],
          beyondFixedSeconds: +beyond.toFixed(1),
          loaderSeconds: loaders,
          maxPageMb: +(heaviest.bytes / MB).toFixed(3),
          maxPage: heaviest.page,
          maxPageFiles: Object.fromEntries(Object.entries(heaviest.files).map(([f, b]) => [f, +(b / MB).toFixed(3)])),
          pageMb: perPage,
          goals: {
            pageMbBelow2: heaviest.bytes < 2 * MB,
            beyondFixedBelow30s: beyond < 30,
          },
        };
      } finally {
        if (process.env.AL_BENCH_SITE_KEEP) process.stderr.write(`bench site: kept ${dir}\n`);
        else rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
