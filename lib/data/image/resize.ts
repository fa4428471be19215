/**
 * Resizing an image held as float pixels, row-major HWC. Separable: each axis gets a list of
 * (source index, weight) per output index, applied along x then y. Shrinking an axis averages
 * the source pixels each output pixel covers (area averaging, fractional overlaps weighted), so
 * no source pixel is skipped; enlarging interpolates linearly between pixel centres (half-pixel
 * centres, edges clamped), the bilinear rule of OpenCV and tf.image with half_pixel_centers.
 */

/** An image as floats: `data[(y * width + x) * channels + c]`. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/** Per output index, the source indices it reads and their weights (summing to 1). */
export interface AxisWeights {
  index: Int32Array[];
  weight: Float64Array[];
}

/** Weights resampling an axis of `from` pixels to `to` pixels. */
export function axisWeights(from: number, to: number): AxisWeights {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < 1) {
    throw new RangeError(`resize: sizes must be integers ≥ 1, got ${from} → ${to}`);
  }
  const index: Int32Array[] = [];
  const weight: Float64Array[] = [];
  const scale = from / to;
  for (let o = 0; o < to; o++) {
    if (to <= from) {
      // Output pixel o covers source interval [o·scale, (o+1)·scale).
      const start = o * scale;
      const end = (o + 1) * scale;
      const first = Math.floor(start);
      const last = Math.min(from - 1, Math.ceil(end) - 1);
      const ids: number[] = [];
      const ws: number[] = [];
      for (let s = first; s <= last; s++) {
        const overlap = Math.min(end, s + 1) - Math.max(start, s);
        if (overlap > 1e-12) {
          ids.push(s);
          ws.push(overlap / scale);
        }
      }
      index.push(Int32Array.from(ids));
      weight.push(Float64Array.from(ws));
    } else {
      const centre = Math.min(from - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const left = Math.floor(centre);
      const t = centre - left;
      if (t === 0 || left === from - 1) {
        index.push(Int32Array.of(left));
        weight.push(Float64Array.of(1));
      } else {
        index.push(Int32Array.of(left, left + 1));
        weight.push(Float64Array.of(1 - t, t));
      }
    }
  }
  return { index, weight };
}

/** The image resized to width × height (same channels); the input is returned when sizes match. */
export function resizeImage(image: FloatImage, width: number, height: number): FloatImage {
  const { width: w0, height: h0, channels: c, data } = image;
  if (data.length !== w0 * h0 * c) {
    throw new RangeError(`resize: ${data.length} values for a ${w0}×${h0}×${c} image`);
  }
  if (w0 === width && h0 === height) return image;
  const xs = axisWeights(w0, width);
  const ys = axisWeights(h0, height);
  // Along x: h0 rows of `width` pixels.
  const mid = new Float64Array(h0 * width * c);
  for (let y = 0; y < h0; y++) {
    for (let x = 0; x < width; x++) {
      const ids = xs.index[x]!;
      const ws = xs.weight[x]!;
      const out = (y * width + x) * c;
      for (let k = 0; k < ids.length; k++) {
        const src = (y * w0 + ids[k]!) * c;
        const wk = ws[k]!;
        for (let ch = 0; ch < c; ch++) mid[out + ch] += wk * data[src + ch]!;
      }
    }
  }
  // Along y.
  const result = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const ids = ys.index[y]!;
    const ws = ys.weight[y]!;
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * c;
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let k = 0; k < ids.length; k++) sum += ws[k]! * mid[(ids[k]! * width + x) * c + ch]!;
        result[out + ch] = sum;
      }
    }
  }
  return { width, height, channels: c, data: result };
}
