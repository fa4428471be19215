/**
 * A small real study for the read-only verbs' tests (ls, show, compare, startup): two data sets
 * (synthetic blobs and the shared Pima diabetes table) × two learners × three samplers × three
 * seeds, plus 10% baselines, trained by `al run` on the wasm backend.
 *
 * Built once per vitest invocation: the test files run in sibling processes, so the first one to
 * take the lock (a directory named after the vitest process) builds it, the others wait for it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { al, root } from "./al.ts";

export const sharedData = join(root, "../shared/data");

export const studySpec = {
  name: "study",
  dataset: [
    { name: "noisy-blobs", blobs: 20, perBlob: 10, noisyPairs: 2, dimension: 2 },
    { name: "diabetes", dir: join(sharedData, "tabular"), pool: 200, test: 100 },
  ],
  learner: ["logistic", "knn"],
  samplers: ["random", "margin", "entropy"],
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 2,
  epochs: 1,
  seeds: [1, 2, 3],
  baselines: [10],
};

/** 2 data sets × 2 learners × (3 samplers + 1 baseline) × 3 seeds. */
export const studyRuns = 2 * 2 * 4 * 3;

export interface Study {
  dir: string;
  db: string;
  file: string;
}

function build(dir: string): Study {
  const db = join(dir, "al.duckdb");
  const file = join(dir, "study.ts");
  writeFileSync(file, `export default ${JSON.stringify(studySpec)};\n`);
  const r = al("run", file, "--db", db, "--json");
  if (r.code !== 0) throw new Error(`building the study store failed (exit ${r.code}):\n${r.stderr}`);
  writeFileSync(join(dir, "progress.log"), r.stderr);
  return { dir, db, file };
}

/** The study store, built by whichever test file asks first in this vitest run. */
export async function study(): Promise<Study> {
  // The parent's start time too, so a reused pid never finds an old store.
  const started = existsSync(`/proc/${process.ppid}/stat`) ? readFileSync(`/proc/${process.ppid}/stat`, "utf8").split(") ")[1]!.split(" ")[19] : "";
  const dir = join(tmpdir(), `al-cli-study-${process.ppid}-${started}`);
  const lock = join(dir, "lock");
  const done = join(dir, "ready");
  mkdirSync(dir, { recursive: true });
  let mine = false;
  try {
    mkdirSync(lock);
    mine = true;
  } catch {
    // someone else builds it
  }
  if (mine) {
    try {
      const s = build(dir);
      writeFileSync(done, "ok");
      return s;
    } catch (error) {
      writeFileSync(done, `failed: ${(error as Error).message}`);
      throw error;
    }
  }
  const deadline = Date.now() + 540_000;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the study store in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const state = readFileSync(done, "utf8");
  if (state !== "ok") throw new Error(`the study store could not be built: ${state}`);
  return { dir, db: join(dir, "al.duckdb"), file: join(dir, "study.ts") };
}
