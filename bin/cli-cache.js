/**
 * The compiled CLI of a checkout. Going through tsx costs every start ~0.3 s before any of our
 * code runs (its loader, then each lib/ file), so bin/al.js runs JavaScript that esbuild
 * compiled from lib/ into `.cache/al-cli/<key>/lib/`, one file per source file as in dist/:
 * paths taken from import.meta.url (package root, the pool's worker.js beside pool.js) work as
 * they do in an installed package, and the pool's workers run the same compiled files.
 *
 * `<key>` hashes the path, size, mtime and ctime of every file under lib/ and of the build's
 * other inputs (package.json, tsconfig.json, the installed packages' lock, this file, Node's
 * version), so an edit, a new file or a deleted file gives a new key and one compile (~1 s);
 * there is still no build step between editing and running. A compile goes to a temporary
 * folder renamed into place, so two first starts at once each get a complete copy and the
 * loser's is dropped (a file edited during a compile has a new ctime: no later start computes
 * the key that copy is filed under).
 *
 * CommonJS packages (tfjs, DuckDB, …) are imported through generated ES modules that require()
 * them (`<key>/cjs/`): Node lexes a CommonJS package's files for their export names whenever ESM
 * imports it, ~0.5 s of CPU for tfjs and ~0.2 s for DuckDB at every start; require() does not,
 * and gives the same module object, so the names bind the same values.
 *
 * Plain JavaScript with JSDoc types: it runs before anything is compiled.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Where a checkout keeps its compiled CLIs, one folder per key. */
export const cacheDir = (/** @type {string} */ root) => join(root, ".cache", "al-cli");

/** Inputs of a compile besides lib/: a change to any of them compiles again. */
const buildInputs = ["package.json", "tsconfig.json", "node_modules/.package-lock.json", "bin/cli-cache.js"];
const thisFile = fileURLToPath(import.meta.url);

/** One line per input file: path, size, mtime and ctime in ns (ctime moves on any write, even one that restores mtime). */
function stamp(/** @type {string} */ file, /** @type {string} */ name) {
  try {
    const s = statSync(file, { bigint: true });
    return s.isFile() ? `${name}\t${s.size}\t${s.mtimeNs}\t${s.ctimeNs}` : undefined;
  } catch {
    return `${name}\tabsent`;
  }
}

/** The freshness key of `root`'s lib/: 16 hex digits of a sha256 over every input's stamp. */
export function sourceKey(/** @type {string} */ root) {
  const lib = join(root, "lib");
  const lines = [`node ${process.version}`];
  for (const name of buildInputs) lines.push(stamp(join(root, name), name));
  for (const name of readdirSync(lib, { recursive: true, encoding: "utf8" }).sort()) lines.push(stamp(join(lib, name), `lib/${name}`));
  return createHash("sha256").update(lines.filter((l) => l !== undefined).join("\n")).digest("hex").slice(0, 16);
}

/**
 * The compiled `lib/cli/main.js` of `root`'s current sources as a file URL, compiling it first
 * when the cache has no copy for the current key; undefined when that fails (the caller runs
 * the sources through tsx instead; AL_DEBUG says why).
 * @param {string} root the checkout (the folder holding lib/ and package.json)
 * @returns {Promise<string | undefined>}
 */
export async function compiledCli(root) {
  try {
    const dir = join(cacheDir(root), sourceKey(root));
    if (!existsSync(join(dir, "lib", "cli", "main.js"))) await compile(root, dir);
    markInUse(dir);
    return pathToFileURL(join(dir, "lib", "cli", "main.js")).href;
  } catch (error) {
    if (process.env.AL_DEBUG) process.stderr.write(`al: running lib/ through tsx, the compiled CLI could not be made: ${/** @type {Error} */ (error).message}\n`);
    return undefined;
  }
}

/** Compiles `root`'s lib/ into `dir` (temporary folder + rename), then removes copies nobody uses. */
async function compile(/** @type {string} */ root, /** @type {string} */ dir) {
  const cache = dirname(dir);
  mkdirSync(cache, { recursive: true });
  const temp = mkdtempSync(join(cache, ".tmp-"));
  try {
    const { build } = await import("esbuild");
    const lib = join(root, "lib");
    const entryPoints = readdirSync(lib, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
      .map((f) => join(lib, f));
    /** @type {Set<string>} */
    const commonjs = new Set();
    await build({
      entryPoints,
      outbase: root,
      outdir: temp,
      absWorkingDir: root,
      tsconfig: join(root, "tsconfig.json"),
      platform: "node",
      format: "esm",
      // As tsx compiles: for this Node, keeping function and class names.
      target: `node${process.versions.node}`,
      keepNames: true,
      sourcemap: "linked",
      sourcesContent: false,
      logLevel: "silent",
      // Bundling only so that the plugin sees every import; each one stays an import.
      bundle: true,
      packages: "external",
      plugins: [
        {
          name: "one-file-per-source",
          setup(b) {
            b.onResolve({ filter: /^\.\.?\// }, (args) => (args.kind === "entry-point" ? undefined : { path: args.path.replace(/\.ts$/, ".js"), external: true }));
            b.onResolve({ filter: /^[^./]/ }, (args) => {
              if (args.kind === "entry-point" || isBuiltin(args.path) || !isCommonJs(args.path)) return undefined;
              commonjs.add(args.path);
              const from = dirname(join(temp, relative(root, args.importer)));
              return { path: relative(from, join(temp, "cjs", facadeName(args.path))).split(sep).join("/"), external: true };
            });
          },
        },
      ],
    });
    writeFacades(root, temp, [...commonjs].sort());
    try {
      renameSync(temp, dir);
    } catch (error) {
      // Another start compiled the same sources first: theirs is as good.
      if (!existsSync(join(dir, "lib", "cli", "main.js"))) throw error;
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  prune(cache, dir);
}

/** True when ESM would load `specifier` as CommonJS, the same file require() finds. */
function isCommonJs(/** @type {string} */ specifier) {
  let file;
  try {
    file = fileURLToPath(import.meta.resolve(specifier));
    if (createRequire(thisFile).resolve(specifier) !== file) return false;
  } catch {
    return false;
  }
  if (file.endsWith(".cjs")) return true;
  if (!file.endsWith(".js")) return false;
  for (let d = dirname(file); d !== dirname(d); d = dirname(d)) {
    const pkg = join(d, "package.json");
    if (existsSync(pkg)) return /** @type {{ type?: string }} */ (JSON.parse(readFileSync(pkg, "utf8"))).type !== "module";
  }
  return true;
}

const facadeName = (/** @type {string} */ specifier) => `${specifier.replace(/\//g, "+")}.js`;

/**
 * Writes an ES module per CommonJS package that require()s it and exports its names: its own
 * enumerable keys, and `__esModule` (which Node's lexer finds though it is not enumerable, and
 * also where the entry file sets it on an `exports` it then replaces, as ioredis does). The
 * names are read in a child process, so loading the packages leaves this one untouched.
 */
function writeFacades(/** @type {string} */ root, /** @type {string} */ out, /** @type {string[]} */ specifiers) {
  mkdirSync(join(out, "cjs"));
  if (specifiers.length === 0) return;
  const script = `console.log = console.error; const req = require("node:module").createRequire(process.argv[1]); const names = {};
for (const s of process.argv.slice(2)) { const m = req(s); const lexed = Object.hasOwn(m, "__esModule") || /__esModule/.test(require("node:fs").readFileSync(req.resolve(s), "utf8")); names[s] = [...Object.keys(m), ...(lexed && !Object.keys(m).includes("__esModule") ? ["__esModule"] : [])].filter((n) => n !== "default"); }
process.stdout.write("\\n" + JSON.stringify(names));`;
  const stdout = execFileSync(process.execPath, ["-e", script, join(root, "package.json"), ...specifiers], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 << 20 });
  const names = /** @type {Record<string, string[]>} */ (JSON.parse(stdout.slice(stdout.lastIndexOf("\n") + 1)));
  for (const specifier of specifiers) {
    const exported = names[specifier] ?? [];
    const local = exported.map((_, i) => `e${i}`);
    const text = [
      `// ${specifier} (CommonJS) for the compiled CLI, by bin/cli-cache.js: require() gives the module ESM would, without lexing its files.`,
      `import { createRequire } from "node:module";`,
      `const m = createRequire(import.meta.url)(${JSON.stringify(specifier)});`,
      `export default m;`,
      `const { ${exported.map((n, i) => `${JSON.stringify(n)}: ${local[i]}`).join(", ")} } = m;`,
      `export { ${exported.map((n, i) => `${local[i]} as ${JSON.stringify(n)}`).join(", ")} };`,
    ];
    writeFileSync(join(out, "cjs", facadeName(specifier)), text.join("\n") + "\n");
  }
}

/**
 * Records that this process uses `dir` (its pid in `dir/users/`, removed at exit; the folder's
 * mtime is the last start), so a prune never takes a copy from under a running grid whose
 * workers and verbs load files from it later.
 */
function markInUse(/** @type {string} */ dir) {
  const mine = join(dir, "users", String(process.pid));
  try {
    const now = new Date();
    utimesSync(dir, now, now);
    mkdirSync(dirname(mine), { recursive: true });
    writeFileSync(mine, "");
  } catch {
    // A cache this process may read but not write still runs; only pruning loses track of it.
    return;
  }
  process.on("exit", () => {
    try {
      unlinkSync(mine);
    } catch {
      // already gone with its folder
    }
  });
}

const HOUR = 3600_000;

/** Removes other copies that no live process uses and none started for an hour, and stale temporary folders. */
function prune(/** @type {string} */ cache, /** @type {string} */ keep) {
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    if (path === keep) continue;
    try {
      const age = Date.now() - statSync(path).mtimeMs;
      if (name.startsWith(".tmp-") ? age > HOUR : age > HOUR && !inUse(path)) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed by another start meanwhile
    }
  }
}

function inUse(/** @type {string} */ dir) {
  const users = join(dir, "users");
  if (!existsSync(users)) return false;
  return readdirSync(users).some((pid) => {
    try {
      process.kill(Number(pid), 0);
      return true;
    } catch (error) {
      return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
    }
  });
}
