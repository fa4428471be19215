/**
 * Data loader: one reproduction page's data (src/data/reproduction-data.ts) — our shipped
 * numbers beside the paper's, the verdict and the curves. Reads results/published only.
 */
import { parseArgs } from "node:util";

console.log = console.error;
const { values } = parseArgs({ options: { study: { type: "string" } }, strict: false });
if (typeof values.study !== "string" || values.study === "") throw new Error("reproduction.json.ts: missing --study=<name> (Framework passes it for src/data/reproductions/<name>/)");
const { studyPage } = await import("../../reproduction-data.ts");
process.stdout.write(JSON.stringify(await studyPage(values.study)));
