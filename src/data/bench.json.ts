/**
 * Data loader: the bench history — one row per case per `npm run bench` run kept in
 * results/bench/*.json (env AL_BENCH_OUT), with its headline ratio and min–max; files that are
 * not bench results are listed, not fatal. Reads those files only.
 */
console.log = console.error;
const { readBenchHistory } = await import("./bench-rows.ts");
const history = readBenchHistory();
for (const line of history.skipped) process.stderr.write(`bench history: skipped ${line}\n`);
process.stdout.write(JSON.stringify(history));
