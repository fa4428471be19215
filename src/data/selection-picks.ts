/**
 * Every run's picks for the Selection maps page, as the Parquet file selections.parquet ships: a
 * row per run × round with the pool rows it acquired as a sorted integer list (Parquet's delta
 * coding makes a sorted list a fraction of its JSON: 0.98 MB of indices at 1,000 runs became about
 * a third), plus `lead`, the positions in that list of the round's first picks by rank, which is
 * all of the rank order the page uses (its thumbnails show a batch's first 16 as ranked).
 * Store-only (no data set is read: the loader passes the runs selection-map.ts mappedRuns keeps);
 * src/components/selection-picks.ts reads it back and maps the pool rows onto the shown points of
 * selections.json. Not a loader:
 * experiments/[experiment]/selections.parquet.ts calls it.
 */
import { rowsParquet } from "./parquet-rows.ts";
import { THUMBNAILS_PER_ROUND, type StoredSelections } from "./selection-map.ts";

export interface SelectionPickRow {
  run_id: string;
  round: number;
  /** Pool rows acquired at the round, ascending. */
  picks: number[];
  /** Positions in `picks` of the round's first picks in rank order (up to `lead` of them). */
  lead: number[];
}

export interface SelectionPickOptions {
  /** How many of each round's first picks keep their rank order; default THUMBNAILS_PER_ROUND (16). */
  lead?: number;
}

/** One row per stored run × round (rounds without picks too, so round numbers stay positions). */
export function selectionPickRows(stored: StoredSelections, options: SelectionPickOptions = {}): SelectionPickRow[] {
  const lead = options.lead ?? THUMBNAILS_PER_ROUND;
  if (!Number.isInteger(lead) || lead < 0) throw new Error(`selectionPickRows: lead must be a whole number ≥ 0; got ${lead}`);
  return stored.runs.flatMap((run) =>
    run.rounds.map((ranked, round) => {
      const picks = [...ranked].sort((a, b) => a - b);
      // Each row's next unused position in the sorted list (a row stored twice sits at two adjacent ones).
      const next = new Map<number, number>();
      picks.forEach((row, k) => next.has(row) || next.set(row, k));
      const positions = ranked.slice(0, lead).map((row) => {
        const k = next.get(row)!;
        next.set(row, k + 1);
        return k;
      });
      return { run_id: run.run_id, round, picks, lead: positions };
    }),
  );
}

export function selectionPicksParquet(rows: readonly SelectionPickRow[]): Promise<Uint8Array> {
  return rowsParquet(rows as unknown as Record<string, string | number | number[]>[], {
    columns: { run_id: "VARCHAR", round: "INTEGER", picks: "INTEGER[]", lead: "INTEGER[]" },
  });
}
