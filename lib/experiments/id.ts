/**
 * Content-addressed run ids: the same normalised config on the same data, library version,
 * backend and code revisions (lib/revisions.ts) always gets the same id, so it is never computed
 * twice. The id doubles as the store key and (later) the checkpoint name, job id and Parquet
 * shard name, so it is short hex.
 */
import { createHash } from "node:crypto";
import { revisionOf } from "../revisions.ts";
import { isFileDataset, type RunConfig } from "./spec.ts";
import { canonicalJson } from "./canonical-json.ts";

export { canonicalJson };

export interface RunIdentity {
  /** Data set checksum (sha256 over its files). */
  checksum: string;
  /** Library version: results may change between versions. */
  version: string;
  /** Backend choice: seeded training is bit-identical only within one backend. */
  backend: string;
}

/** The data-set reference without where its files lie. */
function withoutLocation(ref: RunConfig["dataset"]): Record<string, unknown> {
  if (isFileDataset(ref)) {
    const { file: _file, labelsFile: _labels, testFile: _test, testLabelsFile: _testLabels, ...rest } = ref;
    return rest;
  }
  if ("images" in ref) {
    const { images: _images, ...rest } = ref;
    return rest;
  }
  const { dir: _dir, ...rest } = ref;
  return rest;
}

export function runId(config: RunConfig, identity: RunIdentity): string {
  // The experiment name is a grouping and the data directory (or a user's file paths) a
  // location: neither changes what is computed (the checksum covers the data's bytes).
  const { experiment: _experiment, dataset: ref, ...rest } = config;
  const computed = { ...rest, dataset: withoutLocation(ref) };
  // Only revisions past the first enter the hash: ids of runs computed before revisions existed
  // (all at revision 1) stay valid, and a bump re-keys exactly the runs that use the component.
  const bumped = Object.fromEntries(Object.entries(revisionOf(config)).filter(([, r]) => r !== 1));
  return createHash("sha256")
    .update(canonicalJson({ run: computed, ...identity, ...(Object.keys(bumped).length > 0 ? { revisions: bumped } : {}) }))
    .digest("hex")
    .slice(0, 16);
}
