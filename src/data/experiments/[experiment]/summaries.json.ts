/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's stored curve summaries
 * (aulc_accuracy, final_accuracy, gap_to_baseline, …) per run, with the run's grid axes, as JSON.
 * Reads the store only; empty when `al run` has not analysed the runs yet.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { experiment: { type: "string" } }, strict: false });
const experiment = typeof values.experiment === "string" ? values.experiment : "";
if (!experiment) throw new Error("summaries.json.ts: missing --experiment=<name> (Framework passes it for src/data/experiments/<name>/summaries.json)");

const { QUICKSTART, ensureQuickstart, readStore } = await import("../../store-access.ts");
const { summaryRows } = await import("../../rounds-table.ts");
if (experiment === QUICKSTART) await ensureQuickstart();
process.stdout.write(JSON.stringify(await readStore((store) => summaryRows(store, experiment))));
