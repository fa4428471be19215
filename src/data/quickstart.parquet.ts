/**
 * Data loader: the quickstart's rounds as Parquet (one row per run × round, metrics as
 * columns). Runs the experiment first when the store lacks some of its runs, so a fresh
 * `npm run build` works; after `al run` it only reads, and while `al run` is writing the store
 * it reads the store's snapshot (what is done so far) without running anything. Env: AL_DB (store, default
 * results/al.duckdb), AL_PROFILE (e.g. "ci" for the small grid the tests use).
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { ensureExperiment } = await import("../../lib/runner/ensure.ts");
const { openStore } = await import("../../lib/store/duckdb.ts");
const { roundsParquetBytes } = await import("../../lib/store/export.ts");

const db = process.env.AL_DB ?? "results/al.duckdb";
await ensureExperiment({
  file: "experiments/quickstart.ts",
  db,
  profile: process.env.AL_PROFILE || undefined,
  log: (line: string) => process.stderr.write(line + "\n"),
});
// While a grid holds the store, read its snapshot: a build never waits on a running grid.
const store = await openStore(db, { readOnly: true, snapshotFallback: { notice: (line) => void process.stderr.write(line + "\n") } });
try {
  process.stdout.write(await roundsParquetBytes(store, { experiment: "quickstart" }));
} finally {
  await store.close();
}
