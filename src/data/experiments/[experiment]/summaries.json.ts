/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's stored curve summaries
 * (aulc_accuracy, final_accuracy, gap_to_baseline, …) per run, with the run's grid axes, as JSON.
 * Reads the store only; empty when `al run` has not analysed the runs yet.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { summaryRows } = await import("../../rounds-table.ts");
const experiment = await loaderExperiment("summaries.json");
process.stdout.write(JSON.stringify(await readStore((store) => summaryRows(store, experiment))));
