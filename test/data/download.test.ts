/**
 * Downloads against a local HTTP server on 127.0.0.1 serving files from ../shared/data: never
 * the internet. Covers a good file, a corrupted one (checksum error), 404, a connection cut
 * mid-body, redirects, and the registry's cache: download once, reuse while the file verifies.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../lib/data/catalog.ts";
import { downloadFile } from "../../lib/data/download.ts";
import { locateFiles } from "../../lib/data/locate.ts";
import { createProgress } from "../../lib/data/progress.ts";
import { loadDataset } from "../../lib/data/registry.ts";

/** Temporary folders, removed after the file's tests. */
const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "al-dl-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const shared = join(import.meta.dirname, "../../../shared/data");
const labelsPath = "image/mnist/t10k-labels-idx1-ubyte.gz";
const labels = readFileSync(join(shared, labelsPath));
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const corrupted = Buffer.from(labels);
corrupted[100] = corrupted[100]! ^ 0xff;
// A stand-in for an upstream copy whose bytes differ from the reference copy (as Fashion-MNIST's do).
const wdbc = readFileSync(join(shared, "tabular/wdbc.csv"));
const upstreamWdbc = Buffer.concat([wdbc, Buffer.from("\n")]);

const hits = new Map<string, number>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url!, "http://x").pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === "/good") return void response.end(labels);
    if (path === "/corrupt") return void response.end(corrupted);
    if (path === "/upstream/wdbc.csv") return void response.end(upstreamWdbc);
    if (path === "/redirect") {
      response.writeHead(302, { location: "/good" });
      return void response.end();
    }
    if (path === "/truncated") {
      // Promise the whole file, send half, then drop the connection.
      response.writeHead(200, { "content-length": String(labels.length) });
      response.write(labels.subarray(0, 2000), () => response.socket?.destroy());
      return;
    }
    if (path.startsWith("/mirror/")) {
      const file = join(shared, path.slice("/mirror/".length));
      if (!path.includes("..") && existsSync(file)) return void response.end(readFileSync(file));
    }
    response.writeHead(404, "Not Found");
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A progress sink that is not a terminal: collects the plain lines. */
function sink() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text), isTTY: false };
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes(".part-"));

describe("downloadFile", () => {
  it("downloads, verifies and renames into place, with plain progress lines off a terminal", async () => {
    const dir = tempDir();
    const dest = join(dir, "sub", "labels.gz");
    const progress = sink();
    const result = await downloadFile(`${base}/good`, dest, { sha256: sha(labels), progress, label: "labels" });
    expect(result).toEqual({ sha256: sha(labels), bytes: 4542 });
    expect(readFileSync(dest)).toEqual(labels);
    expect(leftovers(join(dir, "sub"))).toEqual([]);
    expect(progress.lines[0]).toBe("downloading labels:   0% (0 B of 4.5 kB)\n");
    expect(progress.lines.at(-2)).toBe("downloading labels: 100% (4.5 kB of 4.5 kB)\n");
    expect(progress.lines.at(-1)).toBe("downloading labels: done, 4.5 kB\n");
  });

  it("a checksum mismatch deletes the file and names the URL and both hashes", async () => {
    const dir = tempDir();
    const dest = join(dir, "labels.gz");
    await expect(downloadFile(`${base}/corrupt`, dest, { sha256: sha(labels), progress: false })).rejects.toThrow(
      `download ${base}/corrupt: sha256 mismatch: expected ${sha(labels)}, got ${sha(corrupted)}; the file was deleted`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reports HTTP errors and a connection closed early, leaving nothing behind", async () => {
    const dir = tempDir();
    const dest = join(dir, "x.gz");
    await expect(downloadFile(`${base}/missing`, dest, { sha256: sha(labels), progress: false })).rejects.toThrow(`download ${base}/missing: HTTP 404 Not Found`);
    await expect(downloadFile(`${base}/truncated`, dest, { sha256: sha(labels), progress: false })).rejects.toThrow(
      `download ${base}/truncated: connection closed after`,
    );
    await expect(downloadFile(`${base}/truncated`, dest, { sha256: sha(labels), progress: false })).rejects.toThrow("of 4.5 kB");
    expect(readdirSync(dir)).toEqual([]);
    await expect(downloadFile("ftp://127.0.0.1/x", dest, { sha256: sha(labels), progress: false })).rejects.toThrow('unsupported protocol "ftp:"');
  });

  it("follows redirects", async () => {
    const dest = join(tempDir(), "r.gz");
    await downloadFile(`${base}/redirect`, dest, { sha256: [sha(corrupted), sha(labels)], progress: false });
    expect(readFileSync(dest)).toEqual(labels);
  });
});

describe("progress", () => {
  it("on a terminal rewrites one line and ends it when done; unknown sizes count bytes", () => {
    const out: string[] = [];
    const tty = createProgress("get x", { write: (t: string) => out.push(t), isTTY: true });
    tty.update(500, 1000);
    tty.update(600, 1000); // within 100 ms of the last update: skipped
    tty.done(1000);
    expect(out).toEqual(["\rget x:  50% (500 B of 1.0 kB)\x1b[K", "\rget x: done, 1.0 kB\x1b[K\n"]);
    const plain = sink();
    const p = createProgress("get y", plain);
    for (const bytes of [0, 5e6, 1.2e7, 1.5e7]) p.update(bytes, undefined);
    // One line per 10 MB step when the size is unknown: 0 B, then 12.0 MB.
    expect(plain.lines).toEqual(["get y: 0 B\n", "get y: 12.0 MB\n"]);
  });
});

describe("the download cache", () => {
  it("downloads a set from a mirror laid out like the shared folder once, then reuses the verified copy", async () => {
    const cacheDir = tempDir();
    const options = { cacheDir, dataDir: "", mirror: `${base}/mirror/`, download: true, progress: false as const };
    const first = await loadDataset({ name: "wdbc" }, options);
    expect(hits.get("/mirror/tabular/wdbc.csv")).toBe(1);
    expect(readFileSync(join(cacheDir, "tabular/wdbc.csv"))).toEqual(wdbc);
    const again = await loadDataset({ name: "wdbc" }, options);
    expect(hits.get("/mirror/tabular/wdbc.csv")).toBe(1);
    expect(again.checksum).toBe(first.checksum);
    expect(first.checksum).toBe((await loadDataset({ name: "wdbc" }, { dataDir: shared })).checksum);
    // A damaged cached file no longer verifies: it is fetched again.
    writeFileSync(join(cacheDir, "tabular/wdbc.csv"), "f1,label\n1,0\n");
    await loadDataset({ name: "wdbc" }, options);
    expect(hits.get("/mirror/tabular/wdbc.csv")).toBe(2);
    expect(leftovers(join(cacheDir, "tabular"))).toEqual([]);
  });

  it("downloads from an entry's canonical URL, checked against the upstream hash, and accepts it from the cache", async () => {
    const cacheDir = tempDir();
    const entry: CatalogEntry = {
      name: "tiny",
      description: "test",
      task: "multiclass",
      kind: "tabular",
      license: "-",
      source: "-",
      format: "csv",
      table: { label: "label" },
      files: [{ path: "tabular/wdbc.csv", split: "all", sha256: sha(wdbc), bytes: wdbc.length, download: { url: `${base}/upstream/wdbc.csv`, sha256: sha(upstreamWdbc), bytes: upstreamWdbc.length } }],
    };
    const options = { cacheDir, dataDir: "", download: true, progress: false as const };
    expect(await locateFiles(entry, options)).toEqual([join(cacheDir, "tabular/wdbc.csv")]);
    expect(await locateFiles(entry, options)).toEqual([join(cacheDir, "tabular/wdbc.csv")]);
    expect(hits.get("/upstream/wdbc.csv")).toBe(1);
    const wrong = { ...entry, files: [{ ...entry.files[0]!, download: { ...entry.files[0]!.download!, url: `${base}/mirror/tabular/wdbc.csv` } }] };
    await expect(locateFiles(wrong, { ...options, cacheDir: tempDir() })).rejects.toThrow(
      `sha256 mismatch: expected ${sha(upstreamWdbc)}, got ${sha(wdbc)}; the file was deleted (to use a local copy of "tiny" instead, set AL_DATA_DIR or dataset.dir)`,
    );
  });

  it("without a local copy: offline, or no known URL, says how to point at local files", async () => {
    const cacheDir = tempDir();
    await expect(loadDataset({ name: "mnist" }, { cacheDir, dataDir: "", download: false })).rejects.toThrow(
      'data set "mnist" has no local copy: set AL_DATA_DIR (files under $AL_DATA_DIR/image/mnist/) or dataset.dir in the experiment; downloads are off (AL_OFFLINE)',
    );
    await expect(loadDataset({ name: "sst2" }, { cacheDir, dataDir: "", download: true })).rejects.toThrow(
      'data set "sst2" has no local copy: set AL_DATA_DIR (files under $AL_DATA_DIR/text/sst2/) or dataset.dir in the experiment; it has no known download URL (or set AL_DATA_MIRROR)',
    );
  });
});
