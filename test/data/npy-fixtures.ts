/**
 * .npy and .npz bytes written by hand, as numpy.save / numpy.savez lay them out (no numpy is
 * needed to run the tests): a magic string, a version, a Python-literal header padded to a
 * multiple of 64 bytes, then the raw C-order data; an .npz is a zip of such files.
 */
import { deflateRawSync } from "node:zlib";
import { crc32 } from "../../lib/data/readers/zip.ts";

export interface NpyOptions {
  version?: 1 | 2 | 3;
  fortran?: boolean;
  /** Override the header text entirely. */
  header?: string;
}

/** One .npy file: `descr` like "<f4", ">i2", "|u1", "|b1". */
export function npy(descr: string, shape: number[], values: ArrayLike<number>, options: NpyOptions = {}): Uint8Array {
  const version = options.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = options.header ?? `{'descr': '${descr}', 'fortran_order': ${options.fortran ? "True" : "False"}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  // numpy pads with spaces and ends the header with "\n" so the data starts 64-byte aligned.
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = header.padEnd(total - prefix - 1, " ") + "\n";
  const headerBytes = new TextEncoder().encode(header);
  const little = descr[0] !== ">";
  const code = descr.slice(1);
  const size = Number(code.slice(1));
  const data = new Uint8Array(values.length * size);
  const view = new DataView(data.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const at = i * size;
    switch (code) {
      case "f4": view.setFloat32(at, v, little); break;
      case "f8": view.setFloat64(at, v, little); break;
      case "i1": view.setInt8(at, v); break;
      case "u1": case "b1": view.setUint8(at, v); break;
      case "i2": view.setInt16(at, v, little); break;
      case "u2": view.setUint16(at, v, little); break;
      case "i4": view.setInt32(at, v, little); break;
      case "u4": view.setUint32(at, v, little); break;
      case "i8": view.setBigInt64(at, BigInt(v), little); break;
      case "u8": view.setBigUint64(at, BigInt(v), little); break;
      default: throw new Error(`npy fixture: dtype ${descr}`);
    }
  }
  const out = new Uint8Array(prefix + headerBytes.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const outView = new DataView(out.buffer);
  if (version === 1) outView.setUint16(8, headerBytes.length, true);
  else outView.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, prefix);
  out.set(data, prefix + headerBytes.length);
  return out;
}

/**
 * A zip of `entries` (name → bytes). `deflate` compresses them (as numpy.savez_compressed);
 * `zip64Local` adds the zip64 extra field numpy's `force_zip64` writes into local headers.
 */
export function zip(entries: Record<string, Uint8Array>, options: { deflate?: boolean; zip64Local?: boolean } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const encoder = new TextEncoder();
  for (const [name, data] of Object.entries(entries)) {
    const nameBytes = encoder.encode(name);
    const body = options.deflate ? new Uint8Array(deflateRawSync(data)) : data;
    const crc = crc32(data);
    const method = options.deflate ? 8 : 0;
    const extra = new Uint8Array(options.zip64Local ? 20 : 0);
    if (options.zip64Local) {
      const e = new DataView(extra.buffer);
      e.setUint16(0, 1, true);
      e.setUint16(2, 16, true);
      e.setBigUint64(4, BigInt(data.length), true);
      e.setBigUint64(12, BigInt(body.length), true);
    }
    const local = new Uint8Array(30 + nameBytes.length + extra.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, options.zip64Local ? 45 : 20, true);
    l.setUint16(8, method, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, options.zip64Local ? 0xffffffff : body.length, true);
    l.setUint32(22, options.zip64Local ? 0xffffffff : data.length, true);
    l.setUint16(26, nameBytes.length, true);
    l.setUint16(28, extra.length, true);
    local.set(nameBytes, 30);
    local.set(extra, 30 + nameBytes.length);
    const header = new Uint8Array(46 + nameBytes.length);
    const c = new DataView(header.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(10, method, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, body.length, true);
    c.setUint32(24, data.length, true);
    c.setUint16(28, nameBytes.length, true);
    c.setUint32(42, offset, true);
    header.set(nameBytes, 46);
    central.push(header);
    chunks.push(local, body);
    offset += local.length + body.length;
  }
  const centralSize = central.reduce((a, b) => a + b.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, central.length, true);
  e.setUint16(10, central.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const part of all) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An .npz of arrays (name without ".npy" → npy bytes). */
export function npz(arrays: Record<string, Uint8Array>, options: { deflate?: boolean; zip64Local?: boolean } = {}): Uint8Array {
  return zip(Object.fromEntries(Object.entries(arrays).map(([k, v]) => [`${k}.npy`, v])), options);
}
