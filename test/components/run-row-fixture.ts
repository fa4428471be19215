/**
 * RunRow fixtures (src/components/runs-table.ts) shared by the runs-table and phase-times tests:
 * a done random run with every field set, which each test overrides where it matters.
 */
import { GRID_AXIS_NAMES, type AxisLabels } from "../../src/components/grid-axes.ts";
import type { RunRow } from "../../src/components/runs-table.ts";

/** Every grid axis "—" (not varied) but the data set and the initial size. */
export const axes = (dataset: string, initial = "—"): AxisLabels => ({ ...(Object.fromEntries(GRID_AXIS_NAMES.map((a) => [a, "—"])) as AxisLabels), dataset, initial });

export function runRow(over: Partial<RunRow> & { run_id: string }): RunRow {
  return {
    ...axes("d1"),
    sampler: "random",
    mode: "retrain",
    seed: 1,
    kind: "al",
    baseline_percent: null,
    status: "done",
    error: null,
    backend: "wasm",
    versions: { "al-lab": "0.1.0" },
    host: "h",
    started_at: "2026-01-01T00:00:00.000Z",
    finished_at: "2026-01-01T00:00:02.000Z",
    seconds: 2,
    data_checksum: "abc",
    data_files: [],
    config: { sampler: { name: "random" }, seed: 1 },
    stored_rounds: 3,
    train_seconds: 1,
    score_seconds: 0.25,
    select_seconds: 0.125,
    evaluate_seconds: 0.5,
    reference_seconds: null,
    ...over,
  };
}
