/** The shape of test/golden/fingerprints.json, and reading and writing it. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RevisionSet } from "../../lib/revisions.ts";

export type Kind = "shared" | "learners" | "samplers";
export const kinds: readonly Kind[] = ["shared", "learners", "samplers"];

export interface GoldenEntry {
  /** Every revision that shapes these numbers (flat names as in revisionOf). */
  revisions: RevisionSet;
  fingerprint: string;
}

/** What every fingerprint is measured against: the package version and the golden cases' revision. */
export interface Baseline {
  version: string;
  cases: number;
}

export interface GoldenFile extends Baseline {
  shared: Record<string, GoldenEntry>;
  learners: Record<string, GoldenEntry>;
  samplers: Record<string, GoldenEntry>;
}

export const fingerprintsPath = fileURLToPath(new URL("./fingerprints.json", import.meta.url));

/** The stored file; an empty one (every entry missing) before the first update. */
export function readGoldenFile(path = fingerprintsPath): GoldenFile {
  if (!existsSync(path)) return { version: "none", cases: 0, shared: {}, learners: {}, samplers: {} };
  return JSON.parse(readFileSync(path, "utf8")) as GoldenFile;
}

export function writeGoldenFile(file: GoldenFile, path = fingerprintsPath): void {
  writeFileSync(path, JSON.stringify(file, null, 2) + "\n");
}
