import { existsSync } from "node:fs";
import { SpecError } from "../experiments/errors.ts";
import { defaultDb } from "../runner/default-db.ts";
import type { Store } from "../store/duckdb.ts";

/**
 * Opens an existing store for a verb, with a one-line error when there is none. Read-only opens
 * of a store that a running grid holds read its snapshot instead, saying so once on stderr.
 */
export async function openExisting(db: string | undefined, options: { readOnly: boolean }): Promise<Store> {
  const path = db ?? defaultDb;
  if (!existsSync(path)) {
    throw new SpecError(`${path}: no store here; run an experiment first (al run experiments/quickstart.ts) or pass --db`);
  }
  // Loaded here, not at the top: `al <verb> --help` and `al --version` need no DuckDB.
  const { openStore } = await import("../store/duckdb.ts");
  if (!options.readOnly) return openStore(path);
  return openStore(path, { readOnly: true, snapshotFallback: { notice: (line) => void process.stderr.write(line + "\n") } });
}

/** Renders rows as an aligned plain-text table (numbers right-aligned, and the columns in `right`). */
export function table(rows: Array<Record<string, unknown>>, columns?: string[], options: { right?: readonly string[] } = {}): string {
  if (rows.length === 0) return "(none)";
  const cols = columns ?? Object.keys(rows[0]!);
  const text = (v: unknown): string =>
    v === null || v === undefined ? "" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v instanceof Date ? v.toISOString() : String(v);
  const cells = rows.map((r) => cols.map((c) => text(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const numeric = cols.map((c) => options.right?.includes(c) || rows.every((r) => typeof r[c] === "number" || r[c] === null));
  const line = (values: string[]) => values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(cols), line(widths.map((w) => "─".repeat(w))), ...cells.map(line)].join("\n");
}
