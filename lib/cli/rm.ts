import { parse } from "./args.ts";
import { openExisting } from "./store.ts";
import { defaultDb } from "../runner/default-db.ts";
import { checkpointDirFor, removeCheckpoint } from "../runner/checkpoint.ts";
import { isRunId } from "../store/run-id.ts";
import { SpecError } from "../experiments/errors.ts";

export const rmHelp = `usage: al rm (--experiment <name> | --run <id>…) [options]

Deletes an experiment (with every run no other experiment shares) or single runs, with all
their rounds, metrics, selections and checkpoints, in one transaction.

options:
  --experiment <name>  the experiment to delete
  --run <id>           a run to delete (repeatable; full ids, see al status / al show)
  --dry-run            say what would be deleted, delete nothing
  --db <path>          DuckDB store (default ${defaultDb})
  --json               print JSON on stdout
  -h, --help           this help`;

export async function rm(args: string[]): Promise<number> {
  const { values, positionals } = parse("rm", args, {
    experiment: { type: "string" },
    run: { type: "string", multiple: true },
    "dry-run": { type: "boolean" },
    db: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(rmHelp + "\n"), 0;
  if (positionals.length > 0) throw new SpecError(`unexpected argument "${positionals[0]}"; name what to delete with --experiment or --run`);
  if (values.experiment === undefined && !values.run?.length) throw new SpecError("nothing to delete; pass --experiment <name> or --run <id>");
  const db = values.db ?? defaultDb;
  const dry = values["dry-run"] ?? false;
  const store = await openExisting(db, { readOnly: dry });
  try {
    if (values.experiment !== undefined && (await store.query("SELECT 1 FROM experiments WHERE name = ?", [values.experiment])).length === 0) {
      throw new SpecError(`no experiment "${values.experiment}" in ${db} (see al ls)`);
    }
    for (const id of values.run ?? []) {
      if ((await store.query("SELECT 1 FROM runs WHERE run_id = ?", [id])).length === 0) throw new SpecError(`no run "${id}" in ${db}`);
    }
    let result: { experiments: number; runIds: string[] };
    if (dry) {
      const shared = values.experiment === undefined ? [] : await store.query(
        `SELECT run_id FROM experiment_runs er WHERE experiment = ?
           AND NOT EXISTS (SELECT 1 FROM experiment_runs o WHERE o.run_id = er.run_id AND o.experiment <> er.experiment)`,
        [values.experiment],
      );
      result = { experiments: values.experiment === undefined ? 0 : 1, runIds: [...new Set([...shared.map((r) => String(r.run_id)), ...(values.run ?? [])])] };
    } else {
      result = await store.remove({ experiment: values.experiment, runIds: values.run });
      // Ids come from the store, which may be crafted: only a well-formed id names a file.
      const odd = result.runIds.filter((id) => !isRunId(id));
      for (const id of result.runIds) if (isRunId(id)) await removeCheckpoint(checkpointDirFor(db), id);
      if (odd.length > 0) process.stderr.write(`removed ${odd.length} run(s) with malformed ids (not 16 hex digits) from the store; no checkpoint file was touched for them\n`);
    }
    if (values.json) process.stdout.write(JSON.stringify({ dryRun: dry, ...result }) + "\n");
    else process.stderr.write(`${dry ? "would delete" : "deleted"} ${result.experiments} experiment(s) and ${result.runIds.length} run(s) from ${db}\n`);
  } finally {
    await store.close();
  }
  return 0;
}
