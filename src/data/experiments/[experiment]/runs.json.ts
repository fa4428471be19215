/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's runs as JSON: config,
 * provenance, status and error, per-phase seconds summed over rounds (src/data/run-rows.ts).
 * Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { runRows } = await import("../../run-rows.ts");
const experiment = await loaderExperiment("runs.json");
process.stdout.write(JSON.stringify(await readStore((store) => runRows(store, experiment))));
