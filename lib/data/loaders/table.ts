/**
 * Text and tabular sets from CSV files: one schema over all the set's files (classes, numeric
 * and one-hot columns), then predefined parts (train/dev/test files) or a seeded split of the
 * one file. Identical texts (after tokenization) stay on one side of a split, so a duplicated
 * title cannot be both trained on and tested.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Dataset } from "../dataset.ts";
import { carveValidation, finishParts, splitRows, type Columns, type Parts } from "../assemble.ts";
import type { TableEntry } from "../catalog.ts";
import { datasetChecksum } from "../checksum.ts";
import type { ResolvedOptions } from "../options.ts";
import { readTables } from "../read-tables.ts";
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
  // Streamed twice (schema, then arrays), hashing the bytes on the way: a large file never sits in memory as text.
  const { schema, tables: encoded, sha256 } = await readTables(paths, entry.table, { format: "csv" });
  const checksum = datasetChecksum(sha256, { ...options });
  const readFrom = await Promise.all(paths.map(async (path, i) => ({ path: resolve(path), sha256: sha256[i]!, bytes: (await stat(path)).size })));
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
    readFrom,
  };
}
