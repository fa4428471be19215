/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's stored analysis as JSON —
 * per active-learning run its grid axes, stopping-rule results and the advisor's messages, plus
 * what each diagnostic and rule means (src/data/analysis-rows.ts), packed by packAnalysis. Reads the store only; the
 * runs' stopping and advice lists are empty until `al run` has analysed them.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { analysisRows, packAnalysis } = await import("../../analysis-rows.ts");
const experiment = await loaderExperiment("analysis.json");
// Packed (tuples, each advice text once); the page unpacks it (src/components/analysis-data.ts).
process.stdout.write(JSON.stringify(packAnalysis(await readStore((store) => analysisRows(store, experiment)))));
