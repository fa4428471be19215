/**
 * Text and tabular sets from CSV files: one schema over all the set's files (classes, numeric
 * and one-hot columns), then predefined parts (train/dev/test files) or a seeded split of the
 * one file. Identical texts (after tokenization) stay on one side of a split, so a duplicated
 * title cannot be both trained on and tested.
 */
import type { Dataset } from "../dataset.ts";
import { carveValidation, finishParts, splitRows, type Columns, type Parts } from "../assemble.ts";
import type { TableEntry } from "../catalog.ts";
import { datasetChecksum, sha256Hex } from "../checksum.ts";
import { readBytes } from "../files.ts";
import type { ResolvedOptions } from "../options.ts";
import { parseCsv } from "../readers/csv.ts";
import { encodeTable, inferSchema, type RawTable } from "../table.ts";
import { memoTokenize } from "../text/tokenize.ts";
import { finishSplits } from "./finish.ts";

/** Group id per row: rows whose texts tokenize identically share one. */
export function duplicateGroups(texts: readonly string[], tokenize: (text: string) => string[]): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(texts, (t) => {
    const key = tokenize(t).join(" ");
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  });
}

export async function loadTableSet(entry: TableEntry, paths: string[], options: ResolvedOptions): Promise<Dataset> {
  const bytes: Uint8Array[] = [];
  for (const path of paths) bytes.push(await readBytes(path));
  const checksum = datasetChecksum(bytes.map((b) => sha256Hex(b)), { ...options });
  const decoder = new TextDecoder("utf-8");
  const tables: RawTable[] = bytes.map((b, i) => parseCsv(decoder.decode(b), paths[i]!));
  const schema = inferSchema(tables, entry.table);
  const encoded: Columns[] = tables.map((t) => encodeTable(t, schema));
  const byRole = (split: string): Columns | undefined => {
    const i = entry.files.findIndex((f) => f.split === split);
    return i >= 0 ? encoded[i] : undefined;
  };

  let parts: Parts;
  const all = byRole("all");
  const tokenize = memoTokenize();
  if (all) {
    const groups = all.texts ? duplicateGroups(all.texts, tokenize) : undefined;
    parts = splitRows(all, options.split!, entry.name, groups);
  } else {
    const pool = byRole("pool")!;
    const test = byRole("test")!;
    const validation = byRole("validation");
    if (validation) parts = { pool, test, validation };
    else if (options.split) parts = { ...carveValidation(pool, options.split, entry.name), test };
    else parts = { pool, test };
  }
  const splits = finishSplits(finishParts(parts, options, entry.name), options, entry.name, tokenize);
  const text = entry.kind === "text";
  return {
    name: entry.name,
    task: schema.task,
    kind: entry.kind,
    classes: schema.classes,
    shape: splits.shape ?? [schema.featureNames.length],
    pool: splits.pool,
    test: splits.test,
    ...(splits.validation ? { validation: splits.validation } : {}),
    ...(splits.vocabulary ? { vocabulary: splits.vocabulary } : {}),
    ...(text ? (splits.featureNames ? { features: splits.featureNames } : {}) : { features: schema.featureNames }),
    checksum,
  };
}
