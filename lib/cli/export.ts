import { SpecError } from "../experiments/errors.ts";
import { EXPORT_MARKER, exportParquet } from "../store/export.ts";
import { defaultDb } from "../runner/default-db.ts";
import { parse } from "./args.ts";
import { openExisting } from "./store.ts";

export const exportHelp = `usage: al export [options]

Writes the store's rounds, runs and selections as Parquet (or CSV): by default each table is a
directory partitioned by experiment, data set and sampler (rounds/experiment=…/dataset=…/
sampler=…/data_0.parquet); --flat writes one file per table instead. The directory gets an
${EXPORT_MARKER} listing what was written: a later export replaces only those entries, and a
non-empty directory without it is refused, untouched. While a grid writes the store, the export
is of its read snapshot (the runs done so far, and those running).

options:
  --db <path>          DuckDB store (default ${defaultDb})
  --out <dir>          output directory (default results/export)
  --format <f>         parquet | csv (default parquet)
  --experiment <name>  only this experiment's runs
  --flat               one file per table (rounds.parquet, runs.parquet, selections.parquet)
  --json               print the written paths as JSON on stdout
  -h, --help           this help`;

export async function exportVerb(args: string[]): Promise<number> {
  const { values, positionals } = parse("export", args, {
    db: { type: "string" },
    out: { type: "string" },
    format: { type: "string" },
    experiment: { type: "string" },
    flat: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(exportHelp + "\n");
    return 0;
  }
  if (positionals.length > 0) throw new SpecError(`unexpected argument "${positionals[0]}" (see al export --help)`);
  const format = values.format ?? "parquet";
  if (format !== "parquet" && format !== "csv") throw new SpecError(`--format: expected parquet or csv, got "${format}"`);
  const store = await openExisting(values.db, { readOnly: true });
  try {
    const paths = await exportParquet(store, { outDir: values.out ?? "results/export", experiment: values.experiment, format, partition: !values.flat });
    if (values.json) process.stdout.write(JSON.stringify(paths) + "\n");
    else process.stderr.write(`wrote ${Object.values(paths).join(", ")}\n`);
  } finally {
    await store.close();
  }
  return 0;
}
