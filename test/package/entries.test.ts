/**
 * The entry points without packing: the pure ones load neither tfjs nor DuckDB (a resolve hook
 * in a child process fails on the first such import), and `al site`'s --out guard refuses paths
 * whose deletion by Framework's build would lose the user's files.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { checkOut } from "../../lib/cli/site.ts";

const root = join(import.meta.dirname, "../..");
// Registered after tsx: throws when anything resolves into tfjs or DuckDB, and lists what loaded.
const hook = `
import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/@tensorflow|@duckdb/.test(result.url)) throw new Error("heavy import: " + result.url + " from " + context.parentURL);
  return result;
}\`));
`;

function importEntry(entry: string): { status: number | null; stderr: string; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "al-entries-"));
  writeFileSync(join(dir, "hook.mjs"), hook);
  const url = pathToFileURL(join(root, entry)).href;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--import", join(dir, "hook.mjs"), "--input-type=module", "-e", `const m = await import(${JSON.stringify(url)}); process.stdout.write(String(Object.keys(m).length));`], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("entry points", () => {
  for (const entry of ["lib/entry/samplers.ts", "lib/entry/metrics.ts", "lib/entry/stats.ts"]) {
    it(`${entry} loads without tfjs or DuckDB`, () => {
      const r = importEntry(entry);
      expect(r.status, r.stderr).toBe(0);
      expect(Number(r.stdout)).toBeGreaterThan(10);
    });
  }

  it("the hook does catch a heavy import (the main entry loads tfjs)", () => {
    const r = importEntry("lib/index.ts");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/heavy import: file:.*@(tensorflow|duckdb)/);
  });

  it("the samplers entry exports every registered sampler object", async () => {
    const entry = (await import("../../lib/entry/samplers.ts")) as Record<string, unknown>;
    const exported = new Set(Object.values(entry));
    const missing = Object.entries(entry.samplerRegistry as Record<string, unknown>)
      .filter(([name, sampler]) => name !== "stochastic" && !exported.has(sampler))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});

describe("al site --out guard", () => {
  const cwd = mkdtempSync(join(tmpdir(), "al-site-out-"));
  it("refuses the project itself, a folder above it, the work folder and a folder of other files", () => {
    expect(() => checkOut(cwd, cwd)).toThrow(/is the current directory or above it/);
    expect(() => checkOut(join(cwd, ".."), cwd)).toThrow(/is the current directory or above it/);
    expect(() => checkOut(join(cwd, ".al-site", "out"), cwd)).toThrow(/inside \.al-site/);
    mkdirSync(join(cwd, "src"));
    writeFileSync(join(cwd, "src", "mine.ts"), "");
    expect(() => checkOut(join(cwd, "src"), cwd)).toThrow(/non-empty directory that holds no built site/);
    writeFileSync(join(cwd, "file"), "");
    expect(() => checkOut(join(cwd, "file"), cwd)).toThrow(/is a file/);
  });
  it("accepts a new folder, an empty one, and a previous build", () => {
    expect(() => checkOut(join(cwd, "new"), cwd)).not.toThrow();
    mkdirSync(join(cwd, "empty"));
    expect(() => checkOut(join(cwd, "empty"), cwd)).not.toThrow();
    mkdirSync(join(cwd, "site"));
    writeFileSync(join(cwd, "site", "index.html"), "");
    expect(() => checkOut(join(cwd, "site"), cwd)).not.toThrow();
    // A sibling whose name starts like the project's is not "above" it.
    expect(() => checkOut(`${cwd}-site`, cwd)).not.toThrow();
  });
});
