import { parse } from "./args.ts";
import { openExisting, table } from "./store.ts";
import { defaultDb } from "../runner/default-db.ts";
import { SpecError } from "../experiments/errors.ts";
import type { Store } from "../store/duckdb.ts";

/** What `--status` may ask for: the stored status, refined (gaps, interrupted, not started). */
export const runStatuses = ["done", "failed", "running", "interrupted", "gaps", "not-started"] as const;
type RunStatus = (typeof runStatuses)[number];

export const lsHelp = `usage: al ls [options]

Without options, lists the store's experiments with their run counts. With --runs or any
filter, lists the runs instead: id, experiment, data set, learner, sampler (baselines as
"baseline p%"), mode, seed, status, rounds stored, points labelled, final accuracy, seconds.

Statuses: done; gaps (stored as done with rounds or selections missing); failed; running (a grid
is writing the store now) or interrupted (left running by a grid that stopped: al run resumes
it); not-started (in the experiment's grid, never begun).

options:
  --runs                 list runs, not experiments
  --experiment <name>    only this experiment's runs
  --dataset <name>       only runs on this data set
  --learner <name>       only runs of this learner
  --sampler <name>       only runs of this sampler ("baseline" for the naive baselines)
  --status <s>           only runs with this status: ${runStatuses.join(" | ")}
                         (each filter takes a comma-separated list: --status failed,interrupted)
  --experiments          the experiment overview (the default without filters)
  --db <path>            DuckDB store (default ${defaultDb})
  --json                 print JSON on stdout
  -h, --help             this help`;

const list = (value: string | undefined): string[] | undefined => value?.split(",").map((v) => v.trim()).filter(Boolean);

export async function ls(args: string[]): Promise<number> {
  const { values, positionals } = parse("ls", args, {
    runs: { type: "boolean" },
    experiments: { type: "boolean" },
    experiment: { type: "string" },
    dataset: { type: "string" },
    learner: { type: "string" },
    sampler: { type: "string" },
    status: { type: "string" },
    db: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(lsHelp + "\n"), 0;
  if (positionals.length > 0) throw new SpecError(`unexpected argument "${positionals[0]}" (see al ls --help)`);
  const filters = { experiment: list(values.experiment), dataset: list(values.dataset), learner: list(values.learner), sampler: list(values.sampler), status: list(values.status) };
  const filtered = Object.values(filters).some((f) => f !== undefined);
  if (values.experiments && (filtered || values.runs)) throw new SpecError("--experiments lists experiments; drop it to list runs with --runs or filters");
  for (const s of filters.status ?? []) {
    if (!(runStatuses as readonly string[]).includes(s)) throw new SpecError(`--status ${s}: expected one of ${runStatuses.join(", ")}`);
  }
  const db = values.db ?? defaultDb;
  const store = await openExisting(db, { readOnly: true });
  try {
    const rows = values.runs || filtered ? await runRows(store, db, filters as Filters) : await experimentRows(store);
    if (values.json) process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    else {
      process.stdout.write(table(rows) + "\n");
      if (!(values.runs || filtered) && rows.length > 0) process.stderr.write("(al ls --runs lists each run with its id and status; see al ls --help for filters)\n");
    }
  } finally {
    await store.close();
  }
  return 0;
}

async function experimentRows(store: Store): Promise<Array<Record<string, unknown>>> {
  // A run left 'running' is really running only while a grid writes (we read its snapshot then).
  const live = store.source !== undefined;
  return store.query(
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
}

type Filters = Partial<Record<"experiment" | "dataset" | "learner" | "sampler" | "status", string[]>>;

/** Checks each named filter value against what the store holds, so a typo is an error, not "(none)". */
async function checkNames(store: Store, db: string, filters: Filters): Promise<void> {
  const known = async (sql: string): Promise<string[]> => (await store.query(sql)).map((r) => String(r.v));
  const checks: Array<[keyof Filters, string]> = [
    ["experiment", "SELECT name AS v FROM experiments ORDER BY v"],
    ["dataset", "SELECT DISTINCT dataset AS v FROM runs WHERE dataset IS NOT NULL ORDER BY v"],
    ["learner", "SELECT DISTINCT learner AS v FROM runs WHERE learner IS NOT NULL ORDER BY v"],
    ["sampler", `SELECT DISTINCT CASE WHEN json_extract(config, '$.baseline') IS NULL THEN sampler ELSE 'baseline' END AS v FROM runs ORDER BY v`],
  ];
  for (const [key, sql] of checks) {
    const wanted = filters[key];
    if (wanted === undefined) continue;
    const names = await known(sql);
    const unknown = wanted.find((w) => !names.includes(w));
    if (unknown !== undefined) {
      throw new SpecError(`--${key} ${unknown}: no such ${key} in ${db}; ${names.length > 0 ? `known: ${names.join(", ")}` : "the store has none"}`);
    }
  }
}

async function runRows(store: Store, db: string, filters: Filters): Promise<Array<Record<string, unknown>>> {
  await checkNames(store, db, filters);
  const live = store.source !== undefined;
  const where: string[] = [];
  const params: string[] = [];
  const among = (column: string, values: string[] | undefined): void => {
    if (values === undefined) return;
    where.push(`${column} IN (SELECT unnest(string_split(?, '\u0001')))`);
    params.push(values.join("\u0001"));
  };
  among("er.experiment", filters.experiment);
  among("r.dataset", filters.dataset);
  among("r.learner", filters.learner);
  among(`CASE WHEN json_extract(r.config, '$.baseline') IS NULL THEN r.sampler ELSE 'baseline' END`, filters.sampler);
  const rows = await store.query(
    `SELECT r.run_id IS NULL AS missing, er.run_id, er.experiment, r.dataset, r.learner,
            CASE WHEN json_extract(r.config, '$.baseline') IS NULL THEN r.sampler
                 ELSE 'baseline ' || json_extract_string(r.config, '$.baseline.percent') || '%' END AS sampler,
            CASE WHEN json_extract(r.config, '$.baseline') IS NULL THEN r.mode END AS mode,
            r.seed, r.status,
            (SELECT count(*) FROM rounds ro WHERE ro.run_id = r.run_id)::INTEGER AS rounds,
            (SELECT max(labelled) FROM rounds ro WHERE ro.run_id = r.run_id)::INTEGER AS labelled,
            (SELECT value FROM summaries s WHERE s.run_id = r.run_id AND s.name = 'final_accuracy') AS final_accuracy,
            round(r.seconds, 1)::DOUBLE AS seconds
       FROM experiment_runs er LEFT JOIN runs r ON r.run_id = er.run_id
      ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY er.experiment, r.dataset, r.learner, r.sampler, r.mode, r.seed, er.run_id`,
    params,
  );
  const done = rows.filter((r) => r.status === "done").map((r) => String(r.run_id));
  // Loaded only when listing runs: the experiment overview needs no plans.
  const { runGaps } = await import("../runner/gaps.ts");
  const gaps = await runGaps(store, done);
  const out = rows.map(({ missing, status, rounds, labelled, final_accuracy, seconds, ...row }) => {
    const id = String(row.run_id);
    const refined: RunStatus = missing ? "not-started" : status === "running" ? (live ? "running" : "interrupted") : status === "done" && gaps.has(id) ? "gaps" : (status as RunStatus);
    // Status next to the run's coordinates, where the eye looks for it.
    return { ...row, status: refined, rounds, labelled, final_accuracy, seconds, ...(gaps.size > 0 ? { gap: gaps.get(id) ?? null } : {}) };
  });
  return filters.status === undefined ? out : out.filter((r) => filters.status!.includes(r.status));
}
