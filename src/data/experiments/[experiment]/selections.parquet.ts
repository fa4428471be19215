/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's selection-map picks as
 * Parquet, a row per run × round with the pool rows as a sorted integer list and the rank order
 * of its first picks (src/data/selection-picks.ts), for the runs whose pool gets a map;
 * selections.json.ts ships the pools. Reads the store only, and the data sets (to know which pools
 * get a map) with the runs' own loader when `al run` stored no current map for them.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { mappedRuns, readSelections } = await import("../../selection-map.ts");
const { selectionPickRows, selectionPicksParquet } = await import("../../selection-picks.ts");
const experiment = await loaderExperiment("selections.parquet");
const stored = await readStore((store) => readSelections(store, experiment));
// Picks only for runs whose pool gets a map (its data set loads here and fits the picks), as
// selections.json shipped them: the rest have no points to draw them on.
const mapped = await mappedRuns(stored);
process.stdout.write(await selectionPicksParquet(selectionPickRows({ ...stored, runs: stored.runs.filter((r) => mapped.has(r.run_id)) })));
