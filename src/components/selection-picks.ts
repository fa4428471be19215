/**
 * The Selection maps page's picks file (selections.parquet, written by
 * src/data/selection-picks.ts) read back and joined onto selections.json's runs: each round's pool
 * rows, the first ones in rank order (the file's `lead`) and the rest ascending, mapped to indices
 * into the run's pool's shown points. That is the order the page needs: its thumbnails show a
 * batch's first 16 as ranked, and the map draws sets. Takes bytes, not a URL, so it stays pure.
 */
import { parquetReadObjects } from "hyparquet";

/** Per run id, per round, the pool rows acquired (lead by rank first, then ascending). */
export type PoolRowPicks = Map<string, number[][]>;

export async function readSelectionPicks(bytes: ArrayBuffer): Promise<PoolRowPicks> {
  const rows = await parquetReadObjects({ file: bytes });
  const out: PoolRowPicks = new Map();
  for (const row of rows) {
    const id = String(row.run_id);
    const round = Number(row.round);
    const picks = integers(row.picks);
    const lead = integers(row.lead);
    const first = new Set(lead);
    const rounds = out.get(id) ?? [];
    out.set(id, rounds);
    while (rounds.length <= round) rounds.push([]);
    rounds[round] = [...lead.map((k) => picks[k]!), ...picks.filter((_, k) => !first.has(k))];
  }
  return out;
}

/** The fields of selections.json used here (src/data/selection-map.ts SelectionPoolsData). */
export interface ShippedPools<Run extends { run_id: string; pool: number }> {
  pools: readonly { index: readonly number[]; label: string; problem?: string }[];
  runs: readonly Run[];
}

/**
 * Each run with `rounds`: indices into its pool's shown points, none when the pool has no map.
 * Throws when a pick is not among the shown points (the two files come from different builds).
 */
export function withPicks<Run extends { run_id: string; pool: number }, Data extends ShippedPools<Run>>(
  data: Data,
  picks: PoolRowPicks,
): Omit<Data, "runs"> & { runs: (Run & { rounds: number[][] })[] } {
  const positions = data.pools.map((pool) => new Map(pool.index.map((row, k) => [row, k])));
  const runs = data.runs.map((run) => {
    const pool = data.pools[run.pool];
    if (!pool || pool.problem) return { ...run, rounds: [] };
    const at = positions[run.pool]!;
    const rounds = (picks.get(run.run_id) ?? []).map((round) =>
      round.map((row) => {
        const k = at.get(row);
        if (k === undefined) throw new Error(`selections: run ${run.run_id} picked pool row ${row}, which ${pool.label}'s map does not show; rebuild the site (selections.json and selections.parquet are out of step)`);
        return k;
      }),
    );
    return { ...run, rounds };
  });
  return { ...data, runs };
}

function integers(value: unknown): number[] {
  return Array.isArray(value) ? value.map(Number) : [];
}
