/**
 * CIFAR-10 binary batches: records of 1 label byte + 3,072 pixel bytes (1,024 red, then 1,024
 * green, then 1,024 blue, each plane 32×32 row-major). Rows come out as 32×32×3 floats in
 * [0, 1], row-major HWC (the layout image folders and the cnn learner use).
 */

export const CIFAR_SIDE = 32;
export const CIFAR_PLANE = CIFAR_SIDE * CIFAR_SIDE;
export const CIFAR_RECORD = 1 + 3 * CIFAR_PLANE;

/** How many whole records `bytes` holds; one-line error when it is not a whole number. */
export function cifarRecordCount(bytes: Uint8Array, source: string): number {
  const whole = Math.floor(bytes.length / CIFAR_RECORD);
  const rest = bytes.length - whole * CIFAR_RECORD;
  if (bytes.length === 0) throw new Error(`${source}: empty CIFAR batch file`);
  if (rest !== 0) {
    throw new Error(`${source}: truncated or corrupt CIFAR batch: ${bytes.length} bytes is not a whole number of ${CIFAR_RECORD}-byte records (record ${whole + 1} has only ${rest} bytes); re-download the file`);
  }
  return whole;
}

/**
 * Records `[start, start + count)` of a batch: labels (checked against `classes`) and HWC pixels
 * written into `x` from row `offset` (so several batches fill one matrix).
 */
export function readCifarRecords(
  bytes: Uint8Array,
  source: string,
  range: { start: number; count: number },
  classes: number,
  out: { x: Float32Array; y: Int32Array; offset: number },
): void {
  const total = cifarRecordCount(bytes, source);
  if (range.start < 0 || range.start + range.count > total) throw new RangeError(`${source}: records ${range.start}..${range.start + range.count - 1} asked, the file has ${total}`);
  const d = 3 * CIFAR_PLANE;
  for (let r = 0; r < range.count; r++) {
    const record = range.start + r;
    const at = record * CIFAR_RECORD;
    const label = bytes[at]!;
    if (label >= classes) {
      throw new Error(`${source}: record ${record} has label ${label}, outside 0..${classes - 1}; the file is corrupt or not a CIFAR-10 batch`);
    }
    const row = out.offset + r;
    out.y[row] = label;
    const base = row * d;
    for (let p = 0; p < CIFAR_PLANE; p++) {
      out.x[base + 3 * p] = bytes[at + 1 + p]! / 255;
      out.x[base + 3 * p + 1] = bytes[at + 1 + CIFAR_PLANE + p]! / 255;
      out.x[base + 3 * p + 2] = bytes[at + 1 + 2 * CIFAR_PLANE + p]! / 255;
    }
  }
}
