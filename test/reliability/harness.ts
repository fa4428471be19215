/**
 * The reliability battery's harness. Each case is what a hostile-but-honest user does: files
 * written into a fresh directory outside the repository (the CLI must work from anywhere), one
 * `al …` command run there, then checks: the exit code, a regex for the first stderr line, and —
 * unless the case is meant to write — every file under `results/` byte-identical (sha256) before
 * and after, so a refused command provably lost nothing.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

export const root = join(import.meta.dirname, "../..");
export const alBin = join(root, "bin/al.js");

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The first non-empty stderr line. */
  first: string;
}

export interface Context {
  /** The case's own working directory (cwd of the command); `results/` lives here. */
  dir: string;
  /** Writes `text` to `dir/name` (creating folders) and returns the absolute path. */
  file(name: string, text: string | Uint8Array): string;
  /** Writes an experiment file exporting `spec` (merged over `smallSpec`) and returns its path. */
  experiment(name: string, spec?: Record<string, unknown>): string;
  /** Runs `al` in `dir` and waits for it. */
  al(...args: string[]): Result;
}

export interface Case {
  /** What the user did, in a few words (the test's name). */
  name: string;
  /** The numbered point of the reliability issue it stands for, where there is one. */
  point?: number;
  /** Start from a copy of the fixture store (a small finished experiment) in results/al.duckdb. */
  store?: boolean;
  /** Files, stores and experiments the command needs. */
  setup?: (ctx: Context) => void | Promise<void>;
  /** The `al` arguments (run in ctx.dir), or a function that runs whatever it needs itself. */
  args: string[] | ((ctx: Context) => string[]);
  code: number;
  /** Matches the first non-empty stderr line. */
  stderr?: RegExp;
  /** Every file under results/ keeps its bytes (default true). */
  unchanged?: boolean;
  check?: (ctx: Context, result: Result) => void | Promise<void>;
  /** Extra environment for the command. */
  env?: Record<string, string>;
}

/** The smallest real experiment: synthetic blobs, logistic regression, two samplers, 2 rounds. */
export const smallSpec: Record<string, unknown> = {
  name: "small",
  dataset: { name: "noisy-blobs", blobs: 20, perBlob: 10, noisyPairs: 2, dimension: 2 },
  learner: "logistic",
  samplers: ["random", "margin"],
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 2,
  epochs: 1,
  seeds: [1],
};

function runAl(dir: string, args: string[], env: Record<string, string> = {}): Result {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [alBin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, AL_BACKEND: "wasm", AL_OFFLINE: "1", ...env },
    timeout: 240_000,
  });
  const first = r.stderr.split("\n").find((l) => l.trim() !== "") ?? "";
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, first };
}

/** Runs `al` without waiting (for kills and concurrent readers). */
export function spawnAl(dir: string, args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [alBin, ...args], {
    cwd: dir,
    env: { ...process.env, AL_BACKEND: "wasm", AL_OFFLINE: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function context(dir: string): Context {
  const ctx: Context = {
    dir,
    file(name, text) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    experiment(name, spec = {}) {
      return ctx.file(name.endsWith(".ts") ? name : `${name}.ts`, `export default ${JSON.stringify({ ...smallSpec, ...spec }, null, 2)};\n`);
    },
    al: (...args) => runAl(dir, args),
  };
  return ctx;
}

/** sha256 of every file under `dir`, by relative path (empty when it does not exist). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

let fixture: string | undefined;

/**
 * A store holding one finished small experiment (built once per test file, then copied into
 * each case that asks for it).
 */
export function fixtureStore(): string {
  if (fixture && existsSync(fixture)) return fixture;
  const dir = mkdtempSync(join(tmpdir(), "al-fixture-"));
  const ctx = context(dir);
  const file = ctx.experiment("small");
  const r = ctx.al("run", file, "--workers", "1");
  if (r.code !== 0) throw new Error(`fixture store: al run exited ${r.code}: ${r.stderr}`);
  fixture = join(dir, "results");
  return fixture;
}

/** A fresh case directory, with a copy of the fixture store when asked. */
export function caseDir(withStore: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "al-case-"));
  if (withStore) cpSync(fixtureStore(), join(dir, "results"), { recursive: true });
  return dir;
}

/** One vitest test per case. */
export function battery(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      const name = c.point === undefined ? c.name : `#${c.point}: ${c.name}`;
      it(name, async () => {
        const ctx = context(caseDir(c.store ?? false));
        await c.setup?.(ctx);
        const results = join(ctx.dir, "results");
        const before = snapshot(results);
        const args = typeof c.args === "function" ? c.args(ctx) : c.args;
        const result = runAl(ctx.dir, args, c.env);
        const detail = `al ${args.join(" ")}\n--- stderr ---\n${result.stderr}`;
        expect(result.code, detail).toBe(c.code);
        if (c.stderr) expect(result.first, detail).toMatch(c.stderr);
        if (c.unchanged ?? true) expect(snapshot(results), "files under results/ changed").toEqual(before);
        await c.check?.(ctx, result);
      });
    }
  });
}

/** True when `path` is a non-empty directory. */
export function nonEmptyDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && readdirSync(path).length > 0;
}
