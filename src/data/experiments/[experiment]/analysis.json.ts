/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's stored analysis as JSON —
 * per active-learning run its grid axes, stopping-rule results and the advisor's messages, plus
 * what each diagnostic and rule means (src/data/analysis-rows.ts). Reads the store only; the
 * runs' stopping and advice lists are empty until `al run` has analysed them.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { analysisRows } = await import("../../analysis-rows.ts");
const experiment = await loaderExperiment("analysis.json");
process.stdout.write(JSON.stringify(await readStore((store) => analysisRows(store, experiment))));
