/**
 * Temp names for files (and folders) written beside their final name and renamed into place:
 * `<final>.<host>.<pid>-<n>.<suffix>`. The host is in the name because a results folder shared
 * over NFS is written by processes on several machines, where pids repeat; the per-process
 * counter keeps two writes of one process (concurrent jobs) apart. The owner in the name is what
 * lets a cleanup remove only files whose writer is known to be dead: a dead pid of this host.
 */
import { readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * This host's name as temp names hold it: anything but letters, digits and `-` becomes `_`, so
 * the tag is one dot-free segment and a name parses from its end without doubt (`a.b` and
 * `b` are different tags).
 */
export function hostTag(host: string = hostname()): string {
  return host.replace(/[^A-Za-z0-9-]/g, "_");
}

let counter = 0;

/** A fresh temp name for `path`, owned by this host and process. */
export function tempName(path: string, suffix: string): string {
  return `${path}.${hostTag()}.${process.pid}-${++counter}.${suffix}`;
}

/**
 * The writer a temp name (a base name) holds, or undefined when it is not a temp name of ours
 * with that suffix. Names from before hosts were in them (`<final>.<pid>.<suffix>`) have host
 * null: they cannot be told apart from another host's, so only a cleanup of every temp file
 * removes them.
 */
export function tempOwner(name: string, suffix: string): { host: string | null; pid: number } | undefined {
  const tagged = new RegExp(`\\.([A-Za-z0-9_-]+)\\.(\\d+)-\\d+\\.${escape(suffix)}$`).exec(name);
  if (tagged) return { host: tagged[1]!, pid: Number(tagged[2]) };
  const legacy = new RegExp(`\\.(\\d+)\\.${escape(suffix)}$`).exec(name);
  return legacy ? { host: null, pid: Number(legacy[1]) } : undefined;
}

/**
 * Whether temp name `name` was written by a process of this host that is gone: such a file can
 * never be renamed into place and may be removed. Another host's file never is (its writer may
 * be alive), nor one of this process (it may be writing it now).
 */
export function orphanedTemp(name: string, suffix: string): boolean {
  const owner = tempOwner(name, suffix);
  if (!owner || owner.host !== hostTag() || owner.pid === process.pid) return false;
  return !processAlive(owner.pid);
}

/**
 * Removes (recursively) the entries of `dir` that `belongs` accepts and that are temp names, with
 * one of `suffixes`, of a dead writer of this host: a file or folder no process will ever rename
 * into place.
 */
export async function removeOrphanedTemps(dir: string, suffixes: readonly string[], belongs: (name: string) => boolean): Promise<void> {
  for (const name of await readdir(dir)) {
    if (belongs(name) && suffixes.some((suffix) => orphanedTemp(name, suffix))) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Whether temp name `name` is this process's own. */
export function ownTemp(name: string, suffix: string): boolean {
  const owner = tempOwner(name, suffix);
  return owner !== undefined && owner.host === hostTag() && owner.pid === process.pid;
}

/** Whether a process with this pid runs on this host (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
