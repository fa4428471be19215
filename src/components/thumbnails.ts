/**
 * A grid of small images drawn into <canvas> elements (no innerHTML, no image URLs): each item
 * is raw uint8 pixels, row-major HWC with 1 (grey) or 3 (RGB) channels, as base64 or bytes, with
 * an optional caption (its class) and title (its pool row), both set as text.
 */

export interface Thumbnail {
  /** height × width × channels bytes, or the same as base64. */
  pixels: string | Uint8Array;
  caption?: string;
  title?: string;
}

export interface ThumbnailOptions {
  height: number;
  width: number;
  channels: number;
  /** CSS pixels per image pixel; default: 56 px wide images. */
  scale?: number;
  /** Document to create elements in; default the global one (pass jsdom's in Node). */
  document?: Document;
}

/** Bytes of a base64 string (atob exists in browsers and in Node ≥ 16). */
export function decodeBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Grey or RGB bytes → canvas RGBA (grey repeated into R, G and B; alpha opaque). */
export function toRgba(pixels: Uint8Array, channels: number): Uint8ClampedArray {
  if (channels !== 1 && channels !== 3) throw new Error(`thumbnails: channels must be 1 or 3; got ${channels}`);
  const count = pixels.length / channels;
  const out = new Uint8ClampedArray(count * 4);
  for (let p = 0; p < count; p++) {
    const r = pixels[p * channels]!;
    out[p * 4] = r;
    out[p * 4 + 1] = channels === 3 ? pixels[p * 3 + 1]! : r;
    out[p * 4 + 2] = channels === 3 ? pixels[p * 3 + 2]! : r;
    out[p * 4 + 3] = 255;
  }
  return out;
}

export function thumbnails(items: readonly Thumbnail[], options: ThumbnailOptions): HTMLElement {
  const doc = options.document ?? document;
  const { height, width, channels } = options;
  const scale = options.scale ?? Math.max(1, Math.round(56 / width));
  const grid = doc.createElement("div");
  grid.className = "thumbnails";
  grid.style.display = "flex";
  grid.style.flexWrap = "wrap";
  grid.style.gap = "8px";
  for (const item of items) {
    const bytes = typeof item.pixels === "string" ? decodeBase64(item.pixels) : item.pixels;
    if (bytes.length !== height * width * channels) {
      throw new Error(`thumbnails: an image has ${bytes.length} bytes, expected ${height}×${width}×${channels} = ${height * width * channels}`);
    }
    const figure = doc.createElement("figure");
    figure.style.margin = "0";
    figure.style.textAlign = "center";
    const canvas = doc.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = `${width * scale}px`;
    canvas.style.height = `${height * scale}px`;
    canvas.style.imageRendering = "pixelated";
    if (item.title) canvas.title = item.title;
    // jsdom has no 2-D context: the structure is still built, only the pixels are not drawn.
    const context = canvas.getContext("2d");
    if (context) {
      const image = context.createImageData(width, height);
      image.data.set(toRgba(bytes, channels));
      context.putImageData(image, 0, 0);
    }
    figure.append(canvas);
    if (item.caption !== undefined) {
      const caption = doc.createElement("figcaption");
      caption.textContent = item.caption;
      caption.style.fontSize = "11px";
      caption.style.maxWidth = `${Math.max(width * scale, 56)}px`;
      caption.style.overflowWrap = "anywhere";
      figure.append(caption);
    }
    grid.append(figure);
  }
  return grid;
}
