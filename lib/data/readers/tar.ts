/**
 * A small tar reader: ustar / GNU / POSIX headers of 512 bytes, each member's data padded to a
 * multiple of 512, the archive ended by a zero block. Yields regular files only (directories,
 * links and devices are skipped); GNU long names ("L") and pax `path` records ("x") name the
 * next member. Streaming: one member's bytes are held at a time, so a gzip-compressed archive of
 * hundreds of MB is read through node:zlib without inflating all of it into memory.
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";

export interface TarFile {
  /** Path inside the archive, as stored ("cifar-10-batches-bin/data_batch_1.bin"). */
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;

function text(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString("utf8");
}

/** A numeric field: octal digits (space/NUL padded), or GNU base-256 when the top bit is set. */
function number(block: Uint8Array, start: number, length: number, what: string, source: string): number {
  if (block[start]! & 0x80) {
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === "") return 0;
  if (!/^[0-7]+$/.test(digits)) throw new Error(`${source}: not a tar archive (header ${what} field is "${digits}", not octal)`);
  return parseInt(digits, 8);
}

/** The header checksum: the sum of its bytes, the checksum field counted as spaces. */
function checksumOf(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

/** pax extended header records ("<len> key=value\n") → the `path` value, if any. */
function paxPath(data: Uint8Array): string | undefined {
  const records = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  let path: string | undefined;
  for (const line of records.split("\n")) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) path = match[1];
  }
  return path;
}

/** Collects chunks and hands out exact byte counts: `take(n)` gives the next n bytes, or fewer at the end. */
function byteReader(source: AsyncIterator<Uint8Array>): (count: number) => Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return async (count) => {
    while (size < count) {
      const next = await source.next();
      if (next.done) break;
      chunks.push(next.value);
      size += next.value.length;
    }
    const n = Math.min(count, size);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = chunks[0]!;
      const part = Math.min(head.length, n - filled);
      out.set(head.subarray(0, part), filled);
      filled += part;
      if (part === head.length) chunks.shift();
      else chunks[0] = head.subarray(part);
    }
    size -= n;
    return out;
  };
}

/** The regular files of a tar stream, in archive order; `source` names the archive in errors. */
export async function* tarFiles(stream: AsyncIterable<Uint8Array>, source: string): AsyncGenerator<TarFile> {
  const take = byteReader(stream[Symbol.asyncIterator]());
  let longName: string | undefined;
  for (let index = 0; ; index++) {
    const header = await take(BLOCK);
    if (header.length === 0 && index > 0) return; // no end blocks: tolerated, as GNU tar does
    if (header.length < BLOCK) throw new Error(`${source}: truncated tar archive (a header of ${header.length} of 512 bytes)`);
    if (header.every((b) => b === 0)) return;
    const stored = number(header, 148, 8, "checksum", source);
    if (stored !== checksumOf(header)) throw new Error(`${source}: not a tar archive, or a corrupt one (header checksum of entry ${index + 1} does not match)`);
    const size = number(header, 124, 12, "size", source);
    const type = String.fromCharCode(header[156]!);
    const ustar = text(header, 257, 6) === "ustar" && text(header, 263, 2) === "00";
    const prefix = ustar ? text(header, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const data = await take(size);
    if (data.length < size) throw new Error(`${source}: truncated tar archive ("${name}" needs ${size} bytes, ${data.length} remain)`);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if ((await take(padding)).length < padding) throw new Error(`${source}: truncated tar archive (padding after "${name}")`);
    longName = undefined;
    if (type === "L") longName = text(data, 0, data.length);
    else if (type === "x") longName = paxPath(data);
    else if (type === "0" || type === "\0" || type === "7") yield { name, data };
  }
}

/** The regular files of a gzip-compressed tar file, streamed. */
export async function* tarGzFiles(path: string): AsyncGenerator<TarFile> {
  const gunzip = createReadStream(path).on("error", (error) => gunzip.destroy(error)).pipe(createGunzip());
  try {
    yield* tarFiles(gunzip, path);
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith(path)) throw error;
    throw new Error(`${path}: cannot read the gzip-compressed tar archive (${message}); delete it and download it again`);
  } finally {
    gunzip.destroy();
  }
}
