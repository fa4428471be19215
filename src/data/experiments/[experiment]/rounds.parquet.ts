/**
 * Data loader (Framework parameterised route): one experiment's rounds as Parquet, one row per
 * run × round with every grid axis as a text column (see src/components/grid-axes.ts), sampler,
 * mode, seed, kind/baseline, every stored metric as its own column and the per-phase seconds.
 * Called as `rounds.parquet.ts --experiment=<name>`; reads the store only (the quickstart is run
 * first when missing, as on a fresh `npm start`).
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { roundsParquet } = await import("../../rounds-table.ts");
const experiment = await loaderExperiment("rounds.parquet");
process.stdout.write(await readStore((store) => roundsParquet(store, experiment)));
