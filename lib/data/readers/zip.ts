/**
 * A minimal zip reader for NumPy's .npz archives: the central directory (with zip64 sizes and
 * offsets), stored and deflated entries, each checked against its CRC-32. Encryption, multi-disk
 * archives and other compression methods are refused with the entry's name.
 */
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Offset of the entry's local header. */
  offset: number;
  flags: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE, as zip uses); node:zlib has one only from Node 22. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function u64(view: DataView, at: number): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("zip: a size or offset beyond 2^53");
  return Number(value);
}

/** The archive's entries, from its central directory. `source` names the file in errors. */
export function zipEntries(bytes: Uint8Array, source: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (why: string): never => {
    throw new Error(`${source}: not a readable zip (.npz) archive: ${why}; write it with numpy.savez or numpy.savez_compressed`);
  };
  // The end record sits in the last 22 bytes plus a comment of at most 65535.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) bad("no end-of-central-directory record (truncated, or not a zip file)");
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let start = view.getUint32(end + 16, true);
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) bad("multi-disk archives are not supported");
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== EOCD64_LOCATOR) bad("zip64 end record locator missing");
    const at = u64(view, locator + 8);
    if (at + 56 > bytes.length || view.getUint32(at, true) !== EOCD64) bad("zip64 end record missing");
    count = u64(view, at + 32);
    size = u64(view, at + 40);
    start = u64(view, at + 48);
  }
  if (start + size > bytes.length) bad("the central directory lies past the end of the file (truncated)");

  const entries: ZipEntry[] = [];
  let at = start;
  const decoder = new TextDecoder("utf-8");
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) bad(`central directory entry ${k + 1} is damaged`);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const entry: ZipEntry = {
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    // zip64 extra field: the 64-bit values of exactly those fields that read 0xffffffff, in order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let p = extra + 4;
        if (entry.size === 0xffffffff) (entry.size = u64(view, p)), (p += 8);
        if (entry.compressedSize === 0xffffffff) (entry.compressedSize = u64(view, p)), (p += 8);
        if (entry.offset === 0xffffffff) entry.offset = u64(view, p);
      }
      extra += 4 + length;
    }
    entries.push(entry);
    at = extraEnd + commentLength;
  }
  return entries;
}

/** One entry's bytes, inflated when deflated, checked against its size and CRC-32. */
export function zipEntryBytes(bytes: Uint8Array, entry: ZipEntry, source: string): Uint8Array {
  const where = `${source}: entry "${entry.name}"`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.flags & 1) throw new Error(`${where}: encrypted entries are not supported`);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL) {
    throw new Error(`${where}: local header missing (the archive is damaged or truncated)`);
  }
  const dataStart = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  if (dataStart + entry.compressedSize > bytes.length) throw new Error(`${where}: truncated (the archive ends inside it)`);
  const raw = bytes.subarray(dataStart, dataStart + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = new Uint8Array(inflateRawSync(raw));
    } catch (error) {
      throw new Error(`${where}: cannot inflate (${(error as Error).message})`);
    }
  } else {
    throw new Error(`${where}: compression method ${entry.method} is not supported (only stored and deflated, as numpy writes)`);
  }
  if (data.length !== entry.size) throw new Error(`${where}: ${data.length} bytes, but the directory says ${entry.size}`);
  if (crc32(data) !== entry.crc32) throw new Error(`${where}: CRC-32 mismatch (the archive is damaged)`);
  return data;
}
