/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's uncertainty histograms
 * (pool and selected batch per run and round) as compact JSON: bin edges once, counts as arrays
 * (src/data/histogram-rows.ts). Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { experiment: { type: "string" } }, strict: false });
const experiment = typeof values.experiment === "string" ? values.experiment : "";
if (!experiment) throw new Error("histograms.json.ts: missing --experiment=<name> (Framework passes it for src/data/experiments/<name>/histograms.json)");

const { QUICKSTART, ensureQuickstart, readStore } = await import("../../store-access.ts");
const { histogramRows } = await import("../../histogram-rows.ts");
if (experiment === QUICKSTART) await ensureQuickstart();
process.stdout.write(JSON.stringify(await readStore((store) => histogramRows(store, experiment))));
