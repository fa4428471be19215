/**
 * Shared by the site's data loaders (not a loader itself: Framework only runs `name.ext.ts`
 * files): make sure the quickstart is stored, then read the store read-only. While `al run`
 * holds the store, reads come from its snapshot, so a build never waits on a running grid and
 * never writes what is stored. Env: AL_DB (default results/al.duckdb), AL_PROFILE.
 */
import { parseArgs } from "node:util";
import type { Row, Store } from "../../lib/store/duckdb.ts";

export const storePath = (): string => process.env.AL_DB ?? "results/al.duckdb";

/** The experiment a fresh `npm start` / `npm run build` runs when the store lacks it. */
export const QUICKSTART = "quickstart";

const log = (line: string): void => void process.stderr.write(line + "\n");

/**
 * Whether the site includes (and, when missing, runs) the quickstart: yes for this repository's
 * `npm start` / `npm run build`; `al site build` on a user's own store sets AL_SITE_QUICKSTART=skip
 * (unless asked with --quickstart), so it publishes exactly what the store holds and trains nothing.
 */
export const includesQuickstart = (): boolean => process.env.AL_SITE_QUICKSTART !== "skip";

/** Runs the quickstart's missing runs (none after `al run`); a busy store runs nothing. */
export async function ensureQuickstart(): Promise<void> {
  if (!includesQuickstart()) return;
  const { ensureExperiment } = await import("../../lib/runner/ensure.ts");
  await ensureExperiment({ file: "experiments/quickstart.ts", db: storePath(), profile: process.env.AL_PROFILE || undefined, log });
}

/**
 * The experiment a parameterised loader (src/data/experiments/[experiment]/<output>.ts) is run
 * for: Framework passes `--experiment=<name>`. The quickstart's missing runs are run first.
 */
export async function loaderExperiment(output: string): Promise<string> {
  const { values } = parseArgs({ options: { experiment: { type: "string" } }, strict: false });
  const experiment = typeof values.experiment === "string" ? values.experiment : "";
  if (!experiment) throw new Error(`${output}.ts: missing --experiment=<name> (Framework passes it for src/data/experiments/<name>/${output})`);
  if (experiment === QUICKSTART) await ensureQuickstart();
  return experiment;
}

/**
 * The pool a per-pool loader (src/data/experiments/[experiment]/selections-[pool].*.ts) is run
 * for: Framework passes `--pool=<k>`, the pool's position in the experiment's pool list.
 */
export function loaderPool(output: string): number {
  const { values } = parseArgs({ options: { pool: { type: "string" } }, strict: false });
  const pool = typeof values.pool === "string" ? values.pool : "";
  if (!/^(0|[1-9][0-9]{0,5})$/.test(pool)) throw new Error(`${output}.ts: --pool must be a pool number (0, 1, …), got ${JSON.stringify(pool)} (Framework passes it for …/selections-<k>.*)`);
  return Number(pool);
}

/** Opens the store (or its snapshot) read-only for `read`, and always closes it. */
export async function readStore<T>(read: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import("../../lib/store/duckdb.ts");
  const store = await openStore(storePath(), { readOnly: true, snapshotFallback: { notice: log } });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/** DuckDB hands INT64 and aggregates back as BigInt; pages want plain numbers. */
export function num(value: Row[string] | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function text(value: Row[string] | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
}

export { parseStoredJson } from "../../lib/store/stored-json.ts";
