/**
 * The report site's browser harness: builds the site once per test process with Observable
 * Framework into a temp dir from a store holding TWO experiments on different grid axes (the
 * quickstart's ci grid: one data set, MLP, 4 samplers × 2 modes; and test/site/fixture-store.ts:
 * two data sets, logistic, 2 samplers × 2 seeds, baselines; plus the MC-fold and survey-strategies
 * fixtures beside them), serves that dir locally and opens
 * pages in headless Chromium, recording console errors, failed and external requests. Fully
 * offline. test/browser/site.test.ts and the page checks in test/browser/pages/ share it.
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium); the loaders run with AL_PROFILE=ci;
 * AL_SITE_SCREENSHOTS=<dir> saves a full-page screenshot per page; AL_SITE_DIR=<dir> tests a site
 * built beforehand from such a store instead of building one.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll } from "vitest";
import { readRounds, type ParsedRound } from "../../src/components/read-rounds.ts";
import { runMcFold, runStrategies, runTwoDatasets } from "../site/fixture-store.ts";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const BUILD_TIMEOUT_MS = 540_000;
export const RENDER_TIMEOUT_MS = 60_000;
export const SLOW = { timeout: BUILD_TIMEOUT_MS + 240_000 };
// Hosts a built page must never load from (Framework's implicit imports come from these).
export const CDN = /cdn\.jsdelivr|unpkg\.com|esm\.sh|cdnjs|fonts\.googleapis|fonts\.gstatic|ga\.jspm/i;

// Setup is lazy and shared: the first test to need the build or the browser starts it, and a
// failure (no Chromium, broken build) fails every test that depends on it instead of skipping.
let workDir: string | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let built: Promise<string> | undefined;
let origin: Promise<string> | undefined;

export interface OpenedPage {
  page: Page;
  problems: string[];
}

afterAll(async () => {
  await browser?.close().catch(() => {});
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 30_000);

/** The d attribute of every line: changes whenever the plotted values do. */
export async function linePaths(page: Page): Promise<string[]> {
  return page.locator('g[aria-label="line"] path').evaluateAll((paths) => paths.map((p) => p.getAttribute("d") ?? ""));
}

/** Runs the fixture experiments into a fresh store, then builds the site once (the loaders add the quickstart's ci grid). */
export function buildSite(): Promise<string> {
  // A site already built the same way (iterating on the assertions): AL_SITE_DIR=<its dir>.
  if (process.env.AL_SITE_DIR) built ??= Promise.resolve(process.env.AL_SITE_DIR);
  built ??= (async () => {
    workDir = await mkdtemp(join(tmpdir(), "al-site-"));
    const outDir = join(workDir, "dist");
    const db = join(workDir, "al.duckdb");
    runTwoDatasets(workDir, db);
    runMcFold(workDir, db);
    runStrategies(workDir, db);
    // Framework caches loader output here and would otherwise serve stale data.
    await rm(join(ROOT, "src/.observablehq/cache"), { recursive: true, force: true });
    const env: NodeJS.ProcessEnv = { ...process.env, AL_SITE_OUT: outDir, AL_PROFILE: "ci", AL_DB: db, NO_COLOR: "1" };
    try {
      // As `npm run build`: Framework's npm cache filled from node_modules first (no network needed).
      await run("npm", ["run", "--silent", "build"], env, BUILD_TIMEOUT_MS);
    } finally {
      // Leave no ci-profile data in the cache for a later `observable preview`.
      await rm(join(ROOT, "src/.observablehq/cache"), { recursive: true, force: true });
    }
    return outDir;
  })();
  return built;
}

/** Opens `path` in a new page and waits for `selector`, recording anything that went wrong. */
export async function open(path: string, selector: string, options: { width?: number } = {}): Promise<OpenedPage> {
  // Checked before the (slow) build so a missing browser fails fast with the fix in the message.
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  origin ??= (async () => {
    const dir = await buildSite();
    const at = await serve(dir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: RENDER_TIMEOUT_MS });
    return at;
  })();
  const base = await origin;
  const page = await browser!.newPage({ viewport: { width: options.width ?? 1280, height: 900 } });
  page.setDefaultTimeout(RENDER_TIMEOUT_MS);
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  // Anything not served by our server would need the network: refuse and report it.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:")) return route.continue();
    problems.push(`external request: ${url}`);
    return route.abort();
  });
  await page.goto(`${base}${path}`, { waitUntil: "load" });
  await page.waitForSelector(selector);
  if (process.env.AL_SITE_SCREENSHOTS) {
    const name = (path.replace(/^\//, "").replace(/\.html$/, "").replaceAll("/", "-") || "index") + (options.width ? `-${options.width}px` : "");
    await page.screenshot({ path: join(process.env.AL_SITE_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
  return { page, problems };
}

/** A minimal static server for the built site, on a random 127.0.0.1 port. */
async function serve(dir: string): Promise<string> {
  const types: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
  };
  server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      let file = normalize(join(dir, path));
      if (file !== dir && !file.startsWith(dir + sep)) throw new Error("outside root");
      // Framework links pages without ".html" (clean URLs) and directories to index.html.
      if (existsSync(file) && (await stat(file)).isDirectory()) file = join(file, "index.html");
      else if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An experiment's rounds exactly as the site shipped them (content-hashed name). */
export async function builtRounds(experiment: string): Promise<ParsedRound[]> {
  const dataDir = join(await buildSite(), "_file", "data", "experiments", experiment);
  const name = (await readdir(dataDir)).find((f) => /^rounds\.[0-9a-f]+\.parquet$/.test(f));
  if (!name) throw new Error(`no rounds parquet in ${dataDir}`);
  const bytes = await readFile(join(dataDir, name));
  return readRounds(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/** Patterns for a remote URL used as a module, script or stylesheet (not an ordinary <a> link). */
export function remoteModulePatterns(ext: string): RegExp[] {
  const remote = String.raw`["'\x60]?(?:https?:)?\/\/`;
  switch (ext) {
    case ".html":
      return [
        new RegExp(String.raw`<(?:script|link)\b[^>]*\b(?:src|href)=${remote}[^"'\s>]+`, "i"),
        new RegExp(String.raw`\bimport\s*(?:\(\s*)?${remote}[^"'\x60\s]+`),
        new RegExp(String.raw`\bfrom\s*${remote}[^"'\x60\s]+`),
      ];
    case ".js":
      return [
        new RegExp(String.raw`\bimport\s*(?:\(\s*)?${remote}[^"'\x60\s]+`),
        new RegExp(String.raw`\bfrom\s*${remote}[^"'\x60\s]+`),
      ];
    case ".css":
      return [new RegExp(String.raw`(?:@import\s+(?:url\()?|url\()${remote}[^"')\s]+`, "i")];
    default:
      return [];
  }
}

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL" });
    let log = "";
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", fail);
    child.on("close", (code, signal) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${log}`)),
    );
  });
}

/** The first table of the page as rows keyed by its header cells' text. */
export async function tableRows(page: Page): Promise<Record<string, string>[]> {
  return page.locator("table").first().evaluate((table: HTMLTableElement) => {
    const header = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
    return [...table.querySelectorAll("tbody tr")].map((tr) =>
      Object.fromEntries([...tr.querySelectorAll("td")].map((td, i) => [header[i] ?? String(i), td.textContent?.trim() ?? ""])),
    );
  });
}
