/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's uncertainty histograms
 * (pool and selected batch per run and round) as compact JSON: bin edges once, counts as arrays
 * (src/data/histogram-rows.ts). Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { histogramRows } = await import("../../histogram-rows.ts");
const experiment = await loaderExperiment("histograms.json");
process.stdout.write(JSON.stringify(await readStore((store) => histogramRows(store, experiment))));
