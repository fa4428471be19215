/**
 * Makes Observable Framework build without a network. Framework 1.x resolves every `npm:` import
 * (its own client's lazy ones — react-dom, lodash, d3, … — and a page's implicit `Plot`, `d3`,
 * `html`) to `/_npm/<name>@<version>/…`: the version from the names of the directories in
 * `<root>/.observablehq/cache/_npm/` or else from registry.npmjs.org, the file from that cache or
 * else from cdn.jsdelivr.net. This fills the cache from node_modules before each build, so
 * Framework never asks either:
 *
 * - every `npm:` specifier Framework's client and implicit-library tables name, and every one a
 *   page names, gets a `<name>@<version>` directory: the installed version, or, for a package
 *   not installed, `0.0.0-not-installed` (the client only imports it if a page uses it);
 * - an installed package's module (`_esm.js`, `<path>._esm.js`) is bundled with esbuild into one
 *   self-contained file, and a file path (`dist/x.css`) is copied;
 * - directories of other versions of an installed package are removed (the highest version in
 *   the cache wins, so an old one would shadow a downgrade).
 *
 * Loader outputs live beside `_npm` in the same cache; `clearLoaderCache` removes only those.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, resolve } from "node:path";

/** What Framework's own directories in the cache are called; everything else is loader output. */
export const frameworkCacheDirs: readonly string[] = ["_npm", "_node", "_jsr", "_duckdb", "_observablehq"];

/** The version directory written for a package Framework names that is not installed. */
export const notInstalled = "0.0.0-not-installed";

/**
 * `npm:` names Framework maps to its own bundled modules (resolvers.js `builtins`): never
 * resolved through the npm cache.
 */
const builtinNames = new Set([
  "@observablehq/runtime",
  "@observablehq/stdlib",
  "@observablehq/dot",
  "@observablehq/duckdb",
  "@observablehq/inputs",
  "@observablehq/mermaid",
  "@observablehq/tex",
  "@observablehq/sqlite",
]);

export interface NpmSpecifier {
  name: string;
  range?: string;
  path?: string;
}

/** `@scope/name@range/path` → its parts (as Framework's parseNpmSpecifier splits them). */
export function parseNpmSpecifier(specifier: string): NpmSpecifier {
  const parts = specifier.split("/");
  const namerange = specifier.startsWith("@") ? `${parts.shift()}/${parts.shift()}` : parts.shift()!;
  const at = namerange.indexOf("@", 1);
  const path = parts.length > 0 ? parts.join("/") : undefined;
  return {
    name: at > 0 ? namerange.slice(0, at) : namerange,
    ...(at > 0 ? { range: namerange.slice(at + 1) } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}

/** The `npm:…` string literals in JavaScript or Markdown source. */
export function npmSpecifiersIn(source: string): string[] {
  return [...source.matchAll(/["'`]npm:([^"'`\s]+)["'`]/g)].map((m) => m[1]!);
}

function filesUnder(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".observablehq") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(path, keep, out);
    else if (keep(path)) out.push(path);
  }
  return out;
}

/** Where Framework is installed, seen from the site's root (Node's own lookup). */
export function frameworkDir(root: string): string {
  const require = createRequire(join(resolve(root), "package.json"));
  return dirname(require.resolve("@observablehq/framework/package.json"));
}

/**
 * Every `npm:` specifier a build of `root` may resolve: those in Framework's client code and its
 * implicit-import tables, and those in the site's own pages and modules.
 */
export function wantedSpecifiers(root: string, framework = frameworkDir(root)): string[] {
  const sources = [...filesUnder(join(framework, "dist", "client"), (f) => f.endsWith(".js")), join(framework, "dist", "libraries.js")];
  const found = new Set<string>(pageSpecifiers(root).map((p) => p.specifier));
  for (const file of sources) for (const s of npmSpecifiersIn(readFileSync(file, "utf8"))) found.add(s);
  return [...found].filter((s) => !builtinNames.has(parseNpmSpecifier(s).name)).sort();
}

/** The `npm:` specifiers the site's own pages and modules name, with the file naming each. */
export function pageSpecifiers(root: string): Array<{ file: string; specifier: string }> {
  return filesUnder(root, (f) => /\.(md|js|jsx|ts|tsx)$/.test(f)).flatMap((file) =>
    npmSpecifiersIn(readFileSync(file, "utf8")).map((specifier) => ({ file, specifier })),
  );
}

/** The installed package's directory and version, looking up from `root` as Node does. */
export function installedPackage(root: string, name: string): { dir: string; version: string } | undefined {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const manifest = join(dir, "node_modules", name, "package.json");
    if (existsSync(manifest)) {
      const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown };
      if (typeof version === "string") return { dir: dirname(manifest), version };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The file under `_npm/<name>@<version>/` Framework asks for (npm.js resolveNpmImport): `+esm` and
 * no path → `_esm.js`, an extension-less path → `<path>._esm.js`, a file → itself, a folder → none.
 */
export function cacheFileFor(spec: NpmSpecifier): string | undefined {
  // Framework's defaults for a bare name (resolveNpmImport).
  const special: Record<string, string> = { "react-dom": "client", mermaid: "dist/mermaid.esm.min.mjs/+esm", echarts: "dist/echarts.esm.min.js/+esm" };
  const path = spec.path ?? special[spec.name] ?? "+esm";
  if (path === "" || path.endsWith("/")) return undefined;
  if (path === "+esm") return "_esm.js";
  if (extname(path) && !path.endsWith("/+esm")) return path;
  return path.replace(/(?:\/\+esm)?$/, "._esm.js");
}

interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
}

/** Framework's own esbuild (a dependency of it, so always installed beside it). */
async function loadEsbuild(framework: string): Promise<Esbuild> {
  const require = createRequire(join(framework, "package.json"));
  return (await import(require.resolve("esbuild"))) as Esbuild;
}

export interface PrepareOptions {
  /** Progress lines (stderr in the scripts). */
  log?: (line: string) => void;
}

export interface PrepareResult {
  /** `<name>@<version>` directories the cache now holds for what Framework may ask. */
  versions: string[];
  /** Files written this time (bundled or copied), relative to `_npm/`. */
  written: string[];
  /** Names Framework's client mentions that are not installed (placeholders). */
  missing: string[];
}

/**
 * Fills `<root>/.observablehq/cache/_npm` from node_modules so that `observable build|preview`
 * of `root` needs no network. Idempotent: files already there are kept.
 */
export async function prepareOfflineCache(root: string, options: PrepareOptions = {}): Promise<PrepareResult> {
  const log = options.log ?? (() => {});
  const framework = frameworkDir(root);
  const npmDir = join(root, ".observablehq", "cache", "_npm");
  const result: PrepareResult = { versions: [], written: [], missing: [] };
  const byName = new Map<string, NpmSpecifier[]>();
  for (const s of wantedSpecifiers(root, framework)) {
    const spec = parseNpmSpecifier(s);
    byName.set(spec.name, [...(byName.get(spec.name) ?? []), spec]);
  }
  let esbuild: Esbuild | undefined;
  for (const [name, specs] of byName) {
    const installed = installedPackage(root, name);
    const scopeDir = join(npmDir, dirname(name));
    const base = name.split("/").pop()!;
    const existing = existsSync(scopeDir) ? readdirSync(scopeDir).filter((e) => e.startsWith(`${base}@`)) : [];
    if (!installed) {
      // A page that imports it fails with Framework's own fetch error, which names the package.
      result.missing.push(name);
      if (existing.length === 0) mkdirSync(join(npmDir, `${name}@${notInstalled}`), { recursive: true });
      const versions = existing.length > 0 ? existing.map((e) => e.slice(base.length + 1)) : [notInstalled];
      result.versions.push(...versions.map((v) => `${name}@${v}`));
      continue;
    }
    for (const e of existing) if (e !== `${base}@${installed.version}`) rmSync(join(scopeDir, e), { recursive: true, force: true });
    const versionDir = join(npmDir, `${name}@${installed.version}`);
    mkdirSync(versionDir, { recursive: true });
    result.versions.push(`${name}@${installed.version}`);
    for (const spec of specs) {
      const file = cacheFileFor(spec);
      if (file === undefined) continue;
      const target = join(versionDir, file);
      if (existsSync(target)) continue;
      mkdirSync(dirname(target), { recursive: true });
      try {
        if (file.endsWith("._esm.js") || file === "_esm.js") {
          esbuild ??= await loadEsbuild(framework);
          const entry = spec.path === undefined || spec.path === "+esm" ? name : `${name}/${spec.path.replace(/\/\+esm$/, "")}`;
          const built = await esbuild.build({
            entryPoints: [entry],
            absWorkingDir: resolve(root),
            bundle: true,
            format: "esm",
            platform: "browser",
            target: ["es2022"],
            minify: true,
            write: false,
            logLevel: "silent",
            define: { "process.env.NODE_ENV": JSON.stringify("production") },
          });
          writeFileSync(target, built.outputFiles[0]!.text);
        } else {
          const source = join(installed.dir, spec.path!);
          if (!existsSync(source) || !statSync(source).isFile()) continue;
          copyFileSync(source, target);
        }
        result.written.push(relative(npmDir, target));
        log(`npm:${name}@${installed.version}/${spec.path ?? "+esm"} → ${relative(process.cwd(), target)} (from node_modules)`);
      } catch (error) {
        // Framework would then try the CDN; say why here, where the cause is.
        const first = (error as Error).message.split("\n")[0];
        log(`warning: could not bundle npm:${name}@${installed.version} from node_modules (${first}); a page that imports it will fail offline`);
      }
    }
  }
  result.versions.sort();
  result.missing.sort();
  // Framework's client names many libraries it loads only on use; a page naming one is a use.
  const used = pageSpecifiers(root).find((p) => result.missing.includes(parseNpmSpecifier(p.specifier).name) && !builtinNames.has(parseNpmSpecifier(p.specifier).name));
  if (used) {
    const { name } = parseNpmSpecifier(used.specifier);
    throw new Error(`${relative(process.cwd(), used.file)} imports npm:${used.specifier}, which is not installed; the site builds offline from node_modules, so npm install ${name}`);
  }
  return result;
}

/**
 * Deletes the cached loader outputs under `<root>/.observablehq/cache` (so the next build runs
 * every loader against the store as it is now), keeping Framework's npm/node/duckdb caches.
 * Returns the entries removed.
 */
export function clearLoaderCache(root: string): string[] {
  const cache = join(root, ".observablehq", "cache");
  if (!existsSync(cache)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(cache)) {
    if (frameworkCacheDirs.includes(entry)) continue;
    rmSync(join(cache, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}
