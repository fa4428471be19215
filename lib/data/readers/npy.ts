/**
 * NumPy arrays: `.npy` files (format versions 1–3, C order, little- or big-endian numbers and
 * booleans) and `.npz` archives of them (lib/data/readers/zip.ts). Values come out as numbers;
 * an 8-byte integer beyond 2^53 loses precision, as it would in float64.
 */
import { zipEntries, zipEntryBytes } from "./zip.ts";

export const npyDtypes = ["f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"] as const;
export type NpyDtype = (typeof npyDtypes)[number];

export interface NpyArray {
  /** Where it came from ("x.npy", "data.npz: x"), for errors. */
  source: string;
  shape: number[];
  dtype: NpyDtype;
  littleEndian: boolean;
  /** The data bytes (prod(shape) × item size). */
  data: DataView;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const FIX = "write it with numpy.save (np.ascontiguousarray first for Fortran-ordered arrays)";

export function itemSize(dtype: NpyDtype): number {
  return Number(dtype.slice(1));
}

function describe(shape: readonly number[], dtype: NpyDtype): string {
  return `${shape.join("×") || "scalar"} ${dtype}`;
}

/** Parses one .npy file's bytes. */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${source}: not a .npy file (it does not start with "\\x93NUMPY"); ${FIX}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new Error(`${source}: .npy format version ${major}.${bytes[7]} is not supported (1, 2 or 3); ${FIX}`);
  const lengthAt = 8;
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new Error(`${source}: truncated inside the .npy header; ${FIX}`);
  const headerLength = major === 1 ? view.getUint16(lengthAt, true) : view.getUint32(lengthAt, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new Error(`${source}: truncated inside the .npy header; ${FIX}`);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(headerStart, dataStart));

  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`${source}: unreadable .npy header ${JSON.stringify(header.trim().slice(0, 80))} (structured dtypes are not supported); ${FIX}`);
  }
  if (fortran === "True") {
    throw new Error(`${source}: the array is stored in Fortran (column-major) order; save np.ascontiguousarray(a) instead`);
  }
  const order = descr[0];
  const code = descr.slice(1) as NpyDtype;
  if (!"<>|=".includes(order ?? "") || !npyDtypes.includes(code)) {
    throw new Error(`${source}: dtype "${descr}" is not supported; convert the array to one of float32, float64, (u)int8–64 or bool (e.g. a.astype("float32"))`);
  }
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${source}: bad shape (${shapeText}) in the .npy header; ${FIX}`);
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * itemSize(code);
  const actual = bytes.length - dataStart;
  if (actual < expected) {
    throw new Error(`${source}: truncated: the header says ${describe(shape, code)} (${expected} data bytes) but the file holds ${actual}; copy the file again or re-save it`);
  }
  if (actual > expected) {
    throw new Error(`${source}: ${actual - expected} bytes after the ${describe(shape, code)} data; the file is not one .npy array (re-save it with numpy.save)`);
  }
  return {
    source,
    shape,
    dtype: code,
    // "=" is native order, which is little-endian on every platform numpy writes for today.
    littleEndian: order !== ">",
    data: new DataView(bytes.buffer, bytes.byteOffset + dataStart, expected),
  };
}

/** The named arrays of an .npz archive (entry "x.npy" is array "x"). */
export function parseNpz(bytes: Uint8Array, source: string): Map<string, () => NpyArray> {
  const arrays = new Map<string, () => NpyArray>();
  for (const entry of zipEntries(bytes, source)) {
    if (!entry.name.endsWith(".npy")) continue;
    const key = entry.name.slice(0, -4);
    // Parsed on demand: an archive may hold arrays the experiment does not use.
    arrays.set(key, () => parseNpy(zipEntryBytes(bytes, entry, source), `${source}: ${key}`));
  }
  return arrays;
}

/** Element i as a number. */
export function elementReader(array: NpyArray): (i: number) => number {
  const { data: v, littleEndian: le } = array;
  switch (array.dtype) {
    case "f4":
      return (i) => v.getFloat32(i * 4, le);
    case "f8":
      return (i) => v.getFloat64(i * 8, le);
    case "i1":
      return (i) => v.getInt8(i);
    case "u1":
      return (i) => v.getUint8(i);
    case "b1":
      return (i) => (v.getUint8(i) === 0 ? 0 : 1);
    case "i2":
      return (i) => v.getInt16(i * 2, le);
    case "u2":
      return (i) => v.getUint16(i * 2, le);
    case "i4":
      return (i) => v.getInt32(i * 4, le);
    case "u4":
      return (i) => v.getUint32(i * 4, le);
    case "i8":
      return (i) => Number(v.getBigInt64(i * 8, le));
    case "u8":
      return (i) => Number(v.getBigUint64(i * 8, le));
  }
}

export function elementCount(array: NpyArray): number {
  return array.shape.reduce((a, b) => a * b, 1);
}

/** All elements as float64 numbers, in C order. */
export function npyNumbers(array: NpyArray): Float64Array {
  const read = elementReader(array);
  const out = new Float64Array(elementCount(array));
  for (let i = 0; i < out.length; i++) out[i] = read(i);
  return out;
}

/** All elements as float32, in C order (what the learners compute in). */
export function npyFloat32(array: NpyArray): Float32Array {
  if (array.dtype === "f4" && array.littleEndian && array.data.byteOffset % 4 === 0) {
    return new Float32Array(array.data.buffer.slice(array.data.byteOffset, array.data.byteOffset + array.data.byteLength));
  }
  const read = elementReader(array);
  const out = new Float32Array(elementCount(array));
  for (let i = 0; i < out.length; i++) out[i] = read(i);
  return out;
}
