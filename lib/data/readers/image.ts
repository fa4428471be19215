/**
 * One image file → model input: PNG (pngjs) or JPEG (jpeg-js) decoded to RGBA, converted to
 * grey (ITU-R BT.601 luma: 0.299 R + 0.587 G + 0.114 B) or RGB, resized (lib/data/image/resize.ts)
 * and scaled to [0, 1], row-major HWC. The format is told by the file's first bytes, not its
 * name. Alpha is dropped (pixels keep their colour, as an RGB conversion does elsewhere).
 */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { resizeImage, type FloatImage } from "../image/resize.ts";

/** File name endings read as images (lower-cased). */
export const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg"] as const;

export type ImageChannels = 1 | 3;

export interface DecodedImage {
  width: number;
  height: number;
  /** 8-bit RGBA, row-major. */
  rgba: Uint8Array;
}

/** Larger images are refused before decoding: their RGBA alone would need over 400 MB. */
const MAX_MEGAPIXELS = 100;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function imageFormat(bytes: Uint8Array): "png" | "jpeg" | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return undefined;
}

function tooLarge(width: number, height: number, source: string): void {
  if (width * height > MAX_MEGAPIXELS * 1e6) {
    throw new Error(`${source}: image is ${width}×${height}, over ${MAX_MEGAPIXELS} megapixels; shrink it before loading`);
  }
}

/** Decodes PNG or JPEG bytes; `source` names the file in errors. */
export function decodeImage(bytes: Uint8Array, source: string): DecodedImage {
  const format = imageFormat(bytes);
  if (!format) throw new Error(`${source}: not a PNG or JPEG image (its first bytes match neither); replace or remove the file`);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (format === "png") {
      // IHDR comes first: width and height at bytes 16..23, checked before any pixel is inflated.
      if (bytes.length >= 24) tooLarge(buffer.readUInt32BE(16), buffer.readUInt32BE(20), source);
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const image = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 512 });
    return { width: image.width, height: image.height, rgba: image.data };
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith(source)) throw error;
    throw new Error(`${source}: corrupt ${format === "png" ? "PNG" : "JPEG"} image (${message}); replace or remove the file`);
  }
}

/** RGBA → grey or RGB floats in 0..255 (no rounding). */
export function toChannels(image: DecodedImage, channels: ImageChannels): FloatImage {
  const { width, height, rgba } = image;
  const n = width * height;
  if (rgba.length !== n * 4) throw new RangeError(`image: ${rgba.length} bytes for ${width}×${height} RGBA`);
  const data = new Float32Array(n * channels);
  for (let p = 0; p < n; p++) {
    const r = rgba[4 * p]!;
    const g = rgba[4 * p + 1]!;
    const b = rgba[4 * p + 2]!;
    if (channels === 1) data[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      data[3 * p] = r;
      data[3 * p + 1] = g;
      data[3 * p + 2] = b;
    }
  }
  return { width, height, channels, data };
}

export interface ImageInputOptions {
  /** [height, width] of the output. */
  size: readonly [number, number];
  channels: ImageChannels;
}

/** Decoded, converted, resized and scaled to [0, 1]: height × width × channels floats. */
export function readImage(bytes: Uint8Array, source: string, options: ImageInputOptions): Float32Array {
  const [height, width] = options.size;
  const resized = resizeImage(toChannels(decodeImage(bytes, source), options.channels), width, height);
  const out = new Float32Array(resized.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, resized.data[i]! / 255));
  return out;
}
