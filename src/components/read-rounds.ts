/**
 * Parses the rounds Parquet (as produced by the quickstart loader) into plain row objects.
 * Takes bytes rather than a URL so it stays pure: the page does the FileAttachment fetch.
 */
import { parquetReadObjects } from "hyparquet";

/** A parsed round: strings, numbers, booleans or null; never BigInt. */
export type ParsedRound = Record<string, string | number | boolean | null>;

export async function readRounds(bytes: ArrayBuffer): Promise<ParsedRound[]> {
  const rows = await parquetReadObjects({ file: bytes });
  // INT64 columns (seed, round, labelled as DuckDB stores them) arrive as BigInt, which Plot,
  // Inputs.table and arithmetic with numbers all reject; counts this size fit a double exactly.
  return rows.map((row) => {
    const out: ParsedRound = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] =
        typeof value === "bigint" ? Number(value)
        : value === undefined ? null
        : typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null ? value
        : String(value);
    }
    return out;
  });
}
