/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's stored analysis as JSON —
 * per active-learning run its grid axes, stopping-rule results and the advisor's messages, plus
 * what each diagnostic and rule means (src/data/analysis-rows.ts). Reads the store only; the
 * runs' stopping and advice lists are empty until `al run` has analysed them.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { experiment: { type: "string" } }, strict: false });
const experiment = typeof values.experiment === "string" ? values.experiment : "";
if (!experiment) throw new Error("analysis.json.ts: missing --experiment=<name> (Framework passes it for src/data/experiments/<name>/analysis.json)");

const { QUICKSTART, ensureQuickstart, readStore } = await import("../../store-access.ts");
const { analysisRows } = await import("../../analysis-rows.ts");
if (experiment === QUICKSTART) await ensureQuickstart();
process.stdout.write(JSON.stringify(await readStore((store) => analysisRows(store, experiment))));
