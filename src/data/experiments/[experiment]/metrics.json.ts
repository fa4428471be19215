/**
 * Data loader (parameterised like rounds.parquet.ts): for each metric one experiment stores, which
 * way is better (src/data/metric-directions.ts, from lib/al/metrics' catalogue), as JSON.
 * Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { metricDirections } = await import("../../metric-directions.ts");
const experiment = await loaderExperiment("metrics.json");
process.stdout.write(JSON.stringify(await readStore((store) => metricDirections(store, experiment))));
