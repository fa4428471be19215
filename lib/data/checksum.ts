/** sha256 helpers: data files are identified by the hash of their bytes. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 of a file, streamed (the big image files need not sit in memory twice). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/**
 * A data set's checksum: sha256 over its files' sha256 values and the options that shape the
 * data. The row limits are always hashed, the other options only when set, so sets loaded with
 * limits alone keep the checksums (and run ids) they had before the other options existed.
 */
export function datasetChecksum(fileHashes: readonly string[], options: { pool?: number; test?: number; [key: string]: unknown }): string {
  const hash = createHash("sha256");
  for (const h of fileHashes) hash.update(Buffer.from(h, "hex"));
  const { pool, test, ...rest } = options;
  hash.update(JSON.stringify({ pool: pool ?? null, test: test ?? null }));
  const extra = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== false));
  if (Object.keys(extra).length > 0) hash.update(stableJson(extra));
  return hash.digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
