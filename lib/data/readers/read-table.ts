/** Reads a table file by its extension: .csv (or .tsv), .jsonl / .ndjson, .parquet. */
import type { RawTable } from "../table.ts";
import { readCsv } from "./csv.ts";
import { readJsonl } from "./jsonl.ts";
import { readParquet } from "./parquet.ts";

export type TableFormat = "csv" | "tsv" | "jsonl" | "parquet";

export function tableFormat(path: string): TableFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".tsv")) return "tsv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".parquet")) return "parquet";
  throw new Error(`${path}: unknown table format; expected a .csv, .tsv, .jsonl, .ndjson or .parquet file`);
}

export function readTable(path: string, format: TableFormat = tableFormat(path)): Promise<RawTable> {
  switch (format) {
    case "csv":
      return readCsv(path);
    case "tsv":
      return readCsv(path, { delimiter: "\t" });
    case "jsonl":
      return readJsonl(path);
    case "parquet":
      return readParquet(path);
  }
}
