/**
 * Data loader (parameterised like rounds.parquet.ts): one experiment's runs as JSON: config,
 * provenance, status and error, per-phase seconds summed over rounds (src/data/run-rows.ts).
 * Reads the store only.
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { experiment: { type: "string" } }, strict: false });
const experiment = typeof values.experiment === "string" ? values.experiment : "";
if (!experiment) throw new Error("runs.json.ts: missing --experiment=<name> (Framework passes it for src/data/experiments/<name>/runs.json)");

const { QUICKSTART, ensureQuickstart, readStore } = await import("../../store-access.ts");
const { runRows } = await import("../../run-rows.ts");
if (experiment === QUICKSTART) await ensureQuickstart();
process.stdout.write(JSON.stringify(await readStore((store) => runRows(store, experiment))));
