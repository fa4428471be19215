import { SpecError } from "../experiments/errors.ts";
import { defaultDb } from "../runner/default-db.ts";
import { parse } from "./args.ts";

export const collectHelp = `usage: al collect --results <dir> [options]

Ingests the runs that shards (al run <experiment.ts> --shard i/n --results <dir>) wrote into
<dir>/runs/ into a store, one run per transaction. Runs the store already holds as done are
skipped, so collecting again (say, after more shards finished) is safe. A half-written or damaged
run folder, or one written under another store schema, is rejected with its path and the exit
status is 1; the other runs still go in. Then each experiment that gained runs is analysed
(stopping rules, advice, curve summaries), and the selection maps of each experiment whose runs
are all done are stored, as al run does when a grid finishes.

options:
  --results <dir>    the folder the shards wrote into (required)
  --db <path>        DuckDB store to fill (default ${defaultDb}; created when missing)
  --no-maps          do not store selection maps (a site build then computes them itself)
  --json             print a JSON summary on stdout
  -h, --help         this help`;

export async function collect(args: string[]): Promise<number> {
  const { values, positionals } = parse("collect", args, {
    results: { type: "string" },
    db: { type: "string" },
    "no-maps": { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(collectHelp + "\n"), 0;
  if (positionals.length > 0) throw new SpecError(`unexpected argument "${positionals[0]}"; pass the shards' folder as --results <dir> (see al collect --help)`);
  if (values.results === undefined) throw new SpecError("--results <dir> is required: the folder given to al run --shard … --results (see al collect --help)");
  // DuckDB, the analysis and the map code load only now, so `al collect --help` stays instant.
  const { collectResults } = await import("../runner/collect-results.ts");
  const db = values.db ?? defaultDb;
  const summary = await collectResults({ results: values.results, db, maps: values["no-maps"] !== true });
  if (values.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
  process.stderr.write(`${summary.collected.length} collected, ${summary.skipped.length} skipped (already done), ${summary.rejected.length} rejected → ${db}\n`);
  // The rejected folders last, where a reader of the log looks first.
  for (const r of summary.rejected) process.stderr.write(`rejected: ${r.path}: ${r.reason}\n`);
  return summary.rejected.length > 0 ? 1 : 0;
}
