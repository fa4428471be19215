/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's uncertainty histograms
 * (pool and selected batch per run and round) as Parquet: a row per run × round with the counts
 * as integer lists, the bin edges once in the file's metadata (src/data/histogram-rows.ts,
 * histogramParquet; the page reads it with src/components/histogram-data.ts). Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { histogramParquet, histogramRows } = await import("../../histogram-rows.ts");
const experiment = await loaderExperiment("histograms.parquet");
process.stdout.write(await histogramParquet(await readStore((store) => histogramRows(store, experiment))));
