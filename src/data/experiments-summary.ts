/**
 * What the store holds, one entry per experiment: the home page's list and the report pages'
 * setup blocks. Not a loader: `experiments.json.ts` calls it. Reads only.
 */
import type { Store } from "../../lib/store/duckdb.ts";
import { gridAxisLabels } from "../components/grid-axes.ts";
import type { ExperimentSummary } from "../components/experiment-list.ts";
import { num, parseStoredJson, text } from "./store-access.ts";

export async function experimentsSummary(store: Store): Promise<ExperimentSummary[]> {
  const experiments = await store.query("SELECT name, spec, file, updated_at FROM experiments ORDER BY name");
  const out: ExperimentSummary[] = [];
  for (const e of experiments) {
    const name = String(e.name);
    const runs = await store.query(
      `SELECT r.run_id, r.config, r.sampler, r.mode, r.seed, r.status, r.backend, r.versions, r.seconds,
              r.pool_size, r.test_size, r.finished_at, r.started_at
         FROM experiment_runs er JOIN runs r USING (run_id) WHERE er.experiment = ? ORDER BY r.run_id`,
      [name],
    );
    const configs = runs.map((r) => parseStoredJson(r.config));
    const labels = gridAxisLabels(configs);
    const spec = parseStoredJson(e.spec) as Record<string, unknown> | undefined;
    const distinct = <T>(values: T[]): T[] => [...new Set(values)];
    const sorted = (values: (string | null)[]) => distinct(values.filter((v): v is string => v !== null)).sort();
    const datasets = new Map<string, { label: string; pool: number | null; test: number | null }>();
    runs.forEach((r, i) => {
      const label = labels[i]!.dataset;
      if (!datasets.has(label)) datasets.set(label, { label, pool: num(r.pool_size), test: num(r.test_size) });
    });
    const learners = new Map<string, { label: string; options: string }>();
    configs.forEach((c, i) => {
      const label = labels[i]!.learner;
      const ref = (c as { learner?: { options?: unknown } } | undefined)?.learner;
      if (!learners.has(label)) learners.set(label, { label, options: JSON.stringify(ref?.options ?? {}) });
    });
    // Setup values from the AL runs: a naive baseline is one fit (initial = its share of the pool).
    const al = labels.filter((_, i) => !(configs[i] as { baseline?: unknown } | undefined)?.baseline);
    const status = (s: string) => runs.filter((r) => r.status === s).length;
    const versions = distinct(runs.map((r) => text(r.versions)).filter((v): v is string => v !== null));
    const last = [text(e.updated_at), ...runs.map((r) => text(r.finished_at))].filter((v): v is string => v !== null).sort().at(-1) ?? null;
    out.push({
      name,
      description: typeof spec?.description === "string" ? spec.description : "",
      file: text(e.file),
      datasets: [...datasets.values()],
      learners: [...learners.values()],
      samplers: sorted(runs.filter((_, i) => !(configs[i] as { baseline?: unknown } | undefined)?.baseline).map((r) => text(r.sampler))),
      modes: sorted(runs.map((r) => text(r.mode))),
      seeds: distinct(runs.map((r) => num(r.seed)).filter((v): v is number => v !== null)).sort((a, b) => a - b),
      runs: { total: runs.length, done: status("done"), failed: status("failed"), running: status("running") },
      backends: sorted(runs.map((r) => text(r.backend))),
      versions: versions.map((v) => parseStoredJson(v)).filter((v): v is Record<string, string> => typeof v === "object" && v !== null),
      updated: last,
      computeSeconds: runs.reduce((a, r) => a + (num(r.seconds) ?? 0), 0),
      setup: {
        initial: labelsOf(al.map((l) => l.initial)),
        acquisition: labelsOf(al.map((l) => l.acquisition)),
        rounds: labelsOf(al.map((l) => l.rounds)),
        budget: labelsOf(al.map((l) => l.budget)),
        epochs: labelsOf(al.map((l) => l.epochs)),
        baselines: Array.isArray(spec?.baselines) ? (spec.baselines as unknown[]).map(Number) : [],
      },
    });
  }
  return out;
}

function labelsOf(values: string[]): string[] {
  return [...new Set(values)].filter((v) => v !== "—").sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}
