/**
 * The uncertainty page's histograms file (histograms.parquet, written by src/data/histogram-rows.ts
 * histogramParquet) read back into the HistogramData the page draws from: one Parquet row per
 * run × round, grouped into runs in file order; bin edges and the skipped count from the file's
 * key-value metadata (stored once). Takes bytes, not a URL, so it stays pure: the page fetches.
 */
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { GRID_AXIS_NAMES, type AxisLabels } from "./grid-axes.js";
import type { HistogramData, HistogramRun } from "./uncertainty-histogram.js";

export const HISTOGRAM_EDGES_KEY = "al.histogram_edges";
export const HISTOGRAM_SKIPPED_KEY = "al.histogram_skipped";

export async function readHistograms(bytes: ArrayBuffer): Promise<HistogramData> {
  const kv = new Map((parquetMetadata(bytes).key_value_metadata ?? []).map((e) => [e.key, e.value]));
  const edgesText = kv.get(HISTOGRAM_EDGES_KEY);
  if (edgesText === undefined) throw new Error(`histograms.parquet: no "${HISTOGRAM_EDGES_KEY}" in the file's metadata; rebuild the site (the loader and page are out of step)`);
  const edges = JSON.parse(edgesText) as number[];
  const skipped = Number(kv.get(HISTOGRAM_SKIPPED_KEY) ?? 0);
  const rows = await parquetReadObjects({ file: bytes });
  const runs: HistogramRun[] = [];
  const byId = new Map<string, HistogramRun>();
  for (const row of rows) {
    const id = String(row.run_id);
    let run = byId.get(id);
    if (!run) {
      const axes = Object.fromEntries(GRID_AXIS_NAMES.map((a) => [a, String(row[a])])) as AxisLabels;
      run = { run_id: id, ...axes, sampler: String(row.sampler), mode: String(row.mode), seed: Number(row.seed), histograms: [] };
      byId.set(id, run);
      runs.push(run);
    }
    run.histograms.push({ round: Number(row.round), pool: counts(row.pool), batch: counts(row.batch) });
  }
  return { edges, runs, skipped };
}

function counts(value: unknown): number[] | null {
  return Array.isArray(value) ? value.map(Number) : null;
}
