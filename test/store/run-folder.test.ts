/**
 * writeRunFolder with two writers of one run (a queue job whose lock lapsed, computed again by a
 * second worker): the folder appears whole, from one writer, never a mix; a complete copy is left
 * as it is, a broken one replaced; temp folders of this host's dead writers are removed, never
 * another host's. The two copies come from two real runs of one grid, so their timings differ.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { openStore, type Store } from "../../lib/store/duckdb.ts";
import { checkRunFolder, MANIFEST, writeRunFolder, type RunFolderManifest } from "../../lib/store/run-folder.ts";
import { hostTag } from "../../lib/store/temp-name.ts";
import { smallGrid } from "../runner/small-grid.ts";
import { exitedPid } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "al-run-folder-"));
const file = join(dir, "one.ts");
writeFileSync(file, `export default ${JSON.stringify(smallGrid("one-run", { samplers: ["margin"], seeds: [1], rounds: 2 }))};\n`);
let a: Store;
let b: Store;
let runId: string;

const manifest = (folder: string): RunFolderManifest => JSON.parse(readFileSync(join(folder, MANIFEST), "utf8")) as RunFolderManifest;
const fresh = (name: string): string => {
  const out = join(dir, name);
  mkdirSync(out);
  return out;
};

beforeAll(async () => {
  // The same run computed twice, in two stores: same rows but for timings and timestamps.
  for (const db of ["a.duckdb", "b.duckdb"]) await runExperiment({ file, db: join(dir, db), workers: 1, backend: "wasm", analyse: false, maps: false, log: () => {} });
  a = await openStore(join(dir, "a.duckdb"), { readOnly: true });
  b = await openStore(join(dir, "b.duckdb"), { readOnly: true });
  runId = String((await a.query("SELECT run_id FROM runs"))[0]!.run_id);
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe("run folders with two writers", () => {
  it("the two copies differ (timings), so a mix of them would not match its manifest", async () => {
    const one = manifest(await writeRunFolder(a, runId, fresh("copy-a")));
    const two = manifest(await writeRunFolder(b, runId, fresh("copy-b")));
    expect(Object.keys(one.tables)).toEqual(Object.keys(two.tables));
    expect(one.tables.runs!.sha256).not.toBe(two.tables.runs!.sha256);
    expect(one.tables.rounds!.sha256).not.toBe(two.tables.rounds!.sha256);
  });

  it("writing one run from both at once, many times over, gives one whole copy and leaves no temp folder", async () => {
    const copies = { a: manifest(join(dir, "copy-a", runId)).tables, b: manifest(join(dir, "copy-b", runId)).tables };
    for (let trial = 0; trial < 4; trial++) {
      const out = fresh(`race-${trial}`);
      const writers = Array.from({ length: 6 }, (_, i) => writeRunFolder(i % 2 === 0 ? a : b, runId, out));
      expect(new Set(await Promise.all(writers))).toEqual(new Set([join(out, runId)]));
      const written = await checkRunFolder(join(out, runId));
      // Every file is the same writer's: all of copy a's or all of copy b's.
      expect([copies.a, copies.b]).toContainEqual(written.tables);
      expect(readdirSync(out)).toEqual([runId]);
    }
  });

  it("leaves a complete copy as it is, and replaces a half-written or damaged one", async () => {
    const out = fresh("replace");
    const folder = await writeRunFolder(a, runId, out);
    const first = readFileSync(join(folder, MANIFEST), "utf8");
    await writeRunFolder(b, runId, out);
    expect(readFileSync(join(folder, MANIFEST), "utf8")).toBe(first);
    // Half written, as an older al-lab left a folder it was killed writing: no manifest.
    rmSync(join(folder, MANIFEST));
    await writeRunFolder(b, runId, out);
    expect((await checkRunFolder(folder)).writer.pid).toBe(process.pid);
    expect(manifest(folder).tables.runs!.sha256).toBe(manifest(join(dir, "copy-b", runId)).tables.runs!.sha256);
    // Damaged: a file that no longer matches its manifest.
    writeFileSync(join(folder, "rounds.parquet"), "not parquet");
    await writeRunFolder(a, runId, out);
    expect(manifest(folder).tables.rounds!.sha256).toBe(manifest(join(dir, "copy-a", runId)).tables.rounds!.sha256);
    await checkRunFolder(folder);
    expect(readdirSync(out)).toEqual([runId]);
  });

  it("removes temp folders of this host's dead writers, never a live writer's or another host's", async () => {
    const out = fresh("orphans");
    const dead = await exitedPid();
    const names = {
      deadHere: `.${runId}.${hostTag()}.${dead}-1.partial`,
      staleHere: `.${runId}.${hostTag()}.${dead}-2.stale`,
      liveHere: `.${runId}.${hostTag()}.${process.ppid}-1.partial`,
      deadThere: `.${runId}.other-host.${dead}-1.partial`,
    };
    for (const name of Object.values(names)) {
      mkdirSync(join(out, name));
      writeFileSync(join(out, name, "runs.parquet"), "half");
    }
    await writeRunFolder(a, runId, out);
    expect(readdirSync(out).sort()).toEqual([names.liveHere, names.deadThere, runId].sort());
  });
});
