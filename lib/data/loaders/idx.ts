/**
 * Image sets in IDX files: predefined pool/test files (Fashion-MNIST), or one images+labels
 * pair that we split (the MNIST 10k set). Pixels are scaled to [0, 1].
 */
import { resolve } from "node:path";
import type { Dataset } from "../dataset.ts";
import { carveValidation, finishParts, splitRows, type Columns, type Parts } from "../assemble.ts";
import type { IdxEntry } from "../catalog.ts";
import { datasetChecksum, sha256Hex } from "../checksum.ts";
import { readBytes } from "../files.ts";
import type { ResolvedOptions } from "../options.ts";
import { parseIdx, type IdxArray } from "../readers/idx.ts";
import { finishSplits } from "./finish.ts";

/** Images and labels → columns; only the first `limit` rows are converted. */
function toColumns(images: IdxArray, labels: IdxArray, limit: number | undefined, classes: number, source: string): Columns {
  const total = images.shape[0]!;
  if (labels.shape.length !== 1 || labels.shape[0] !== total) {
    throw new Error(`${source}: ${labels.shape[0]} labels for ${total} images; the two files must match`);
  }
  if (limit !== undefined && limit > total) {
    throw new Error(`${source}: asked for ${limit} rows but the file has ${total}; lower dataset.pool / dataset.test`);
  }
  const n = limit ?? total;
  const d = images.shape.slice(1).reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) x[i] = images.data[i]! / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i]!;
    if (label >= classes) throw new Error(`${source}: label ${label} at row ${i} is outside 0..${classes - 1}`);
    y[i] = label;
  }
  return { x: { data: x, n, c: d }, y, rows: Int32Array.from({ length: n }, (_, i) => i) };
}

export async function loadIdxSet(entry: IdxEntry, paths: string[], options: ResolvedOptions): Promise<Dataset> {
  // One at a time, so a missing set always reports its first missing file.
  const bytes: Uint8Array[] = [];
  for (const path of paths) bytes.push(await readBytes(path));
  const hashes = bytes.map((b) => sha256Hex(b));
  const checksum = datasetChecksum(hashes, { ...options });
  const arrays = bytes.map((b, i) => parseIdx(b, paths[i]!));
  const file = (split: string, part: string): number => entry.files.findIndex((f) => f.split === split && f.part === part);
  const k = entry.classes.length;

  let parts: Parts;
  let shape: number[];
  if (file("all", "images") >= 0) {
    const [img, lbl] = [file("all", "images"), file("all", "labels")];
    shape = arrays[img]!.shape.slice(1);
    const all = toColumns(arrays[img]!, arrays[lbl]!, undefined, k, paths[img]!);
    parts = finishParts(splitRows(all, options.split!, entry.name), options, entry.name);
  } else {
    // Swapping here keeps the row limits on the (file-ordered) parts cheap: only the rows kept are converted.
    const [from, to] = options.swap ? ["test", "pool"] : ["pool", "test"];
    const pi = file(from, "images");
    const ti = file(to, "images");
    shape = arrays[pi]!.shape.slice(1);
    if (options.split) {
      const pool = toColumns(arrays[pi]!, arrays[file(from, "labels")]!, undefined, k, paths[pi]!);
      const carved = carveValidation(pool, options.split, entry.name);
      const test = toColumns(arrays[ti]!, arrays[file(to, "labels")]!, options.test, k, paths[ti]!);
      parts = finishParts({ ...carved, test }, { ...options, swap: false, test: undefined }, entry.name);
    } else {
      parts = {
        pool: toColumns(arrays[pi]!, arrays[file(from, "labels")]!, options.pool, k, paths[pi]!),
        test: toColumns(arrays[ti]!, arrays[file(to, "labels")]!, options.test, k, paths[ti]!),
      };
    }
  }
  const splits = finishSplits(parts, options, entry.name);
  return {
    name: entry.name,
    task: "multiclass",
    kind: "image",
    classes: entry.classes,
    shape,
    pool: splits.pool,
    test: splits.test,
    ...(splits.validation ? { validation: splits.validation } : {}),
    checksum,
    readFrom: paths.map((path, i) => ({ path: resolve(path), sha256: hashes[i]!, bytes: bytes[i]!.byteLength })),
  };
}
