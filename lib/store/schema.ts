/**
 * The store's DDL as an ordered list of migrations. `openStore` applies the pending ones in one
 * transaction and records the result in `meta.schema_version`, so an old results file is
 * upgraded in place and a file written by newer code is refused instead of misread.
 */

export interface Migration {
  /** The schema version this migration produces (1, 2, …, consecutive). */
  version: number;
  sql: string;
  /**
   * Readers of this code can read a store that lacks this migration (it only adds what readers
   * do without), so a read-only open of such a store works without migrating it first.
   */
  readable?: boolean;
}

/** Created before anything else: it is how we know which migrations a file already has. */
export const META_DDL = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)";

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE experiments (
        name VARCHAR PRIMARY KEY,
        spec JSON,
        file VARCHAR,
        updated_at TIMESTAMP
      );
      CREATE TABLE runs (
        run_id VARCHAR PRIMARY KEY,
        config JSON,
        dataset VARCHAR,
        learner VARCHAR,
        sampler VARCHAR,
        mode VARCHAR,
        seed INTEGER,
        status VARCHAR,
        backend VARCHAR,
        versions JSON,
        host VARCHAR,
        started_at TIMESTAMP,
        finished_at TIMESTAMP,
        seconds DOUBLE,
        error VARCHAR
      );
      -- A run id is a content hash of its config, so one run can belong to several experiments.
      CREATE TABLE experiment_runs (
        experiment VARCHAR,
        run_id VARCHAR,
        PRIMARY KEY (experiment, run_id)
      );
      CREATE TABLE rounds (
        run_id VARCHAR,
        round INTEGER,
        labelled INTEGER,
        train_seconds DOUBLE,
        score_seconds DOUBLE,
        select_seconds DOUBLE,
        evaluate_seconds DOUBLE,
        PRIMARY KEY (run_id, round)
      );
      -- Long format: a new metric is new rows, not a migration.
      CREATE TABLE metrics (
        run_id VARCHAR,
        round INTEGER,
        metric VARCHAR,
        value DOUBLE,
        PRIMARY KEY (run_id, round, metric)
      );
      -- round = the first round whose training set contains the point: 0 for the initial set,
      -- r for points acquired at the end of round r - 1. So round k's labelled set is exactly
      -- the rows with round <= k. No key: 10^5 rows per round go in through the appender.
      CREATE TABLE selections (
        run_id VARCHAR,
        round INTEGER,
        pool_index INTEGER,
        rank INTEGER
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- Uncertainty (least confidence) histograms per round: the unlabelled pool and the selected
      -- batch, for uncertainty-distribution pages. Fixed ranges, so bins line up across runs.
      CREATE TABLE histograms (
        run_id VARCHAR,
        round INTEGER,
        target VARCHAR,
        bin INTEGER,
        lo DOUBLE,
        hi DOUBLE,
        count INTEGER,
        PRIMARY KEY (run_id, round, target, bin)
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- Derived per run by lib/al/analysis.ts after a grid finishes (recomputed each al run).
      CREATE TABLE stopping (
        run_id VARCHAR,
        rule VARCHAR,
        stop_round INTEGER,
        stop_labelled INTEGER,
        lost_accuracy DOUBLE,
        PRIMARY KEY (run_id, rule)
      );
      CREATE TABLE advice (
        run_id VARCHAR,
        round INTEGER,
        action VARCHAR,
        use VARCHAR,
        reason VARCHAR,
        PRIMARY KEY (run_id, round)
      );
      CREATE TABLE summaries (
        run_id VARCHAR,
        name VARCHAR,
        value DOUBLE,
        PRIMARY KEY (run_id, name)
      );
    `,
  },
  {
    version: 4,
    sql: `
      -- Sizes of the run's pool and test set, so the round mask (one entry per point) is a view.
      ALTER TABLE runs ADD COLUMN pool_size INTEGER;
      ALTER TABLE runs ADD COLUMN test_size INTEGER;
    `,
  },
  {
    version: 5,
    sql: `
      -- Fitting the reference classifier (round 0 only; null when a run has none).
      ALTER TABLE rounds ADD COLUMN reference_seconds DOUBLE;
      -- The selected point's row in the data set's source file (null when unknown).
      ALTER TABLE selections ADD COLUMN source_row INTEGER;
    `,
  },
  {
    version: 6,
    sql: `
      -- The data a run read: Dataset.checksum (the one its run id hashes) and the files behind it,
      -- [{ path, sha256, bytes, fileCount? }] ([] for generated sets). Null in runs made before.
      ALTER TABLE runs ADD COLUMN data_checksum VARCHAR;
      ALTER TABLE runs ADD COLUMN data_files JSON;
    `,
  },
  {
    version: 7,
    // A store without maps reads as one whose maps are all missing: the loaders compute them.
    readable: true,
    sql: `
      -- Selection maps (lib/map/pool-map.ts), computed by \`al run\` when a grid finishes so a site
      -- build only reads them: one row per experiment and pool (the canonical JSON of its runs'
      -- data set reference). \`key\` hashes what the map depends on (map code, options, the runs'
      -- picks); a reader uses the row only when the key it computes from the store matches.
      CREATE TABLE selection_maps (
        experiment VARCHAR,
        pool VARCHAR,
        key VARCHAR,
        map JSON,
        seconds DOUBLE,
        created_at TIMESTAMP,
        PRIMARY KEY (experiment, pool)
      );
    `,
  },
  {
    version: 8,
    // Added columns only: readers select NULL for them in older stores (views.ts).
    readable: true,
    sql: `
      -- The oracle's answer per selected point (lib/al/oracle.ts) beside the true label, and what
      -- labelling it cost (lib/al/cost.ts). All null for runs with a perfect oracle and no cost.
      ALTER TABLE selections ADD COLUMN true_label INTEGER;
      ALTER TABLE selections ADD COLUMN given_label INTEGER;
      ALTER TABLE selections ADD COLUMN cost DOUBLE;
    `,
  },
  {
    version: 9,
    // Added columns only: readers select NULL for them in older stores (views.ts).
    readable: true,
    sql: `
      -- Multi-label runs with an oracle: the label indices (ascending, into the data set's
      -- labels) the oracle gave each selected point and its true ones; true_label / given_label
      -- stay null there. Null for multi-class runs and runs with a perfect oracle.
      ALTER TABLE selections ADD COLUMN true_labels INTEGER[];
      ALTER TABLE selections ADD COLUMN given_labels INTEGER[];
    `,
  },
];

/** The oldest schema a read-only open accepts as it is: every later migration is `readable`. */
export function oldestReadable(all: readonly Migration[] = migrations): number {
  const newest = all.reduce((v, m) => Math.max(v, m.version), 0);
  let oldest = newest;
  for (const m of [...all].sort((a, b) => b.version - a.version)) {
    if (!m.readable) break;
    oldest = m.version - 1;
  }
  return oldest;
}

/** The newest schema this code reads and writes. */
export const SCHEMA_VERSION = migrations.reduce((v, m) => Math.max(v, m.version), 0);
