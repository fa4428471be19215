/**
 * `al run`: load and validate an experiment, expand its grid, skip runs the store already has,
 * and run the rest on the worker pool. Everything that can be wrong with the input is checked
 * before the store is opened, so a bad spec never touches it.
 */
import * as tf from "@tensorflow/tfjs";
import { availableParallelism, hostname } from "node:os";
import { resolve } from "node:path";
import { planRun } from "../al/plan.ts";
import { selectBackend, type BackendChoice } from "../backend/select.ts";
import type { GridRule } from "../experiments/grid.ts";
import { runId } from "../experiments/id.ts";
import { usesCode } from "../experiments/plugins.ts";
import type { RunConfig } from "../experiments/spec.ts";
import { openStore, type Store } from "../store/duckdb.ts";
import { version } from "../version.ts";
import { saveSelectionMaps } from "../map/stored-maps.ts";
import { analyseExperiment } from "./analyse.ts";
import { defaultDb } from "./default-db.ts";
import { checkpointDirFor, readCheckpoint, removeCheckpoint, removeTempFiles } from "./checkpoint.ts";
import type { RunJob } from "./job.ts";
import { runGaps } from "./gaps.ts";
import { runJobs, type WarmWorkers } from "./pool.ts";
import { selectGrid } from "./grid-selection.ts";
import { preflight } from "./preflight.ts";
import { plainProgress, type ProgressSink } from "./progress.ts";
import { BLOCK_MS, blockEventLoop, testHook } from "./test-hooks.ts";

// block-after-round blocks once per process: a queue worker calls runExperiment once per job.
let blocked = false;

export interface RunExperimentOptions {
  /** Path of the experiment file (experiments/foo.ts). */
  file: string;
  /** The file's path as the store records it, where it differs from `file` (a queue worker's resolved copy); default `file`. */
  recordedFile?: string;
  /** DuckDB file; default results/al.duckdb. */
  db?: string;
  /** A profile defined by the experiment (e.g. "ci"). */
  profile?: string;
  /** Force a backend instead of the first that loads. */
  backend?: BackendChoice;
  /** Worker processes; default: one per core. */
  workers?: number;
  /** Worker processes forked before this call (`forkWorkers`), used before new ones; the pool closes those it does not take, the caller closes it too (a grid that stops before the pool). */
  warm?: WarmWorkers;
  /** Progress lines (never stdout). */
  log?: (line: string) => void;
  /** How progress is shown; default plain lines through `log`. */
  progress?: ProgressSink;
  /** Only the grid cells matching this rule (`al run --only key=value`). */
  only?: GridRule;
  /** Checkpoint directory; default the store's own, `<db>.checkpoints/` (see checkpointDirFor). */
  checkpointDir?: string;
  /**
   * A finished stored run to use for a cell instead of its id under the selected backend
   * (ensure.ts: for a site build, a run stored under another backend counts as present).
   */
  reuse?: (config: RunConfig) => string | undefined;
  /**
   * Store each pool's selection map when the grid finishes (lib/map/stored-maps.ts), so site
   * builds read it instead of projecting the pool; default true (`al run --no-maps`: false).
   */
  maps?: boolean;
  /**
   * Run only these of the grid's jobs (al run --shard: shard.ts). The experiment still records
   * the whole grid, so a store collected from every slice lists what a local run would.
   */
  slice?: (jobs: readonly RunJob[]) => RunJob[];
  /** Where each finished run is also written (a shard's run folders); runs it holds are skipped. */
  output?: RunOutput;
  /**
   * Analyse the experiment when the grid finishes (stopping rules, advice, curve summaries);
   * default true. A slice cannot: a cell's random partner and baselines may be in another.
   */
  analyse?: boolean;
  /**
   * The checkpoint folder is shared with other processes (queue workers on several machines):
   * only this host's half-written checkpoints whose process is gone (or is this one) are
   * removed, never another's in flight (checkpoint.ts, removeTempFiles).
   */
  sharedCheckpoints?: boolean;
}

/** A place finished runs are written to besides the store (shard.ts: run folders). */
export interface RunOutput {
  /** Whether the run is already written there, complete. */
  has(runId: string): Promise<boolean>;
  /** Writes the run, done in `store`. */
  write(store: Store, runId: string): Promise<void>;
}

export interface RunSummary {
  experiment: string;
  backend: BackendChoice;
  total: number;
  reused: number;
  done: number;
  failed: number;
  /** `label` names the run as its progress lines do (every axis of the grid that varies). */
  failures: Array<{ runId: string; label: string; sampler: string; mode: string; seed: number; error: string }>;
  seconds: number;
}

export { defaultDb } from "./default-db.ts";

/**
 * The run was stopped by SIGINT/SIGTERM. The store is consistent: finished runs are done, the
 * interrupted ones stay 'running' with their checkpoints, and the next `al run` resumes them.
 */
export class RunInterrupted extends Error {
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`interrupted (${signal}); \`al run\` resumes where it stopped`);
  }
  /** The shell's convention: 128 + the signal number. */
  get exitCode(): number {
    return this.signal === "SIGINT" ? 130 : 143;
  }
}

/** The rounds of a run's plan beyond round 0. */
function plannedRounds(config: RunConfig, size: { pool: number; classes: number }): number {
  return planRun(config, size.pool, size.classes).batches.length;
}

export async function runExperiment(options: RunExperimentOptions): Promise<RunSummary> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const progress = options.progress ?? plainProgress(log);
  const file = options.file;
  const { spec, configs, label } = await selectGrid(file, options);

  // The backend first: a code-defined learner's body is built during the preflight, and on the
  // default cpu backend tfjs would print its "install tfjs-node" banner before a one-line error.
  const backend = await selectBackend({ force: options.backend, warn: log });
  // Read the data and check every plan against it before opening the store.
  const { checksums, readFrom, datasetSizes, warnings } = await preflight(configs, file);
  for (const warning of warnings) log(`warning: ${warning}`);

  const grid: RunJob[] = configs.map((config) => ({
    runId: options.reuse?.(config) ?? runId(config, { checksum: checksums.get(JSON.stringify(config.dataset))!, version, backend: backend.choice }),
    config,
    backend: backend.choice,
    // Workers load the file themselves for code-defined learners and samplers (load-plugins.ts).
    ...(usesCode(config) ? { experiment: { file: resolve(file), ...(options.profile !== undefined ? { profile: options.profile } : {}) } } : {}),
  }));
  const jobs = options.slice ? options.slice(grid) : grid;
  const output = options.output;

  const db = options.db ?? defaultDb;
  const checkpointDir = options.checkpointDir ?? (db === ":memory:" ? undefined : checkpointDirFor(db));
  for (const job of jobs) if (checkpointDir) job.checkpointDir = checkpointDir;
  const store = await openStore(db);
  // We hold the store's lock, so half-written checkpoints in its folder are from dead processes
  // (unless other processes share the folder: then only this host's dead ones and our own).
  const tempScope = options.sharedCheckpoints ? "shared" : "all";
  if (checkpointDir) removeTempFiles(checkpointDir, tempScope);
  const stop = new AbortController();
  let caught: "SIGINT" | "SIGTERM" | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const onSignal = (signal: "SIGINT" | "SIGTERM"): void => {
    if (caught) return;
    caught = signal;
    stop.abort();
    // Should a run not come to a stop soon (a long fit in this process), leave anyway: the
    // store is as consistent as after a kill -9, which resume handles.
    deadline = setTimeout(() => {
      if (checkpointDir) removeTempFiles(checkpointDir, tempScope);
      progress.close();
      process.stderr.write(`${new RunInterrupted(signal).message}\n`);
      process.exit(new RunInterrupted(signal).exitCode);
    }, 10_000).unref();
  };
  const handlers = { SIGINT: () => onSignal("SIGINT"), SIGTERM: () => onSignal("SIGTERM") };
  process.on("SIGINT", handlers.SIGINT);
  process.on("SIGTERM", handlers.SIGTERM);
  const summary: RunSummary = {
    experiment: spec.name,
    backend: backend.choice,
    total: jobs.length,
    reused: 0,
    done: 0,
    failed: 0,
    failures: [],
    seconds: 0,
  };
  try {
    // With --only the experiment keeps its full set of runs; only the work is restricted.
    const ids = grid.map((j) => j.runId);
    if (options.only) {
      const linked = await store.query("SELECT run_id FROM experiment_runs WHERE experiment = ?", [spec.name]);
      ids.push(...linked.map((r) => String(r.run_id)));
    }
    await store.saveExperiment(spec, options.recordedFile ?? file, ids);
    const statuses = await store.runStatuses(jobs.map((j) => j.runId));
    // A run done here but not yet written out (a kill between the two) is written now.
    const written = new Set<string>();
    if (output) {
      for (const j of jobs) {
        if (!(await output.has(j.runId))) {
          if (statuses.get(j.runId) === "done") await output.write(store, j.runId);
          else continue;
        }
        written.add(j.runId);
      }
    }
    const pending = jobs.filter((j) => statuses.get(j.runId) !== "done" && !written.has(j.runId));
    // A crash between storing "done" and deleting the checkpoint leaves it behind: tidy up.
    if (checkpointDir) for (const j of jobs) if (statuses.get(j.runId) === "done") await removeCheckpoint(checkpointDir, j.runId);
    summary.reused = jobs.length - pending.length;
    const workers = Math.max(1, options.workers ?? availableParallelism());
    progress.start({ experiment: spec.name, total: jobs.length, pending: pending.length, workers, backend: backend.choice });
    // customKernels: whether our wasm gradient kernels were registered (they shape the numbers too).
    const versions = { "al-lab": version, "@tensorflow/tfjs": tf.version_core, node: process.version, customKernels: String(backend.customKernels) };
    const lastMetrics = new Map<string, Record<string, number>>();
    const rounds = (job: RunJob): number => plannedRounds(job.config, datasetSizes.get(JSON.stringify(job.config.dataset))!);
    let begun = 0;
    await runJobs(pending, {
      workers,
      ...(options.warm ? { warm: options.warm } : {}),
      signal: stop.signal,
      onStart: async (job) => {
        const record = {
          runId: job.runId,
          experiment: spec.name,
          config: job.config,
          status: "running" as const,
          backend: job.backend,
          versions,
          host: hostname(),
          startedAt: new Date(),
          poolSize: datasetSizes.get(JSON.stringify(job.config.dataset))!.pool,
          testSize: datasetSizes.get(JSON.stringify(job.config.dataset))!.test,
          // The data as read here for the run id: the checksum the id hashes and its files.
          data: { checksum: checksums.get(JSON.stringify(job.config.dataset))!, files: readFrom.get(JSON.stringify(job.config.dataset))! },
        };
        begun++;
        const checkpoint = checkpointDir ? await readCheckpoint(checkpointDir, job.runId, log, { config: job.config, backend: job.backend }) : undefined;
        if (!checkpoint) {
          job.resume = false;
          await store.beginRun(record);
          progress.runStart({ id: job.runId, label: label(job.config), rounds: rounds(job) });
          return;
        }
        // Resume: the store may have missed rounds the worker checkpointed before a crash.
        await store.beginRun(record, { resume: true });
        const stored = new Set(await store.storedRounds(job.runId));
        for (const r of checkpoint.records) if (!stored.has(r.round)) await store.writeRound(r);
        job.resume = true;
        progress.runStart({ id: job.runId, label: label(job.config), rounds: rounds(job), resumedAfter: checkpoint.state.round });
      },
      onRound: async (job, record) => {
        lastMetrics.set(job.runId, record.metrics);
        await store.writeRound(record);
        progress.round({ id: job.runId, label: label(job.config), round: record.round, rounds: rounds(job), metrics: record.metrics });
        if (record.round === 1 && testHook("pause-after-round") && !stop.signal.aborted) {
          log(`AL_TEST_HOOK pause-after-round: paused after round 1 of ${job.runId}`);
          // A timer keeps the process alive while it waits (in process, nothing else would).
          const alive = setInterval(() => {}, 1000);
          await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
          clearInterval(alive);
        }
        if (record.round === 1 && begun === 2 && testHook("kill-after-round")) process.kill(process.pid, "SIGKILL");
        if (record.round === 1 && testHook("block-after-round") && !blocked) {
          blocked = true;
          log(`AL_TEST_HOOK block-after-round: blocking after round 1 of ${job.runId}`);
          blockEventLoop(BLOCK_MS, process.env.AL_TEST_BLOCK_UNTIL);
          log(`AL_TEST_HOOK block-after-round: unblocked`);
        }
      },
      onDone: async (job, seconds) => {
        // Never done with a gap: a run whose stored rounds do not match its plan fails instead,
        // and loses its checkpoint so that the next al run starts it over.
        const gap = (await runGaps(store, [job.runId])).get(job.runId);
        if (gap !== undefined) {
          const error = `its stored rounds are incomplete (${gap}); the next al run starts it over`;
          if (checkpointDir) await removeCheckpoint(checkpointDir, job.runId);
          await store.finishRun(job.runId, { status: "failed", finishedAt: new Date(), seconds, error });
          summary.failed++;
          summary.failures.push({ runId: job.runId, label: label(job.config), sampler: job.config.sampler.name, mode: job.config.mode, seed: job.config.seed, error });
          progress.runEnd({ id: job.runId, label: label(job.config), ok: false, seconds, detail: error });
          return;
        }
        await store.finishRun(job.runId, { status: "done", finishedAt: new Date(), seconds });
        // Written out before the checkpoint goes: a kill between the two leaves a resumable run
        // (a queue job picked up elsewhere continues from it), never a run with neither.
        await output?.write(store, job.runId);
        if (checkpointDir) await removeCheckpoint(checkpointDir, job.runId);
        summary.done++;
        const m = lastMetrics.get(job.runId) ?? {};
        const detail = Object.entries(m).slice(0, 2).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", ");
        progress.runEnd({ id: job.runId, label: label(job.config), ok: true, seconds, detail: `final ${detail}` });
      },
      onFailed: async (job, error) => {
        await store.finishRun(job.runId, { status: "failed", finishedAt: new Date(), seconds: 0, error });
        summary.failed++;
        summary.failures.push({ runId: job.runId, label: label(job.config), sampler: job.config.sampler.name, mode: job.config.mode, seed: job.config.seed, error });
        progress.runEnd({ id: job.runId, label: label(job.config), ok: false, seconds: 0, detail: error });
      },
    });
    if (caught) throw new RunInterrupted(caught);
    // Stopping rules, advice and curve summaries need the whole grid (random's runs, baselines),
    // so new runs re-analyse it all; so does any done run without its analysis (a kill during
    // this phase), which makes the phase idempotent. Every analysed run has a final_accuracy row.
    const missing = await store.query(
      `SELECT 1 FROM experiment_runs er JOIN runs r USING (run_id)
        WHERE er.experiment = ? AND r.status = 'done'
          AND NOT EXISTS (SELECT 1 FROM summaries s WHERE s.run_id = r.run_id AND s.name = 'final_accuracy') LIMIT 1`,
      [spec.name],
    );
    if (options.analyse !== false && (summary.done > 0 || missing.length > 0)) {
      if (testHook("kill-in-analysis")) process.kill(process.pid, "SIGKILL");
      await analyseExperiment(store, spec.name);
    }
    if (caught) throw new RunInterrupted(caught);
    // Maps of pools whose stored map is missing or stale (none after a run that added nothing).
    if (options.maps !== false) {
      progress.close(); // the bar is finished; map lines go to the log
      await saveSelectionMaps(store, spec.name, { log });
    }
    if (caught) throw new RunInterrupted(caught);
  } finally {
    process.off("SIGINT", handlers.SIGINT);
    process.off("SIGTERM", handlers.SIGTERM);
    clearTimeout(deadline);
    progress.close();
    await store.close();
    if (caught && checkpointDir) removeTempFiles(checkpointDir, tempScope);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
