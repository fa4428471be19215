/**
 * The compiled CLI of a checkout (bin/cli-cache.js): its key follows every change under lib/,
 * a checkout's first start compiles lib/ and later edits are picked up, two first starts at once
 * leave one complete copy, a cache that cannot be written falls back to tsx, and the generated
 * modules for CommonJS packages export what Node's own import of them does.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheDir, sourceKey } from "../../bin/cli-cache.js";
import { root } from "./al.ts";

const dir = mkdtempSync(join(tmpdir(), "al-cli-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

/** A checkout of this one's code: lib/, bin/, package.json, tsconfig.json and (linked) node_modules. */
function checkout(name: string): string {
  const at = join(dir, name);
  mkdirSync(join(at, "bin"), { recursive: true });
  cpSync(join(root, "lib"), join(at, "lib"), { recursive: true });
  for (const f of ["bin/al.js", "bin/cli-cache.js", "package.json", "tsconfig.json"]) copyFileSync(join(root, f), join(at, f));
  symlinkSync(join(root, "node_modules"), join(at, "node_modules"), "dir");
  return at;
}

const al = (at: string, args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [join(at, "bin/al.js"), ...args], { cwd: at, encoding: "utf8", env: { ...process.env, ...env } });
const entries = (at: string): string[] => (existsSync(cacheDir(at)) ? readdirSync(cacheDir(at)).sort() : []);

describe("the compiled CLI's key", () => {
  const at = join(dir, "key");
  mkdirSync(join(at, "lib", "sub"), { recursive: true });
  writeFileSync(join(at, "package.json"), `{ "name": "al-lab", "type": "module" }\n`);
  writeFileSync(join(at, "lib", "a.ts"), "export const a = 1;\n");
  writeFileSync(join(at, "lib", "sub", "b.ts"), "export const b = 2;\n");

  it("is stable while nothing changes", () => {
    expect(sourceKey(at)).toMatch(/^[0-9a-f]{16}$/);
    expect(sourceKey(at)).toBe(sourceKey(at));
  });

  it("changes with an edit (even one of the same size and mtime), a new file, a deleted file and package.json", () => {
    const seen = new Set([sourceKey(at)]);
    const changed = (what: string) => {
      const key = sourceKey(at);
      expect(seen.has(key), what).toBe(false);
      seen.add(key);
    };
    writeFileSync(join(at, "lib", "sub", "b.ts"), "export const b = 3;\n");
    utimesSync(join(at, "lib", "sub", "b.ts"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    changed("edit");
    // Same bytes' length and the same mtime as before: only the ctime moved.
    writeFileSync(join(at, "lib", "sub", "b.ts"), "export const b = 4;\n");
    utimesSync(join(at, "lib", "sub", "b.ts"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    changed("edit keeping size and mtime");
    writeFileSync(join(at, "lib", "c.ts"), "export const c = 1;\n");
    changed("new file");
    unlinkSync(join(at, "lib", "a.ts"));
    changed("deleted file");
    writeFileSync(join(at, "package.json"), `{ "name": "al-lab", "type": "module", "version": "9.9.9" }\n`);
    changed("package.json");
  });
});

describe("a checkout's start", () => {
  it("compiles lib/ on the first start, reuses it, and compiles again after an edit", () => {
    const at = checkout("edit");
    expect(entries(at)).toEqual([]);
    const first = al(at, ["--version"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(`${version}\n`);
    const [key] = entries(at);
    expect(entries(at)).toEqual([sourceKey(at)]);
    for (const f of ["lib/cli/main.js", "lib/runner/worker.js", "lib/runner/pool.js", "cjs/@tensorflow+tfjs.js", "cjs/@duckdb+node-api.js"]) expect(existsSync(join(cacheDir(at), key!, f)), f).toBe(true);
    expect(al(at, ["--help"]).stdout).toMatch(/^usage: al <command> \[options\]\n/);
    expect(entries(at)).toEqual([key]);

    const main = join(at, "lib/cli/main.ts");
    writeFileSync(main, readFileSync(main, "utf8").replace("usage: al <command> [options]", "usage: al <command> [options] (edited)"));
    const edited = al(at, ["--help"]);
    expect(edited.status, edited.stderr).toBe(0);
    expect(edited.stdout).toMatch(/^usage: al <command> \[options\] \(edited\)\n/);
    expect(entries(at)).toHaveLength(2);
    expect(entries(at)).toContain(sourceKey(at));
  });

  it("two first starts at once both run and leave one complete copy", async () => {
    const at = checkout("race");
    const start = () =>
      new Promise<{ code: number | null; stdout: string }>((done) => {
        const child = spawn(process.execPath, [join(at, "bin/al.js"), "--version"], { cwd: at, stdio: ["ignore", "pipe", "inherit"] });
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.on("close", (code) => done({ code, stdout }));
      });
    const runs = await Promise.all([start(), start()]);
    expect(runs).toEqual([
      { code: 0, stdout: `${version}\n` },
      { code: 0, stdout: `${version}\n` },
    ]);
    expect(entries(at)).toEqual([sourceKey(at)]);
    expect(existsSync(join(cacheDir(at), sourceKey(at), "lib/cli/main.js"))).toBe(true);
    // Nobody is using it any more: each start removed its own mark.
    expect(readdirSync(join(cacheDir(at), sourceKey(at), "users"))).toEqual([]);
  });

  it("after a compile, removes the copies no live process uses and none started for an hour, and stale temporary folders", () => {
    const at = checkout("prune");
    expect(al(at, ["--version"]).status).toBe(0);
    const [first] = entries(at);
    const hoursAgo = new Date(Date.now() - 2 * 3600_000);
    const fake = (name: string, users: number[], when: Date) => {
      mkdirSync(join(cacheDir(at), name, "users"), { recursive: true });
      for (const pid of users) writeFileSync(join(cacheDir(at), name, "users", String(pid)), "");
      utimesSync(join(cacheDir(at), name), when, when);
    };
    fake("0000000000000001", [], hoursAgo); // unused for two hours
    fake("0000000000000002", [process.pid], hoursAgo); // old, but this (live) process uses it
    fake("0000000000000003", [2 ** 22 + 12345], hoursAgo); // its user is dead (no pid is above 2^22 on Linux)
    fake("0000000000000004", [], new Date()); // started a moment ago
    fake(".tmp-stale", [], hoursAgo);
    fake(".tmp-fresh", [], new Date());
    const main = join(at, "lib/cli/main.ts");
    writeFileSync(main, readFileSync(main, "utf8") + "\n");
    expect(al(at, ["--version"]).status).toBe(0);
    expect(entries(at)).toEqual([".tmp-fresh", "0000000000000002", "0000000000000004", first!, sourceKey(at)].sort());
  });

  it("runs the sources through tsx when the cache cannot be written, or with AL_TSX=1", () => {
    const at = checkout("fallback");
    mkdirSync(join(at, ".cache"));
    writeFileSync(cacheDir(at), "not a folder\n");
    const r = al(at, ["--help"], { AL_DEBUG: "1" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: al <command>/);
    expect(r.stderr).toMatch(/^al: running lib\/ through tsx, the compiled CLI could not be made: /);
    rmSync(cacheDir(at));
    const tsx = al(at, ["--version"], { AL_TSX: "1" });
    expect(tsx.status, tsx.stderr).toBe(0);
    expect(tsx.stdout).toBe(`${version}\n`);
    expect(entries(at)).toEqual([]);
  });

  it("the modules for CommonJS packages export every name Node's own import gives, bound to the same values", () => {
    const at = checkout("facades");
    expect(al(at, ["--version"]).status).toBe(0);
    const cjs = join(cacheDir(at), sourceKey(at), "cjs");
    const script = `import { readdirSync } from "node:fs";
const out = {};
for (const f of readdirSync(${JSON.stringify(cjs)})) {
  const spec = f.slice(0, -3).replace("+", "/");
  const facade = await import(${JSON.stringify(cjs + "/")} + f);
  const native = await import(spec);
  out[spec] = { names: Object.keys(native).length, missing: Object.keys(native).filter((k) => !(k in facade)), different: Object.keys(native).filter((k) => k in facade && facade[k] !== native[k]) };
}
process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: at, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as Record<string, { names: number; missing: string[]; different: string[] }>;
    expect(Object.keys(result)).toEqual(expect.arrayContaining(["@tensorflow/tfjs", "@duckdb/node-api"]));
    for (const [spec, { names, missing, different }] of Object.entries(result)) {
      expect(names, spec).toBeGreaterThan(1);
      expect({ spec, missing, different }).toEqual({ spec, missing: [], different: [] });
    }
  });
});
