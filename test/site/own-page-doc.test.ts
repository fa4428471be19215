/**
 * The README's "Write your own page" example (its section under The report site) must keep working as
 * the components change: every name it imports from ./components/<y>.js is an export of
 * src/components/<y>.ts, every npm package it imports is a dependency, and every FileAttachment
 * path is served by a loader (or file) under src/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const doc = section(readme, "### Write your own page");

/** From `heading` to the next heading of level ≤ 3 outside a code fence (the example page's own headings sit inside its ````md fence). */
function section(text: string, heading: string): string {
  const lines = text.split("\n");
  const from = lines.indexOf(heading);
  if (from < 0) return "";
  let fence: string | undefined;
  let to = lines.length;
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const mark = /^(`{3,})/.exec(line)?.[1];
    if (mark !== undefined && fence === undefined) fence = mark; // opens
    else if (mark !== undefined && line === fence) fence = undefined; // closes
    else if (fence === undefined && /^#{1,3} /.test(line)) {
      to = i;
      break;
    }
  }
  return lines.slice(from, to).join("\n");
}
const blocks = [...doc.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const code = blocks.join("\n");

/** `import {a, b as c} from "spec"` → [spec, [a, b]]; `import * as X from "spec"` → [spec, []]. */
function imports(source: string): [string, string[]][] {
  return [...source.matchAll(/^import\s+(\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+"([^"]+)";/gm)].map((m) => [
    m[2]!,
    m[1]!.startsWith("{") ? m[1]!.slice(1, -1).split(",").map((s) => s.trim().split(/\s+as\s+/)[0]!).filter(Boolean) : [],
  ]);
}

/** The file under src/ that serves `path` as Framework resolves it: a static file, or a loader `<file>.ts`, with `[param]` folders and names. */
function servedBy(path: string): string | undefined {
  let dir = join(ROOT, "src");
  const parts = path.split("/");
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const entries = readdirSync(dir);
    if (last) {
      const ext = part.slice(part.indexOf("."));
      const match = [part, `${part}.ts`].find((f) => entries.includes(f)) ?? entries.find((f) => /^\[\w+\]/.test(f) && f.endsWith(`${ext}.ts`));
      return match && join(dir, match);
    }
    const next = entries.includes(part) ? part : entries.find((f) => /^\[\w+\]$/.test(f));
    if (!next) return undefined;
    dir = join(dir, next);
  }
  return undefined;
}

describe("README: Write your own page", () => {
  it("has a complete example page with js blocks that import components and read an experiment", () => {
    expect(doc).toMatch(/^````md\n---\ntitle: /m);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(imports(code).some(([spec]) => spec.startsWith("./components/"))).toBe(true);
    expect(code).toMatch(/FileAttachment\("data\/experiments\/[^"]+\/rounds\.parquet"\)/);
  });

  it("imports only real exports of src/components", async () => {
    const components = imports(code).filter(([spec]) => spec.startsWith("./components/"));
    expect(components.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const [spec, names] of components) {
      const file = join(ROOT, "src", spec.replace(/^\.\//, "").replace(/\.js$/, ".ts"));
      if (!existsSync(file)) {
        missing.push(`${spec}: no ${file}`);
        continue;
      }
      const module = (await import(file)) as Record<string, unknown>;
      for (const name of names) if (!(name in module)) missing.push(`${spec}: no export ${name}`);
    }
    expect(missing).toEqual([]);
  });

  it("imports only installed npm packages, explicitly", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
    const npm = imports(code).map(([spec]) => spec).filter((spec) => !spec.startsWith("."));
    expect(npm.filter((spec) => !installed.has(spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/")))).toEqual([]);
    // Framework's implicit Plot, Inputs and d3 come from a CDN: the page must import what it uses.
    for (const global of ["Inputs", "Plot", "d3"]) {
      if (new RegExp(String.raw`\b${global}\.`).test(code)) expect(code).toMatch(new RegExp(String.raw`import \* as ${global} from`));
    }
  });

  it("reads only data files that a loader under src/ serves", () => {
    const paths = [...code.matchAll(/FileAttachment\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => servedBy(p) === undefined)).toEqual([]);
    // The checker itself: a path no loader serves is caught.
    expect(servedBy("data/experiments/quickstart/nothing.parquet")).toBeUndefined();
    expect(servedBy("data/experiments/quickstart/rounds.parquet")).toMatch(/\[experiment\][/\\]rounds\.parquet\.ts$/);
  });
});
