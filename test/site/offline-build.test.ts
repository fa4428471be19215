/**
 * `npm run build` from a clean state (no Framework cache, no store) with no network at all: in a
 * network namespace of its own (`unshare -n -r`) where the system permits it, else with fetch
 * refused in every Node process of the build. The site it writes names no CDN or registry, its
 * links end in .html, and it works from a plain static server under a sub-path.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
// The build itself takes about 2 minutes here (most of it the loader training the ci grid).
const BUILD_TIMEOUT_MS = 240_000;
// AL_TEST_NO_UNSHARE=1 tries the fallback where unshare is permitted.
const unshare = process.env.AL_TEST_NO_UNSHARE !== "1" && spawnSync("unshare", ["-n", "-r", "true"]).status === 0;
let work: string;
let out: string;
let build: { status: number | null; output: string };
let server: ChildProcess | undefined;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  // A copy of the site (pages, loaders, config, package.json's scripts) with no cache; the code
  // it runs is linked. The repository's own src/.observablehq is left alone (other tests use it).
  work = mkdtempSync(join(tmpdir(), "al-offline-site-"));
  cpSync(join(root, "src"), join(work, "src"), { recursive: true, filter: (p) => !p.includes(`${sep}.observablehq`) });
  for (const f of ["observablehq.config.ts", "package.json"]) cpSync(join(root, f), join(work, f));
  for (const d of ["lib", "scripts", "experiments", "bin", "data", "node_modules"]) if (existsSync(join(root, d))) symlinkSync(join(root, d), join(work, d), "dir");
  out = join(mkdtempSync(join(tmpdir(), "al-offline-out-")), "site");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AL_SITE_OUT: out,
    AL_DB: join(dirname(out), "al.duckdb"),
    AL_PROFILE: "ci",
    AL_BACKEND: "wasm",
    NO_COLOR: "1",
    // Without a namespace: every Node process of the build (npm, tsx, Framework, the loaders)
    // gets a fetch that refuses, and npm a registry nothing listens on.
    ...(unshare
      ? {}
      : {
          // (NODE_OPTIONS splits on spaces: the module's are percent-encoded.)
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=data:text/javascript,globalThis.fetch=async(u)=>{throw%20Error('network%20disabled%20by%20the%20test:%20'+u)}`,
          npm_config_registry: "http://127.0.0.1:9/",
        }),
  };
  const [cmd, args] = unshare ? ["unshare", ["-n", "-r", "npm", "run", "build"]] : ["npm", ["run", "build"]];
  const child = spawn(cmd, args as string[], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), BUILD_TIMEOUT_MS);
  const [status] = (await once(child, "exit")) as [number | null];
  clearTimeout(timer);
  build = { status, output };
}, BUILD_TIMEOUT_MS + 10_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill();
    await once(server, "exit");
  }
});

describe(`npm run build with no network (${unshare ? "unshare -n -r" : "fetch refused"})`, () => {
  it("succeeds from a clean state, filling Framework's npm cache from node_modules", () => {
    expect(build.status, build.output.slice(-4000)).toBe(0);
    expect(build.output).toMatch(/offline npm cache: \d+ packages resolved from node_modules/);
    expect(build.output).not.toMatch(/fetch failed|unable to fetch|EAI_AGAIN|ENOTFOUND/);
    expect(existsSync(join(out, "index.html"))).toBe(true);
  });

  it("has the Benchmarks page with nothing to plot: this copy has no results/bench", () => {
    expect(existsSync(join(out, "bench.html"))).toBe(true);
    const data = filesUnder(out).filter((f) => /[\\/]_file[\\/]data[\\/]bench\.[0-9a-f]+\.json$/.test(f));
    expect(data.map((f) => relative(out, f))).toHaveLength(1);
    expect(JSON.parse(readFileSync(data[0]!, "utf8"))).toEqual({ rows: [], skipped: [] });
  });

  it("writes no CDN, registry or other https URL into any file", () => {
    const offenders: string[] = [];
    for (const file of filesUnder(out)) {
      if (!/\.(html|js|css|json)$/.test(file)) continue;
      const text = readFileSync(file, "utf8");
      for (const needle of ["cdn.jsdelivr", "registry.npmjs", "unpkg.com", "esm.sh", "fonts.googleapis", "https://"]) {
        if (text.includes(needle)) offenders.push(`${relative(out, file)}: ${needle}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("links between pages end in .html, are relative, and point at files that exist", () => {
    const pages = filesUnder(out).filter((f) => f.endsWith(".html"));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const bad: string[] = [];
    let links = 0;
    for (const page of pages) {
      const html = readFileSync(page, "utf8");
      for (const [, href] of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
        if (href!.startsWith("#") || /^[a-z]+:/i.test(href!)) continue;
        links++;
        const path = href!.replace(/[?#].*$/, "");
        if (href!.startsWith("/")) bad.push(`${relative(out, page)}: ${href} is absolute (breaks a sub-path)`);
        else if (!path.endsWith(".html")) bad.push(`${relative(out, page)}: ${href} does not end in .html`);
        else if (!existsSync(join(dirname(page), path))) bad.push(`${relative(out, page)}: ${href} points at no file`);
      }
      // Scripts, stylesheets and module preloads: relative and present too.
      for (const [, ref] of html.matchAll(/\b(?:src|href)="(\.{1,2}\/[^"]*)"/g)) {
        const path = ref!.replace(/[?#].*$/, "");
        if (!existsSync(join(dirname(page), path))) bad.push(`${relative(out, page)}: ${ref} points at no file`);
      }
    }
    expect(links).toBeGreaterThan(0);
    expect(bad).toEqual([]);
  });

  it("serves from a sub-path of python3 -m http.server: every page and what it links answers 200", async () => {
    server = spawn("python3", ["-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dirname(out)], { stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<number>((resolve, reject) => {
      const seen = (d: Buffer): void => {
        const m = /port (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      };
      server!.stdout!.on("data", seen);
      server!.stderr!.on("data", seen);
      server!.once("exit", (code) => reject(new Error(`http.server exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}/${basename(out)}/`;
    const failed: string[] = [];
    const pages = filesUnder(out).filter((f) => f.endsWith(".html"));
    for (const page of pages) {
      const pageUrl = new URL(posix.join(...relative(out, page).split(sep)), base);
      const response = await fetch(pageUrl);
      if (response.status !== 200) failed.push(`${pageUrl.pathname}: ${response.status}`);
      const html = await response.text();
      for (const [, ref] of html.matchAll(/\b(?:src|href)="([^"#][^"]*)"/g)) {
        if (/^[a-z]+:/i.test(ref!)) continue;
        const url = new URL(ref!, pageUrl);
        const r = await fetch(url);
        await r.arrayBuffer();
        if (r.status !== 200) failed.push(`${pageUrl.pathname} → ${url.pathname}: ${r.status}`);
      }
    }
    expect(failed).toEqual([]);
  });
});
