/**
 * `al --help`, `al --version`, every verb's --help and the read-only verbs must start fast:
 * none of them may load tfjs, and help must not load DuckDB either. We record what a process
 * loads with a preload (--import) that registers a module resolve hook (every ESM import,
 * our .ts files included) and, at exit, lists require.cache (tfjs and DuckDB are CommonJS).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { queryStore, root } from "./al.ts";
import { study, type Study } from "./study.ts";

const dir = mkdtempSync(join(tmpdir(), "al-startup-"));
writeFileSync(
  join(dir, "hooks.mjs"),
  `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.AL_TEST_LOADED, r.url + "\\n");
  return r;
}
`,
);
writeFileSync(
  join(dir, "record.mjs"),
  `import { createRequire, register } from "node:module";
import { appendFileSync } from "node:fs";
register(new URL("./hooks.mjs", import.meta.url));
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => appendFileSync(process.env.AL_TEST_LOADED, Object.keys(cache).join("\\n") + "\\n"));
`,
);
const preload = pathToFileURL(join(dir, "record.mjs")).href;

/** Runs node with the recorder; returns the exit code, stdout and the loaded module set. */
function loading(args: string[]): { code: number | null; stdout: string; stderr: string; loaded: string[]; seconds: number } {
  const out = join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(out, "");
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", preload, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, AL_BACKEND: "wasm", AL_TEST_LOADED: out },
  });
  const seconds = (performance.now() - started) / 1000;
  const loaded = [...new Set(readFileSync(out, "utf8").split("\n").filter(Boolean))];
  rmSync(out);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded, seconds };
}

const al = (...args: string[]) => loading([join(root, "bin/al.js"), ...args]);
const has = (loaded: string[], what: string) => loaded.some((m) => m.includes(what));
const cached = new RegExp(`^${pathToFileURL(join(root, ".cache/al-cli")).href}/[0-9a-f]{16}/`);
/** Our modules a process loaded, as lib/ paths; `compiled` says whether each came from the compiled CLI (bin/cli-cache.js) or the sources. */
function ours(loaded: string[]): Array<{ path: string; compiled: boolean }> {
  const lib = pathToFileURL(join(root, "lib")).href + "/";
  return loaded.flatMap((m): Array<{ path: string; compiled: boolean }> => {
    if (m.startsWith(lib)) return [{ path: `lib/${m.slice(lib.length)}`, compiled: false }];
    const c = cached.exec(m);
    if (c && m.endsWith(".js") && m.slice(c[0].length).startsWith("lib/")) return [{ path: m.slice(c[0].length).replace(/\.js$/, ".ts"), compiled: true }];
    return [];
  });
}
const times: string[] = [];

let s: Study;
let runId: string;
beforeAll(async () => {
  // The first start after a change under lib/ compiles it (bin/cli-cache.js), resolving every
  // package it imports: done here, unrecorded, so the tests see the starts users see.
  const warm = spawnSync(process.execPath, [join(root, "bin/al.js"), "--version"], { cwd: root, encoding: "utf8" });
  if (warm.status !== 0) throw new Error(`al --version failed: ${warm.stderr}`);
  s = await study();
  runId = String((await queryStore(s.db, "SELECT run_id FROM runs ORDER BY run_id LIMIT 1"))[0]!.run_id);
});

describe("start-up", () => {
  it("the recorder sees tfjs and DuckDB when they are loaded (the control)", () => {
    const r = loading(["--input-type=module", "-e", `await import(${JSON.stringify(join(root, "node_modules/@tensorflow/tfjs/dist/tf.node.js"))}); await import("@duckdb/node-api");`]);
    expect(r.code, r.stderr).toBe(0);
    expect(has(r.loaded, "/@tensorflow/tfjs")).toBe(true);
    expect(has(r.loaded, "/@duckdb/")).toBe(true);
  });

  it("al --help and al --version load neither tfjs nor DuckDB, and little of lib/", () => {
    for (const args of [["--help"], ["help"], ["--version"], ["-V"]]) {
      const r = al(...args);
      times.push(`al ${args.join(" ")}: ${r.seconds.toFixed(2)} s`);
      expect(r.code).toBe(0);
      expect(has(r.loaded, "@tensorflow"), args.join(" ")).toBe(false);
      expect(has(r.loaded, "@duckdb"), args.join(" ")).toBe(false);
      const mine = ours(r.loaded);
      expect(mine.map((m) => m.path)).toContain("lib/cli/main.ts");
      expect(mine.every((m) => ["lib/cli/main.ts", "lib/experiments/errors.ts", "lib/al/errors.ts", "lib/version.ts", "lib/package-root.ts"].includes(m.path)), mine.map((m) => m.path).join(", ")).toBe(true);
      // A checkout runs the compiled copy, without tsx.
      expect(mine.every((m) => m.compiled), mine.filter((m) => !m.compiled).map((m) => m.path).join(", ")).toBe(true);
      expect(has(r.loaded, "/node_modules/tsx/"), args.join(" ")).toBe(false);
    }
    const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
    expect(al("--version").stdout).toBe(`${version}\n`);
    expect(al("-V").stdout).toBe(`${version}\n`);
  });

  it("every verb's --help loads neither tfjs nor DuckDB", () => {
    for (const verb of ["run", "ls", "status", "show", "compare", "export", "rm", "collect", "worker"]) {
      const r = al(verb, "--help");
      times.push(`al ${verb} --help: ${r.seconds.toFixed(2)} s`);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: al ${verb}`));
      expect(has(r.loaded, "@tensorflow"), verb).toBe(false);
      expect(has(r.loaded, "@duckdb"), verb).toBe(false);
      // The queue's client loads only when a queue is named.
      expect(has(r.loaded, "bullmq") || has(r.loaded, "ioredis"), verb).toBe(false);
    }
    expect(al("help", "compare").stdout).toMatch(/^usage: al compare <experiment>/);
  });

  it("the read-only verbs on a real store load DuckDB but not tfjs", () => {
    const out = join(dir, "export");
    const runs: string[][] = [
      ["ls"],
      ["ls", "--runs", "--status", "done"],
      ["status"],
      ["show", runId.slice(0, 8)],
      ["show", runId, "--metrics", "accuracy"],
      ["compare", "study"],
      ["export", "--out", out, "--flat"],
    ];
    for (const args of runs) {
      const r = al(...args, "--db", s.db);
      times.push(`al ${args.join(" ")}: ${r.seconds.toFixed(2)} s`);
      expect(r.code, r.stderr).toBe(0);
      expect(has(r.loaded, "@tensorflow"), args.join(" ")).toBe(false);
      expect(has(r.loaded, "/@duckdb/"), args.join(" ")).toBe(true);
      expect(ours(r.loaded).filter((m) => !m.compiled), args.join(" ")).toEqual([]);
      // Nor the experiment schema: zod alone is ~100 modules.
      expect(has(r.loaded, "/node_modules/zod/"), args.join(" ")).toBe(false);
    }
    console.info(`start-up times on this machine (the compiled CLI, bin/cli-cache.js):\n  ${times.join("\n  ")}`);
  });

  it("al run's workers run the compiled worker, as the parent does, and no lib/ source", () => {
    // NODE_OPTIONS reaches the forked workers, so the recorder lists their modules too.
    const work = mkdtempSync(join(dir, "run-"));
    const file = join(work, "tiny.ts");
    writeFileSync(file, `export default ${JSON.stringify({ name: "tiny", dataset: { name: "noisy-blobs", blobs: 4, perBlob: 10, dimension: 2 }, learner: "logistic", samplers: ["random", "margin"], initial: { size: 8 }, acquisition: { size: 4 }, rounds: 1, epochs: 1, seeds: [1] })};\n`);
    const out = join(work, "loaded.txt");
    writeFileSync(out, "");
    const r = spawnSync(process.execPath, [join(root, "bin/al.js"), "run", file, "--db", join(work, "al.duckdb"), "--workers", "2", "--no-maps"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, AL_BACKEND: "wasm", AL_TEST_LOADED: out, NODE_OPTIONS: `--import ${preload}` },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/tiny: 2 done/);
    const loaded = [...new Set(readFileSync(out, "utf8").split("\n").filter(Boolean))];
    const mine = ours(loaded);
    expect(mine.map((m) => m.path)).toContain("lib/runner/worker.ts");
    expect(mine.filter((m) => !m.compiled)).toEqual([]);
  });
});
