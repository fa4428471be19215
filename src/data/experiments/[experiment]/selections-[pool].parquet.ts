/**
 * Data loader (parameterised like selections-[pool].json.ts): one pool's picks as Parquet, a row
 * per run × round with the pool rows as a sorted integer list and the rank order of its first
 * picks (src/data/selection-picks.ts), for the pool's runs when the pool gets a map. Reads the
 * store only, and the data set (to know whether the pool gets a map) with the runs' own loader
 * when `al run` stored no current map for it.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, loaderPool, readStore } = await import("../../store-access.ts");
const { mappedRuns, readSelections } = await import("../../selection-map.ts");
const { selectionPickRows, selectionPicksParquet } = await import("../../selection-picks.ts");
const experiment = await loaderExperiment("selections-[pool].parquet");
const pool = loaderPool("selections-[pool].parquet");
const stored = await readStore((store) => readSelections(store, experiment, { pool }));
// Picks only when the pool gets a map (a stored one, or its data set loads here and fits the
// picks), as the JSON ships it: otherwise there are no points to draw them on.
const mapped = await mappedRuns(stored);
process.stdout.write(await selectionPicksParquet(selectionPickRows({ ...stored, runs: stored.runs.filter((r) => mapped.has(r.run_id)) })));
