/**
 * A user's own data file (`dataset: { file, … }`): a table (CSV, TSV, JSONL, Parquet, read by
 * lib/data/read-tables.ts) or NumPy arrays (.npy / .npz), then the same steps as the catalogue's
 * sets: a seeded split of the one file (or a second file as the test part), swap, row limits,
 * optional z-scoring with the pool's statistics, text features fit on the pool. The checksum is
 * over the files' bytes and the shaping options, never their paths, so moving a file keeps its
 * run ids and editing one cell changes them.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Matrix } from "../../al/matrix.ts";
import type { FileDatasetConfig } from "../../experiments/spec.ts";
import { carveValidation, finishParts, splitRows, type Columns, type Parts } from "../assemble.ts";
import { datasetChecksum, sha256File, sha256Hex } from "../checksum.ts";
import type { Dataset, DataKind, Task } from "../dataset.ts";
import { readBytes } from "../files.ts";
import type { ResolvedFileOptions } from "../options.ts";
import { readTables } from "../read-tables.ts";
import { elementCount, npyNumbers, npyFloat32, parseNpy, parseNpz, type NpyArray } from "../readers/npy.ts";
import type { TableFormat } from "../readers/read-table.ts";
import type { TableSpec } from "../table.ts";
import { memoTokenize } from "../text/tokenize.ts";
import { finishSplits } from "./finish.ts";
import { duplicateGroups } from "./table.ts";

const PATH_KEYS = ["file", "labelsFile", "testFile", "testLabelsFile"] as const;

/** The files a reference reads, in a fixed order (their hashes enter the checksum in it). */
function filesOf(ref: FileDatasetConfig): Array<{ key: (typeof PATH_KEYS)[number]; path: string }> {
  return PATH_KEYS.flatMap((key) => (ref[key] !== undefined ? [{ key, path: ref[key]! }] : []));
}

/** The file's size in bytes; a one-line error when it is missing or a directory. */
async function checkExists(path: string, key: string): Promise<number> {
  let isFile = false;
  let size = 0;
  try {
    const found = await stat(path);
    isFile = found.isFile();
    size = found.size;
  } catch {
    throw new Error(`${path}: file not found (dataset.${key}); check the path (a relative path is read from the experiment file's folder)`);
  }
  if (!isFile) throw new Error(`${path}: a directory, not a file (dataset.${key}); name the data file itself`);
  return size;
}

/** A part of the data as loaded, before the split: rows of one file. */
interface Loaded {
  task: Task;
  classes: string[];
  kind: DataKind;
  shape?: number[];
  featureNames?: string[];
  /** Encoded columns that are numeric (z-scored by `standardize`); absent = all. */
  numeric?: number[];
  parts: Columns[];
}

export async function loadFileSet(ref: FileDatasetConfig, options: ResolvedFileOptions): Promise<Dataset> {
  const files = filesOf(ref);
  const sizes: number[] = [];
  for (const { key, path } of files) sizes.push(await checkExists(path, key));
  const loaded = options.table ? await loadTables(ref, options) : await loadArrays(ref, options);
  const hashes = loaded.hashes ?? (await Promise.all(files.map((f) => sha256File(f.path))));
  // Everything that shapes the data, and nothing about where it lies.
  const { split, text, table, arrays, format, testFormat, swap, standardize, pool, test } = options;
  const checksum = datasetChecksum(hashes, { pool, test, split, text, table, arrays, format, testFormat, swap, standardize });

  const set = loaded.set;
  if (set.classes.length < 2) {
    const what = set.task === "multilabel" ? "label" : "class";
    const column = options.table ? `column ${JSON.stringify(ref.label ?? ref.labels)}` : `array ${JSON.stringify(options.arrays?.y ?? "labels")}`;
    throw new Error(
      `${ref.labelsFile ?? ref.file}: the labels (${column}) hold only one ${what} (${JSON.stringify(set.classes[0] ?? "")}); a classifier needs at least 2, so check that it is the label ${options.table ? "column" : "array"}`,
    );
  }

  const tokenize = memoTokenize();
  let parts: Parts;
  const [first, second] = set.parts;
  if (second) {
    parts = options.split ? { ...carveValidation(first!, options.split, ref.name), test: second } : { pool: first!, test: second };
  } else {
    const groups = first!.texts ? duplicateGroups(first!.texts, tokenize) : undefined;
    parts = splitRows(first!, options.split!, ref.name, groups);
  }
  parts = finishParts(parts, options, ref.name);
  if (options.standardize) parts = standardizeParts(parts, set.numeric);
  const splits = finishSplits(parts, options, ref.name, tokenize);
  return {
    name: ref.name,
    task: set.task,
    kind: set.kind,
    classes: set.classes,
    shape: splits.shape ?? set.shape ?? [splits.pool.x.c],
    pool: splits.pool,
    test: splits.test,
    ...(splits.validation ? { validation: splits.validation } : {}),
    ...(splits.vocabulary ? { vocabulary: splits.vocabulary } : {}),
    ...(splits.featureNames ? { features: splits.featureNames } : set.featureNames ? { features: set.featureNames } : {}),
    checksum,
    // `hashes` is in `files` order: the readers hash file, labelsFile, testFile, testLabelsFile in turn.
    readFrom: files.map((f, i) => ({ path: resolve(f.path), sha256: hashes[i]!, bytes: sizes[i]! })),
  };
}

async function loadTables(ref: FileDatasetConfig, options: ResolvedFileOptions): Promise<{ set: Loaded; hashes?: string[] }> {
  const paths = [ref.file, ...(ref.testFile !== undefined ? [ref.testFile] : [])];
  // FileTableSpec is TableSpec with `noisy` and 0/1 `labels` columns, which lib/data/table.ts reads.
  const spec = options.table as unknown as TableSpec;
  const result = await readTables(paths, spec, ref.format ? { format: ref.format as TableFormat } : {});
  const { schema, tables } = result;
  // The streaming readTables hashes the bytes it reads (`sha256`); without it they are read once more.
  const read = (result as { sha256?: unknown }).sha256;
  const hashes = Array.isArray(read) && read.length === paths.length ? (read as string[]) : undefined;
  const numeric: number[] = [];
  let offset = 0;
  for (const feature of schema.features) {
    if (feature.type === "numeric") numeric.push(offset++);
    else offset += feature.levels.length;
  }
  return {
    set: {
      task: schema.task,
      classes: schema.classes,
      kind: options.text ? "text" : "tabular",
      ...(options.text ? {} : { featureNames: schema.featureNames }),
      numeric,
      parts: tables,
    },
    ...(hashes ? { hashes } : {}),
  };
}

/** The arrays of one part (pool file or test file). */
interface ArrayPart {
  x: NpyArray;
  y: NpyArray;
  noisy?: NpyArray;
  /** For errors: where the labels came from. */
  labelsSource: string;
}

async function readArrayPart(ref: FileDatasetConfig, options: ResolvedFileOptions, features: string, labels: string | undefined, hashes: string[]): Promise<ArrayPart> {
  const bytes = await readBytes(features);
  hashes.push(sha256Hex(bytes));
  if (options.format === "npy") {
    const labelBytes = await readBytes(labels!);
    hashes.push(sha256Hex(labelBytes));
    return { x: parseNpy(bytes, features), y: parseNpy(labelBytes, labels!), labelsSource: labels! };
  }
  const archive = parseNpz(bytes, features);
  const { x, y, noisy } = options.arrays!;
  const get = (key: string, option: string): NpyArray => {
    const array = archive.get(key);
    if (!array) {
      const held = [...archive.keys()].map((k) => `"${k}"`).join(", ") || "no arrays";
      throw new Error(`${features}: no array "${key}" in the archive (it holds ${held}); set dataset.${option} to the right name`);
    }
    return array();
  };
  const noisyArray = noisy !== undefined ? get(noisy, "noisy") : archive.has("noisy") ? get("noisy", "noisy") : undefined;
  return { x: get(x, "xKey"), y: get(y, "yKey"), ...(noisyArray ? { noisy: noisyArray } : {}), labelsSource: `${features}: ${y}` };
}

function shapeText(shape: readonly number[]): string {
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

async function loadArrays(ref: FileDatasetConfig, options: ResolvedFileOptions): Promise<{ set: Loaded; hashes: string[] }> {
  const hashes: string[] = [];
  const parts = [await readArrayPart(ref, options, ref.file, ref.labelsFile, hashes)];
  if (ref.testFile !== undefined) parts.push(await readArrayPart(ref, options, ref.testFile, ref.testLabelsFile, hashes));

  const first = parts[0]!;
  if (first.x.shape.length < 2) {
    throw new Error(`${first.x.source}: features of shape ${shapeText(first.x.shape)}; expected one row per example (N×D, or N×H×W for images): reshape it, e.g. a.reshape(-1, 1)`);
  }
  const exampleShape = first.x.shape.slice(1);
  const multilabel = first.y.shape.length === 2 && first.y.shape[1]! > 1;
  for (const part of parts) {
    const n = part.x.shape[0]!;
    if (part.x.shape.slice(1).join("×") !== exampleShape.join("×")) {
      throw new Error(`${part.x.source}: examples of shape ${shapeText(part.x.shape.slice(1))}, but ${first.x.source} has ${shapeText(exampleShape)}; the test part must match the pool`);
    }
    if (part.y.shape[0] !== n) {
      const features = options.format === "npz" ? `array "${options.arrays!.x}"` : part.x.source;
      throw new Error(`${part.labelsSource}: ${part.y.shape[0] ?? 0} labels for the ${n} rows of ${features} (shapes ${shapeText(part.x.shape)} and ${shapeText(part.y.shape)}); give one label per row`);
    }
    const labelRank = part.y.shape.length === 2 && part.y.shape[1] === 1 ? 1 : part.y.shape.length;
    if (labelRank > 2 || (multilabel ? labelRank !== 2 || part.y.shape[1] !== first.y.shape[1] : labelRank !== 1)) {
      throw new Error(`${part.labelsSource}: labels of shape ${shapeText(part.y.shape)}; expected (N,) class labels or an N×L 0/1 matrix (multi-label)${parts.length > 1 ? ", the same for pool and test" : ""}`);
    }
    if (part.noisy && (part.noisy.shape.length !== 1 || part.noisy.shape[0] !== n)) {
      throw new Error(`${part.noisy.source}: noise flags of shape ${shapeText(part.noisy.shape)}; expected (${n},), one 0/1 flag per row`);
    }
  }

  let classes: string[];
  let columns: Columns[];
  if (multilabel) {
    const labels = first.y.shape[1]!;
    classes = Array.from({ length: labels }, (_, j) => String(j));
    columns = parts.map((part) => ({ ...features(part), ...multiLabels(part, labels) }));
  } else {
    // Class names: the distinct label values, in numeric order, over pool and test together.
    const values = parts.map((part) => npyNumbers(part.y));
    const distinct = new Set<number>();
    values.forEach((v, p) => {
      for (let i = 0; i < v.length; i++) {
        const label = v[i]!;
        if (!Number.isInteger(label)) {
          throw new Error(`${parts[p]!.labelsSource}: row ${i}: label ${label} is not an integer class; store class labels as integers (a.astype("int64"))`);
        }
        distinct.add(label);
      }
    });
    const sorted = [...distinct].sort((a, b) => a - b);
    const index = new Map(sorted.map((v, i) => [v, i]));
    classes = sorted.map(String);
    columns = parts.map((part, p) => ({ ...features(part), y: Int32Array.from(values[p]!, (v) => index.get(v)!) }));
  }
  const images = exampleShape.length >= 2;
  return { set: { task: multilabel ? "multilabel" : "multiclass", classes, kind: images ? "image" : "tabular", shape: exampleShape, parts: columns }, hashes };
}

/** Features (flattened per row), noise flags and source rows of one part. */
function features(part: ArrayPart): Omit<Columns, "y"> {
  const n = part.x.shape[0]!;
  const d = n === 0 ? 0 : elementCount(part.x) / n;
  const x: Matrix = { data: npyFloat32(part.x), n, c: d };
  let noisy: Uint8Array | undefined;
  if (part.noisy) {
    const flags = npyNumbers(part.noisy);
    noisy = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (flags[i] !== 0 && flags[i] !== 1) throw new Error(`${part.noisy.source}: row ${i}: ${flags[i]} is not 0 or 1; the noise flags mark mislabelled points`);
      noisy[i] = flags[i]!;
    }
  }
  return { x, ...(noisy ? { noisy } : {}), rows: Int32Array.from({ length: n }, (_, i) => i) };
}

/** An N×L 0/1 label matrix: the label sets, and each row's first label as `y`. */
function multiLabels(part: ArrayPart, labels: number): Pick<Columns, "y" | "labelSets"> {
  const values = npyNumbers(part.y);
  const n = part.y.shape[0]!;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let firstLabel = -1;
    for (let j = 0; j < labels; j++) {
      const v = values[i * labels + j]!;
      if (v !== 0 && v !== 1) throw new Error(`${part.labelsSource}: row ${i}, label ${j}: ${v} is not 0 or 1; a multi-label matrix holds 0/1 flags`);
      if (v === 1 && firstLabel < 0) firstLabel = j;
    }
    if (firstLabel < 0) throw new Error(`${part.labelsSource}: row ${i} has no label set to 1; every row needs at least one label (drop the row)`);
    y[i] = firstLabel;
  }
  return { y, labelSets: { data: Float32Array.from(values), n, c: labels } };
}

/**
 * z-scores the chosen columns (default all) with the pool's mean and population standard
 * deviation; a constant column becomes 0 everywhere (never NaN). New arrays: parts may share rows.
 */
export function standardizeParts(parts: Parts, columns?: readonly number[]): Parts {
  const pool = parts.pool.x;
  if (!pool) return parts;
  const which = columns ?? Array.from({ length: pool.c }, (_, j) => j);
  const mean = new Float64Array(pool.c);
  const scale = new Float64Array(pool.c);
  for (const j of which) {
    let sum = 0;
    for (let i = 0; i < pool.n; i++) sum += pool.data[i * pool.c + j]!;
    const m = pool.n > 0 ? sum / pool.n : 0;
    let squares = 0;
    for (let i = 0; i < pool.n; i++) squares += (pool.data[i * pool.c + j]! - m) ** 2;
    const sd = pool.n > 0 ? Math.sqrt(squares / pool.n) : 0;
    mean[j] = m;
    // A constant column (sd 0, or float noise on a constant) carries no information: map it to 0.
    scale[j] = sd > 1e-12 * Math.max(1, Math.abs(m)) ? 1 / sd : 0;
  }
  const apply = (c: Columns): Columns => {
    if (!c.x) return c;
    const data = Float32Array.from(c.x.data);
    for (let i = 0; i < c.x.n; i++) for (const j of which) data[i * c.x.c + j] = (data[i * c.x.c + j]! - mean[j]!) * scale[j]!;
    return { ...c, x: { data, n: c.x.n, c: c.x.c } };
  };
  return { pool: apply(parts.pool), test: apply(parts.test), ...(parts.validation ? { validation: apply(parts.validation) } : {}) };
}
