/**
 * One experiment's runs for the Runs page: each run's config, provenance (backend, versions,
 * host, data checksum and files), status and error message, and its per-phase seconds summed
 * over its stored rounds. Not a loader: `experiments/[experiment]/runs.json.ts` calls it.
 */
import type { Store } from "../../lib/store/duckdb.ts";
import { gridAxisLabels } from "../components/grid-axes.ts";
import { PHASES, type RunRow } from "../components/runs-table.ts";
import { num, parseStoredJson, text } from "./store-access.ts";

export async function runRows(store: Store, experiment: string): Promise<RunRow[]> {
  const sums = PHASES.map((p) => `sum(ro.${p}_seconds) AS ${p}_seconds`).join(", ");
  const runs = await store.query(
    `SELECT r.run_id, r.config, r.sampler, r.mode, r.seed, r.status, r.error, r.backend, r.versions, r.host,
            r.started_at, r.finished_at, r.seconds, r.data_checksum, r.data_files,
            json_extract(r.config, '$.baseline.percent')::DOUBLE AS baseline_percent,
            count(ro.round) AS stored_rounds, ${sums}
       FROM experiment_runs er JOIN runs r USING (run_id) LEFT JOIN rounds ro ON ro.run_id = r.run_id
      WHERE er.experiment = ?
      GROUP BY ALL
      ORDER BY r.run_id`,
    [experiment],
  );
  const configs = runs.map((r) => parseStoredJson(r.config));
  const labels = gridAxisLabels(configs);
  return runs.map((r, i) => {
    const config = configs[i];
    const baseline = num(r.baseline_percent);
    const phases = Object.fromEntries(PHASES.map((p) => [`${p}_seconds`, num(r[`${p}_seconds`])])) as Pick<RunRow, `${(typeof PHASES)[number]}_seconds`>;
    return {
      run_id: String(r.run_id),
      ...labels[i]!,
      sampler: text(r.sampler) ?? "—",
      mode: text(r.mode) ?? "—",
      seed: num(r.seed),
      kind: isRecord(config) && config.baseline !== undefined ? "baseline" : "al",
      baseline_percent: baseline,
      status: text(r.status) ?? "unknown",
      error: text(r.error),
      backend: text(r.backend),
      versions: stringRecord(parseStoredJson(r.versions)),
      host: text(r.host),
      started_at: text(r.started_at),
      finished_at: text(r.finished_at),
      seconds: num(r.seconds),
      data_checksum: text(r.data_checksum),
      data_files: parseStoredJson(r.data_files) ?? null,
      config: config ?? null,
      stored_rounds: num(r.stored_rounds) ?? 0,
      ...phases,
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Versions are {package: version}; anything else (a run stored before, a bad value) is null. */
function stringRecord(value: unknown): Record<string, string> | null {
  if (!isRecord(value)) return null;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
