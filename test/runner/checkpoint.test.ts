/** Checkpoints belong to one store and one run: foreign ones are not used, half-written ones are removed. */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunConfig } from "../../lib/experiments/spec.ts";
import { smallConfig } from "./small-config.ts";
import { checkpointDirFor, readCheckpoint, removeTempFiles, writeCheckpoint } from "../../lib/runner/checkpoint.ts";

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

  it("half-written ones are removed: all, or only those of the given processes", () => {
    const dir = mkdtempSync(join(tmpdir(), "al-ckpt-"));
    for (const name of ["a.ckpt", "a.ckpt.11.tmp", "b.ckpt.12.tmp", "notes.tmp"]) writeFileSync(join(dir, name), "x");
    removeTempFiles(dir, new Set([11]));
    expect(readdirSync(dir).sort()).toEqual(["a.ckpt", "b.ckpt.12.tmp", "notes.tmp"]);
    removeTempFiles(dir);
    expect(readdirSync(dir).sort()).toEqual(["a.ckpt", "notes.tmp"]);
    removeTempFiles(join(dir, "missing"));
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });
});
