/**
 * Data loader: the Rankings page's rows (src/data/ranking-rows.ts): one per done AL run of every
 * stored experiment, with its grid-axis labels and the area and final value of each ranked
 * metric. Reads the store only; runs the quickstart first when the store lacks it.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { ensureQuickstart, readStore } = await import("./store-access.ts");
const { rankingRows } = await import("./ranking-rows.ts");
await ensureQuickstart();
process.stdout.write(JSON.stringify(await readStore(rankingRows)));
