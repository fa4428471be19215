/**
 * End-to-end check of the report site: build it with Observable Framework into a temp dir,
 * serve that dir locally, open the sampler-comparison page in headless Chromium and check it
 * renders the learning curves from the data it was built with, fully offline.
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium); AL_DB is passed through to the data loader,
 * which runs with AL_PROFILE=ci; AL_SITE_SCREENSHOT=<file.png> saves a full-page screenshot.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { readRounds } from "../../src/components/read-rounds.ts";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
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
const RENDER_TIMEOUT_MS = 60_000;
// Hosts a built page must never load from (Framework's implicit imports come from these).
const CDN = /cdn\.jsdelivr|unpkg\.com|esm\.sh|cdnjs|fonts\.googleapis|fonts\.gstatic|ga\.jspm/i;

// Setup is lazy and shared: the first test to need the build or the browser starts it, and a
// failure (no Chromium, broken build) fails every test that depends on it instead of skipping.
let outDir: string | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let built: Promise<string> | undefined;
let opened: Promise<OpenedPage> | undefined;

interface OpenedPage {
  page: Page;
  problems: string[];
}

afterAll(async () => {
  await browser?.close().catch(() => {});
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (outDir) await rm(outDir, { recursive: true, force: true });
}, 30_000);

describe("report site", () => {
  it("builds without any CDN or remote module URL", { timeout: BUILD_TIMEOUT_MS + 60_000 }, async () => {
    const dir = await buildSite();
    const offenders: string[] = [];
    for (const file of await listFiles(dir)) {
      if (![".html", ".js", ".css", ".json"].includes(extname(file))) continue;
      const text = await readFile(file, "utf8");
      for (const pattern of [CDN, ...remoteModulePatterns(extname(file))]) {
        const match = pattern.exec(text);
        if (match) offenders.push(`${relative(dir, file)}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(existsSync(join(dir, "sampler-comparison.html"))).toBe(true);
  });

  it("renders one learning curve per sampler × mode in the data", { timeout: BUILD_TIMEOUT_MS + 120_000 }, async () => {
    const { page, problems } = await openSamplerComparison();
    const rows = await readRounds(await builtParquet(await buildSite()));
    const samplers = new Set(rows.map((r) => String(r.sampler)));
    const modes = new Set(rows.map((r) => String(r.mode)));
    const pairs = new Set(rows.map((r) => `${r.sampler}\u0000${r.mode}`));
    expect(rows.length).toBeGreaterThan(0);
    // The experiment is a full grid, so each mode panel has a line for every sampler.
    expect(pairs.size).toBe(samplers.size * modes.size);

    expect(await page.locator('g[aria-label="line"] path').count()).toBe(samplers.size * modes.size);
    expect(await page.locator('g[aria-label="area"] path').count()).toBe(samplers.size * modes.size);
    // One facet per mode, retrain first.
    const facets = await page.locator('g[aria-label="fx-axis tick label"] text').allTextContents();
    expect([...facets].sort()).toEqual([...modes].sort());
    if (modes.has("retrain")) expect(facets[0]).toBe("retrain");
    // Framework shows a cell's thrown error inline instead of failing the page.
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    // Final-round table: one row per sampler × mode (plus the header row).
    expect(await page.locator("table tr").count()).toBe(pairs.size + 1);
    expect(problems).toEqual([]);
  });

  it("shows a tooltip with the seed statistics on hover", { timeout: BUILD_TIMEOUT_MS + 120_000 }, async () => {
    const { page, problems } = await openSamplerComparison();
    // Hover a data point itself: a line's bounding-box centre can lie beyond the tip's reach.
    const box = await page.locator('g[aria-label="dot"] circle').first().boundingBox();
    if (!box) throw new Error("first data point has no bounding box");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = page.locator('g[aria-label="tip"] text').first();
    await expect.poll(() => tip.textContent(), { timeout: RENDER_TIMEOUT_MS }).toMatch(/seeds/);
    expect(problems).toEqual([]);
  });

  it("re-renders when the metric and band inputs change", { timeout: BUILD_TIMEOUT_MS + 120_000 }, async () => {
    const { page, problems } = await openSamplerComparison();
    const lines = await page.locator('g[aria-label="line"] path').count();
    await page.getByLabel("Macro F1").check();
    await page.locator('g[aria-label="y-axis label"] text', { hasText: "Macro F1" }).waitFor({ timeout: RENDER_TIMEOUT_MS });
    await page.getByLabel("None").check();
    await expect.poll(() => page.locator('g[aria-label="area"] path').count(), { timeout: RENDER_TIMEOUT_MS }).toBe(0);
    expect(await page.locator('g[aria-label="line"] path').count()).toBe(lines);
    expect(problems).toEqual([]);
  });
});

/** Builds the site once into a fresh temp dir; returns that dir. */
function buildSite(): Promise<string> {
  built ??= (async () => {
    outDir = await mkdtemp(join(tmpdir(), "al-site-"));
    // Framework caches loader output here and would otherwise serve stale data.
    await rm(join(ROOT, "src/.observablehq/cache"), { recursive: true, force: true });
    // The loader runs the quickstart's small ci grid into a throwaway store unless AL_DB says otherwise.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AL_SITE_OUT: outDir,
      AL_PROFILE: "ci",
      AL_DB: process.env.AL_DB ?? join(outDir, "..", `${basename(outDir)}.duckdb`),
      NO_COLOR: "1",
    };
    try {
      await run("npx", ["--no-install", "observable", "build"], env, BUILD_TIMEOUT_MS);
    } finally {
      // Leave no ci-profile data in the cache for a later `observable preview`.
      await rm(join(ROOT, "src/.observablehq/cache"), { recursive: true, force: true });
    }
    return outDir;
  })();
  return built;
}

/** Opens /sampler-comparison once and waits for the chart, recording anything that went wrong. */
function openSamplerComparison(): Promise<OpenedPage> {
  opened ??= (async () => {
    // Checked before the (slow) build so a missing browser fails fast with the fix in the message.
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const dir = await buildSite();
    const origin = await serve(dir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: RENDER_TIMEOUT_MS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
      if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
      problems.push(`external request: ${url}`);
      return route.abort();
    });
    await page.goto(`${origin}/sampler-comparison`, { waitUntil: "load" });
    await page.waitForSelector('figure svg g[aria-label="line"] path');
    await page.waitForSelector("table tr");
    if (process.env.AL_SITE_SCREENSHOT) await page.screenshot({ path: process.env.AL_SITE_SCREENSHOT, fullPage: true });
    return { page, problems };
  })();
  return opened;
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

/** The quickstart Parquet exactly as the site shipped it (content-hashed name). */
async function builtParquet(dir: string): Promise<ArrayBuffer> {
  const dataDir = join(dir, "_file", "data");
  const name = (await readdir(dataDir)).find((f) => /^quickstart\.[0-9a-f]+\.parquet$/.test(f));
  if (!name) throw new Error(`no quickstart parquet in ${dataDir}`);
  const bytes = await readFile(join(dataDir, name));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Patterns for a remote URL used as a module, script or stylesheet (not an ordinary <a> link). */
function remoteModulePatterns(ext: string): RegExp[] {
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

async function listFiles(dir: string): Promise<string[]> {
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
