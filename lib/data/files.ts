/** Reading data files with one-line errors that name the path and the reason. */
import { readFile } from "node:fs/promises";

/** Why a read failed, in a few words (also for the streaming readers). */
export function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "a directory, not a file" : (error as Error).message;
}

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new Error(`${path}: cannot read data file (${why(error)})`);
  }
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`${path}: cannot read data file (${why(error)})`);
  }
}
