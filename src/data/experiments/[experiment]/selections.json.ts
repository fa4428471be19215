/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's selection-map pools as
 * JSON, each distinct pool projected to 2-D once, thumbnails for image sets, and the runs' fields
 * (src/data/selection-map.ts); the picks themselves are selections.parquet.ts's (the page joins
 * the two with src/components/selection-picks.ts). Reads the store only: each pool's map is the
 * one `al run` stored while it is current; only a pool without one is loaded (with the runs' own
 * loader) and projected here.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, readStore } = await import("../../store-access.ts");
const { buildSelectionMap, readSelections, selectionPools } = await import("../../selection-map.ts");
const experiment = await loaderExperiment("selections.json");
// The store is closed before any data set is read.
const stored = await readStore((store) => readSelections(store, experiment));
const log = (line: string): void => void process.stderr.write(line + "\n");
process.stdout.write(JSON.stringify(selectionPools(await buildSelectionMap(stored, { log }))));
