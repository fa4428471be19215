/**
 * A bounded heap that keeps the k best (score, index) pairs offered to it, for samplers that
 * score rows in their own scan: no N-sized score array, and a row whose score cannot beat the
 * k-th best so far costs one comparison (`admits`).
 */

export class TopKHeap {
  readonly capacity: number;
  size = 0;
  /** Root = the worst kept pair, so a better newcomer replaces it in O(log k). */
  private readonly keys: Float64Array;
  private readonly indices: Int32Array;

  /** Keeps min(k, n) pairs; k that is not a whole number ≥ 0 keeps none (the caller reports it). */
  constructor(k: number, n: number) {
    this.capacity = Number.isInteger(k) && k > 0 ? Math.min(k, n) : 0;
    this.keys = new Float64Array(this.capacity);
    this.indices = new Int32Array(this.capacity);
  }

  /** The score a newcomer must beat: −∞ until the heap is full. */
  get floor(): number {
    return this.size < this.capacity ? -Infinity : this.keys[0]!;
  }

  /**
   * Whether `offer(key, index)` could keep a pair offered with this key. Offers come in
   * increasing index order, so an equal key never wins (ties → lowest index).
   */
  admits(key: number): boolean {
    return this.size < this.capacity || key > this.keys[0]!;
  }

  /** Offers a pair; NaN counts as −∞, so a broken score never beats a real one. */
  offer(score: number, index: number): void {
    const key = score !== score ? -Infinity : score;
    const keys = this.keys;
    const indices = this.indices;
    if (this.size < this.capacity) {
      let j = this.size++;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (!worse(key, index, keys[parent]!, indices[parent]!)) break;
        keys[j] = keys[parent]!;
        indices[j] = indices[parent]!;
        j = parent;
      }
      keys[j] = key;
      indices[j] = index;
    } else if (this.capacity > 0 && worse(keys[0]!, indices[0]!, key, index)) {
      keys[0] = key;
      indices[0] = index;
      this.siftDown(this.size);
    }
  }

  /** The kept indices, best first; empties the heap. */
  take(): Int32Array {
    const out = new Int32Array(this.size);
    const keys = this.keys;
    const indices = this.indices;
    // Pop worst-first into the back of the output: best ends up first.
    for (let end = this.size - 1; end >= 0; end--) {
      out[end] = indices[0]!;
      keys[0] = keys[end]!;
      indices[0] = indices[end]!;
      this.siftDown(end);
    }
    this.size = 0;
    return out;
  }

  private siftDown(count: number): void {
    const keys = this.keys;
    const indices = this.indices;
    let i = 0;
    const key = keys[0]!;
    const index = indices[0]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= count) break;
      const r = l + 1;
      let child = l;
      if (r < count && worse(keys[r]!, indices[r]!, keys[l]!, indices[l]!)) child = r;
      if (!worse(keys[child]!, indices[child]!, key, index)) break;
      keys[i] = keys[child]!;
      indices[i] = indices[child]!;
      i = child;
    }
    keys[i] = key;
    indices[i] = index;
  }
}

/** a is worse than b: lower key, or the same key and a higher index (lower index wins ties). */
function worse(ka: number, ia: number, kb: number, ib: number): boolean {
  return ka < kb || (ka === kb && ia > ib);
}
