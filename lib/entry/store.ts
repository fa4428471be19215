/**
 * `al-lab/store`: open a results store (a DuckDB file) and read its runs and rounds, or export
 * them. Readers pass `{ readOnly: true }`; several read-only processes may share a file.
 */
export { openStore, StoreLockedError } from "../store/duckdb.ts";
export type { Store, OpenStoreOptions, RoundsRow, RunOutcome, Row, Cell, SqlParam, StoreFilter, SnapshotSource } from "../store/duckdb.ts";
export { exportParquet, roundsParquetBytes, type ExportOptions, type ExportFormat, type ExportedFiles } from "../store/export.ts";
export type { RoundRecord, RunRecord, RunStatus, Histogram, TrainingMode } from "../al/records.ts";
