/**
 * CIFAR-10 from its binary batches: data_batch_1..5 are the pool (50,000), test_batch the test
 * part (10,000). A pool point's source row is its index in the five batches read in order
 * (row r = record r mod 10,000 of data_batch_⌊r / 10,000⌋+1). As for the IDX sets, the row
 * limits convert only the rows kept, so `{ name: "cifar10", pool: 1000, test: 5000 }` costs the
 * file reads and 6,000 rows of floats, not 60,000.
 */
import { resolve } from "node:path";
import { carveValidation, finishParts, type Columns, type Parts } from "../assemble.ts";
import type { CifarEntry } from "../catalog.ts";
import { datasetChecksum, sha256Hex } from "../checksum.ts";
import type { Dataset } from "../dataset.ts";
import { readBytes } from "../files.ts";
import type { ResolvedOptions } from "../options.ts";
import { CIFAR_PLANE, CIFAR_SIDE, cifarRecordCount, readCifarRecords } from "../readers/cifar.ts";
import { finishSplits } from "./finish.ts";

interface Batch {
  bytes: Uint8Array;
  path: string;
  records: number;
}

/** The first `limit` records (default all) of the batches, read in order. */
function toColumns(batches: Batch[], limit: number | undefined, classes: number, what: string): Columns {
  const total = batches.reduce((a, b) => a + b.records, 0);
  if (limit !== undefined && limit > total) {
    throw new Error(`${what}: asked for ${limit} rows but the files have ${total}; lower dataset.pool / dataset.test`);
  }
  const n = limit ?? total;
  const d = 3 * CIFAR_PLANE;
  const out = { x: new Float32Array(n * d), y: new Int32Array(n), offset: 0 };
  for (const batch of batches) {
    if (out.offset >= n) break;
    const count = Math.min(batch.records, n - out.offset);
    readCifarRecords(batch.bytes, batch.path, { start: 0, count }, classes, out);
    out.offset += count;
  }
  return { x: { data: out.x, n, c: d }, y: out.y, rows: Int32Array.from({ length: n }, (_, i) => i) };
}

export async function loadCifarSet(entry: CifarEntry, paths: string[], options: ResolvedOptions): Promise<Dataset> {
  const bytes: Uint8Array[] = [];
  for (const path of paths) bytes.push(await readBytes(path));
  const hashes = bytes.map((b) => sha256Hex(b));
  const checksum = datasetChecksum(hashes, { ...options });
  const batches = bytes.map((b, i): Batch => ({ bytes: b, path: paths[i]!, records: cifarRecordCount(b, paths[i]!) }));
  const part = (split: "pool" | "test"): Batch[] => batches.filter((_, i) => entry.members[i]!.split === split);
  const k = entry.classes.length;
  const [from, to] = options.swap ? (["test", "pool"] as const) : (["pool", "test"] as const);

  let parts: Parts;
  if (options.split) {
    const carved = carveValidation(toColumns(part(from), undefined, k, entry.name), options.split, entry.name);
    const test = toColumns(part(to), options.test, k, entry.name);
    parts = finishParts({ ...carved, test }, { ...options, swap: false, test: undefined }, entry.name);
  } else {
    parts = { pool: toColumns(part(from), options.pool, k, entry.name), test: toColumns(part(to), options.test, k, entry.name) };
  }
  const splits = finishSplits(parts, options, entry.name);
  return {
    name: entry.name,
    task: "multiclass",
    kind: "image",
    classes: entry.classes,
    shape: [CIFAR_SIDE, CIFAR_SIDE, 3],
    pool: splits.pool,
    test: splits.test,
    ...(splits.validation ? { validation: splits.validation } : {}),
    checksum,
    readFrom: paths.map((path, i) => ({ path: resolve(path), sha256: hashes[i]!, bytes: bytes[i]!.byteLength })),
  };
}
