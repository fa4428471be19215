/**
 * Per-run checkpoints: after every round a run writes what it needs to continue — its config,
 * the labelled order, the learner's state (keep-train) and every round record so far — to
 * `<dir>/<runId>.ckpt`, atomically (temp file + rename). A run can resume from this file alone,
 * and the records let the store catch up on rounds it never received before a crash.
 */
import { readdirSync, rmSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { LoopState } from "../al/loop.ts";
import type { RoundRecord } from "../al/records.ts";
import { canonicalJson } from "../experiments/canonical-json.ts";
import type { RunConfig } from "../experiments/spec.ts";
import { orphanedTemp, ownTemp, tempName, tempOwner } from "../store/temp-name.ts";

export const CHECKPOINT_FORMAT = 1;

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  runId: string;
  config: RunConfig;
  backend: string;
  state: LoopState;
  records: RoundRecord[];
}

/**
 * Each store has its own checkpoint folder beside it (`results/al.duckdb` →
 * `results/al.duckdb.checkpoints/`): two stores in one directory must never share checkpoints.
 */
export function checkpointDirFor(db: string): string {
  return join(dirname(db), `${basename(db)}.checkpoints`);
}

export function checkpointPath(dir: string, runId: string): string {
  return join(dir, `${runId}.ckpt`);
}

export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = checkpointPath(dir, checkpoint.runId);
  // Host and pid in the temp name: two machines sharing the folder can have the same pid.
  const temp = tempName(path, "tmp");
  // v8 serialisation keeps typed arrays as they are (weights, selections) without a schema.
  await writeFile(temp, serialize(checkpoint));
  await rename(temp, path);
}

/**
 * The checkpoint of `runId`, or undefined when there is none (or it is unusable: say why). With
 * `expect`, a checkpoint whose config or backend differs is another run's and is not used.
 */
export async function readCheckpoint(
  dir: string,
  runId: string,
  warn?: (line: string) => void,
  expect?: { config: RunConfig; backend: string },
): Promise<Checkpoint | undefined> {
  const path = checkpointPath(dir, runId);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${path}: cannot read checkpoint (${(error as Error).message})`);
  }
  let value: Partial<Checkpoint>;
  try {
    value = deserialize(bytes) as Partial<Checkpoint>;
  } catch (error) {
    warn?.(`${path}: unreadable checkpoint (${(error as Error).message}); the run starts over`);
    return undefined;
  }
  if (value.format !== CHECKPOINT_FORMAT || value.runId !== runId || !value.state || !value.records) {
    warn?.(`${path}: not a format-${CHECKPOINT_FORMAT} checkpoint of run ${runId}; the run starts over`);
    return undefined;
  }
  if (expect && (value.backend !== expect.backend || canonicalJson(value.config) !== canonicalJson(expect.config))) {
    warn?.(`${path}: checkpoint belongs to a different run configuration; the run starts over`);
    return undefined;
  }
  return value as Checkpoint;
}

/**
 * Removes half-written checkpoints (`<run>.ckpt.<host>.<pid>-<n>.tmp`) left by killed
 * processes. `all`: every one, as the owner of a store's own folder (it holds the store's lock,
 * so no other process writes there). `shared`: a folder other processes, on other machines too,
 * write at the same time: only this host's files whose process is gone (or is this one), never
 * another host's, whose writer may be alive. Synchronous, so it can run on the way out of a signal.
 */
export function removeTempFiles(dir: string, scope: "all" | "shared"): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!/\.ckpt\./.test(name) || tempOwner(name, "tmp") === undefined) continue;
    // Our own: a run of this process stopped (a signal) or starts again, so none is in flight.
    if (scope === "all" || orphanedTemp(name, "tmp") || ownTemp(name, "tmp")) rmSync(join(dir, name), { force: true });
  }
}

export async function removeCheckpoint(dir: string, runId: string): Promise<void> {
  await rm(checkpointPath(dir, runId), { force: true });
}
