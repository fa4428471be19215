/**
 * `al site build|dev`: the package's report site (src/ pages and loaders, observablehq.config.ts)
 * built for the caller's store, in the caller's project, without copying src/ by hand. The site
 * is assembled in a work folder (.al-site/ under the current directory) and built there by the
 * package's own Observable Framework, with AL_DB pointing at the store.
 */
import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join, relative, resolve, sep } from "node:path";
import { PUBLISHED_ROOT } from "../reproduce/published-root.ts";
import { pathToFileURL } from "node:url";
import { SpecError } from "../experiments/errors.ts";
import { packageRoot } from "../package-root.ts";
import { parse } from "./args.ts";

// The same default as run-experiment.ts's defaultDb (not imported: that module loads tfjs).
const defaultDb = "results/al.duckdb";
const defaultOut = "dist-site";
export const workDirName = ".al-site";

export const siteHelp = `usage: al site build [options]
       al site dev [options]

Builds (or previews, with live reload) the report site for your store: the package's own pages
and data loaders, assembled in ${workDirName}/ under the current directory and built with the
package's Observable Framework. The loaders read the store named by --db.

options:
  --db <path>        DuckDB store (default ${defaultDb}); must exist (al run makes it)
  --out <dir>        build: output directory (default ${defaultOut}); replaced on each build
  --quickstart       also publish the package's quickstart experiment, running it into the
                     store when missing (default: only the store's own experiments; nothing is trained)
  --profile <name>   with --quickstart: its profile, passed to the loaders as AL_PROFILE (e.g. ci)
  --port <n>         dev: preview server port (default Framework's, 3000)
  -h, --help         this help

The build needs no network: Framework's client libraries come from node_modules
(lib/site/offline-cache.ts). al site dev re-runs the loaders when the store changes.`;

/** Refuses an --out that Framework's build (which deletes the output directory) would harm. */
export function checkOut(out: string, cwd: string): void {
  const inside = (child: string, parent: string): boolean => {
    const rel = relative(parent, child);
    return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
  };
  if (inside(cwd, out)) throw new SpecError(`--out ${out}: is the current directory or above it; the build replaces --out, choose a new directory`);
  if (inside(out, join(cwd, workDirName))) throw new SpecError(`--out ${out}: is inside ${workDirName}/, the site's work folder; choose another directory`);
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new SpecError(`--out ${out}: is a file; the build writes a directory, choose another path`);
  const entries = readdirSync(out);
  if (entries.length > 0 && !entries.includes("index.html")) {
    throw new SpecError(`--out ${out}: is a non-empty directory that holds no built site (no index.html); the build would delete it, choose another`);
  }
}

/** Where a dependency of this package is installed (node's own lookup, from the package root). */
function dependencyDir(name: string): string {
  const require = createRequire(join(packageRoot, "package.json"));
  return dirname(require.resolve(`${name}/package.json`));
}

/** lib/X.ts modules that re-export the compiled dist/lib/X.js: the loaders import lib/…/*.ts. */
function writeShims(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) writeShims(source, join(to, entry.name));
    else if (entry.name.endsWith(".js")) {
      const url = pathToFileURL(source).href;
      // Line-anchored: compiled output puts statements at the start of a line, while messages and
      // comments that mention "export default" are indented or inside strings.
      const hasDefault = /^export default\b|^export \{[^}]*\bas default\b/m.test(readFileSync(source, "utf8"));
      const lines = [`export * from ${JSON.stringify(url)};`, ...(hasDefault ? [`export { default } from ${JSON.stringify(url)};`] : [])];
      writeFileSync(join(to, entry.name.replace(/\.js$/, ".ts")), lines.join("\n") + "\n");
    }
  }
}

/**
 * The work folder: src/ and the config copied fresh (so no stale loader cache survives a store
 * change), lib/ as the package's sources (a checkout) or shims onto dist/ (an installed package),
 * the shipped experiments, and a `tsx` on PATH for Framework's .ts loaders.
 */
export function prepareWorkDir(cwd: string): { dir: string; binDir: string } {
  const dir = join(cwd, workDirName);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(packageRoot, "src"), join(dir, "src"), { recursive: true, filter: (p) => !p.includes(`${sep}.observablehq`) });
  cpSync(join(packageRoot, "observablehq.config.ts"), join(dir, "observablehq.config.ts"));
  if (existsSync(join(packageRoot, "experiments"))) cpSync(join(packageRoot, "experiments"), join(dir, "experiments"), { recursive: true });
  if (existsSync(join(packageRoot, "lib", "cli", "main.ts"))) symlinkSync(join(packageRoot, "lib"), join(dir, "lib"), "dir");
  else writeShims(join(packageRoot, "dist", "lib"), join(dir, "lib"));
  // Client imports (Plot, hyparquet) resolve upward from src/; a checkout's or nested install's
  // own node_modules is not above the work folder.
  const modules = join(packageRoot, "node_modules");
  if (existsSync(modules) && relative(modules, dir).startsWith("..")) symlinkSync(modules, join(dir, "node_modules"), "dir");
  const binDir = join(dir, ".bin");
  mkdirSync(binDir);
  const tsxCli = join(dependencyDir("tsx"), "dist", "cli.mjs");
  writeFileSync(join(binDir, "tsx"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(tsxCli)} "$@"\n`);
  chmodSync(join(binDir, "tsx"), 0o755);
  // ESM, as in the package: loaders use top-level await, which tsx refuses in CommonJS.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }, null, 2) + "\n");
  writeFileSync(join(dir, ".gitignore"), "*\n");
  return { dir, binDir };
}

export async function site(args: string[]): Promise<number> {
  const { values, positionals } = parse("site", args, {
    db: { type: "string" },
    out: { type: "string" },
    profile: { type: "string" },
    quickstart: { type: "boolean" },
    port: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(siteHelp + "\n");
    return 0;
  }
  const [action, extra] = positionals;
  if (action !== "build" && action !== "dev") {
    throw new SpecError(`${action === undefined ? "missing" : `unknown`} action${action === undefined ? "" : ` "${action}"`}; expected build or dev (see al site --help)`);
  }
  if (extra !== undefined) throw new SpecError(`unexpected argument "${extra}" (see al site --help)`);
  if (values.port !== undefined && !/^\d+$/.test(values.port)) throw new SpecError(`--port: expected a port number, got "${values.port}"`);
  const cwd = process.cwd();
  const db = resolve(cwd, values.db ?? defaultDb);
  if (!existsSync(db)) throw new SpecError(`--db ${values.db ?? defaultDb}: no such store; run an experiment first (al run <experiment.ts>) or pass --db`);
  const out = resolve(cwd, values.out ?? defaultOut);
  if (action === "build") checkOut(out, cwd);

  // A previous build (checkOut allows no other non-empty folder): Framework clears only an
  // output inside its own working directory, so stale hashed files would pile up here.
  if (action === "build") rmSync(out, { recursive: true, force: true });
  const { dir, binDir } = prepareWorkDir(cwd);
  // As npm run build|dev: Framework's npm cache from node_modules (no network); dev follows the store.
  const { prepareOfflineCache } = await import("../site/offline-cache.ts");
  await prepareOfflineCache(join(dir, "src"));
  await (await import("../site/browser-stats.ts")).writeBrowserStats(join(dir, "src"));
  const stopWatch = action === "dev" ? (await import("../site/store-watch.ts")).watchStore(db, join(dir, "src")) : undefined;
  const observable = join(dependencyDir("@observablehq/framework"), "dist", "bin", "observable.js");
  const frameworkArgs = action === "build" ? ["build"] : ["preview", ...(values.port ? ["--port", values.port] : [])];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AL_DB: db,
    AL_SITE_OUT: out,
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}`,
    ...(values.profile !== undefined ? { AL_PROFILE: values.profile } : {}),
    AL_SITE_QUICKSTART: values.quickstart ? "run" : "skip",
    // Reproduction pages: what `al reproduce` shipped from here (its default --out).
    AL_PUBLISHED: resolve(cwd, process.env.AL_PUBLISHED ?? PUBLISHED_ROOT),
  };
  // Framework's progress goes to stderr: our stdout is for data.
  const child = spawn(process.execPath, [observable, ...frameworkArgs], { cwd: dir, env, stdio: ["inherit", 2, 2] });
  const stop = (): void => void child.kill("SIGINT");
  process.once("SIGINT", stop);
  const code = await new Promise<number>((done) => child.once("exit", (c, signal) => done(c ?? (signal ? 1 : 0))));
  process.off("SIGINT", stop);
  stopWatch?.();
  if (code !== 0) throw new Error(`Observable Framework ${frameworkArgs[0]} failed (exit ${code}); its output is above`);
  if (action === "build") process.stderr.write(`site for ${relative(cwd, db) || db} written to ${relative(cwd, out) || out}\n`);
  return 0;
}
