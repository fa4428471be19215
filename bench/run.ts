/**
 * `npm run bench [-- filter] [--with-python-refs]`: runs every bench/*.bench.ts case whose name contains the filter
 * and prints {"date", "host", "versions", "cases": [{name, ...measurements}]} as JSON on stdout,
 * writes the same to results/bench/<date>.json and a one-line-per-case table to stderr.
 * `--with-python-refs` first installs Debian's Python references when missing (python-refs.ts).
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { availableParallelism, cpus, totalmem } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchCase } from "./harness.ts";

console.log = console.error; // tfjs banners must not corrupt the JSON on stdout
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith("--"));
const unknown = flags.filter((f) => f !== "--with-python-refs");
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown option ${unknown[0]}; usage: npm run bench -- [filter] [--with-python-refs]\n`);
  process.exit(2);
}
if (flags.includes("--with-python-refs")) {
  try {
    (await import("./python-refs.ts")).ensurePythonRefs();
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
const filter = args.find((a) => !a.startsWith("--")) ?? "";
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
const { version } = await import("../lib/version.ts");
const date = new Date().toISOString();
const json = JSON.stringify({ date, host, versions: { "al-lab": version, node: process.version }, filter, cases: results }, null, 2) + "\n";
process.stdout.write(json);
// One file per run, so runs can be compared later: results/bench/<date>.json (env AL_BENCH_OUT).
const outDir = process.env.AL_BENCH_OUT ?? join(dirname(fileURLToPath(import.meta.url)), "../results/bench");
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `${date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, json);
process.stderr.write(`${summaryTable(results)}\nbench: wrote ${file}\n`);

/** One line per case: its headline ratio (CPU ours ÷ reference, interleaved) where it has one. */
function summaryTable(cases: Array<Record<string, unknown>>): string {
  const ratioOf = (c: Record<string, unknown>): string => {
    const cpu = c.cpuRatio as { median?: number; min?: number; max?: number } | undefined;
    if (cpu?.median !== undefined) return `${cpu.median.toFixed(2)}× (${cpu.min!.toFixed(2)}–${cpu.max!.toFixed(2)})`;
    if (typeof c.ratio === "number") return `${c.ratio.toFixed(2)}×`;
    if (c.error) return `failed: ${String(c.error).split("\n")[0]}`;
    return typeof c.skipped === "string" ? `skipped: ${c.skipped}` : "—";
  };
  const rows = cases.map((c) => [String(c.name), ratioOf(c)]);
  const width = Math.max(4, ...rows.map((r) => r[0]!.length));
  return [`${"case".padEnd(width)}  ours ÷ reference`, ...rows.map(([n, r]) => `${n!.padEnd(width)}  ${r}`)].join("\n");
}
