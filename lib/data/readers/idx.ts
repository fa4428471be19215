/**
 * IDX reader (the MNIST format), gzip or plain. Only the unsigned-byte type is used by the
 * image sets we know; other IDX types are rejected with a clear message rather than misread.
 */
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";

export interface IdxArray {
  /** Dimension sizes, e.g. [60000, 28, 28]. */
  shape: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses IDX bytes; `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (error) {
      throw new Error(`${source}: not a valid gzip stream (${(error as Error).message}); re-download the file`);
    }
  }
  if (buf.length < 4) throw new Error(`${source}: truncated IDX file (${buf.length} bytes, no header)`);
  if (buf[0] !== 0 || buf[1] !== 0) {
    const magic = Array.from(buf.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new Error(`${source}: bad magic number 0x${magic}; expected an IDX file (0x000008NN)`);
  }
  const type = buf[2]!;
  const dims = buf[3]!;
  if (type !== UBYTE) {
    throw new Error(`${source}: IDX data type 0x${type.toString(16)} is not supported; expected unsigned bytes (0x08)`);
  }
  if (dims === 0) throw new Error(`${source}: IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * dims;
  if (buf.length < headerBytes) throw new Error(`${source}: truncated IDX header (${buf.length} of ${headerBytes} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const expected = shape.reduce((a, b) => a * b, 1);
  const found = buf.length - headerBytes;
  if (found < expected) {
    throw new Error(`${source}: truncated IDX data: shape ${shape.join("×")} needs ${expected} bytes, found ${found}`);
  }
  if (found > expected) {
    throw new Error(`${source}: ${found - expected} unexpected bytes after the IDX data (shape ${shape.join("×")})`);
  }
  // A plain Uint8Array copy (not a Buffer view): it outlives the file bytes and compares equal.
  const data = new Uint8Array(expected);
  data.set(buf.subarray(headerBytes, headerBytes + expected));
  return { shape, data };
}

/** Reads an IDX file, gzip or plain, with the file named in every error. */
export async function readIdx(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new Error(`${path}: cannot read IDX file (${why})`);
  }
  return parseIdx(bytes, path);
}

/** Encodes an unsigned-byte IDX array (uncompressed); used to ship small subsets. */
export function encodeIdx({ shape, data }: IdxArray): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
