/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's selection-map picks as
 * Parquet, a row per run × round with the pool rows as a sorted integer list and the rank order
 * of its first picks (src/data/selection-picks.ts); selections.json.ts ships the pools. Reads the
 * store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { readSelections } = await import("../../selection-map.ts");
const { selectionPickRows, selectionPicksParquet } = await import("../../selection-picks.ts");
const experiment = await loaderExperiment("selections.parquet");
const stored = await readStore((store) => readSelections(store, experiment));
process.stdout.write(await selectionPicksParquet(selectionPickRows(stored)));
