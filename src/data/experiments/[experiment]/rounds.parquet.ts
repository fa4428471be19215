/**
 * Data loader (Framework parameterised route): one experiment's rounds as Parquet, one row per
 * run × round with every grid axis as a text column (see src/components/grid-axes.ts), sampler,
 * mode, seed, kind/baseline, every stored metric as its own column and the per-phase seconds.
 * Called as `rounds.parquet.ts --experiment=<name>`; reads the store only (the quickstart is run
 * first when missing, as on a fresh `npm start`).
 */
// tfjs and native bindings may print with console.log; stdout is the data, so send it to stderr.
console.log = console.error;
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { experiment: { type: "string" } }, strict: false });
const experiment = typeof values.experiment === "string" ? values.experiment : "";
if (!experiment) throw new Error("rounds.parquet.ts: missing --experiment=<name> (Framework passes it for src/data/experiments/<name>/rounds.parquet)");

const { QUICKSTART, ensureQuickstart, readStore } = await import("../../store-access.ts");
const { roundsParquet } = await import("../../rounds-table.ts");
if (experiment === QUICKSTART) await ensureQuickstart();
process.stdout.write(await readStore((store) => roundsParquet(store, experiment)));
