/**
 * Named data sets (lib/data/catalog.ts) and `loadDataset`, the one entry point the runner uses:
 * check the reference's options against the set, find (or download) its files, read them with
 * the set's reader and return pool / test (/ validation) splits with a checksum. A reference with
 * `file` is the user's own data (lib/data/loaders/file.ts).
 */
import { isFileDataset, type RunConfig } from "../experiments/spec.ts";
import { catalog, type CatalogEntry } from "./catalog.ts";
import type { Dataset } from "./dataset.ts";
import { loadBlobsSet } from "./loaders/blobs.ts";
import { loadCifarSet } from "./loaders/cifar.ts";
import { loadFileSet } from "./loaders/file.ts";
import { loadIdxSet } from "./loaders/idx.ts";
import { loadImageFolder, resolveImageFolderOptions } from "./loaders/images.ts";
import { loadTableSet } from "./loaders/table.ts";
import { locateFiles, type LocateOptions } from "./locate.ts";
import { locateArchiveSet } from "./locate-archive.ts";
import { resolveFileOptions, resolveOptions } from "./options.ts";

export type { CatalogEntry } from "./catalog.ts";

export const datasetRegistry: Record<string, CatalogEntry> = Object.fromEntries(catalog.map((e) => [e.name, e]));

export function datasetNames(): string[] {
  return Object.keys(datasetRegistry);
}

/** Throws `path: unknown data set …` naming the known ones. */
export function checkDatasetName(name: string, path: string): void {
  if (!Object.hasOwn(datasetRegistry, name)) {
    throw new Error(`${path}: unknown data set "${name}"; expected one of ${datasetNames().join(", ")}`);
  }
}

/** Checks a reference's name and options without reading anything: `path: …` on error. */
export function checkDatasetRef(ref: RunConfig["dataset"], path: string): void {
  if (!("images" in ref) && !isFileDataset(ref)) checkDatasetName(ref.name, path);
  try {
    if ("images" in ref) resolveImageFolderOptions(ref);
    else if (isFileDataset(ref)) resolveFileOptions(ref);
    else resolveOptions(datasetRegistry[ref.name]!, ref);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/** Where files come from besides `dataset.dir`: see lib/data/locate.ts. */
export type LoadOptions = Omit<LocateOptions, "dir">;

/** Loads a data set named in a run config: a catalogue set, or the user's own file. */
export async function loadDataset(ref: RunConfig["dataset"], options: LoadOptions = {}): Promise<Dataset> {
  if ("images" in ref) return loadImageFolder(ref);
  if (isFileDataset(ref)) return loadFileSet(ref, resolveFileOptions(ref));
  checkDatasetName(ref.name, "dataset");
  const entry = datasetRegistry[ref.name]!;
  const resolved = resolveOptions(entry, ref);
  if (entry.format === "synthetic") return loadBlobsSet(entry, resolved);
  if (entry.format === "cifar") return loadCifarSet(entry, await locateArchiveSet(entry, { ...options, ...(ref.dir ? { dir: ref.dir } : {}) }), resolved);
  const paths = await locateFiles(entry, { ...options, ...(ref.dir ? { dir: ref.dir } : {}) });
  return entry.format === "idx" ? loadIdxSet(entry, paths, resolved) : loadTableSet(entry, paths, resolved);
}
