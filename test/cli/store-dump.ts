/** Shared by the tests that compare a store with a local run's: every row, timing apart. */
import { queryStore } from "./al.ts";

/** Columns that measure time or when something happened: equal only by chance. */
export const TIMING: Record<string, string[]> = {
  runs: ["started_at", "finished_at", "seconds"],
  rounds: ["train_seconds", "score_seconds", "select_seconds", "evaluate_seconds", "reference_seconds"],
  experiments: ["updated_at"],
  selection_maps: ["seconds", "created_at"],
};

/** Every table of the store but meta, as sorted JSON rows without (or with only) timing columns. */
export async function dump(db: string, part: "values" | "timing"): Promise<Record<string, string[]>> {
  const tables = (await queryStore(db, "SELECT table_name FROM information_schema.tables WHERE table_name <> 'meta' ORDER BY table_name")).map((r) => String(r.table_name));
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const timing = TIMING[table] ?? [];
    if (part === "timing" && timing.length === 0) continue;
    const select = part === "values" ? (timing.length > 0 ? `* EXCLUDE (${timing.join(", ")})` : "*") : timing.map((c) => `${c} IS NOT NULL AS ${c}`).join(", ");
    const rows = await queryStore(db, `SELECT ${select} FROM "${table}"`);
    // JSON text of each row, sorted: tables without a key (selections) have no stored order.
    out[table] = rows.map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === "bigint" ? Number(v) : v))).sort();
  }
  return out;
}
