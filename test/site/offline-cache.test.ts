/**
 * lib/site/offline-cache.ts: Framework's `_npm` cache filled from node_modules, laid out as
 * Framework's npm.js reads it (`_npm/<name>@<version>/_esm.js`), so no build asks the registry.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheFileFor, clearLoaderCache, installedPackage, notInstalled, npmSpecifiersIn, parseNpmSpecifier, prepareOfflineCache } from "../../lib/site/offline-cache.ts";

const repo = join(import.meta.dirname, "../..");
const version = (name: string): string => (JSON.parse(readFileSync(join(repo, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

describe("specifiers", () => {
  it("split as Framework splits them", () => {
    expect(parseNpmSpecifier("d3")).toEqual({ name: "d3" });
    expect(parseNpmSpecifier("@observablehq/plot@0.6/dist/plot.umd.js")).toEqual({ name: "@observablehq/plot", range: "0.6", path: "dist/plot.umd.js" });
    expect(parseNpmSpecifier("sql.js/dist/")).toEqual({ name: "sql.js", path: "dist/" });
  });

  it("map to the cache file Framework asks for", () => {
    expect(cacheFileFor({ name: "d3" })).toBe("_esm.js");
    expect(cacheFileFor({ name: "react-dom" })).toBe("client._esm.js");
    expect(cacheFileFor({ name: "katex", path: "dist/katex.min.css" })).toBe("dist/katex.min.css");
    expect(cacheFileFor({ name: "x", path: "dist/x.mjs/+esm" })).toBe("dist/x.mjs._esm.js");
    expect(cacheFileFor({ name: "sql.js", path: "dist/" })).toBeUndefined();
  });

  it("are found as string literals only", () => {
    expect(npmSpecifiersIn(`import("npm:d3"); import * as A from 'npm:arquero@7'; const s = "npm: nothing";`)).toEqual(["d3", "arquero@7"]);
  });
});

describe("prepareOfflineCache", () => {
  let root: string;
  beforeAll(() => {
    // A project whose node_modules is the repository's, with a page and a stale cache.
    const project = mkdtempSync(join(tmpdir(), "al-offline-cache-"));
    symlinkSync(join(repo, "node_modules"), join(project, "node_modules"), "dir");
    root = join(project, "src");
    mkdirSync(join(root, ".observablehq", "cache", "_npm", "d3@1.0.0"), { recursive: true });
    mkdirSync(join(root, ".observablehq", "cache", "data"), { recursive: true });
    writeFileSync(join(root, ".observablehq", "cache", "data", "rounds.parquet"), "old");
    writeFileSync(join(root, "index.md"), "```js\nconst dsv = await import(\"npm:d3-dsv\");\n```\n");
  });

  it("writes version folders and self-contained bundles of what is installed, placeholders for the rest", async () => {
    const npm = join(root, ".observablehq", "cache", "_npm");
    const result = await prepareOfflineCache(root);
    expect(installedPackage(root, "d3")?.version).toBe(version("d3"));
    // The old d3 folder would have shadowed the installed version (the highest wins).
    expect(readdirSync(npm).filter((e) => e.startsWith("d3@"))).toEqual([`d3@${version("d3")}`]);
    for (const name of ["d3", "d3-dsv", "htl", "@observablehq/plot"]) {
      expect(result.versions).toContain(`${name}@${version(name)}`);
      const bundle = readFileSync(join(npm, `${name}@${version(name)}`, "_esm.js"), "utf8");
      // One file: no import of another module, nothing from a CDN.
      expect(bundle).not.toMatch(/\bfrom\s*["']|\bimport\s*\(\s*["']|https:\/\//);
      expect(bundle).toMatch(/export\s*\{/);
    }
    // Named by Framework's client, not installed: a version folder so no registry is asked.
    expect(existsSync(join(npm, `react-dom@${notInstalled}`))).toBe(true);
    expect(result.missing).toContain("react-dom");
    // Framework's own modules (resolvers.js builtins) are never resolved through _npm.
    expect(readdirSync(join(npm, "@observablehq")).filter((e) => e.startsWith("inputs@") || e.startsWith("runtime@"))).toEqual([]);
    // A second call writes nothing.
    expect((await prepareOfflineCache(root)).written).toEqual([]);
  });

  it("refuses a page that imports a package that is not installed, naming it and the fix", async () => {
    const page = join(root, "uses-lodash.md");
    writeFileSync(page, "```js\nimport _ from \"npm:lodash\";\n```\n");
    try {
      await expect(prepareOfflineCache(root)).rejects.toThrow(/uses-lodash\.md imports npm:lodash, which is not installed; .* npm install lodash$/);
    } finally {
      writeFileSync(page, "no imports\n");
    }
  });

  it("clearLoaderCache removes loader outputs and keeps the npm and node caches", () => {
    mkdirSync(join(root, ".observablehq", "cache", "_node"), { recursive: true });
    expect(clearLoaderCache(root)).toEqual(["data"]);
    expect(readdirSync(join(root, ".observablehq", "cache")).sort()).toEqual(["_node", "_npm"]);
  });
});
