/**
 * An image folder as a data set. Layouts:
 *  - "class-folders": `<folder>/<class>/<file>`; we split pool / test (testFraction, splitSeed);
 *  - "split-folders": `<folder>/train/<class>/<file>` (pool) and `<folder>/test/<class>/<file>`.
 * Class folders may nest sub-folders (their images belong to the class). Classes are the
 * folder names in code-unit order; files within a class are in path order, so the data set is
 * the same on every machine. Hidden entries (names starting with ".", e.g. .DS_Store) are
 * skipped; every other file must be a PNG or JPEG. Rows are `size` × `channels` floats in
 * [0, 1], row-major HWC; `shape` is [height, width, channels]. A point's source row is its
 * index in the sorted file list, and `sources` maps it back to the file.
 */
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseWith } from "../../experiments/errors.ts";
import { imageFolderSchema, type ImageFolderInput, type ImageFolderOptions } from "../../experiments/spec.ts";
import { carveValidation, finishParts, splitRows, type Columns, type Parts } from "../assemble.ts";
import { datasetChecksum, sha256Hex } from "../checksum.ts";
import type { Dataset } from "../dataset.ts";
import { readBytes } from "../files.ts";
import { DEFAULT_TEST_FRACTION, type ResolvedOptions } from "../options.ts";
import { IMAGE_EXTENSIONS, readImage } from "../readers/image.ts";
import { finishSplits } from "./finish.ts";

/** A loaded image folder: a Dataset plus the files its source rows index. */
export interface ImageFolderSet extends Dataset {
  /**
   * Paths relative to the folder (`<class>/<file>`; split-folders: `train/<class>/<file>`):
   * `pool.rows[i]` indexes `sources.pool`, `test.rows[i]` indexes `sources.test`; validation
   * rows (carved from the pool, or split with it) index `sources.pool`. Class-folders: both are
   * the one file list.
   */
  sources: { pool: string[]; test: string[] };
}

export interface ImageFolderLoadOptions {
  /** Folder that a relative `images` path is resolved against (default: the working directory). */
  baseDir?: string;
}

interface Listing {
  classes: string[];
  /** Relative to the folder, sorted by class, then path. */
  files: string[];
  labels: number[];
}

const supported = IMAGE_EXTENSIONS.join(", ");
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const hidden = (name: string): boolean => name.startsWith(".");

/** The options a folder reference resolves to; throws one line on options that do not apply. */
export function resolveImageFolderOptions(ref: ImageFolderOptions): ResolvedOptions {
  const predefined = ref.layout === "split-folders";
  if (predefined && ref.testFraction !== undefined) throw new Error(`"testFraction" does not apply: layout "split-folders" has a predefined test split; remove it`);
  const testFraction = predefined ? 0 : (ref.testFraction ?? DEFAULT_TEST_FRACTION);
  const validationFraction = ref.validationFraction ?? 0;
  const split = !predefined || validationFraction > 0;
  if (!split && ref.splitSeed !== undefined) throw new Error(`"splitSeed" has nothing to split: layout "split-folders" has predefined splits; remove it`);
  if (testFraction + validationFraction >= 1) {
    throw new Error(`testFraction (${testFraction}) + validationFraction (${validationFraction}) must be below 1`);
  }
  const resolved: ResolvedOptions = { swap: false };
  if (ref.pool !== undefined) resolved.pool = ref.pool;
  if (ref.test !== undefined) resolved.test = ref.test;
  if (split) resolved.split = { testFraction, validationFraction, splitSeed: ref.splitSeed ?? 0 };
  return resolved;
}

async function isDirectory(path: string, shown: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${shown}: ${code === "ENOENT" ? "not found" : code === "EACCES" ? "permission denied" : (error as Error).message}`);
  }
}

/** Entries of a folder (hidden ones left out), sorted, with whether each is a folder (links followed). */
async function entries(path: string, shown: string): Promise<Array<{ name: string; folder: boolean }>> {
  let names: string[];
  try {
    names = (await readdir(path)).filter((n) => !hidden(n)).sort(byCodeUnit);
  } catch (error) {
    throw new Error(`${shown}: cannot read the folder (${(error as Error).message})`);
  }
  const out: Array<{ name: string; folder: boolean }> = [];
  for (const name of names) out.push({ name, folder: await isDirectory(join(path, name), join(shown, name)) });
  return out;
}

/** Image files under a class folder, recursively, as paths relative to `rel`'s root; checked by name. */
async function imagesUnder(root: string, rel: string, shownRoot: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await entries(join(root, rel), join(shownRoot, rel))) {
    const child = `${rel}/${entry.name}`;
    if (entry.folder) {
      files.push(...(await imagesUnder(root, child, shownRoot)));
      continue;
    }
    const dot = entry.name.lastIndexOf(".");
    const ext = dot > 0 ? entry.name.slice(dot).toLowerCase() : "";
    if (!(IMAGE_EXTENSIONS as readonly string[]).includes(ext)) {
      const what = ext ? `format "${ext}"` : "file without an extension";
      throw new Error(`${join(shownRoot, child)}: unsupported ${what}; image folders read ${supported} (convert the file or remove it)`);
    }
    files.push(child);
  }
  return files;
}

/** `<root>/<class>/…` → classes and sorted files; `prefix` is prepended to the relative paths. */
async function listClassFolders(root: string, shown: string, prefix: string, minClasses: number): Promise<Listing> {
  const top = await entries(root, shown);
  const loose = top.find((e) => !e.folder);
  if (loose) {
    throw new Error(`${join(shown, loose.name)}: a file in the root of a class-folders layout; put each image in a sub-folder named after its class`);
  }
  const classes = top.map((e) => e.name);
  if (classes.length < minClasses) {
    const found = classes.length === 0 ? "no class folders" : `1 class folder ("${classes[0]}")`;
    throw new Error(`${shown}: found ${found}; an image folder needs at least 2 classes, one sub-folder of images each`);
  }
  const files: string[] = [];
  const labels: number[] = [];
  for (let k = 0; k < classes.length; k++) {
    const found = (await imagesUnder(root, classes[k]!, shown)).sort(byCodeUnit);
    if (found.length === 0) throw new Error(`${join(shown, classes[k]!)}: class folder has no images (${supported}); add images or remove the folder`);
    for (const f of found) {
      files.push(prefix + f);
      labels.push(k);
    }
  }
  return { classes, files, labels };
}

/** The folder's files and classes, per part ("all" for class-folders). */
async function listFolder(root: string, shown: string, layout: ImageFolderOptions["layout"]): Promise<{ classes: string[]; parts: Record<"all" | "pool" | "test", Listing | undefined> }> {
  if (!existsSync(root)) throw new Error(`${shown}: image folder not found (looked for ${root}); check dataset.images`);
  if (!(await isDirectory(root, shown))) throw new Error(`${shown}: not a folder; dataset.images must name a folder of class sub-folders`);
  if (layout === "class-folders") {
    const all = await listClassFolders(root, shown, "", 2);
    return { classes: all.classes, parts: { all, pool: undefined, test: undefined } };
  }
  const top = await entries(root, shown);
  const extra = top.find((e) => !["train", "test"].includes(e.name) || !e.folder);
  if (extra) throw new Error(`${join(shown, extra.name)}: unexpected ${extra.folder ? "folder" : "file"}; layout "split-folders" holds only train/ and test/ folders`);
  for (const part of ["train", "test"]) {
    if (!top.some((e) => e.name === part)) throw new Error(`${shown}: no ${part}/ folder; layout "split-folders" needs train/<class>/… and test/<class>/…`);
  }
  const train = await listClassFolders(join(root, "train"), join(shown, "train"), "train/", 2);
  const test = await listClassFolders(join(root, "test"), join(shown, "test"), "test/", 1);
  const unknown = test.classes.find((c) => !train.classes.includes(c));
  if (unknown !== undefined) throw new Error(`${join(shown, "test", unknown)}: class "${unknown}" has no train/ folder; the test part may only use the train part's classes`);
  // Test labels in the train part's numbering.
  const relabelled = { ...test, labels: test.labels.map((k) => train.classes.indexOf(test.classes[k]!)) };
  return { classes: train.classes, parts: { all: undefined, pool: train, test: relabelled } };
}

/** Reads, hashes and converts every file of a listing. */
async function readListing(root: string, shown: string, listing: Listing, ref: ImageFolderOptions, hashes: string[], read: { bytes: number }): Promise<Columns> {
  const [h, w] = ref.size;
  const d = h * w * ref.channels;
  const n = listing.files.length;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const rel = listing.files[i]!;
    const bytes = await readBytes(join(root, rel));
    read.bytes += bytes.byteLength;
    // The path counts: moving a file to another class folder changes its label.
    hashes.push(sha256Hex(Buffer.concat([Buffer.from(`${rel}\0`, "utf8"), bytes])));
    x.set(readImage(bytes, join(shown, rel), { size: ref.size, channels: ref.channels }), i * d);
  }
  return { x: { data: x, n, c: d }, y: Int32Array.from(listing.labels), rows: Int32Array.from({ length: n }, (_, i) => i) };
}

/**
 * Loads an image folder; errors are one line naming the file or folder. `given` is the spec's
 * form (`{ images, size }` suffices) or its normalised form, as a RunConfig carries it.
 */
export async function loadImageFolder(given: ImageFolderInput, options: ImageFolderLoadOptions = {}): Promise<ImageFolderSet> {
  const ref = parseWith(imageFolderSchema, given, "dataset");
  const resolved = resolveImageFolderOptions(ref);
  const root = resolve(options.baseDir ?? process.cwd(), ref.images);
  const shown = ref.images.replace(/[\\/]+$/, "") || ref.images;
  const { classes, parts: listed } = await listFolder(root, shown, ref.layout);
  const hashes: string[] = [];
  const read = { bytes: 0 };
  let parts: Parts;
  let sources: ImageFolderSet["sources"];
  if (listed.all) {
    const all = await readListing(root, shown, listed.all, ref, hashes, read);
    parts = finishParts(splitRows(all, resolved.split!, ref.name), resolved, ref.name);
    sources = { pool: listed.all.files, test: listed.all.files };
  } else {
    const pool = await readListing(root, shown, listed.pool!, ref, hashes, read);
    const test = await readListing(root, shown, listed.test!, ref, hashes, read);
    parts = finishParts(resolved.split ? { ...carveValidation(pool, resolved.split, ref.name), test } : { pool, test }, resolved, ref.name);
    sources = { pool: listed.pool!.files, test: listed.test!.files };
  }
  const checksum = datasetChecksum(hashes, {
    pool: resolved.pool,
    test: resolved.test,
    layout: ref.layout,
    size: ref.size,
    channels: ref.channels,
    ...(resolved.split ?? {}),
  });
  const splits = finishSplits(parts, resolved, ref.name);
  return {
    name: ref.name,
    task: "multiclass",
    kind: "image",
    classes,
    shape: [ref.size[0], ref.size[1], ref.channels],
    pool: splits.pool,
    test: splits.test,
    ...(splits.validation ? { validation: splits.validation } : {}),
    checksum,
    // One entry for the folder: its hash covers every file's path and bytes, in listing order.
    readFrom: [{ path: root, sha256: sha256Hex(Buffer.concat(hashes.map((h) => Buffer.from(h, "hex")))), bytes: read.bytes, fileCount: hashes.length }],
    sources,
  };
}
