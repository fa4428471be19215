import { parse } from "./args.ts";
import { openExisting, table } from "./store.ts";
import { defaultDb } from "../runner/default-db.ts";
import { SpecError } from "../experiments/errors.ts";

export const lsHelp = `usage: al ls [options]

Lists the store's experiments with their run counts.

options:
  --db <path>   DuckDB store (default ${defaultDb})
  --json        print JSON on stdout
  -h, --help    this help`;

export async function ls(args: string[]): Promise<number> {
  const { values, positionals } = parse("ls", args, { db: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (values.help) return void process.stdout.write(lsHelp + "\n"), 0;
  if (positionals.length > 0) throw new SpecError(`unexpected argument "${positionals[0]}" (see al ls --help)`);
  const store = await openExisting(values.db, { readOnly: true });
  try {
    // A run left 'running' is really running only while a grid writes (we read its snapshot then).
    const live = store.source !== undefined;
    const rows = await store.query(
      `SELECT e.name AS experiment, e.file,
              count(er.run_id)::INTEGER AS runs,
              count(r.run_id) FILTER (WHERE r.status = 'done')::INTEGER AS done,
              count(r.run_id) FILTER (WHERE r.status = 'failed')::INTEGER AS failed,
              count(r.run_id) FILTER (WHERE r.status = 'running')::INTEGER AS ${live ? "running" : "interrupted"},
              (count(er.run_id) - count(r.run_id))::INTEGER AS not_started,
              strftime(e.updated_at, '%Y-%m-%d %H:%M') AS updated
         FROM experiments e
         LEFT JOIN experiment_runs er ON er.experiment = e.name
         LEFT JOIN runs r ON r.run_id = er.run_id
        GROUP BY ALL ORDER BY e.name`,
    );
    process.stdout.write(values.json ? JSON.stringify(rows, null, 2) + "\n" : table(rows) + "\n");
  } finally {
    await store.close();
  }
  return 0;
}
