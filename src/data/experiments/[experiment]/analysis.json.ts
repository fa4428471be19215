/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's stored analysis, first
 * half — per active-learning run its grid axes, sampler, mode, seed and status, plus what each
 * diagnostic and rule means (src/data/analysis-rows.ts, packAnalysis). The runs' stopping rows
 * and advice are in analysis.parquet.ts; the page joins the two (src/components/analysis-data.ts).
 * Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { analysisRows, packAnalysis } = await import("../../analysis-rows.ts");
const experiment = await loaderExperiment("analysis.json");
process.stdout.write(JSON.stringify(packAnalysis(await readStore((store) => analysisRows(store, experiment))).json));
