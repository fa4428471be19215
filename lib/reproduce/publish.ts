/**
 * A reproduction's shipped results: every measure of every run, the drawn curve, and what it
 * ran on, computed from the store once (`al reproduce`) and written as small Parquet files plus
 * meta.json under results/published/<study>/<profile>/. The site reads these, so a reader's
 * build shows the numbers without a store and without recomputing a run.
 */
import { cpus, hostname, platform, release, totalmem } from "node:os";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { RunConfig } from "../experiments/spec.ts";
import type { Store } from "../store/duckdb.ts";
import type { Reproduction, ReproductionRound, ReproductionRun } from "./define.ts";
import { tempName } from "../store/temp-name.ts";
import { revisionOf, type RevisionSet } from "../revisions.ts";

/** One measure of one run. `value` null: the run does not reach it (e.g. a target never met). */
export interface MeasureRow {
  setting: string;
  sampler: string;
  repetition: string;
  measure: string;
  value: number | null;
}

export interface CurveRow {
  setting: string;
  sampler: string;
  repetition: string;
  labelled: number;
  value: number;
}

export interface PublishedMeta {
  study: string;
  /** The experiment file's profile the runs came from ("full" = the published protocol). */
  profile: string;
  /** The experiment file (relative to the package root when inside it), whose paper values the page shows. */
  file: string;
  runs: number;
  failed: number;
  backends: string[];
  versions: Record<string, string>;
  machine: { host: string; cpu: string; cores: number; memoryGiB: number; os: string };
  /** Sum of the runs' seconds (compute time) and first start → last finish (wall time). */
  computeSeconds: number;
  wallSeconds: number;
  startedAt: string;
  finishedAt: string;
  /**
   * The code revisions (lib/revisions.ts) of every component the runs went through. A stored
   * run's id includes its bumped revisions, so these are the revisions that computed it. Absent in
   * files published before it was recorded.
   */
  revisions?: RevisionSet;
}

export interface Published {
  meta: PublishedMeta;
  measures: MeasureRow[];
  curves: CurveRow[];
}

export const sampledName = (config: RunConfig): string =>
  config.baseline ? `naive ${config.baseline.percent}%` : config.sampler.name;

/** The repetition a run is, within its setting and sampler: its seed, plus what else differs (e.g. a swapped split). */
export function defaultRepetition(config: RunConfig): string {
  const swap = (config.dataset as { swap?: boolean }).swap ? " · swapped split" : "";
  return `seed ${config.seed}${swap}`;
}

/** The given runs with their rounds and metrics, as measures see them (failed ones only counted). */
export async function storedRuns(store: Store, runIds: readonly string[]): Promise<{ runs: Array<ReproductionRun & { backend: string; versions: Record<string, string>; startedAt: Date; finishedAt: Date }>; failed: number }> {
  const rows = await store.query(
    `SELECT r.run_id, r.config::VARCHAR AS config, r.status, r.seconds, r.backend, r.versions::VARCHAR AS versions, r.started_at, r.finished_at
       FROM runs r WHERE r.run_id IN (SELECT unnest(string_split(?, ','))) ORDER BY r.run_id`,
    [runIds.join(",")],
  );
  const done = rows.filter((r) => r.status === "done");
  const metricRows = await store.query(
    `SELECT ro.run_id, ro.round, ro.labelled, m.metric, m.value FROM rounds ro
       JOIN runs r ON r.run_id = ro.run_id AND r.status = 'done'
       LEFT JOIN metrics m ON m.run_id = ro.run_id AND m.round = ro.round
      WHERE ro.run_id IN (SELECT unnest(string_split(?, ','))) ORDER BY ro.run_id, ro.round`,
    [runIds.join(",")],
  );
  const rounds = new Map<string, Map<number, ReproductionRound & { metrics: Record<string, number> }>>();
  for (const r of metricRows) {
    const id = String(r.run_id);
    const round = Number(r.round);
    let byRound = rounds.get(id);
    if (!byRound) rounds.set(id, (byRound = new Map()));
    let entry = byRound.get(round);
    if (!entry) byRound.set(round, (entry = { round, labelled: Number(r.labelled), metrics: {} }));
    if (r.metric !== null && r.value !== null) entry.metrics[String(r.metric)] = Number(r.value);
  }
  return {
    failed: rows.length - done.length,
    runs: done.map((r) => ({
      config: JSON.parse(String(r.config)) as RunConfig,
      rounds: [...(rounds.get(String(r.run_id))?.values() ?? [])].sort((a, b) => a.round - b.round),
      seconds: Number(r.seconds),
      backend: String(r.backend),
      versions: JSON.parse(String(r.versions ?? "{}")) as Record<string, string>,
      startedAt: r.started_at as Date,
      finishedAt: r.finished_at as Date,
    })),
  };
}

/** Every measure and the curve of each of the runs (the profile's grid, as stored). */
export async function collectPublished(store: Store, reproduction: Reproduction, source: { file: string; profile: string }, runIds: readonly string[]): Promise<Published> {
  const { file, profile } = source;
  const { runs, failed } = await storedRuns(store, runIds);
  if (runs.length === 0) throw new Error(`reproduction "${reproduction.study}": the store ${store.path} has none of the grid's runs done (al run its file first)`);
  const setting = reproduction.setting ?? (() => "all");
  const sampler = reproduction.sampler ?? sampledName;
  const repetition = reproduction.repetition ?? defaultRepetition;
  const measures: MeasureRow[] = [];
  const curves: CurveRow[] = [];
  const seen = new Map<string, string>();
  const scale = reproduction.curve.scale ?? 1;
  for (const run of runs) {
    const key = { setting: setting(run.config), sampler: sampler(run.config), repetition: repetition(run.config) };
    const id = `${key.setting} / ${key.sampler} / ${key.repetition}`;
    if (seen.has(id)) throw new Error(`reproduction "${reproduction.study}": two runs are the same repetition (${id}); give the reproduction a repetition() that tells them apart`);
    seen.set(id, id);
    for (const [name, measure] of Object.entries(reproduction.measures)) {
      const value = measure.of(run, runs);
      measures.push({ ...key, measure: name, value: value === undefined || !Number.isFinite(value) ? null : value });
    }
    for (const r of run.rounds) {
      const v = r.metrics[reproduction.curve.metric];
      if (v !== undefined) curves.push({ ...key, labelled: r.labelled, value: v * scale });
    }
  }
  const cpu = cpus();
  const started = Math.min(...runs.map((r) => r.startedAt.getTime()));
  const finished = Math.max(...runs.map((r) => r.finishedAt.getTime()));
  const meta: PublishedMeta = {
    study: reproduction.study,
    profile,
    file,
    runs: runs.length,
    failed,
    backends: [...new Set(runs.map((r) => r.backend))].sort(),
    versions: runs[0]!.versions,
    machine: { host: hostname(), cpu: cpu[0]?.model.trim() ?? "unknown", cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}` },
    computeSeconds: runs.reduce((s, r) => s + r.seconds, 0),
    wallSeconds: (finished - started) / 1000,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    revisions: gridRevisions(runs.map((r) => r.config)),
  };
  return { meta, measures, curves };
}

/** Every component's revision over the runs, by name (one code computed them, so no component has two). */
export function gridRevisions(configs: readonly RunConfig[]): RevisionSet {
  const all: RevisionSet = {};
  for (const config of configs) Object.assign(all, revisionOf(config));
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
}

export const publishedDir = (root: string, study: string, profile: string): string => join(root, study, profile);

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Writes the three files into `dir` as a whole: a half-written directory never replaces a good one. */
export async function writePublished(dir: string, published: Published): Promise<void> {
  const partial = tempName(dir, "partial");
  const old = tempName(dir, "old");
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    const db = await DuckDBInstance.create(":memory:");
    const c = await db.connect();
    try {
      for (const [name, rows] of [["measures", published.measures], ["curves", published.curves]] as const) {
        const json = join(partial, `${name}.json`);
        await writeFile(json, JSON.stringify(rows));
        const columns = name === "measures"
          ? "{setting: 'VARCHAR', sampler: 'VARCHAR', repetition: 'VARCHAR', measure: 'VARCHAR', value: 'DOUBLE'}"
          : "{setting: 'VARCHAR', sampler: 'VARCHAR', repetition: 'VARCHAR', labelled: 'INTEGER', value: 'DOUBLE'}";
        await c.run(`COPY (SELECT * FROM read_json(${sqlString(json)}, format = 'array', columns = ${columns}) ORDER BY ALL) TO ${sqlString(join(partial, `${name}.parquet`))} (FORMAT parquet)`);
        await rm(json);
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
    await writeFile(join(partial, "meta.json"), JSON.stringify(published.meta, null, 2) + "\n");
    await mkdir(join(dir, ".."), { recursive: true });
    if (existsSync(dir)) await rename(dir, old);
    await rename(partial, dir);
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) await rename(old, dir);
    throw e;
  }
}

/** Reads what writePublished wrote; a missing or broken file is an error naming it. */
export async function readPublished(dir: string): Promise<Published> {
  const metaFile = join(dir, "meta.json");
  let meta: PublishedMeta;
  try {
    meta = JSON.parse(await readFile(metaFile, "utf8")) as PublishedMeta;
  } catch (e) {
    throw new Error(`${metaFile}: cannot read the published meta (${(e as Error).message}); re-run al reproduce for this study`);
  }
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const read = async (name: string): Promise<Array<Record<string, unknown>>> => {
      const file = join(dir, `${name}.parquet`);
      if (!existsSync(file)) throw new Error(`${file}: missing; re-run al reproduce for this study`);
      const r = await c.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`);
      return r.getRowObjectsJS() as Array<Record<string, unknown>>;
    };
    const measures = (await read("measures")).map((r) => ({ setting: String(r.setting), sampler: String(r.sampler), repetition: String(r.repetition), measure: String(r.measure), value: r.value === null ? null : Number(r.value) }));
    const curves = (await read("curves")).map((r) => ({ setting: String(r.setting), sampler: String(r.sampler), repetition: String(r.repetition), labelled: Number(r.labelled), value: Number(r.value) }));
    return { meta, measures, curves };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
