import { parse } from "./args.ts";
import { openExisting, table } from "./store.ts";
import { defaultDb } from "../runner/default-db.ts";
import { SpecError } from "../experiments/errors.ts";

export const showHelp = `usage: al show <run-id> [options]

Shows one run: its config, where and how it ran, and every round's metrics. A unique prefix of
the id is enough.

options:
  --db <path>   DuckDB store (default ${defaultDb})
  --json        print JSON on stdout
  -h, --help    this help`;

export async function show(args: string[]): Promise<number> {
  const { values, positionals } = parse("show", args, { db: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (values.help) return void process.stdout.write(showHelp + "\n"), 0;
  if (positionals.length !== 1) throw new SpecError(`expected one run id (see al ls, al status)`);
  const prefix = positionals[0]!;
  const db = values.db ?? defaultDb;
  const store = await openExisting(db, { readOnly: true });
  try {
    const matches = await store.query("SELECT run_id FROM runs WHERE starts_with(run_id, ?) ORDER BY run_id", [prefix]);
    if (matches.length === 0) throw new SpecError(`no run id starts with "${prefix}" in ${db}`);
    if (matches.length > 1) {
      throw new SpecError(`"${prefix}" matches ${matches.length} runs (${matches.slice(0, 3).map((m) => m.run_id).join(", ")}…); give more characters`);
    }
    const id = String(matches[0]!.run_id);
    const [run] = await store.query(
      `SELECT run_id, status, backend, host, started_at, finished_at, seconds, error, versions::VARCHAR AS versions, config::VARCHAR AS config,
              (SELECT list(experiment ORDER BY experiment) FROM experiment_runs WHERE run_id = ?) AS experiments
         FROM runs WHERE run_id = ?`,
      [id, id],
    );
    const rounds = (await store.roundsTable()).filter((r) => r.run_id === id);
    const seen = new Set<string>();
    const roundRows = rounds
      .filter((r) => !seen.has(String(r.round)) && seen.add(String(r.round)))
      .map(({ experiment: _e, run_id: _r, dataset: _d, learner: _l, sampler: _s, mode: _m, seed: _seed, backend: _b, kind: _k, baseline_percent: _p, ...rest }) => rest);
    const detail = { ...run, versions: JSON.parse(String(run!.versions)), config: JSON.parse(String(run!.config)), rounds: roundRows };
    if (values.json) process.stdout.write(JSON.stringify(detail, null, 2) + "\n");
    else {
      const { rounds: _ignored, config, versions, ...head } = detail;
      for (const [k, v] of Object.entries(head)) if (v !== null && v !== undefined) process.stdout.write(`${k}: ${Array.isArray(v) ? v.join(", ") : v instanceof Date ? v.toISOString() : v}\n`);
      process.stdout.write(`versions: ${JSON.stringify(versions)}\nconfig: ${JSON.stringify(config, null, 2)}\n\n${table(roundRows)}\n`);
    }
  } finally {
    await store.close();
  }
  return 0;
}
