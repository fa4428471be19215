/**
 * Where an archive-shipped set's files (CIFAR-10's batches) are read from: the order and
 * environment of lib/data/locate.ts, with one archive in place of per-file downloads.
 *  1. `dataset.dir`: the members by name in that directory;
 *  2. `$AL_DATA_DIR/<folder>/<name>` or `$AL_DATA_DIR/<folder>/<memberFolder>/<name>` (the
 *     archive extracted where it was saved);
 *  3. the user cache, `<cache>/<folder>/<memberFolder>/<name>`: used when every member's sha256
 *     is the one recorded when it was extracted from the verified archive
 *     (`<memberFolder>.sha256.json` beside them). Otherwise the archive is downloaded (from
 *     `$AL_DATA_MIRROR/<folder>/<archive name>` when set, else the canonical URL) and verified
 *     by its sha256, its members are extracted (temp file + rename each, sizes checked), the
 *     record is written, and the archive is deleted.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, join } from "node:path";
import type { CifarEntry } from "./catalog.ts";
import { sha256File, sha256Hex } from "./checksum.ts";
import { downloadFile } from "./download.ts";
import { dataCacheDir, downloadsAllowed, type LocateOptions } from "./locate.ts";
import { tarGzFiles } from "./readers/tar.ts";

/** What `<memberFolder>.sha256.json` holds: the archive the members came from, and their sha256. */
interface Extracted {
  archive: string;
  files: { [name: string]: string };
}

async function readRecord(path: string): Promise<Extracted | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Extracted;
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${path}.part-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(temp, bytes, { flag: "wx" });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Extracts the members from a verified archive into `dir`; returns their sha256 by name. */
export async function extractMembers(entry: CifarEntry, archive: string, dir: string): Promise<{ [name: string]: string }> {
  const wanted = new Map(entry.members.map((m) => [`${entry.archive.memberFolder}/${m.name}`, m]));
  const hashes: { [name: string]: string } = {};
  for await (const file of tarGzFiles(archive)) {
    const member = wanted.get(file.name.replace(/^\.\//, ""));
    if (!member) continue;
    if (file.data.length !== member.bytes) {
      throw new Error(`${archive}: ${file.name} has ${file.data.length} bytes, expected ${member.bytes}; delete the archive and download it again`);
    }
    await writeAtomically(join(dir, member.name), file.data);
    hashes[member.name] = sha256Hex(file.data);
  }
  const missing = entry.members.filter((m) => !(m.name in hashes));
  if (missing.length > 0) throw new Error(`${archive}: the archive lacks ${missing.map((m) => `${entry.archive.memberFolder}/${m.name}`).join(", ")}`);
  return hashes;
}

/** Paths of the entry's members, in `entry.members` order (downloading into the cache if needed). */
export async function locateArchiveSet(entry: CifarEntry, options: LocateOptions = {}): Promise<string[]> {
  const members = entry.members;
  if (options.dir) return members.map((m) => join(options.dir!, m.name));

  const dataDir = options.dataDir ?? process.env.AL_DATA_DIR;
  if (dataDir) {
    for (const folder of [join(dataDir, entry.folder), join(dataDir, entry.folder, entry.archive.memberFolder)]) {
      const paths = members.map((m) => join(folder, m.name));
      if (paths.every((p) => existsSync(p))) return paths;
    }
  }

  const dir = join(options.cacheDir ?? dataCacheDir(), entry.folder, entry.archive.memberFolder);
  const recordPath = `${dir}.sha256.json`;
  const paths = members.map((m) => join(dir, m.name));
  const record = await readRecord(recordPath);
  if (record?.archive === entry.archive.sha256) {
    let ok = true;
    for (let i = 0; i < members.length && ok; i++) ok = existsSync(paths[i]!) && (await sha256File(paths[i]!)) === record.files[members[i]!.name];
    if (ok) return paths;
  }

  const archiveName = basename(new URL(entry.archive.url).pathname);
  const hint = `data set "${entry.name}" has no local copy: set AL_DATA_DIR (files under $AL_DATA_DIR/${entry.folder}/ or $AL_DATA_DIR/${entry.folder}/${entry.archive.memberFolder}/) or dataset.dir in the experiment`;
  if (!downloadsAllowed(options)) throw new Error(`${hint}; downloads are off (AL_OFFLINE)`);
  const mirror = options.mirror ?? process.env.AL_DATA_MIRROR;
  const url = mirror ? `${mirror.replace(/\/+$/, "")}/${entry.folder}/${archiveName}` : entry.archive.url;
  const archive = join(options.cacheDir ?? dataCacheDir(), entry.folder, archiveName);
  try {
    await downloadFile(url, archive, {
      sha256: entry.archive.sha256,
      label: `${entry.name} ${archiveName}`,
      ...(options.progress !== undefined ? { progress: options.progress } : {}),
    });
  } catch (error) {
    throw new Error(`${(error as Error).message} (to use a local copy of "${entry.name}" instead, set AL_DATA_DIR or dataset.dir)`);
  }
  await rm(recordPath, { force: true });
  await mkdir(dir, { recursive: true });
  const files = await extractMembers(entry, archive, dir);
  await writeAtomically(recordPath, `${JSON.stringify({ archive: entry.archive.sha256, files } satisfies Extracted, null, 2)}\n`);
  await rm(archive, { force: true });
  return paths;
}
