/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's selection maps as JSON,
 * each distinct pool projected to 2-D once, every run's picks per round as indices into its
 * points, thumbnails for image sets (src/data/selection-map.ts). Reads the store only, and the
 * data sets with the runs' own loader.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { buildSelectionMap, readSelections } = await import("../../selection-map.ts");
const experiment = await loaderExperiment("selections.json");
// The store is closed before any data set is read.
const stored = await readStore((store) => readSelections(store, experiment));
const log = (line: string): void => void process.stderr.write(line + "\n");
process.stdout.write(JSON.stringify(await buildSelectionMap(stored, { log })));
