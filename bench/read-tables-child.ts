/**
 * One measurement for bench/read-tables.bench.ts, in a process of its own so that its peak
 * resident set is its own: `tsx bench/read-tables-child.ts <stream|whole|none> <file.csv>`
 * prints {seconds, peakRssMb, rows, columns} as JSON. "whole" is the path before streaming
 * (the file as one string, every cell a string, then inferSchema + encodeTable); "none" only
 * loads the modules (the constant under both).
 */
import { readTables } from "../lib/data/read-tables.ts";
import { readTable } from "../lib/data/readers/read-table.ts";
import { encodeTable, inferSchema, type EncodedTable, type TableSpec } from "../lib/data/table.ts";

const [mode, path] = process.argv.slice(2);
if (!path || (mode !== "stream" && mode !== "whole" && mode !== "none")) {
  throw new Error("usage: read-tables-child.ts <stream|whole|none> <file.csv>");
}
const spec: TableSpec = { label: "label" };
const start = performance.now();
let table: EncodedTable | undefined;
if (mode === "stream") {
  table = (await readTables([path], spec)).tables[0];
} else if (mode === "whole") {
  const raw = await readTable(path);
  table = encodeTable(raw, inferSchema([raw], spec));
}
const seconds = (performance.now() - start) / 1000;
// maxRSS is in kilobytes.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ seconds: +seconds.toFixed(2), peakRssMb: Math.round(peakRssMb), rows: table?.y.length ?? 0, columns: table?.x?.c ?? 0 }) + "\n");
