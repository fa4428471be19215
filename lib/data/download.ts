/**
 * Downloads one file over http(s) into place, verified: the body streams into a temporary file
 * next to the destination while its sha256 is computed; a wrong hash, an HTTP error or a
 * connection that ends early deletes the temporary file and throws one line naming the URL
 * (and, for a wrong hash, both hashes). Only a verified file is renamed onto the destination —
 * atomically, so a reader never sees half a file and concurrent downloads cannot clash.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createProgress, formatBytes } from "./progress.ts";

export interface DownloadOptions {
  /** Accepted sha256 values (hex): one, or several when more than one copy is known good. */
  sha256: string | readonly string[];
  /** Progress label (default: the URL's file name). */
  label?: string;
  /** Where progress goes (default stderr); false for none. */
  progress?: { write(text: string): unknown; isTTY?: boolean } | false;
  /** Give up when the connection is silent this long (default 60 s). */
  timeoutMs?: number;
}

const MAX_REDIRECTS = 5;

function get(url: URL, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
    if (!client) {
      reject(new Error(`unsupported protocol "${url.protocol}"; expected http or https`));
      return;
    }
    const request = client.get(url, { headers: { "user-agent": "al-lab", "accept-encoding": "identity" } }, resolve);
    request.on("error", reject);
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no data for ${timeoutMs / 1000} s`)));
  });
}

/** Follows redirects; resolves with a 200 response or throws the HTTP status. */
async function open(url: string, timeoutMs: number): Promise<IncomingMessage> {
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await get(current, timeoutMs);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      current = new URL(response.headers.location, current);
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new Error(`HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""}`);
    }
    return response;
  }
  throw new Error(`more than ${MAX_REDIRECTS} redirects`);
}

/** Downloads `url` to `dest` (parent folders created) and returns its sha256 and size. */
export async function downloadFile(url: string, dest: string, options: DownloadOptions): Promise<{ sha256: string; bytes: number }> {
  const accepted = (typeof options.sha256 === "string" ? [options.sha256] : [...options.sha256]).map((h) => h.toLowerCase());
  const label = options.label ?? (new URL(url).pathname.split("/").pop() || url);
  const progress = createProgress(`downloading ${label}`, options.progress ?? process.stderr);
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.part-${process.pid}-${randomBytes(4).toString("hex")}`;
  const hash = createHash("sha256");
  let received = 0;
  let expected: number | undefined;
  try {
    const response = await open(url, options.timeoutMs ?? 60_000);
    const length = Number(response.headers["content-length"]);
    expected = Number.isFinite(length) && length >= 0 ? length : undefined;
    progress.update(0, expected);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        received += chunk.length;
        progress.update(received, expected);
        callback(null, chunk);
      },
    });
    await pipeline(response, meter, createWriteStream(temp, { flags: "wx" }));
    if (expected !== undefined && received !== expected) throw new Error("short body");
  } catch (error) {
    await rm(temp, { force: true });
    const message = (error as Error).message;
    if (/^HTTP \d/.test(message) || (received === 0 && expected === undefined)) throw new Error(`download ${url}: ${message}`);
    const of = expected !== undefined ? ` of ${formatBytes(expected)}` : "";
    throw new Error(`download ${url}: connection closed after ${formatBytes(received)}${of} (${message}); try again`);
  }
  const actual = hash.digest("hex");
  if (!accepted.includes(actual)) {
    await rm(temp, { force: true });
    throw new Error(`download ${url}: sha256 mismatch: expected ${accepted.join(" or ")}, got ${actual}; the file was deleted`);
  }
  await rename(temp, dest);
  progress.done(received);
  return { sha256: actual, bytes: received };
}
