/**
 * The read-side SELECTs shared by `Store.roundsTable` and the Parquet/CSV export, so the site
 * and the in-process reader see the same columns in the same order. Each builder returns SQL
 * with `?` placeholders plus its parameters (DuckDB accepts parameters inside COPY too).
 */

export interface StoreFilter {
  /** Only runs linked to this experiment (a run can belong to several). */
  experiment?: string;
}

export interface Query {
  sql: string;
  params: string[];
}

/** A run's grid coordinates: the leading columns of every per-run view. */
const RUN_KEY_COLUMNS = ["experiment", "run_id", "dataset", "learner", "sampler", "mode", "seed"] as const;

/** Columns of the pivoted rounds view before the metric columns… */
export const ROUNDS_LEAD_COLUMNS = [...RUN_KEY_COLUMNS, "round", "labelled"] as const;

/** …and after them. */
export const ROUNDS_TAIL_COLUMNS = [
  "train_seconds",
  "score_seconds",
  "select_seconds",
  "evaluate_seconds",
  "reference_seconds",
  "backend",
  "kind",
  "baseline_percent",
] as const;

export const RUNS_COLUMNS = [
  ...RUN_KEY_COLUMNS,
  "status",
  "backend",
  "host",
  "started_at",
  "finished_at",
  "seconds",
  "error",
  "versions",
  "config",
  "data_checksum",
  "data_files",
] as const;

export const SELECTIONS_COLUMNS = [
  "experiment",
  "run_id",
  "dataset",
  "sampler",
  "mode",
  "seed",
  "round",
  "pool_index",
  "rank",
  "source_row",
  "true_label",
  "given_label",
  "cost",
  "true_labels",
  "given_labels",
] as const;

/** Metric names become column names, so they must be plain identifiers that clash with nothing. */
const METRIC_NAME = /^[a-z][a-z0-9_]*$/;
const RESERVED = new Set<string>([...ROUNDS_LEAD_COLUMNS, ...ROUNDS_TAIL_COLUMNS]);

/** Why `name` cannot be a metric, or undefined when it can. */
export function metricNameProblem(name: string): string | undefined {
  if (!METRIC_NAME.test(name)) return "expected lower-case letters, digits and '_', starting with a letter";
  if (RESERVED.has(name)) return "it clashes with a column of the rounds table; rename the metric";
  return undefined;
}

export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sqlIdentifier(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

function where(filter: StoreFilter): Query {
  return filter.experiment === undefined
    ? { sql: "", params: [] }
    : { sql: "WHERE er.experiment = ?", params: [filter.experiment] };
}

/** Distinct metric names of the filtered runs, sorted: the pivot's metric columns. */
export function metricNamesQuery(filter: StoreFilter = {}): Query {
  const w = where(filter);
  return {
    sql: `SELECT DISTINCT m.metric FROM metrics m JOIN experiment_runs er USING (run_id) ${w.sql} ORDER BY m.metric`,
    params: w.params,
  };
}

/** One row per (experiment, run, round) with each metric as its own column. */
export function roundsQuery(metrics: readonly string[], filter: StoreFilter = {}): Query {
  const w = where(filter);
  // Built from FILTER aggregates rather than DuckDB's PIVOT so the column order is fixed and the
  // statement also works inside COPY.
  const metricColumns = metrics.map(
    (m) => `max(m.value) FILTER (WHERE m.metric = ${sqlString(m)}) AS ${sqlIdentifier(m)}`,
  );
  const columns = [
    "er.experiment",
    "r.run_id",
    "r.dataset",
    "r.learner",
    "r.sampler",
    "r.mode",
    "r.seed",
    "ro.round",
    "ro.labelled",
    ...metricColumns,
    "ro.train_seconds",
    "ro.score_seconds",
    "ro.select_seconds",
    "ro.evaluate_seconds",
    "ro.reference_seconds",
    "r.backend",
    // Naive-baseline runs ("train on random p% of the pool") sit beside AL runs; pages tell
    // them apart by kind.
    `CASE WHEN json_extract(r.config, '$.baseline') IS NULL THEN 'al' ELSE 'baseline' END AS kind`,
    `json_extract(r.config, '$.baseline.percent')::DOUBLE AS baseline_percent`,
  ];
  return {
    sql: `SELECT ${columns.join(", ")}
      FROM experiment_runs er
      JOIN runs r ON r.run_id = er.run_id
      JOIN rounds ro ON ro.run_id = r.run_id
      LEFT JOIN metrics m ON m.run_id = ro.run_id AND m.round = ro.round
      ${w.sql}
      GROUP BY ALL
      ORDER BY er.experiment, r.sampler, r.mode, r.seed, r.run_id, ro.round`,
    params: w.params,
  };
}

/** One row per (experiment, run). */
export function runsQuery(filter: StoreFilter = {}): Query {
  const w = where(filter);
  const columns = RUNS_COLUMNS.map((c) => (c === "experiment" ? "er.experiment" : `r.${c}`));
  return {
    sql: `SELECT ${columns.join(", ")}
      FROM experiment_runs er
      JOIN runs r ON r.run_id = er.run_id
      ${w.sql}
      ORDER BY er.experiment, r.sampler, r.mode, r.seed, r.run_id`,
    params: w.params,
  };
}

/**
 * One row per acquired (or initially labelled) point, with the run's grid coordinates.
 * `labelColumns: false` for stores before schema 8 and `labelSetColumns: false` before schema 9
 * (read-only opens do not migrate): their oracle and cost columns read as null, so every export
 * has the same columns.
 */
export function selectionsQuery(filter: StoreFilter = {}, options: { labelColumns?: boolean; labelSetColumns?: boolean } = {}): Query {
  const w = where(filter);
  const single = options.labelColumns ?? true ? "s.true_label, s.given_label, s.cost" : "NULL::INTEGER AS true_label, NULL::INTEGER AS given_label, NULL::DOUBLE AS cost";
  const sets = options.labelSetColumns ?? options.labelColumns ?? true ? "s.true_labels, s.given_labels" : "NULL::INTEGER[] AS true_labels, NULL::INTEGER[] AS given_labels";
  const labels = `${single}, ${sets}`;
  return {
    sql: `SELECT er.experiment, s.run_id, r.dataset, r.sampler, r.mode, r.seed, s.round, s.pool_index, s.rank, s.source_row, ${labels}
      FROM experiment_runs er
      JOIN runs r ON r.run_id = er.run_id
      JOIN selections s ON s.run_id = r.run_id
      ${w.sql}
      ORDER BY er.experiment, r.sampler, r.mode, r.seed, s.run_id, s.round, s.rank`,
    params: w.params,
  };
}

/** A derived per-run table (stopping, advice, summaries) with the run's grid coordinates. */
export function analysisQuery(table: "stopping" | "advice" | "summaries", filter: StoreFilter = {}): Query {
  const w = where(filter);
  return {
    sql: `SELECT er.experiment, r.dataset, r.learner, r.sampler, r.mode, r.seed, a.*
      FROM experiment_runs er
      JOIN runs r ON r.run_id = er.run_id
      JOIN ${table} a ON a.run_id = r.run_id
      ${w.sql}
      ORDER BY ALL`,
    params: w.params,
  };
}

/**
 * The round mask, cardinal-style: one row per pool and test point of each run with
 * `mask` = −2 for test points (indexed after the pool), −1 for pool points never selected, and
 * r for points first trained on in round r (0 = the initial set). Runs without stored sizes
 * (written before schema 4) are left out.
 */
export function roundMaskQuery(filter: StoreFilter = {}): Query {
  const w = where(filter);
  return {
    sql: `SELECT er.experiment, r.run_id, r.dataset, r.sampler, r.mode, r.seed, p.point AS point,
             CASE WHEN p.point >= r.pool_size THEN -2 ELSE coalesce(s.round, -1) END AS mask
      FROM experiment_runs er
      JOIN runs r ON r.run_id = er.run_id
      CROSS JOIN LATERAL (SELECT unnest(range(r.pool_size + r.test_size)) AS point) p
      -- Equality only: a range condition in the ON clause made DuckDB plan a nested-loop join
      -- (points × selections, 900+ s at 1,000 runs); selections hold pool indices only, and the
      -- CASE marks test points, so the rows are the same.
      LEFT JOIN selections s ON s.run_id = r.run_id AND s.pool_index = p.point
      ${w.sql ? w.sql + " AND" : "WHERE"} r.pool_size IS NOT NULL
      ORDER BY er.experiment, r.run_id, p.point`,
    params: w.params,
  };
}
