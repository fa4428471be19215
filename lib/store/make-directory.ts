/**
 * `mkdir -p` one level at a time, with one-line errors. Node's recursive mkdir loops forever
 * where a file system refuses new entries with ENOENT (/proc), so it is not used for paths a
 * user gives.
 */
import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { SpecError } from "../experiments/errors.ts";

/** Creates `dir` and its missing parents; `hint` ends each error ("pass --out …"). */
export async function makeDirectory(dir: string, hint: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(d)).isDirectory();
    } catch (error) {
      // ENOTDIR: some part above is a file; walking up finds it and names it.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(d) === d) throw new SpecError(`cannot create ${dir}: ${fsReason(error)}; ${hint}`);
      missing.unshift(d);
      continue;
    }
    if (!isDirectory) throw new SpecError(`cannot create ${dir}: ${d} is a file, not a directory; ${hint}`);
    break;
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new SpecError(`cannot create ${d}: ${fsReason(error)}; ${hint}`);
    }
  }
}

/** A file-system error in plain words. */
export function fsReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const plain: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "read-only file system",
    ENOENT: "this file system does not allow it",
    ENOTDIR: "a part of the path is a file, not a directory",
    EEXIST: "it exists and is not a directory",
    ENAMETOOLONG: "the name is too long",
    ENOSPC: "no space left on the device",
  };
  return (e.code !== undefined ? plain[e.code] : undefined) ?? (e.message ?? String(error)).replace(/\s*\n\s*/g, " ");
}
