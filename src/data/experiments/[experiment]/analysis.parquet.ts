/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's stored analysis, second
 * half — every run's stopping-rule rows and advisor messages, a Parquet row each, in the analysis
 * order (src/data/analysis-rows.ts, packAnalysis and analysisEntriesParquet). Empty until `al run`
 * has analysed the runs. Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { analysisEntriesParquet, analysisRows, packAnalysis } = await import("../../analysis-rows.ts");
const experiment = await loaderExperiment("analysis.parquet");
process.stdout.write(await analysisEntriesParquet(packAnalysis(await readStore((store) => analysisRows(store, experiment))).entries));
