/**
 * `npm run bench [-- filter]`: runs every bench/*.bench.ts case whose name contains the filter
 * and prints {"host", "cases": [{name, ...measurements}]} as JSON on stdout.
 */
import { readdirSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { pathToFileURL } from "node:url";
import type { BenchCase } from "./harness.ts";

console.log = console.error; // tfjs banners must not corrupt the JSON on stdout
const filter = process.argv[2] ?? "";
const dir = new URL(".", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort();
const results: Array<Record<string, unknown>> = [];
for (const file of files) {
  const { cases } = (await import(pathToFileURL(new URL(file, dir).pathname).href)) as { cases: BenchCase[] };
  for (const c of cases) {
    if (!c.name.includes(filter)) continue;
    process.stderr.write(`bench: ${c.name} … `);
    try {
      const measured = await c.run();
      results.push({ name: c.name, ...measured });
      process.stderr.write("done\n");
    } catch (error) {
      results.push({ name: c.name, error: (error as Error).message });
      process.stderr.write(`failed: ${(error as Error).message}\n`);
    }
  }
}
const host = { cpu: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
process.stdout.write(JSON.stringify({ date: new Date().toISOString(), host, cases: results }, null, 2) + "\n");
