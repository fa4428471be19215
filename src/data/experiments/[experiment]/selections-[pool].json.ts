/**
 * Data loader (parameterised like rounds.parquet.ts, and by pool: Framework passes
 * `--experiment=<name> --pool=<k>`): one pool's selection map as JSON, projected to 2-D once,
 * thumbnails for image sets, its runs' fields and the list of the experiment's pools (one page
 * each) (src/data/selection-map.ts); the picks themselves are selections-[pool].parquet.ts's (the
 * page joins the two with src/components/selection-picks.ts). One pool per page keeps a page's
 * data near one pool's size however many data sets a grid has. Reads the store only: the map is
 * the one `al run` stored while it is current; only a pool without one is loaded (with the runs'
 * own loader) and projected here.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { loaderExperiment, loaderPool, readStore } = await import("../../store-access.ts");
const { buildSelectionMap, readSelections, selectionPools } = await import("../../selection-map.ts");
const experiment = await loaderExperiment("selections-[pool].json");
const pool = loaderPool("selections-[pool].json");
// The store is closed before any data set is read.
const stored = await readStore((store) => readSelections(store, experiment, { pool }));
const log = (line: string): void => void process.stderr.write(line + "\n");
process.stdout.write(JSON.stringify(selectionPools(await buildSelectionMap(stored, { log }))));
