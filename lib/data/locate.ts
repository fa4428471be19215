/**
 * Where a data set's files are read from, first match wins:
 *  1. `dataset.dir`: the files by base name in that directory;
 *  2. `$AL_DATA_DIR`: a folder laid out like the shared data folder — `$AL_DATA_DIR/<path>`,
 *     e.g. `image/fashion-mnist/train-images-idx3-ubyte.gz`, `tabular/wdbc.csv` (the older
 *     `$AL_DATA_DIR/<name>/<file>` layout is still found);
 *  3. the package's bundled copy (fashion-mnist-small);
 *  4. the user cache (`$AL_CACHE_DIR`, else `$XDG_CACHE_HOME/al-lab/data`, else
 *     `~/.cache/al-lab/data`, same layout as 2): a cached file is used when its sha256 is a known
 *     one; missing files are downloaded there (from `$AL_DATA_MIRROR/<path>` when set, else the
 *     canonical URL), verified, unless `AL_OFFLINE=1`.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { CatalogEntry, DataFile } from "./catalog.ts";
import { sha256File } from "./checksum.ts";
import { downloadFile } from "./download.ts";

export interface LocateOptions {
  /** `dataset.dir`. */
  dir?: string;
  /** Default $AL_DATA_DIR; an empty string means none. */
  dataDir?: string;
  /** Default $AL_CACHE_DIR, $XDG_CACHE_HOME/al-lab/data, ~/.cache/al-lab/data. */
  cacheDir?: string;
  /** Base URL of a mirror laid out like the shared data folder; default $AL_DATA_MIRROR. */
  mirror?: string;
  /** Allow downloads (default: unless $AL_OFFLINE is set to something other than 0). */
  download?: boolean;
  /** Progress output (default stderr). */
  progress?: { write(text: string): unknown; isTTY?: boolean } | false;
}

export function dataCacheDir(): string {
  if (process.env.AL_CACHE_DIR) return process.env.AL_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "al-lab", "data");
}

export function downloadsAllowed(options: LocateOptions): boolean {
  if (options.download !== undefined) return options.download;
  const off = process.env.AL_OFFLINE;
  return off === undefined || off === "" || off === "0";
}

/** The sha256 values a cached or downloaded copy of `file` may have. */
export function knownHashes(file: DataFile): string[] {
  return file.download ? [file.sha256, file.download.sha256] : [file.sha256];
}

function folderOf(entry: CatalogEntry): string {
  const dirs = [...new Set(entry.files.map((f) => dirname(f.path)))];
  return dirs.length === 1 ? `${dirs[0]}/` : `{${dirs.join(",")}}/`;
}

/** Paths of the entry's files, in `entry.files` order (downloading into the cache if needed). */
export async function locateFiles(entry: CatalogEntry, options: LocateOptions = {}): Promise<string[]> {
  const files = entry.files;
  if (options.dir) return files.map((f) => join(options.dir!, basename(f.path)));

  const dataDir = options.dataDir ?? process.env.AL_DATA_DIR;
  if (dataDir) {
    const found = files.map((f) => [join(dataDir, f.path), join(dataDir, entry.name, basename(f.path))].find((p) => existsSync(p)));
    // A bundled set falls back to its bundled copy unless the data folder has it.
    if (!entry.bundledDir || found.every(Boolean)) return files.map((f, i) => found[i] ?? join(dataDir, f.path));
  }
  if (entry.bundledDir) return files.map((f) => join(entry.bundledDir!, basename(f.path)));

  const cacheDir = options.cacheDir ?? dataCacheDir();
  const paths = files.map((f) => join(cacheDir, f.path));
  const missing: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const ok = existsSync(paths[i]!) && knownHashes(files[i]!).includes(await sha256File(paths[i]!));
    if (!ok) missing.push(i);
  }
  if (missing.length === 0) return paths;

  const mirror = options.mirror ?? process.env.AL_DATA_MIRROR;
  const hint = `data set "${entry.name}" has no local copy: set AL_DATA_DIR (files under $AL_DATA_DIR/${folderOf(entry)}) or dataset.dir in the experiment`;
  if (!downloadsAllowed(options)) throw new Error(`${hint}; downloads are off (AL_OFFLINE)`);
  const unknown = missing.filter((i) => !mirror && !files[i]!.download);
  if (unknown.length > 0) throw new Error(`${hint}; it has no known download URL (or set AL_DATA_MIRROR)`);
  for (const i of missing) {
    const file = files[i]!;
    const url = mirror ? `${mirror.replace(/\/+$/, "")}/${file.path}` : file.download!.url;
    try {
      await downloadFile(url, paths[i]!, {
        sha256: mirror ? knownHashes(file) : file.download!.sha256,
        label: `${entry.name} ${basename(file.path)}`,
        ...(options.progress !== undefined ? { progress: options.progress } : {}),
      });
    } catch (error) {
      throw new Error(`${(error as Error).message} (to use a local copy of "${entry.name}" instead, set AL_DATA_DIR or dataset.dir)`);
    }
  }
  return paths;
}
