/** Checkpoints belong to one store and one run: foreign ones are not used, half-written ones are removed. */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { smallConfig } from "./small-config.ts";
import { hostTag, tempName, tempOwner } from "../../lib/store/temp-name.ts";
import { checkpointDirFor, readCheckpoint, removeTempFiles, writeCheckpoint } from "../../lib/runner/checkpoint.ts";
import { exitedPid } from "../store/fixtures.ts";

const config: RunConfig = smallConfig("c");

describe("checkpoints", () => {
  it("live in a folder of their own store", () => {
    expect(checkpointDirFor("results/a.duckdb")).toBe("results/a.duckdb.checkpoints");
    expect(checkpointDirFor("results/b.duckdb")).not.toBe(checkpointDirFor("results/a.duckdb"));
  });

  it("are used only by the run whose config and backend they hold", async () => {
    const dir = mkdtempSync(join(tmpdir(), "al-ckpt-"));
    await writeCheckpoint(dir, { format: 1, runId: "r1", config, backend: "wasm", state: { round: 0, order: Int32Array.from([1, 2, 3]) }, records: [] });
    expect((await readCheckpoint(dir, "r1", undefined, { config, backend: "wasm" }))?.state.round).toBe(0);
    const warnings: string[] = [];
    const other = { ...config, seed: 2 };
    expect(await readCheckpoint(dir, "r1", (w) => warnings.push(w), { config: other, backend: "wasm" })).toBeUndefined();
    expect(await readCheckpoint(dir, "r1", (w) => warnings.push(w), { config, backend: "cpu" })).toBeUndefined();
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w).toMatch(/r1\.ckpt: checkpoint belongs to a different run configuration; the run starts over$/);
  });

  it("half-written ones are removed: all of them, or in a shared folder only this host's whose process is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "al-ckpt-"));
    const here = hostTag();
    // A pid that was alive and is gone now (a finished child), and one that is alive (our parent).
    const dead = await exitedPid();
    const live = process.ppid;
    const names = {
      deadHere: `a.ckpt.${here}.${dead}-1.tmp`,
      liveHere: `b.ckpt.${here}.${live}-3.tmp`,
      mine: `c.ckpt.${here}.${process.pid}-7.tmp`,
      // Another machine on the same NFS folder: its pids mean nothing here, dead or alive.
      deadThere: `d.ckpt.other-host.${dead}-1.tmp`,
      liveThere: `e.ckpt.other-host.${live}-1.tmp`,
      legacy: `f.ckpt.${dead}.tmp`,
    };
    for (const name of ["a.ckpt", "notes.tmp", "x.parquet.12.tmp", ...Object.values(names)]) writeFileSync(join(dir, name), "x");
    removeTempFiles(dir, "shared");
    const { deadHere, mine, ...kept } = names;
    expect(readdirSync(dir).sort()).toEqual(["a.ckpt", "notes.tmp", "x.parquet.12.tmp", ...Object.values(kept)].sort());
    removeTempFiles(dir, "all");
    expect(readdirSync(dir).sort()).toEqual(["a.ckpt", "notes.tmp", "x.parquet.12.tmp"]);
    removeTempFiles(join(dir, "missing"), "all");
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("are written under temp names of their own: concurrent writes of one run never collide, and one whole checkpoint wins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "al-ckpt-"));
    const rounds = Array.from({ length: 12 }, (_, i) => i);
    await Promise.all(rounds.map((round) => writeCheckpoint(dir, { format: 1, runId: "r1", config, backend: "wasm", state: { round, order: Int32Array.from({ length: 1000 + round }, (_, j) => j) }, records: [] })));
    const read = await readCheckpoint(dir, "r1");
    expect(rounds).toContain(read!.state.round);
    expect(read!.state.order.length).toBe(1000 + read!.state.round);
    expect(readdirSync(dir)).toEqual(["r1.ckpt"]);
  });

  it("name their writer's host and pid in the temp name, so a shared folder on NFS tells machines apart", () => {
    expect(hostTag("node-1.cluster.local")).toBe("node-1_cluster_local");
    const name = tempName("/x/0123456789abcdef.ckpt", "tmp");
    expect(name).toMatch(new RegExp(`^/x/0123456789abcdef\\.ckpt\\.${hostTag()}\\.${process.pid}-\\d+\\.tmp$`));
    expect(tempName("/x/a.ckpt", "tmp")).not.toBe(tempName("/x/a.ckpt", "tmp"));
    expect(tempOwner("0123456789abcdef.ckpt.42.7-3.tmp", "tmp")).toEqual({ host: "42", pid: 7 });
    expect(tempOwner("a.ckpt.4242.tmp", "tmp")).toEqual({ host: null, pid: 4242 });
    expect(tempOwner("a.ckpt", "tmp")).toBeUndefined();
  });
});
