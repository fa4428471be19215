/**
 * For data loaders: make sure an experiment's runs are in the store, running only what it lacks,
 * so a site build after `al run` is a store read. What a build guarantees (README "The report
 * site"):
 *
 * - It never recomputes a run stored under another backend. A run id includes the backend
 *   (lib/experiments/id.ts), but for a build a cell counts as present when a finished run of it is
 *   stored under any backend: that run is reused and the log says so.
 * - It never writes the store when nothing is lacking: the check is a read-only open, so a build
 *   after `al run` leaves the file byte-identical (the experiment's `updated_at` included).
 * - It never waits on a running grid: when another process holds the store, nothing is run and
 *   the loader reads the store's snapshot (openStore's snapshotFallback) instead.
 *
 * Only when a cell has no finished run under any backend does it call runExperiment, which runs
 * those cells (under this machine's backend) and links the reused ones.
 */
import { existsSync } from "node:fs";
import { backendChoices, type BackendChoice } from "../backend/select.ts";
import { loadExperiment } from "../experiments/define.ts";
import { expandExperiment, matchesRule } from "../experiments/grid.ts";
import { runId } from "../experiments/id.ts";
import type { RunConfig } from "../experiments/spec.ts";
import { openStore, StoreLockedError } from "../store/duckdb.ts";
import { version } from "../version.ts";
import { defaultDb } from "./default-db.ts";
import { preflight } from "./preflight.ts";
import { runExperiment, type RunExperimentOptions, type RunSummary } from "./run-experiment.ts";

/** What the store holds for one experiment, found without writing it. */
export interface StoredState {
  /** Per grid cell (in grid order): the finished run to reuse, if any, and its backend. */
  cells: Array<{ config: RunConfig; stored?: { runId: string; backend: BackendChoice } }>;
  /** Whether the experiment row exists and links every reused run. */
  linked: boolean;
  /** Whether some reused run lacks its analysis (a kill during al run's analysis phase). */
  unanalysed: boolean;
}

/** The run id of `config` under each backend, in backendChoices order. */
function candidateIds(config: RunConfig, checksum: string): Array<{ runId: string; backend: BackendChoice }> {
  return backendChoices.map((backend) => ({ runId: runId(config, { checksum, version, backend }), backend }));
}

/**
 * Reads (read-only, no snapshot) which cells of the experiment are stored as finished runs
 * under any backend, preferring a run the experiment already links, then backendChoices order.
 * Throws StoreLockedError while a writer holds the store, unless `snapshot` lets it read the
 * writer's snapshot.
 */
export async function storedState(
  db: string,
  experiment: string,
  configs: readonly RunConfig[],
  checksums: ReadonlyMap<string, string>,
  options: { snapshot?: { notice: (line: string) => void } } = {},
): Promise<StoredState> {
  const candidates = configs.map((config) => candidateIds(config, checksums.get(JSON.stringify(config.dataset))!));
  // A reader that only publishes (al reproduce --no-run) may read the writer's snapshot instead.
  const store = await openStore(db, { readOnly: true, ...(options.snapshot ? { snapshotFallback: options.snapshot } : {}) });
  try {
    const ids = candidates.flat().map((c) => c.runId);
    const done = new Set(
      (await store.query("SELECT run_id FROM runs WHERE status = 'done' AND run_id IN (SELECT unnest(string_split(?, ',')))", [ids.join(",")])).map((r) =>
        String(r.run_id),
      ),
    );
    const links = new Set((await store.query("SELECT run_id FROM experiment_runs WHERE experiment = ?", [experiment])).map((r) => String(r.run_id)));
    const exists = (await store.query("SELECT 1 FROM experiments WHERE name = ?", [experiment])).length > 0;
    const analysed = new Set(
      (await store.query("SELECT run_id FROM summaries WHERE name = 'final_accuracy' AND run_id IN (SELECT unnest(string_split(?, ',')))", [ids.join(",")])).map((r) =>
        String(r.run_id),
      ),
    );
    const cells = configs.map((config, i) => {
      const finished = candidates[i]!.filter((c) => done.has(c.runId));
      const stored = finished.find((c) => links.has(c.runId)) ?? finished[0];
      return stored ? { config, stored } : { config };
    });
    const reused = cells.flatMap((c) => (c.stored ? [c.stored.runId] : []));
    return { cells, linked: exists && reused.every((id) => links.has(id)), unanalysed: reused.some((id) => !analysed.has(id)) };
  } finally {
    await store.close();
  }
}

/** "8 under cpu", "6 under cpu and 2 under wasm". */
function byBackend(cells: StoredState["cells"]): string {
  const counts = new Map<string, number>();
  for (const c of cells) if (c.stored) counts.set(c.stored.backend, (counts.get(c.stored.backend) ?? 0) + 1);
  return [...counts].map(([b, n]) => `${n} under backend ${b}`).join(" and ");
}

/** The summary of what ran (or was reused), or undefined when the store was busy and nothing ran. */
export async function ensureExperiment(options: RunExperimentOptions): Promise<RunSummary | undefined> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const db = options.db ?? defaultDb;
  const busy = (error: StoreLockedError): undefined => {
    const who = error.pid === undefined ? "another process" : `pid ${error.pid}`;
    log(`${db} is being written by ${who}; running nothing, reading what it has stored so far`);
    return undefined;
  };

  let reuse: RunExperimentOptions["reuse"];
  if (db !== ":memory:" && existsSync(db)) {
    const started = performance.now();
    const spec = await loadExperiment(options.file, options.profile);
    let configs = expandExperiment(spec, options.file);
    if (options.only && Object.keys(options.only).length > 0) configs = configs.filter((c) => matchesRule(c, options.only!));
    const { checksums } = await preflight(configs, options.file);
    let state: StoredState;
    try {
      state = await storedState(db, spec.name, configs, checksums);
    } catch (error) {
      if (error instanceof StoreLockedError) return busy(error);
      // An unreadable or older store: runExperiment opens it for writing and says what is wrong.
      state = { cells: configs.map((config) => ({ config })), linked: false, unanalysed: true };
    }
    const stored = state.cells.filter((c) => c.stored);
    const first = stored[0]?.stored;
    if (first && stored.length === state.cells.length && state.linked && !state.unanalysed) {
      log(`${spec.name}: all ${stored.length} runs are stored (${byBackend(state.cells)}); reusing them, running nothing`);
      return {
        experiment: spec.name,
        backend: first.backend,
        total: state.cells.length,
        reused: stored.length,
        done: 0,
        failed: 0,
        failures: [],
        seconds: (performance.now() - started) / 1000,
      };
    }
    if (stored.length > 0) {
      const missing = state.cells.length - stored.length;
      log(`${spec.name}: reusing ${stored.length} stored runs (${byBackend(state.cells)}); ${missing > 0 ? `running the ${missing} the store lacks` : "completing the experiment's record"}`);
      const ids = new Set(stored.map((c) => c.stored!.runId));
      reuse = (config) => candidateIds(config, checksums.get(JSON.stringify(config.dataset))!).find((c) => ids.has(c.runId))?.runId;
    }
  }

  let summary: RunSummary;
  try {
    summary = await runExperiment({ ...options, ...(reuse ? { reuse } : {}) });
  } catch (error) {
    if (!(error instanceof StoreLockedError)) throw error;
    return busy(error);
  }
  if (summary.failed > 0) {
    const first = summary.failures[0]!;
    throw new Error(`${summary.failed} of ${summary.total} runs failed; first: ${first.sampler} ${first.mode} seed ${first.seed}: ${first.error}`);
  }
  return summary;
}
