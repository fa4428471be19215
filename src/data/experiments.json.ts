/**
 * Data loader: every experiment in the store, as JSON for the home page and each report's setup
 * block (name, description, data sets, learners, samplers, modes, seeds, runs done/failed,
 * backends, versions, last update, total compute seconds, the setup from the stored spec). Runs
 * the quickstart first when the store lacks it, so a fresh `npm start` has something to show.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
const { ensureQuickstart, readStore } = await import("./store-access.ts");
const { experimentsSummary } = await import("./experiments-summary.ts");
await ensureQuickstart();
process.stdout.write(JSON.stringify(await readStore(experimentsSummary)));
