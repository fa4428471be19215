/**
 * `al reproduce` as a user runs it: the noisy-blobs ci profile end to end (grid → per-run
 * measures → shipped files → the comparison printed), publishing again from the store alone
 * gives the same files' rows, from another directory too; bad input fails with one line.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPublished } from "../../lib/reproduce/publish.ts";
import { openStore } from "../../lib/store/duckdb.ts";
import { al, root } from "../cli/al.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "al-reproduce-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("al reproduce", () => {
  it("runs the ci grid, ships measures, curves and meta, and prints ours beside the paper's", { timeout: 180_000 }, async () => {
    const db = join(dir, "al.duckdb");
    const out = join(dir, "published");
    const r = al("reproduce", "experiments/reproductions/noisy-blobs.ts", "--profile", "ci", "--db", db, "--out", out, "--workers", "1");
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^  low-dim · auc · random: paper 38\.6, ours \d+\.\d ± \d+\.\d \([+−]\d+\.\d; (inside|outside) our range/m);
    expect(r.stdout).toContain("high-dim · auc · KCenter: paper 61.7; ours: not run");
    const published = await readPublished(join(out, "noisy-blobs", "ci"));
    // ci: 2 splits × 8 samplers × 1 seed, low-dim only; every run has both measures.
    expect(published.meta).toMatchObject({ study: "noisy-blobs", profile: "ci", file: "experiments/reproductions/noisy-blobs.ts", runs: 16, failed: 0 });
    // The revisions of everything the 16 runs went through (lib/revisions.ts at this code).
    expect(published.meta.revisions).toEqual({
      data: 1,
      "learners.random-forest": 2,
      loop: 1,
      "samplers.entropy": 1,
      "samplers.iconfidence": 1,
      "samplers.iwkmeans": 2,
      "samplers.kcenter-greedy": 1,
      "samplers.least-confidence": 1,
      "samplers.margin": 1,
      "samplers.random": 1,
      "samplers.wkmeans": 2,
    });
    expect(published.measures).toHaveLength(32);
    expect(published.measures.every((m) => m.value !== null && m.setting === "low-dim")).toBe(true);
    expect(new Set(published.measures.map((m) => m.repetition))).toEqual(new Set(["seed 1", "seed 1 · swapped split"]));
    // 3 evaluations (rounds 0–2) per run, accuracy × 100.
    expect(published.curves).toHaveLength(48);
    expect(published.curves.every((c) => c.value > 1 && c.value <= 100)).toBe(true);

    // Publishing again from the store alone, from another directory: no training, the same rows.
    const elsewhere = join(dir, "elsewhere");
    spawnSync("mkdir", ["-p", elsewhere]);
    const again = spawnSync(process.execPath, [join(root, "bin/al.js"), "reproduce", join(root, "experiments/reproductions/noisy-blobs.ts"), "--profile", "ci", "--db", db, "--out", "out", "--no-run"], {
      cwd: elsewhere,
      encoding: "utf8",
      env: { ...process.env, AL_BACKEND: "wasm" },
    });
    expect(again.status).toBe(0);
    const second = await readPublished(join(elsewhere, "out", "noisy-blobs", "ci"));
    expect(second.measures).toEqual(published.measures);
    expect(second.curves).toEqual(published.curves);
    expect(second.meta.file).toBe("experiments/reproductions/noisy-blobs.ts");

    // While another process holds the store (a grid running in it), --no-run reads its snapshot.
    const writer = await openStore(db);
    try {
      await writer.snapshot();
      const busy = spawnSync(process.execPath, [join(root, "bin/al.js"), "reproduce", join(root, "experiments/reproductions/noisy-blobs.ts"), "--profile", "ci", "--db", db, "--out", "busy", "--no-run"], {
        cwd: elsewhere,
        encoding: "utf8",
        env: { ...process.env, AL_BACKEND: "wasm" },
      });
      expect(busy.status, busy.stderr).toBe(0);
      expect(busy.stderr).toMatch(/is being written by pid \d+; showing its state as of /);
      expect((await readPublished(join(elsewhere, "busy", "noisy-blobs", "ci"))).measures).toEqual(published.measures);
    } finally {
      await writer.close();
    }
  });

  it("bad input: one line naming what is wrong, exit 2, nothing written", () => {
    const out = join(dir, "bad");
    const none = al("reproduce", "experiments/reproductions/noisy-blobs.ts", "--no-run", "--db", join(dir, "missing.duckdb"), "--out", out);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(/^al reproduce: .*missing\.duckdb does not exist; run an experiment first/);
    const plain = al("reproduce", "experiments/quickstart.ts", "--no-run", "--out", out);
    expect(plain.code).toBe(2);
    expect(plain.stderr.trim()).toBe("al reproduce: experiments/quickstart.ts: no `reproduction` export; add `export const reproduction = defineReproduction({...})` (lib/reproduce/define.ts) beside the experiment");
    const profile = al("reproduce", "experiments/reproductions/noisy-blobs.ts", "--profile", "nope", "--out", out);
    expect(profile.code).toBe(2);
    expect(profile.stderr.trim()).toMatch(/unknown profile "nope"; expected one of full, ci/);
    expect(existsSync(out)).toBe(false);
  });
});
