import { existsSync } from "node:fs";
import { parse } from "./args.ts";
import { openExisting, table } from "./store.ts";
import { defaultDb } from "../runner/default-db.ts";
import { checkpointDirFor, checkpointPath } from "../runner/checkpoint.ts";
import { runGaps } from "../runner/gaps.ts";
import { isRunId } from "../store/run-id.ts";
import { SpecError } from "../experiments/errors.ts";

export const statusHelp = `usage: al status [experiment] [options]

Shows how far each experiment (or the one named) has got: runs by status, rounds stored, compute
time, and the runs that failed or were interrupted (they resume on the next al run), or that are
stored as done with rounds or selections missing (a store damaged by older versions).

With --queue, shows the runs queued on that Redis server instead (al run --queue): waiting,
active, completed and failed, the failed ones with their error.

options:
  --db <path>   DuckDB store (default ${defaultDb})
  --queue <url> the Redis server of al run --queue (redis://host:port[/db])
  --retry       with --queue: put the failed runs back in the queue (their tries start over)
  --json        print JSON on stdout
  -h, --help    this help`;

export async function status(args: string[]): Promise<number> {
  const { values, positionals } = parse("status", args, {
    db: { type: "string" },
    queue: { type: "string" },
    retry: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(statusHelp + "\n"), 0;
  if (positionals.length > 1) throw new SpecError(`expected at most one experiment name (see al status --help)`);
  if (values.queue !== undefined) {
    if (values.db !== undefined) throw new SpecError("--db does not go with --queue: the queue holds runs, a store the collected ones (al collect)");
    return queueVerb(values.queue, positionals[0], { retry: values.retry === true, json: values.json === true });
  }
  if (values.retry) throw new SpecError("--retry goes with --queue <url>: it retries the queue's failed runs (a store's failed runs rerun on the next al run)");
  const db = values.db ?? defaultDb;
  const store = await openExisting(db, { readOnly: true });
  try {
    // While a grid writes the store, its 'running' runs are really running, not interrupted.
    const live = store.source !== undefined;
    const name = positionals[0];
    const filter = name === undefined ? "" : "WHERE er.experiment = ?";
    const params = name === undefined ? [] : [name];
    if (name !== undefined && (await store.query("SELECT 1 FROM experiments WHERE name = ?", [name])).length === 0) {
      throw new SpecError(`no experiment "${name}" in ${db} (see al ls)`);
    }
    const summary = await store.query(
      `SELECT er.experiment,
              count(*)::INTEGER AS runs,
              count(r.run_id) FILTER (WHERE r.status = 'done')::INTEGER AS done,
              count(r.run_id) FILTER (WHERE r.status = 'running')::INTEGER AS ${live ? "running" : "interrupted"},
              count(r.run_id) FILTER (WHERE r.status = 'failed')::INTEGER AS failed,
              (count(*) - count(r.run_id))::INTEGER AS not_started,
              coalesce(sum((SELECT count(*) FROM rounds ro WHERE ro.run_id = r.run_id)), 0)::INTEGER AS rounds,
              round(coalesce(sum(r.seconds), 0), 1)::DOUBLE AS seconds
         FROM experiment_runs er LEFT JOIN runs r ON r.run_id = er.run_id ${filter}
        GROUP BY ALL ORDER BY er.experiment`,
      params,
    );
    const problems = await store.query(
      `SELECT er.experiment, r.run_id, r.sampler, r.mode, r.seed, r.status,
              (SELECT max(round) FROM rounds ro WHERE ro.run_id = r.run_id)::INTEGER AS last_round, r.error
         FROM experiment_runs er JOIN runs r ON r.run_id = er.run_id
        ${filter ? filter + " AND" : "WHERE"} r.status <> 'done'
        ORDER BY er.experiment, r.sampler, r.mode, r.seed`,
      params,
    );
    // Stores damaged before a run could only be marked done without a gap: find such runs too.
    const done = await store.query(
      `SELECT er.experiment, r.run_id, r.sampler, r.mode, r.seed FROM experiment_runs er JOIN runs r ON r.run_id = er.run_id
        ${filter ? filter + " AND" : "WHERE"} r.status = 'done' ORDER BY er.experiment, r.sampler, r.mode, r.seed`,
      params,
    );
    const gaps = await runGaps(store, done.map((r) => String(r.run_id)));
    for (const r of done) {
      const gap = gaps.get(String(r.run_id));
      if (gap !== undefined) problems.push({ ...r, status: "done with gaps", last_round: null, error: `${gap}; al rm --run ${String(r.run_id)} then al run recomputes it` });
    }
    const checkpoints = checkpointDirFor(db);
    for (const p of problems) p.checkpoint = isRunId(p.run_id) && existsSync(checkpointPath(checkpoints, p.run_id));
    if (values.json) {
      // While a grid runs, say whose state this is (the table says it on stderr).
      const source = store.source === undefined ? {} : { snapshot: { pid: store.source.pid ?? null, at: store.source.at.toISOString() } };
      process.stdout.write(JSON.stringify({ experiments: summary, unfinished: problems, ...source }, null, 2) + "\n");
    } else {
      process.stdout.write(table(summary) + "\n");
      const heading = live ? "runs not done yet (running now, or failed):" : "unfinished runs (al run resumes them):";
      if (problems.length > 0) process.stdout.write(`\n${heading}\n` + table(problems) + "\n");
    }
  } finally {
    await store.close();
  }
  return 0;
}

async function queueVerb(url: string, experiment: string | undefined, options: { retry: boolean; json: boolean }): Promise<number> {
  const { parseRedisUrl } = await import("../queue/redis-url.ts");
  const { queueStatus, retryFailed } = await import("../queue/queue-status.ts");
  const target = parseRedisUrl(url);
  const filter = experiment === undefined ? {} : { experiment };
  if (options.retry) {
    const retried = await retryFailed(target, filter);
    process.stderr.write(`${retried.length} failed run(s) back in the queue${retried.length > 0 ? `: ${retried.join(", ")}` : ""}\n`);
  }
  const status = await queueStatus(target, filter);
  if (options.json) {
    process.stdout.write(JSON.stringify(status, null, 2) + "\n");
    return 0;
  }
  const counts = Object.entries(status.counts).filter(([state, n]) => n > 0 || ["waiting", "active", "completed", "failed"].includes(state));
  process.stdout.write(`${target.url}: ${counts.map(([state, n]) => `${n} ${state}`).join(", ")}\n`);
  if (status.runs.length > 0) {
    const rows = status.runs.map((r) => ({ run_id: r.runId, state: r.state, experiment: r.experiment, run: r.label, attempts: r.attempts, error: r.error?.split("\n")[0] ?? "" }));
    process.stdout.write("\n" + table(rows) + "\n");
  }
  return 0;
}
