/**
 * One experiment's stored uncertainty histograms (the `histograms` table: least confidence of
 * the unlabelled pool and of the selected batch, per run and round), shaped compactly for the
 * uncertainty page: the bin edges once, then per run its grid-axis labels and per round the
 * counts as plain arrays; `histogramParquet` writes that as the Parquet file the page reads. Not a
 * loader: `experiments/[experiment]/histograms.parquet.ts` calls it.
 */
import type { Store } from "../../lib/store/duckdb.ts";
import { GRID_AXIS_NAMES, gridAxisLabels } from "../components/grid-axes.ts";
import { HISTOGRAM_EDGES_KEY, HISTOGRAM_SKIPPED_KEY } from "../components/histogram-data.ts";
import type { HistogramData, HistogramRound, HistogramRun } from "../components/uncertainty-histogram.ts";
import { rowsParquet } from "./parquet-rows.ts";
import { num, parseStoredJson, text } from "./store-access.ts";

// Edges are sums of floats (lo + b × width): compare them with a tolerance.
const EDGE_TOLERANCE = 1e-9;

export async function histogramRows(store: Store, experiment: string): Promise<HistogramData> {
  const runs = await store.query(
    "SELECT r.run_id, r.config, r.sampler, r.mode, r.seed FROM experiment_runs er JOIN runs r USING (run_id) WHERE er.experiment = ? ORDER BY r.run_id",
    [experiment],
  );
  // Labels over all of the experiment's runs (baselines too), as rounds-table.ts does, so a run's labels match the rounds file's.
  const labels = gridAxisLabels(runs.map((r) => parseStoredJson(r.config)));
  const stored = await store.query(
    `SELECT h.run_id, h.round, h.target, list(h.count ORDER BY h.bin) AS counts, list(h.lo ORDER BY h.bin) AS lo, list(h.hi ORDER BY h.bin) AS hi
       FROM histograms h JOIN experiment_runs er USING (run_id)
      WHERE er.experiment = ? AND h.target IN ('pool', 'batch')
      GROUP BY h.run_id, h.round, h.target
      ORDER BY h.run_id, h.round, h.target`,
    [experiment],
  );
  const numbers = (value: unknown): number[] => (Array.isArray(value) ? value.map((v) => num(v) ?? 0) : []);
  const histograms = stored.map((h) => ({ runId: String(h.run_id), round: num(h.round) ?? 0, target: String(h.target) as "pool" | "batch", counts: numbers(h.counts), lo: numbers(h.lo), hi: numbers(h.hi) }));

  // The bins every run shares: the layout most histograms have (fixed ranges, so normally all).
  const layouts = new Map<string, { edges: number[]; n: number }>();
  for (const h of histograms) {
    const edges = [...h.lo, h.hi.at(-1) ?? 0];
    const key = edges.map((e) => e.toFixed(6)).join(",");
    const seen = layouts.get(key);
    if (seen) seen.n++;
    else layouts.set(key, { edges, n: 1 });
  }
  const edges = [...layouts.values()].sort((a, b) => b.n - a.n)[0]?.edges ?? [];
  // Shortest form of each edge in the JSON (0.15, not 0.15000000000000002).
  const shownEdges = edges.map((e) => Number(e.toPrecision(12)));
  const fits = (h: (typeof histograms)[number]): boolean =>
    h.counts.length === edges.length - 1 && h.lo.every((lo, i) => Math.abs(lo - edges[i]!) < EDGE_TOLERANCE && Math.abs(h.hi[i]! - edges[i + 1]!) < EDGE_TOLERANCE);

  const byRun = new Map<string, Map<number, HistogramRound>>();
  let skipped = 0;
  for (const h of histograms) {
    if (!fits(h)) {
      skipped++;
      continue;
    }
    const rounds = byRun.get(h.runId) ?? new Map<number, HistogramRound>();
    byRun.set(h.runId, rounds);
    const entry = rounds.get(h.round) ?? { round: h.round, pool: null, batch: null };
    rounds.set(h.round, entry);
    entry[h.target] = h.counts;
  }

  const out: HistogramRun[] = [];
  runs.forEach((r, i) => {
    const rounds = byRun.get(String(r.run_id));
    if (!rounds) return; // baselines and runs from before histograms were stored have none
    out.push({
      run_id: String(r.run_id),
      ...labels[i]!,
      sampler: text(r.sampler) ?? "—",
      mode: text(r.mode) ?? "—",
      seed: num(r.seed) ?? 0,
      histograms: [...rounds.values()].sort((a, b) => a.round - b.round),
    });
  });
  return { edges: shownEdges, runs: out, skipped };
}

/**
 * What histograms.parquet ships: one row per run × round (run id, grid-axis labels, sampler,
 * mode, seed, round, pool and batch counts as integer lists); the bin edges and the skipped count
 * once, in the file's key-value metadata. src/components/histogram-data.ts reads it back into
 * exactly `data`. As JSON this was 2.9 MB at 1,000 runs × 20 rounds; Parquet's delta-coded
 * integers and run-length-coded labels make it about a quarter of that (bench/site.bench.ts).
 */
export function histogramParquet(data: HistogramData): Promise<Uint8Array> {
  const columns: Record<string, string> = { run_id: "VARCHAR" };
  for (const axis of GRID_AXIS_NAMES) columns[axis] = "VARCHAR";
  Object.assign(columns, { sampler: "VARCHAR", mode: "VARCHAR", seed: "INTEGER", round: "INTEGER", pool: "INTEGER[]", batch: "INTEGER[]" });
  const rows = data.runs.flatMap(({ histograms, ...run }) => histograms.map((h) => ({ ...run, round: h.round, pool: h.pool, batch: h.batch })));
  return rowsParquet(rows, { columns, metadata: { [HISTOGRAM_EDGES_KEY]: JSON.stringify(data.edges), [HISTOGRAM_SKIPPED_KEY]: String(data.skipped) } });
}
