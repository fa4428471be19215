import { parse } from "./args.ts";
import { openExisting, table } from "./store.ts";
import { defaultDb } from "../runner/default-db.ts";
import { SpecError } from "../experiments/errors.ts";
import type { SourceFile } from "../data/dataset.ts";
import type { Store } from "../store/duckdb.ts";

export const showHelp = `usage: al show <run-id> [options]

Shows one run: its config, where and how it ran, which data it read (data set, files and their
sha256), every round's metrics, and what the analysis after the grid stored for it: curve
summaries (area under the curve, final accuracy, gap to the full-data baseline…), where each
stopping rule would have stopped, and the advisor's per-round advice. A unique prefix of the id
is enough.

options:
  --metrics <a,b,…>  only these per-round metrics (e.g. accuracy,macro_f1); default all, with timings
  --db <path>        DuckDB store (default ${defaultDb})
  --json             print JSON on stdout
  -h, --help         this help`;

/** Per-round columns of the rounds table after the metrics (timings). */
const TIMINGS = ["train_seconds", "score_seconds", "select_seconds", "evaluate_seconds", "reference_seconds"] as const;

export async function show(args: string[]): Promise<number> {
  const { values, positionals } = parse("show", args, {
    metrics: { type: "string" },
    db: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(showHelp + "\n"), 0;
  if (positionals.length !== 1) throw new SpecError(`expected one run id (see al ls --runs, al status)`);
  const prefix = positionals[0]!;
  const db = values.db ?? defaultDb;
  const store = await openExisting(db, { readOnly: true });
  try {
    const id = await resolveRunId(store, db, prefix);
    const [stored] = await store.query(
      `SELECT r.* EXCLUDE (config, versions, data_files), versions::VARCHAR AS versions, config::VARCHAR AS config,
              data_files::VARCHAR AS data_files,
              (SELECT list(experiment ORDER BY experiment) FROM experiment_runs WHERE run_id = ?) AS experiments
         FROM runs r WHERE run_id = ?`,
      [id, id],
    );
    const run = stored!;
    const config = JSON.parse(String(run.config)) as Record<string, unknown> & { dataset: Record<string, unknown> };
    const rounds = await roundRows(store, id, values.metrics);
    const [summaries, stopping, advice] = await Promise.all([
      store.query("SELECT name, value FROM summaries WHERE run_id = ? ORDER BY name", [id]),
      store.query("SELECT rule, stop_round, stop_labelled, lost_accuracy FROM stopping WHERE run_id = ? ORDER BY rule", [id]),
      store.query("SELECT round, action, use, reason FROM advice WHERE run_id = ? ORDER BY round", [id]),
    ]);
    const data = await provenance(config.dataset, run);
    const head = {
      run_id: run.run_id,
      status: run.status,
      backend: run.backend,
      host: run.host,
      started_at: run.started_at,
      finished_at: run.finished_at,
      seconds: run.seconds,
      error: run.error,
      experiments: run.experiments,
    };
    if (values.json) {
      const detail = {
        ...head,
        data,
        versions: JSON.parse(String(run.versions)),
        config,
        rounds,
        summaries: Object.fromEntries(summaries.map((s) => [s.name, s.value])),
        stopping,
        advice,
      };
      process.stdout.write(JSON.stringify(detail, null, 2) + "\n");
      return 0;
    }
    const out: string[] = [];
    for (const [k, v] of Object.entries(head)) if (v !== null && v !== undefined) out.push(`${k}: ${Array.isArray(v) ? v.join(", ") : v instanceof Date ? v.toISOString() : v}`);
    const options = Object.entries(data.reference).filter(([k, v]) => k !== "name" && v !== undefined).map(([k, v]) => `${k} ${typeof v === "string" ? v : JSON.stringify(v)}`);
    out.push(`data: ${data.dataset}${options.length > 0 ? ` (${options.join(", ")})` : ""} · checksum ${data.checksum ? `${data.checksum.slice(0, 16)}…` : NOT_STORED}`);
    for (const f of data.files ?? []) {
      if (f.fileCount !== undefined) out.push(`  folder: ${f.path} (sha256 ${f.sha256} over ${f.fileCount} files, ${f.bytes} bytes)`);
      else out.push(`  file: ${f.path} (sha256 ${f.sha256}, ${f.bytes} bytes)`);
    }
    for (const f of data.expected ?? []) out.push(`  file: ${f.path} (${f.sha256 ? `the catalogue's sha256 ${f.sha256}` : "sha256 not stored"})`);
    if (data.note) out.push(`  ${data.note}`);
    out.push(`versions: ${String(run.versions)}`, `config: ${JSON.stringify(config, null, 2)}`, "", table(rounds));
    if (summaries.length > 0) {
      out.push("", "curve summaries:");
      for (const s of summaries) out.push(`  ${String(s.name).padEnd(26)} ${s.value === null ? "—" : Number(s.value).toFixed(4)}`);
    }
    if (stopping.length > 0) out.push("", "stopping rules (where each would have stopped, blank: never; lost_accuracy = final − at the stop):", table(stopping));
    if (advice.length > 0) out.push("", "advice per round:", table(advice));
    if (summaries.length + stopping.length + advice.length === 0 && run.status === "done") {
      out.push("", "(no analysis stored for this run; the next al run of its experiment computes it)");
    }
    process.stdout.write(out.join("\n") + "\n");
  } finally {
    await store.close();
  }
  return 0;
}

/** The one run id that starts with `prefix`, or a one-line error. */
async function resolveRunId(store: Store, db: string, prefix: string): Promise<string> {
  const matches = await store.query("SELECT run_id FROM runs WHERE starts_with(run_id, ?) ORDER BY run_id LIMIT 4", [prefix]);
  if (matches.length === 0) throw new SpecError(`no run id starts with "${prefix}" in ${db} (see al ls --runs)`);
  if (matches.length > 1) {
    const [{ n }] = (await store.query("SELECT count(*)::INTEGER AS n FROM runs WHERE starts_with(run_id, ?)", [prefix])) as [{ n: number }];
    throw new SpecError(`"${prefix}" matches ${n} runs (${matches.slice(0, 3).map((m) => m.run_id).join(", ")}…); give more characters`);
  }
  return String(matches[0]!.run_id);
}

/** The run's rounds, one row each: round, labelled, metrics (all, or the chosen ones), timings. */
async function roundRows(store: Store, id: string, chosen: string | undefined): Promise<Array<Record<string, unknown>>> {
  const rounds = await store.query(`SELECT round, labelled, ${TIMINGS.join(", ")} FROM rounds WHERE run_id = ? ORDER BY round`, [id]);
  const metrics = await store.query("SELECT round, metric, value FROM metrics WHERE run_id = ? ORDER BY metric", [id]);
  const known = [...new Set(metrics.map((m) => String(m.metric)))].sort();
  let names = known;
  if (chosen !== undefined) {
    names = chosen.split(",").map((m) => m.trim()).filter(Boolean);
    if (names.length === 0) throw new SpecError(`--metrics: expected metric names separated by commas, e.g. --metrics accuracy,macro_f1`);
    const unknown = names.filter((m) => !known.includes(m));
    if (unknown.length > 0) {
      throw new SpecError(`--metrics: ${unknown.join(", ")} ${unknown.length > 1 ? "are not metrics" : "is not a metric"} of run ${id}; known: ${known.join(", ") || "(none stored)"}`);
    }
  }
  const byRound = new Map<number, Record<string, number>>();
  for (const m of metrics) {
    const r = Number(m.round);
    if (!byRound.has(r)) byRound.set(r, {});
    byRound.get(r)![String(m.metric)] = m.value as number;
  }
  return rounds.map((r) => {
    const row: Record<string, unknown> = { round: r.round, labelled: r.labelled };
    const values = byRound.get(Number(r.round)) ?? {};
    for (const n of names) row[n] = values[n] ?? null;
    if (chosen === undefined) for (const t of TIMINGS) row[t] = r[t];
    return row;
  });
}

/** What show says of a run stored before the store kept its data's checksum and files. */
const NOT_STORED = "not stored (run made before schema 6)";

/** The path keys of a user's own data set (`dataset: { file, … }`), in the order its loader reads them. */
const FILE_KEYS = ["file", "labelsFile", "testFile", "testLabelsFile"] as const;

interface Provenance {
  dataset: string;
  /** The run's data-set reference as its config holds it (row limits, splits, generator parameters…). */
  reference: Record<string, unknown>;
  /** The data checksum the run id hashes, as stored with the run; null for runs made before schema 6. */
  checksum: string | null;
  /** The files the run read, with their sha256 and size, as stored; null for runs made before schema 6. */
  files: SourceFile[] | null;
  /** Runs made before schema 6 only: the files the reference names (a catalogue set: with the sha256 the catalogue expects). */
  expected?: Array<{ path: string; sha256?: string }>;
  note?: string;
}

/** Which data a run read: its data-set reference, and the checksum and files stored with it. */
async function provenance(dataset: Record<string, unknown>, run: Record<string, unknown>): Promise<Provenance> {
  const { name, file } = dataset as { name?: string; file?: string } & Record<string, unknown>;
  const checksum = typeof run.data_checksum === "string" ? run.data_checksum : null;
  const files = typeof run.data_files === "string" ? (JSON.parse(run.data_files) as SourceFile[]) : null;
  const out: Provenance = { dataset: String(name ?? file ?? "(unnamed)"), reference: dataset, checksum, files };
  if (typeof file === "string") {
    if (files === null) out.expected = FILE_KEYS.flatMap((k) => (typeof dataset[k] === "string" ? [{ path: dataset[k] }] : []));
    return out;
  }
  if (typeof dataset.images === "string") {
    if (files === null) out.note = `image folder ${dataset.images}: its files and sha256 ${NOT_STORED}`;
    return out;
  }
  // The catalogue is plain data (no readers): cheap to consult for what a named set is.
  const { catalog } = await import("../data/catalog.ts");
  const entry = catalog.find((e) => e.name === name);
  if (entry === undefined) out.note = "not a catalogue set of this version";
  else if (entry.files.length === 0) out.note = `generated (${entry.source}), no files`;
  else if (files === null) out.expected = entry.files.map((f) => ({ path: f.path, sha256: f.sha256 }));
  return out;
}
